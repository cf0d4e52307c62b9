package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// term is a tmux server of the test's own, on a socket in a private directory (so parallel
// runs never meet), with one session "s" running one command.
type term struct {
	t      testing.TB
	socket string
}

// tmuxEnv is the environment of every tmux call: tmux wants TERM and a UTF-8 locale even
// when the test itself has no terminal (as under CI).
func tmuxEnv() []string {
	return append(cleanEnv(), "TERM=xterm-256color", "LANG=C.UTF-8", "LC_ALL=C.UTF-8")
}

// run starts command (a shell line) in a detached w×h terminal and ends it with the test.
func run(t testing.TB, w, h int, command string) *term {
	t.Helper()
	return runConf(t, w, h, "/dev/null", command)
}

// runConf is run with tmux's configuration read from conf.
func runConf(t testing.TB, w, h int, conf, command string) *term {
	t.Helper()
	dir, err := os.MkdirTemp("", "bt") // short: a socket path must fit in 108 bytes
	if err != nil {
		t.Fatal(err)
	}
	tm := &term{t: t, socket: filepath.Join(dir, "tmux")}
	t.Cleanup(func() {
		_ = tm.command("kill-server").Run()
		os.RemoveAll(dir)
	})
	// -f: no user configuration (or the test's own); the pane's TERM is set by the command itself,
	// since tmux would otherwise give it its own default-terminal.
	tm.tmux("-f", conf, "new-session", "-d", "-s", "s", "-x", fmt.Sprint(w), "-y", fmt.Sprint(h), command)
	return tm
}

func (tm *term) command(args ...string) *exec.Cmd {
	cmd := exec.Command("tmux", append([]string{"-u", "-S", tm.socket}, args...)...)
	cmd.Env = tmuxEnv()
	return cmd
}

func (tm *term) tmux(args ...string) string {
	tm.t.Helper()
	out, err := tm.command(args...).CombinedOutput()
	if err != nil {
		tm.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (tm *term) screen() string { return tm.tmux("capture-pane", "-p", "-t", "s") }

// press sends tmux key names (Enter, Tab, Down, C-s, or characters), all in one send-keys.
//
// Bubble Tea v1 reads whatever the terminal has written so far in one go and reports a run of
// printable characters as one key event ("jj"); the console takes such a run as the keys one
// after another, so keys may follow one another freely. Escape is the exception: an escape
// followed by a character reads as alt+character, so wait for the screen after it.
func (tm *term) press(keys ...string) {
	tm.t.Helper()
	tm.tmux(append([]string{"send-keys", "-t", "s"}, keys...)...)
}

// typeText types text into the focused field: each line literally (send-keys -l), all at
// once, with the Enter key between lines.
func (tm *term) typeText(text string) {
	tm.t.Helper()
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			tm.press("Enter")
		}
		if line == "" {
			continue
		}
		if strings.HasSuffix(line, ";") {
			line = strings.TrimSuffix(line, ";") + `\;` // tmux reads a final ";" as "next command"
		}
		tm.tmux("send-keys", "-t", "s", "-l", line)
	}
}

// waitFor polls the screen until cond holds, failing with the last screen after timeout.
func (tm *term) waitFor(what string, timeout time.Duration, cond func(screen string) bool) string {
	tm.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		s := tm.screen()
		if cond(s) {
			return s
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("timed out after %s waiting for %s; the screen:\n%s", timeout, what, s)
		}
		time.Sleep(20 * time.Millisecond) // the poll interval, not synchronisation
	}
}

// waitText waits until the screen holds every one of want.
func (tm *term) waitText(timeout time.Duration, want ...string) string {
	tm.t.Helper()
	return tm.waitFor(strings.Join(want, ", "), timeout, func(s string) bool {
		for _, w := range want {
			if !strings.Contains(s, w) {
				return false
			}
		}
		return true
	})
}

// waitLine waits until one line of the screen holds every one of words.
func (tm *term) waitLine(timeout time.Duration, words ...string) string {
	tm.t.Helper()
	return tm.waitFor("one line with "+strings.Join(words, " … "), timeout, func(s string) bool {
		return lineWith(s, words...) != ""
	})
}

// lineWith is the first line of s that holds every one of words, "" when none does.
func lineWith(s string, words ...string) string {
	for _, l := range strings.Split(s, "\n") {
		ok := true
		for _, w := range words {
			ok = ok && strings.Contains(l, w)
		}
		if ok {
			return l
		}
	}
	return ""
}

// pid is the process running in the terminal.
func (tm *term) pid() string {
	return strings.TrimSpace(tm.tmux("display", "-p", "-t", "s", "#{pane_pid}"))
}

// gone waits until the terminal's program has ended (and with it the session).
func (tm *term) gone(timeout time.Duration) {
	tm.t.Helper()
	deadline := time.Now().Add(timeout)
	for tm.command("has-session", "-t", "s").Run() == nil {
		if time.Now().After(deadline) {
			tm.t.Fatalf("the console did not exit; the screen:\n%s", tm.screen())
		}
		time.Sleep(20 * time.Millisecond)
	}
}
