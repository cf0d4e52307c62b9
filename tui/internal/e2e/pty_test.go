package e2e

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/creack/pty"
)

// Terminals' answers to the background question (theme.BackgroundQuery): OSC 11, then DA1.
const (
	answerLight = "\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[?62;22c"
	answerDark  = "\x1b]11;rgb:1e1e/1e1e/1e1e\x1b\\\x1b[?62;22c"
)

// ptyConsole is plain `beacon` on db under a pseudo-terminal of its own (no tmux), 100×30.
// The terminal answers the background question with answer, or never when answer is "".
type ptyConsole struct {
	t       testing.TB
	cmd     *exec.Cmd
	tty     *os.File
	started time.Time
	stopped bool

	mu   sync.Mutex
	out  bytes.Buffer
	done chan struct{}
}

func startPty(t testing.TB, db, answer string, env ...string) *ptyConsole {
	t.Helper()
	cmd := exec.Command(beacon, "--db", db, "--actor", "e2e")
	cmd.Env = append(cleanEnv(), append([]string{"TERM=xterm-256color", "LANG=C.UTF-8"}, env...)...)
	c := &ptyConsole{t: t, cmd: cmd, done: make(chan struct{}), started: time.Now()}
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 30, Cols: 100})
	if err != nil {
		t.Fatal(err)
	}
	c.tty = tty
	go c.read(answer)
	t.Cleanup(c.stop)
	return c
}

// read keeps what the console writes and, once it asks, answers the background question.
func (c *ptyConsole) read(answer string) {
	defer close(c.done)
	buf := make([]byte, 4096)
	asked := false
	for {
		n, err := c.tty.Read(buf)
		c.mu.Lock()
		c.out.Write(buf[:n])
		ask := !asked && answer != "" && bytes.Contains(c.out.Bytes(), []byte("\x1b]11;?"))
		c.mu.Unlock()
		if ask {
			asked = true
			_, _ = io.WriteString(c.tty, answer)
		}
		if err != nil {
			return
		}
	}
}

// screen is everything the console wrote, without its escape sequences.
func (c *ptyConsole) screen() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return ansi.Strip(c.out.String())
}

// raw is everything the console wrote.
func (c *ptyConsole) raw() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.out.String()
}

// firstFrame waits (at most timeout) for the console's first complete frame and returns how
// long after the start it came.
func (c *ptyConsole) firstFrame(timeout time.Duration) time.Duration {
	c.t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		s := c.screen()
		if strings.Contains(s, "1 Components") && strings.Contains(s, "q quit") {
			return time.Since(c.started)
		}
		time.Sleep(2 * time.Millisecond)
	}
	c.t.Fatalf("no first frame within %s; the console wrote:\n%q", timeout, c.raw())
	return 0
}

// stop quits the console (q), or kills it if it does not go. It may be called again.
func (c *ptyConsole) stop() {
	if c.stopped {
		return
	}
	c.stopped = true
	_, _ = io.WriteString(c.tty, "q")
	exited := make(chan struct{})
	go func() { _ = c.cmd.Wait(); close(exited) }()
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
		_ = c.cmd.Process.Kill()
		<-exited
	}
	c.tty.Close()
	<-c.done
}

// cleanEnv is the test's environment without what would decide the theme or the database.
// CI goes too: the terminal library takes a set CI for "no terminal here" and would draw
// without colour, whatever the pty says.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "BEACON_THEME", "COLORFGBG", "NO_COLOR", "BEACON_DB", "TERM", "TMUX", "CI":
			continue
		}
		env = append(env, kv)
	}
	return env
}

// TestFirstFrameOnASilentTerminal: on a terminal that answers no query, the console asks its
// background once, gives up after a second, and draws. (It used to wait for two five-second
// timeouts.) The deadline is generous for a loaded machine but below one old timeout.
func TestFirstFrameOnASilentTerminal(t *testing.T) {
	db := demoDB(t)
	c := startPty(t, db, "")
	took := c.firstFrame(4 * time.Second)
	t.Logf("first frame after %s", took.Round(time.Millisecond))
	if n := strings.Count(c.raw(), "\x1b]11;?"); n != 1 {
		t.Errorf("the console asked for the background %d times, want once", n)
	}
}

