package sshd

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// beaconBin is the beacon binary, built once for the end-to-end tests and benchmarks; "" with
// -short, which skips them.
var beaconBin string

func TestMain(m *testing.M) {
	flag.Parse()
	dir := ""
	if !testing.Short() {
		var err error
		if dir, err = os.MkdirTemp("", "beacon-sshd-test"); err != nil {
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
	}
	code := m.Run()
	if dir != "" {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

// needTools skips the test when the binary was not built (-short) or a tool is missing, except
// in CI, where a missing tool is a failure.
func needTools(t *testing.T, tools ...string) {
	t.Helper()
	if beaconBin == "" {
		t.Skip("end-to-end: skipped with -short")
	}
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is not installed", tool)
			}
			t.Skipf("%s is not installed", tool)
		}
	}
}

// e2e is a `beacon serve` process (with serveArgs added) on a random loopback port, with keys made by ssh-keygen:
// ada and bob are responders, grace a viewer, eve unknown.
type e2e struct {
	t    *testing.T
	dir  string
	db   string
	port string
	proc *exec.Cmd
	log  *syncBuffer
	done chan error
	tmux string // tmux socket
}

func startE2E(t *testing.T, serveArgs ...string) *e2e {
	t.Helper()
	needTools(t, "ssh", "ssh-keygen", "tmux")
	e := &e2e{t: t, dir: t.TempDir()}
	e.db = filepath.Join(e.dir, "beacon.db")
	e.tmux = filepath.Join(e.dir, "tmux.sock")
	for name, comment := range map[string]string{"ada": "Ada Lovelace", "bob": "Bob", "grace": "Grace Hopper", "eve": "Eve"} {
		run(t, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", filepath.Join(e.dir, name))
	}
	e.concat("authorized_keys", "ada.pub", "bob.pub")
	e.concat("viewer_keys", "grace.pub")
	e.beacon("component", "add", "API")
	e.beacon("component", "add", "Website")
	e.beacon("--actor", "setup", "incident", "open", "--message", "Investigating.", "--title", "Checkout errors", "--component", "API=major_outage")
	// The tests open many connections a second from loopback; the per-address limit has tests
	// of its own, and a quiet machine would otherwise trip it here.
	e.serve(append([]string{"--authorized-keys", filepath.Join(e.dir, "authorized_keys"), "--viewer-keys", filepath.Join(e.dir, "viewer_keys"), "--rate-limit", "1000"}, serveArgs...)...)
	t.Cleanup(func() { exec.Command("tmux", "-S", e.tmux, "kill-server").Run() })
	return e
}

// serve starts `beacon serve` on a random loopback port and stops it (SIGTERM) at cleanup.
func (e *e2e) serve(args ...string) {
	t := e.t
	t.Helper()
	e.log, e.done = &syncBuffer{}, make(chan error, 1)
	e.proc = exec.Command(beaconBin, append([]string{"--db", e.db, "serve", "--listen", "127.0.0.1:0"}, args...)...)
	stderr, err := e.proc.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := e.proc.Start(); err != nil {
		t.Fatal(err)
	}
	listening := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		re := regexp.MustCompile(`listen=127\.0\.0\.1:(\d+)`)
		for sc.Scan() {
			fmt.Fprintln(e.log, sc.Text())
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				listening <- m[1]
			}
		}
		io.Copy(io.Discard, stderr)
	}()
	go func() { e.done <- e.proc.Wait() }()
	select {
	case e.port = <-listening:
	case <-time.After(10 * time.Second):
		t.Fatalf("beacon serve did not start:\n%s", e.log.String())
	}
	t.Cleanup(func() {
		e.proc.Process.Signal(syscall.SIGTERM)
		select {
		case <-e.done:
		case <-time.After(5 * time.Second):
			e.proc.Process.Kill()
		}
		if t.Failed() {
			t.Logf("server log:\n%s", tail(e.log.String(), 4000))
		}
	})
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (e *e2e) beacon(args ...string) string {
	e.t.Helper()
	return run(e.t, beaconBin, append([]string{"--db", e.db}, args...)...)
}

func (e *e2e) concat(to string, from ...string) {
	e.t.Helper()
	var b strings.Builder
	for _, f := range from {
		data, err := os.ReadFile(filepath.Join(e.dir, f))
		if err != nil {
			e.t.Fatal(err)
		}
		b.Write(data)
	}
	if err := os.WriteFile(filepath.Join(e.dir, to), []byte(b.String()), 0o600); err != nil {
		e.t.Fatal(err)
	}
}

// sshArgsWith are the OpenSSH client's arguments to reach the server with a key ("" offers
// none): no user config, no agent, a throwaway known_hosts, never a prompt; opts are more client
// options, before the host, and extra follows the host.
func (e *e2e) sshArgsWith(key string, opts []string, extra ...string) []string {
	args := []string{"-F", "/dev/null", "-p", e.port}
	if key != "" {
		args = append(args, "-i", filepath.Join(e.dir, key), "-o", "IdentitiesOnly=yes")
	} else {
		args = append(args, "-o", "PubkeyAuthentication=no")
	}
	args = append(args, "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
		"-o", "UserKnownHostsFile="+filepath.Join(e.dir, "known_hosts"), "-o", "LogLevel=ERROR")
	args = append(append(args, opts...), "127.0.0.1")
	return append(args, extra...)
}

