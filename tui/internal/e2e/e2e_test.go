// Package e2e runs the real beacon binary in tmux: a terminal the tests type into and read
// back, as a person at a terminal would.
package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/charmbracelet/x/exp/golden" // takes -update, so go test ./... -update runs here too
)

// beacon is the binary TestMain builds from the module root.
var beacon string

func TestMain(m *testing.M) {
	if _, err := exec.LookPath("tmux"); err != nil {
		fmt.Println("e2e: tmux not found; skipping")
		os.Exit(0)
	}
	os.Exit(build(m))
}

func build(m *testing.M) int {
	dir, err := os.MkdirTemp("", "beacon-e2e-")
	if err != nil {
		fmt.Println("e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	root, err := filepath.Abs("../../..")
	if err != nil {
		fmt.Println("e2e:", err)
		return 1
	}
	beacon = filepath.Join(dir, "beacon")
	cmd := exec.Command("go", "build", "-o", beacon, ".")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		fmt.Printf("e2e: go build: %v\n%s", err, out)
		return 1
	}
	return m.Run()
}

// cli runs beacon with args (no terminal, so never the console) and returns its stdout.
func cli(t testing.TB, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(beacon, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("beacon %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return out
}

// cliJSON runs beacon with args and decodes its output into v.
func cliJSON(t testing.TB, v any, args ...string) {
	t.Helper()
	out := cli(t, args...)
	if err := json.Unmarshal(out, v); err != nil {
		t.Fatalf("beacon %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// demoDB makes a database filled by `beacon demo` and returns its path.
func demoDB(t testing.TB) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "beacon.db")
	cli(t, "--db", db, "demo")
	return db
}

// console is the shell line that runs plain `beacon` on db as actor, on a terminal that says
// what it is (tmux would otherwise set its own TERM).
func console(db, actor string) string {
	return fmt.Sprintf("exec env TERM=xterm-256color %s --db %s --actor %s", shellQuote(beacon), shellQuote(db), shellQuote(actor))
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// component is a row of `beacon status --json` or `beacon component list --json`.
type component struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Status string `json:"status"`
}

// summary is the part of `beacon status --json` the tests read.
type summary struct {
	Components []component `json:"components"`
	Incidents  []struct {
		ID int64 `json:"id"`
	} `json:"incidents"`
}

func TestConsoleOnDemoDatabase(t *testing.T) {
	db := demoDB(t)
	tm := run(t, 100, 30, console(db, "e2e"))
	s := tm.waitText(10*time.Second, "[1 Components]", "1 open incident", "● Operational")
	if strings.Contains(s, "terminal too small") {
		t.Fatalf("at 100×30:\n%s", s)
	}
	tm.press("2")
	tm.waitText(5*time.Second, "[2 Incidents]", "1 unresolved")
	tm.press("Enter")
	tm.waitText(5*time.Second, "[3 Incident]", "Timeline, newest first", "Identified")
	tm.press("Escape")
	tm.waitText(5*time.Second, "[2 Incidents]")
	tm.press("q")
	tm.gone(5 * time.Second)
}

func TestConsoleFollowsAnotherProcess(t *testing.T) {
	db := demoDB(t)
	var comps []component
	cliJSON(t, &comps, "--db", db, "component", "list", "--json")
	name := comps[0].Name // first on screen
	tm := run(t, 100, 30, console(db, "e2e"))
	tm.waitText(10*time.Second, "[1 Components]", name)
	if lineWith(tm.screen(), name, "Major outage") != "" {
		t.Fatalf("%s is already in major outage", name)
	}
	cli(t, "--db", db, "--actor", "other", "component", "set", name, "major_outage")
	began := time.Now()
	tm.waitLine(2*time.Second, name, "✖ Major outage")
	t.Logf("the console showed the change %s after the other process wrote it", time.Since(began).Round(time.Millisecond))
	tm.waitText(time.Second, "Some systems are experiencing")
}