// TestBackgroundDecidesThePalette: the console asks once and takes the answer; when the
// environment already says (--theme, BEACON_THEME, COLORFGBG) it does not ask at all.
func TestBackgroundDecidesThePalette(t *testing.T) {
	db := demoDB(t)
	// The active tab is drawn in the text colour: 235 on light backgrounds, 252 on dark.
	const light, dark = "38;5;235m", "38;5;252m"
	for _, tc := range []struct {
		name, answer string
		env          []string
		asks         bool
		want         string
	}{
		{"light terminal", answerLight, nil, true, light},
		{"dark terminal", answerDark, nil, true, dark},
		{"BEACON_THEME", answerDark, []string{"BEACON_THEME=light"}, false, light},
		{"COLORFGBG", answerLight, []string{"COLORFGBG=15;0"}, false, dark},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := startPty(t, db, tc.answer, tc.env...)
			c.firstFrame(10 * time.Second)
			out := c.raw()
			if asked := strings.Contains(out, "\x1b]11;?"); asked != tc.asks {
				t.Errorf("asked the terminal: %v, want %v", asked, tc.asks)
			}
			other := dark
			if tc.want == dark {
				other = light
			}
			if !strings.Contains(out, tc.want) || strings.Contains(out, other) {
				t.Errorf("want the palette with %q and without %q", tc.want, other)
			}
		})
	}
}

// TestLightPaletteInTmux: inside tmux on a light background the console asks (tmux answers
// for the pane, from its window style) and draws in the light palette; on tmux's default it
// keeps the dark one.
func TestLightPaletteInTmux(t *testing.T) {
	db := demoDB(t)
	for _, tc := range []struct {
		name, style, want, not string
	}{
		{"light", "bg=white", "38;5;235m", "38;5;252m"},
		{"dark", "bg=black", "38;5;252m", "38;5;235m"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conf := filepath.Join(t.TempDir(), "tmux.conf")
			// The pane's TERM is tmux's own, as in a real session.
			cf := "set -g default-terminal tmux-256color\nset -g window-style " + tc.style + "\n"
			if err := os.WriteFile(conf, []byte(cf), 0o600); err != nil {
				t.Fatal(err)
			}
			tm := runConf(t, 100, 30, conf, fmt.Sprintf("exec env -u COLORFGBG -u BEACON_THEME %s --db %s --actor e2e", shellQuote(beacon), shellQuote(db)))
			tm.waitText(10*time.Second, "[1 Components]", "q quit")
			s := tm.tmux("capture-pane", "-e", "-p", "-t", "s")
			if !strings.Contains(s, tc.want) || strings.Contains(s, tc.not) {
				t.Errorf("want the palette with %q and without %q:\n%q", tc.want, tc.not, s)
			}
		})
	}
}

// TestNoQuestionWithoutColour: a command that draws no colour never asks the terminal
// anything, even on a terminal (Bubble Tea's package init would, but for theme/preset).
func TestNoQuestionWithoutColour(t *testing.T) {
	db := demoDB(t)
	for _, args := range [][]string{{"--version"}, {"--db", db, "status", "--json"}, {"--db", db, "status", "--check"}} {
		cmd := exec.Command(beacon, args...)
		cmd.Env = append(cleanEnv(), "TERM=xterm-256color")
		tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 30, Cols: 100})
		if err != nil {
			t.Fatal(err)
		}
		out, _ := io.ReadAll(tty) // until the command exits and its side of the terminal closes
		_ = cmd.Wait()
		tty.Close()
		if bytes.Contains(out, []byte("\x1b]")) || bytes.Contains(out, []byte("\x1b[6n")) {
			t.Errorf("beacon %s asked the terminal: %q", strings.Join(args, " "), out)
		}
	}
}

// BenchmarkConsoleFirstFrame starts plain `beacon` on the demo database under a pty (no tmux)
// and reports the median time from the start of the process to its first complete frame, on a
// terminal that answers the background question and on one that answers nothing. Run with
// e.g. -benchtime 20x.
func BenchmarkConsoleFirstFrame(b *testing.B) {
	db := demoDB(b)
	for _, tc := range []struct{ name, answer string }{{"answering", answerLight}, {"silent", ""}} {
		b.Run(tc.name, func(b *testing.B) {
			var times []time.Duration
			for b.Loop() {
				c := startPty(b, db, tc.answer)
				times = append(times, c.firstFrame(10*time.Second))
				c.stop()
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
		})
	}
}
