package sshd

import (
	"bytes"
	"io"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"beacon/store"
	"beacon/theme"
)

// input is one session's keyboard. A pump goroutine reads from the client, so the terminal's
// answer to the background-colour query can be awaited with a deadline without losing a
// keystroke typed meanwhile, and so the idle timer sees every keypress. Read is called by one
// reader at a time: the query first, then the Bubble Tea program.
//
// The pump also bounds what the client's input may cost, in time linear in its size: a
// bracketed paste is handed over as one piece, cut at maxPaste bytes (the largest field's
// limit; each field cuts it further at its own), and whatever it holds beyond is read and
// dropped without being parsed; every other key spends from a budget (floodBurst bytes, refilled
// at floodRate a second), and a session that spends it all is flooding: flooded is closed and
// the pump stops reading.
type input struct {
	chunks  chan []byte
	done    chan struct{}
	flooded chan struct{}
	once    sync.Once
	pending []byte
	last    atomic.Int64 // unix nanoseconds of the client's last byte
}

// Bounds on one session's input.
const (
	maxPaste   = store.MaxMessageLen // bytes of one paste handed over; the rest is dropped
	floodBurst = 16 << 10            // bytes of keys at once, outside pastes
	floodRate  = 4 << 10             // bytes of keys a second, sustained
	pasteCost  = 64                  // budget one paste spends, whatever its size
)

const (
	pasteStart = "\x1b[200~"
	pasteEnd   = "\x1b[201~"
)

func newInput(r io.Reader) *input {
	in := &input{chunks: make(chan []byte), done: make(chan struct{}), flooded: make(chan struct{})}
	in.last.Store(time.Now().UnixNano())
	go in.pump(r, time.Now)
	return in
}

func (in *input) pump(r io.Reader, now func() time.Time) {
	defer close(in.chunks)
	buf := make([]byte, 32<<10)
	f := framer{budget: floodBurst, at: now()}
	for {
		n, err := r.Read(buf)
		if n > 0 {
			in.last.Store(now().UnixNano())
			out, ok := f.feed(buf[:n], now())
			for _, b := range out {
				select {
				case in.chunks <- b:
				case <-in.done:
					return
				}
			}
			if !ok {
				close(in.flooded)
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// framer cuts the client's byte stream into what the program is handed: runs of keys, and
// each bracketed paste whole (cut at maxPaste), while keeping the input budget.
type framer struct {
	held    []byte // bytes not handed over yet: a possible start of a paste marker, or a paste's end
	inPaste bool
	paste   []byte // the paste so far, up to maxPaste bytes
	budget  float64
	at      time.Time
}

// feed takes the next bytes read; it returns what to hand over, and false once the budget is
// spent. It looks at each byte a bounded number of times.
func (f *framer) feed(b []byte, now time.Time) (out [][]byte, ok bool) {
	f.budget = min(floodBurst, f.budget+now.Sub(f.at).Seconds()*floodRate)
	f.at = now
	data := append(f.held, b...)
	f.held = nil
	for len(data) > 0 {
		if f.inPaste {
			i := bytes.Index(data, []byte(pasteEnd))
			if i < 0 {
				keep := min(len(data), len(pasteEnd)-1) // the end marker may be split
				f.add(data[:len(data)-keep])
				f.held = bytes.Clone(data[len(data)-keep:])
				return out, true
			}
			f.add(data[:i])
			out = append(out, f.finishPaste())
			data = data[i+len(pasteEnd):]
			f.budget -= pasteCost
			continue
		}
		i := bytes.Index(data, []byte(pasteStart))
		keys := data
		if i >= 0 {
			keys = data[:i]
		} else if k := splitMarker(data); k > 0 {
			keys, f.held = data[:len(data)-k], bytes.Clone(data[len(data)-k:])
		}
		if len(keys) > 0 {
			out = append(out, bytes.Clone(keys))
			f.budget -= float64(len(keys))
		}
		if i < 0 {
			break
		}
		f.inPaste, f.paste = true, make([]byte, 0, 4096)
		data = data[i+len(pasteStart):]
	}
	return out, f.budget >= 0
}

// add keeps the next part of a paste, up to maxPaste bytes in all.
func (f *framer) add(b []byte) {
	if room := maxPaste - len(f.paste); room > 0 {
		f.paste = append(f.paste, b[:min(len(b), room)]...)
	}
}

// finishPaste is the paste as the program is handed it: bracketed, and cut at a rune's start
// when it was cut at all.
func (f *framer) finishPaste() []byte {
	p := f.paste
	if len(p) == maxPaste {
		for i := 1; i <= utf8.UTFMax && i <= len(p); i++ {
			if utf8.RuneStart(p[len(p)-i]) {
				if !utf8.FullRune(p[len(p)-i:]) {
					p = p[:len(p)-i]
				}
				break
			}
		}
	}
	f.inPaste, f.paste = false, nil
	return append(append([]byte(pasteStart), p...), pasteEnd...)
}

// splitMarker is how many bytes at the end of data may be the start of a paste marker split
// across reads ("\x1b[2", "\x1b[20", "\x1b[200"); shorter tails are keys of their own (escape,
// alt+[) and are handed over at once.
func splitMarker(data []byte) int {
	for k := len(pasteStart) - 1; k >= 3; k-- {
		if len(data) >= k && bytes.HasSuffix(data, []byte(pasteStart[:k])) {
			return k
		}
	}
	return 0
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

// queryBackground asks the terminal behind w for its background colour and waits for its
// answer until timeout. known is false when the terminal did not say; anything else the client
// sent meanwhile is kept for Read.
func (in *input) queryBackground(w io.Writer, timeout time.Duration) (dark, known bool) {
	if _, err := io.WriteString(w, theme.BackgroundQuery); err != nil {
		return false, false
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	got := in.pending
	in.pending = nil
wait:
	for !theme.Answered(got) {
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
	dark, known, in.pending = theme.ReadAnswer(got)
	return dark, known
}
