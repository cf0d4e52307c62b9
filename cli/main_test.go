package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"beacon/store"
)

// beaconBin is the binary built once for every test in the package.
var beaconBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "beacon-cli-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	beaconBin = filepath.Join(dir, "beacon")
	build := exec.Command("go", "build", "-o", beaconBin, ".")
	build.Dir = ".."
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build beacon: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is what one run of the binary did.
type result struct {
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
}

// beacon runs the binary with env added to a clean environment (no BEACON_DB, no
// XDG_DATA_HOME, no NO_COLOR) and returns what it did.
func beacon(t testing.TB, env []string, args ...string) result {
	t.Helper()
	return beaconIn(t, env, "", args...)
}

// beaconIn is beacon with stdin as its standard input.
func beaconIn(t testing.TB, env []string, stdin string, args ...string) result {
	t.Helper()
	cmd := exec.Command(beaconBin, args...)
	cmd.Env = append(cleanEnv(), env...)
	cmd.Stdin = strings.NewReader(stdin)
	return runCmd(t, cmd)
}

// runCmd runs a prepared command and returns what it did.
func runCmd(t testing.TB, cmd *exec.Cmd) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v", cmd.Args, err)
	}
	return r
}

func cleanEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		switch strings.SplitN(kv, "=", 2)[0] {
		case "BEACON_DB", "XDG_DATA_HOME", "NO_COLOR":
			continue
		}
		out = append(out, kv)
	}
	return out
}

// db is a test's database: every run passes --db.
type db struct {
	t    testing.TB
	path string
}

func newDB(t testing.TB) *db {
	return &db{t: t, path: filepath.Join(t.TempDir(), "beacon.db")}
}

// emptyDB is a test's database, created and migrated but holding nothing (as the console's
// first run leaves it); reading commands refuse a file that does not exist.
func emptyDB(t testing.TB) *db {
	d := newDB(t)
	st, err := store.Open(context.Background(), d.path)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	return d
}

// run runs beacon on the database with the given args.
func (d *db) run(args ...string) result {
	d.t.Helper()
	return beacon(d.t, nil, append([]string{"--db", d.path}, args...)...)
}

// must runs beacon and fails the test unless it exits 0.
func (d *db) must(args ...string) string {
	d.t.Helper()
	r := d.run(args...)
	if r.code != 0 {
		d.t.Fatalf("beacon %v: %v", args, r)
	}
	return r.stdout
}

// json runs beacon and decodes its standard output into v.
func (d *db) json(v any, args ...string) {
	d.t.Helper()
	out := d.must(args...)
	if err := json.Unmarshal([]byte(out), v); err != nil {
		d.t.Fatalf("beacon %v: %v\n%s", args, err, out)
	}
}

// effective returns each component's effective status as Statuspage names it.
func (d *db) effective() map[string]string {
	d.t.Helper()
	var list []struct{ Name, Status string }
	d.json(&list, "component", "list", "--json")
	out := map[string]string{}
	for _, c := range list {
		out[c.Name] = c.Status
	}
	return out
}

// fixture holds groups Web and Data with API, Website (Web) and Postgres (Data).
func fixture(t testing.TB) *db {
	d := newDB(t)
	d.must("group", "add", "Web")
	d.must("group", "add", "Data")
	d.must("component", "add", "API", "--group", "Web", "--description", "Public REST API", "--link", "https://example.com/api")
	d.must("component", "add", "Website", "--group", "web")
	d.must("component", "add", "Postgres", "--group", "Data")
	return d
}
