package sshd

import (
	"bytes"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// input is one session's keyboard. A pump goroutine reads from the client, so the terminal's
// answer to the background-colour query can be awaited with a deadline without losing a
// keystroke typed meanwhile, and so the idle timer sees every keypress. Read is called by one
// reader at a time: the query first, then the Bubble Tea program.
type input struct {
	chunks  chan []byte
	done    chan struct{}
	once    sync.Once
	pending []byte
	last    atomic.Int64 // unix nanoseconds of the client's last byte
}

func newInput(r io.Reader) *input {
	in := &input{chunks: make(chan []byte), done: make(chan struct{})}
	in.last.Store(time.Now().UnixNano())
	go in.pump(r)
	return in
}

func (in *input) pump(r io.Reader) {
	buf := make([]byte, 512)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			in.last.Store(time.Now().UnixNano())
			select {
			case in.chunks <- bytes.Clone(buf[:n]):
			case <-in.done:
				return
			}
		}
		if err != nil {
			close(in.chunks)
			return
		}
	}
}

// Read returns what the client typed; io.EOF once the client closed its input or the session
// ended.
func (in *input) Read(p []byte) (int, error) {
	if len(in.pending) == 0 {
		select {
		case b, ok := <-in.chunks:
			if !ok {
				return 0, io.EOF
			}
			in.pending = b
		case <-in.done:
			return 0, io.EOF
		}
	}
	n := copy(p, in.pending[:nextKey(in.pending)])
	in.pending = in.pending[n:]
	return n, nil
}

// nextKey is how much of b to hand over at once. Keys typed ahead arrive together over SSH (a
// held j comes as "jjj"), and Bubble Tea v1 makes one key of a run of printable runes, which
// then matches no binding; so input without escape sequences is handed over a rune at a time,
// as it was typed. Anything with an escape (arrows, alt keys, a bracketed paste) goes whole.
func nextKey(b []byte) int {
	if bytes.IndexByte(b, 0x1b) >= 0 {
		return len(b)
	}
	r, size := utf8.DecodeRune(b)
	if r == utf8.RuneError && !utf8.FullRune(b) {
		return len(b)
	}
	return size
}

// close ends Read and the pump (which otherwise ends when the client's input does).
func (in *input) close() { in.once.Do(func() { close(in.done) }) }

// idleFor is how long ago the client last sent a byte.
func (in *input) idleFor(now time.Time) time.Duration {
	return now.Sub(time.Unix(0, in.last.Load()))
}

// Terminal queries and their answers: OSC 11 asks for the background colour, and primary device
// attributes (DA1), which every terminal answers, marks the end of the answers.
const backgroundQuery = "\x1b]11;?\x07\x1b[c"

var (
	da1Answer = regexp.MustCompile(`\x1b\[\?[0-9;]*c`)
	osc11     = regexp.MustCompile(`\x1b\]11;([^\x07\x1b]*)(?:\x07|\x1b\\)`)
)

// queryBackground asks the terminal behind w for its background colour and waits for its
// answer until timeout. known is false when the terminal did not say; anything else the client
// sent meanwhile is kept for Read.
func (in *input) queryBackground(w io.Writer, timeout time.Duration) (dark, known bool) {
	if _, err := io.WriteString(w, backgroundQuery); err != nil {
		return false, false
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	got := in.pending
	in.pending = nil
wait:
	for !da1Answer.Match(got) {
		select {
		case b, ok := <-in.chunks:
			if !ok {
				break wait
			}
			got = append(got, b...)
		case <-timer.C:
			break wait
		case <-in.done:
			break wait
		}
	}
	if m := osc11.FindSubmatch(got); m != nil {
		dark, known = darkColour(string(m[1]))
	}
	got = osc11.ReplaceAll(got, nil)
	in.pending = da1Answer.ReplaceAll(got, nil)
	return dark, known
}

// darkColour reads an X11 colour answer, "rgb:RRRR/GGGG/BBBB" with 1 to 4 hex digits a
// channel, and reports whether it is dark (HSL lightness below one half).
func darkColour(spec string) (dark, ok bool) {
	rest, found := strings.CutPrefix(spec, "rgb:")
	if !found {
		return false, false
	}
	parts := strings.Split(rest, "/")
	if len(parts) != 3 {
		return false, false
	}
	lo, hi := 1.0, 0.0
	for _, p := range parts {
		if len(p) < 1 || len(p) > 4 {
			return false, false
		}
		v, err := strconv.ParseUint(p, 16, 16)
		if err != nil {
			return false, false
		}
		f := float64(v) / float64(uint64(1)<<(4*len(p))-1)
		lo, hi = min(lo, f), max(hi, f)
	}
	return (lo+hi)/2 < 0.5, true
}
