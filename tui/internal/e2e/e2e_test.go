// Package e2e runs the console as a real program in tmux: a terminal the tests can type into
// and read back.
package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/charmbracelet/x/exp/golden" // takes -update, so go test ./... -update runs here too

	"beacon/demo"
	"beacon/store"
	"beacon/tui/internal/fixture"
)

// bin holds the binaries TestMain builds: console (the console alone) and beacon (the CLI).
var bin string

func TestMain(m *testing.M) {
	if _, err := exec.LookPath("tmux"); err != nil {
		fmt.Println("e2e: tmux not found; skipping")
		os.Exit(0)
	}
	dir, err := os.MkdirTemp("", "beacon-e2e-")
	if err != nil {
		panic(err)
	}
	bin = dir
	code := func() int {
		defer os.RemoveAll(dir)
		root, err := filepath.Abs("../../..")
		if err != nil {
			panic(err)
		}
		for name, pkg := range map[string]string{"console": "./tui/internal/console", "beacon": "."} {
			cmd := exec.Command("go", "build", "-o", filepath.Join(dir, name), pkg)
			cmd.Dir = root
			cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
			if out, err := cmd.CombinedOutput(); err != nil {
				fmt.Printf("e2e: build %s: %v\n%s", pkg, err, out)
				return 1
			}
		}
		return m.Run()
	}()
	os.Exit(code)
}

// demoDB makes a database filled with the demo data and returns its path.
func demoDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "beacon.db")
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := demo.Fill(context.Background(), st, fixture.Actor, time.Now()); err != nil {
		t.Fatal(err)
	}
	return path
}

// term is a tmux server of the test's own, with one session running a command.
type term struct {
	t      testing.TB
	socket string
}

// run starts command (a shell line) in a w×h terminal.
func run(t testing.TB, w, h int, command string) *term {
	t.Helper()
	tm := &term{t: t, socket: fmt.Sprintf("beacon-e2e-%d-%d", os.Getpid(), time.Now().UnixNano())}
	tm.tmux("new-session", "-d", "-s", "s", "-x", fmt.Sprint(w), "-y", fmt.Sprint(h), command)
	path := strings.TrimSpace(tm.tmux("display", "-p", "#{socket_path}"))
	t.Cleanup(func() {
		_ = exec.Command("tmux", "-L", tm.socket, "kill-server").Run()
		os.Remove(path)
	})
	return tm
}

func (tm *term) tmux(args ...string) string {
	tm.t.Helper()
	cmd := exec.Command("tmux", append([]string{"-u", "-L", tm.socket}, args...)...)
	cmd.Env = append(os.Environ(), "LANG=C.UTF-8", "LC_ALL=C.UTF-8")
	out, err := cmd.CombinedOutput()
	if err != nil {
		tm.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (tm *term) screen() string { return tm.tmux("capture-pane", "-p", "-t", "s") }

func (tm *term) keys(keys ...string) { tm.tmux(append([]string{"send-keys", "-t", "s"}, keys...)...) }

// pid is the process running in the terminal.
func (tm *term) pid() string {
	return strings.TrimSpace(tm.tmux("display", "-p", "-t", "s", "#{pane_pid}"))
}

// waitFor polls the screen until cond holds, failing after timeout.
func (tm *term) waitFor(what string, timeout time.Duration, cond func(screen string) bool) string {
	tm.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		s := tm.screen()
		if cond(s) {
			return s
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("timed out after %s waiting for %s; screen:\n%s", timeout, what, s)
		}
		time.Sleep(20 * time.Millisecond) // the poll interval, not synchronisation
	}
}

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

// gone waits until the terminal's program has ended.
func (tm *term) gone(timeout time.Duration) {
	tm.t.Helper()
	deadline := time.Now().Add(timeout)
	for exec.Command("tmux", "-L", tm.socket, "has-session", "-t", "s").Run() == nil {
		if time.Now().After(deadline) {
			tm.t.Fatalf("the console did not exit; screen:\n%s", tm.screen())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func console(db string) string {
	return fmt.Sprintf("exec %s -db %s -actor e2e", filepath.Join(bin, "console"), db)
}

func TestConsoleOnDemoDatabase(t *testing.T) {
	db := demoDB(t)
	tm := run(t, 100, 30, console(db))
	s := tm.waitText(10*time.Second, "[1 Components]", "1 open incident", "● Operational")
	if strings.Contains(s, "terminal too small") {
		t.Fatalf("at 100×30:\n%s", s)
	}
	tm.keys("2")
	tm.waitText(5*time.Second, "[2 Incidents]", "1 unresolved")
	tm.keys("Enter")
	tm.waitText(5*time.Second, "[3 Incident]", "Timeline, newest first", "Identified")
	tm.keys("Escape")
	tm.waitText(5*time.Second, "[2 Incidents]")
	tm.keys("q")
	tm.gone(5 * time.Second)
}

func TestConsoleFollowsAnotherProcess(t *testing.T) {
	db := demoDB(t)
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	d, err := st.Dashboard(context.Background())
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	name := d.Components[0].Name // first on screen
	tm := run(t, 100, 30, console(db))
	tm.waitText(10*time.Second, "[1 Components]", name)
	onLine := func(words ...string) func(string) bool {
		return func(s string) bool {
			for _, l := range strings.Split(s, "\n") {
				ok := true
				for _, w := range words {
					ok = ok && strings.Contains(l, w)
				}
				if ok {
					return true
				}
			}
			return false
		}
	}
	if onLine(name, "Major outage")(tm.screen()) {
		t.Fatalf("%s is already in major outage", name)
	}
	out, err := exec.Command(filepath.Join(bin, "beacon"), "--db", db, "--actor", "other", "component", "set", name, "major_outage").CombinedOutput()
	if err != nil {
		t.Fatalf("beacon component set: %v\n%s", err, out)
	}
	began := time.Now()
	tm.waitFor(name+" in major outage", 2*time.Second, onLine(name, "✖ Major outage"))
	t.Logf("the console showed the change %s after the other process wrote it", time.Since(began).Round(time.Millisecond))
	tm.waitText(time.Second, "Some systems are experiencing")
}