// ssh runs the OpenSSH client without a terminal and returns its output and exit code.
func (e *e2e) ssh(key string, extra ...string) (stdout, stderr string, code int) {
	e.t.Helper()
	return e.sshWith(key, nil, extra...)
}

// sshWith is ssh with more client options, before the host.
func (e *e2e) sshWith(key string, opts []string, extra ...string) (stdout, stderr string, code int) {
	e.t.Helper()
	return e.runSSH(e.sshArgsWith(key, opts, extra...), "")
}

// runSSH runs the OpenSSH client with args and stdin as its standard input.
func (e *e2e) runSSH(args []string, stdin string) (stdout, stderr string, code int) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // a hung session fails
	defer cancel()
	cmd := exec.CommandContext(ctx, "ssh", args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return out.String(), errOut.String(), ee.ExitCode()
	} else if err != nil {
		e.t.Fatal(err)
	}
	return out.String(), errOut.String(), 0
}

// open starts the OpenSSH client with key in a 100×30 tmux window named name.
func (e *e2e) open(name, key string, opts ...string) {
	e.t.Helper()
	quoted := e.sshArgsWith(key, opts)
	for i, a := range quoted {
		quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	cmd := "ssh " + strings.Join(quoted, " ") + "; echo \"ssh exited $?\"; sleep 60"
	tm := exec.Command("tmux", "-S", e.tmux, "new-session", "-d", "-s", name, "-x", "100", "-y", "30", cmd)
	tm.Env = append(os.Environ(), "TERM=xterm-256color")
	if out, err := tm.CombinedOutput(); err != nil {
		e.t.Fatalf("tmux: %v\n%s", err, out)
	}
}

func (e *e2e) screen(name string) string {
	out, err := exec.Command("tmux", "-S", e.tmux, "capture-pane", "-p", "-t", name).Output()
	if err != nil {
		return ""
	}
	return string(out)
}

// waitScreen waits until the window shows want.
func (e *e2e) waitScreen(name, want string, within time.Duration) {
	e.t.Helper()
	if !poll(within, func() bool { return strings.Contains(e.screen(name), want) }) {
		e.t.Fatalf("after %s window %s has no %q; it shows:\n%s", within, name, want, e.screen(name))
	}
}

// keys types into a window: tmux key names, or literal text with literal set.
func (e *e2e) keys(name string, literal bool, keys ...string) {
	e.t.Helper()
	args := []string{"-S", e.tmux, "send-keys", "-t", name}
	if literal {
		args = append(args, "-l")
	}
	run(e.t, "tmux", append(args, keys...)...)
}

func TestE2EAuthorizedKeySeesTheConsole(t *testing.T) {
	e := startE2E(t)
	e.open("ada", "ada")
	e.waitScreen("ada", "Ada Lovelace", 5*time.Second)
	e.waitScreen("ada", "Some systems are experiencing major issues", time.Second)
	e.waitScreen("ada", "n declare", time.Second)

	e.open("grace", "grace")
	e.waitScreen("grace", "Grace Hopper (viewer)", 5*time.Second)
	if strings.Contains(e.screen("grace"), "declare") {
		t.Errorf("the viewer is offered declaring:\n%s", e.screen("grace"))
	}

	e.keys("ada", false, "q")
	e.waitScreen("ada", "ssh exited 0", 2*time.Second)

	fi, err := os.Stat(filepath.Join(e.dir, "beacon_host_ed25519"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("host key beside the database: %v, %v; want it made 0600", fi, err)
	}
}

func TestE2EUnknownKeyIsRefusedUntilAdded(t *testing.T) {
	e := startE2E(t)
	_, stderr, code := e.ssh("eve", "status")
	if code != 255 || !strings.Contains(stderr, "Permission denied") {
		t.Fatalf("unknown key: exit %d, stderr %q; want 255 and Permission denied", code, stderr)
	}

	// Adding the key to the file lets it in, without a restart.
	e.concat("authorized_keys", "ada.pub", "bob.pub", "eve.pub")
	if out, stderr, code := e.ssh("eve", "status"); code != 0 || !strings.Contains(out, "Checkout errors") {
		t.Fatalf("after adding the key: exit %d\n%s%s", code, out, stderr)
	}
	// SIGHUP re-reads the files too.
	if err := e.proc.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	if !poll(2*time.Second, func() bool { return strings.Contains(e.log.String(), "keys reloaded responders=3 viewers=1") }) {
		t.Fatalf("no reload logged after SIGHUP:\n%s", e.log.String())
	}
}

func TestE2EGlanceWithoutATerminal(t *testing.T) {
	e := startE2E(t)
	for _, args := range [][]string{{"-T"}, {"status"}} {
		out, stderr, code := e.ssh("grace", args...)
		if code != 0 || !strings.Contains(out, "✖ Major outage") || !strings.Contains(out, "Checkout errors") {
			t.Errorf("ssh %v: exit %d\n%s%s", args, code, out, stderr)
		}
		if strings.Contains(out, "\x1b") {
			t.Errorf("ssh %v: the glance has escape sequences: %q", args, out)
		}
	}
}

func TestE2ETwoSessionsSeeEachOthersChangesAndTheAuthorIsTheKeysName(t *testing.T) {
	e := startE2E(t)
	e.open("ada", "ada")
	e.open("bob", "bob")
	e.waitScreen("ada", "1 open incident", 5*time.Second)
	e.waitScreen("bob", "1 open incident", 5*time.Second)

	// Ada resolves the incident in the composer.
	e.keys("ada", false, "2")
	e.waitScreen("ada", "Checkout errors", time.Second)
	e.keys("ada", false, "Enter")
	e.waitScreen("ada", "Timeline", time.Second)
	e.keys("ada", false, "r")
	e.waitScreen("ada", "Explain the details", time.Second)
	e.keys("ada", true, "Rolled back the bad deploy.")
	e.waitScreen("ada", "Rolled back the bad deploy.", time.Second)
	e.keys("ada", false, "C-s")
	e.waitScreen("ada", "All systems are operational", 2*time.Second)
	start := time.Now()
	e.waitScreen("bob", "All systems are operational", time.Second)
	t.Logf("bob saw ada's update %s after ada did", time.Since(start))

	// Bob sets Website's own status; Ada sees it.
	e.keys("bob", false, "j")
	e.waitScreen("bob", "▌ Website", time.Second)
	e.keys("bob", false, "s")
	e.waitScreen("bob", "Own status of Website", time.Second)
	for range 5 {
		e.keys("bob", false, "j")
	}
	e.waitScreen("bob", "▌ ✖ Major outage", time.Second)
	e.keys("bob", false, "Enter")
	e.waitScreen("bob", "Website is now", time.Second)
	e.waitScreen("ada", "✖ Major outage", time.Second)

	var inc struct {
		Updates []struct {
			Author string `json:"author"`
			Body   string `json:"body"`
		} `json:"incident_updates"`
	}
	if err := json.Unmarshal([]byte(e.beacon("incident", "show", "1", "--json")), &inc); err != nil {
		t.Fatal(err)
	}
	if len(inc.Updates) != 2 || inc.Updates[0].Author != "Ada Lovelace" || inc.Updates[0].Body != "Rolled back the bad deploy." {
		t.Fatalf("incident updates %+v, want the newest by Ada Lovelace", inc.Updates)
	}
}

func TestE2ESigtermTellsSessionsAndExits(t *testing.T) {
	e := startE2E(t)
	e.open("ada", "ada")
	e.waitScreen("ada", "Ada Lovelace", 5*time.Second)
	start := time.Now()
	if err := e.proc.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-e.done:
		if err != nil {
			t.Fatalf("beacon serve exited with %v", err)
		}
		e.done <- nil
	case <-time.After(5 * time.Second):
		t.Fatal("beacon serve still running 5 s after SIGTERM")
	}
	t.Logf("exited %s after SIGTERM", time.Since(start))
	e.waitScreen("ada", "server is shutting down", 2*time.Second)
}

func TestE2EServeRefusesToStartWithoutKeys(t *testing.T) {
	needTools(t)
	dir := t.TempDir()
	cmd := exec.Command(beaconBin, "--db", filepath.Join(dir, "beacon.db"), "serve", "--listen", "127.0.0.1:0")
	out, err := cmd.CombinedOutput()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 2 {
		t.Fatalf("exit %v, want 2:\n%s", err, out)
	}
	line := strings.TrimSpace(string(out))
	if strings.Contains(line, "\n") || !strings.Contains(line, "--authorized-keys PATH") || !strings.Contains(line, "--public") {
		t.Errorf("want one line saying what to pass, got:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(dir, "beacon_host_ed25519")); err == nil {
		t.Error("a refused start still made a host key")
	}
}

// TestE2EServeRefusesAHostKeyOthersCanRead: a host key readable by others stops the server
// before it listens, with one line naming the file and the fix.
func TestE2EServeRefusesAHostKeyOthersCanRead(t *testing.T) {
	needTools(t, "ssh-keygen")
	dir := t.TempDir()
	key := filepath.Join(dir, "host_key")
	run(t, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key)
	run(t, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", filepath.Join(dir, "ada"))
	if err := os.Chmod(key, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(beaconBin, "--db", filepath.Join(dir, "beacon.db"), "serve", "--listen", "127.0.0.1:0",
		"--host-key", key, "--authorized-keys", filepath.Join(dir, "ada.pub"))
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill() // it started: the test fails below
		}
	}()
	out, err := cmd.CombinedOutput()
	if _, ok := err.(*exec.ExitError); !ok {
		t.Fatalf("exit %v, want a failure:\n%s", err, out)
	}
	line := strings.TrimSpace(string(out))
	if strings.Contains(line, "\n") || !strings.Contains(line, key) || !strings.Contains(line, "chmod 600") || strings.Contains(line, "listen=") {
		t.Errorf("want one line naming %s and chmod 600, got:\n%s", key, out)
	}
}
