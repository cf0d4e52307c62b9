package theme

import (
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"golang.org/x/term"
)

// QueryTimeout bounds the wait for a terminal's answer to the background question: a terminal
// that does not answer delays the first frame by this much, once.
const QueryTimeout = time.Second

// Themes a responder may pick (--theme, BEACON_THEME).
const (
	Light = "light"
	Dark  = "dark"
)

// KnownBackground says whether the terminal's background is dark when that is known without
// asking the terminal: choice (a --theme flag: light or dark, "" when not given), else
// BEACON_THEME, else COLORFGBG ("fg;bg" in the 16 ANSI colours, as rxvt, Konsole and others
// set it). known is false when none says; an unknown theme name is an error.
func KnownBackground(choice string, getenv func(string) string) (dark, known bool, err error) {
	for _, c := range []struct{ name, v string }{{"--theme", choice}, {"BEACON_THEME", getenv("BEACON_THEME")}} {
		switch strings.ToLower(strings.TrimSpace(c.v)) {
		case "":
			continue
		case Light:
			return false, true, nil
		case Dark:
			return true, true, nil
		}
		return false, false, fmt.Errorf("%s %q: use light or dark", c.name, c.v)
	}
	if fgbg := getenv("COLORFGBG"); fgbg != "" {
		parts := strings.Split(fgbg, ";")
		if bg, err := strconv.Atoi(parts[len(parts)-1]); err == nil && bg >= 0 && bg <= 15 {
			return bg < 7 || bg == 8, true, nil
		}
	}
	return false, false, nil
}

// Terminal returns the renderer for this process's own terminal, out: the colour profile from
// the environment (NO_COLOR turns colour off), and the background decided once: from choice,
// BEACON_THEME or COLORFGBG when they say (KnownBackground), else by asking the terminal for at
// most QueryTimeout, else dark. Output that is not a terminal gets no colour and no question.
func Terminal(out *os.File, choice string) (*lipgloss.Renderer, error) {
	r := lipgloss.NewRenderer(out)
	dark, known, err := KnownBackground(choice, os.Getenv)
	if err != nil {
		return nil, err
	}
	if !known && r.ColorProfile() != termenv.Ascii {
		dark, known = QueryBackground(os.Stdin, out, QueryTimeout)
	}
	r.SetHasDarkBackground(dark || !known)
	return r, nil
}

// BackgroundQuery asks a terminal for its background colour (OSC 11), then for its primary
// device attributes (DA1): every terminal answers the second, which marks the end of the answers.
const BackgroundQuery = "\x1b]11;?\x07\x1b[c"

var (
	da1Answer = regexp.MustCompile(`\x1b\[\?[0-9;]*c`)
	osc11     = regexp.MustCompile(`\x1b\]11;([^\x07\x1b]*)(?:\x07|\x1b\\)`)
)

// QueryBackground asks the terminal behind in and out for its background colour and waits for
// the answer at most timeout; known is false when it did not say (or in is not a terminal).
// The terminal is in raw mode meanwhile, so the answer is neither echoed nor line-buffered.
func QueryBackground(in *os.File, out io.Writer, timeout time.Duration) (dark, known bool) {
	fd := int(in.Fd())
	if !term.IsTerminal(fd) {
		return false, false
	}
	old, err := term.MakeRaw(fd)
	if err != nil {
		return false, false
	}
	defer term.Restore(fd, old)
	if _, err := io.WriteString(out, BackgroundQuery); err != nil {
		return false, false
	}
	var got []byte
	buf := make([]byte, 256)
	deadline := time.Now().Add(timeout)
	for !Answered(got) {
		n, err := readBefore(in, buf, deadline)
		if n == 0 || err != nil {
			break
		}
		got = append(got, buf[:n]...)
	}
	dark, known, _ = ReadAnswer(got)
	return dark, known
}

// Answered reports whether got, what a terminal sent after BackgroundQuery, holds the end of
// its answers.
func Answered(got []byte) bool { return da1Answer.Match(got) }

// ReadAnswer reads the background from what a terminal sent after BackgroundQuery; known is
// false when it did not say. rest is the rest of what it sent (keys typed meanwhile).
func ReadAnswer(got []byte) (dark, known bool, rest []byte) {
	if m := osc11.FindSubmatch(got); m != nil {
		dark, known = DarkColour(string(m[1]))
	}
	return dark, known, da1Answer.ReplaceAll(osc11.ReplaceAll(got, nil), nil)
}

// DarkColour reads an X11 colour, as a terminal answers OSC 11: "rgb:RRRR/GGGG/BBBB" with 1 to
// 4 hex digits a channel. It reports whether the colour is dark (HSL lightness below one half).
func DarkColour(spec string) (dark, ok bool) {
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
