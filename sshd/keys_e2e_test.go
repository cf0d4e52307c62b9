package sshd

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"beacon/store"
)

// pub is the authorized_keys line of one of the e2e keys, with options before it.
func (e *e2e) pub(name, options string) string {
	e.t.Helper()
	data, err := os.ReadFile(filepath.Join(e.dir, name+".pub"))
	if err != nil {
		e.t.Fatal(err)
	}
	line := strings.TrimSpace(string(data))
	if options != "" {
		line = options + " " + line
	}
	return line
}

// writeKeys replaces a key file in one write.
func (e *e2e) writeKeys(file string, lines ...string) {
	e.t.Helper()
	writeKeyFile(e.t, filepath.Join(e.dir, file), lines...)
}

// waitLog waits until the server's log has want n times.
func (e *e2e) waitLog(want string, n int) {
	e.t.Helper()
	if !poll(5*time.Second, func() bool { return strings.Count(e.log.String(), want) >= n }) {
		e.t.Fatalf("the server log has %q %d times, want %d:\n%s", want, strings.Count(e.log.String(), want), n, tail(e.log.String(), 3000))
	}
}

// TestE2EKeyOptions: each authorized_keys option as OpenSSH means it, through the real client;
// a line with an option Beacon does not implement lets its key in nowhere, and says where.
func TestE2EKeyOptions(t *testing.T) {
	// Two sessions a case, more than the default burst of new sessions from one address: the
	// rate limit is not what this test is about.
	e := startE2E(t, "--rate-limit", "100")
	const glance = "Checkout errors"
	tests := []struct {
		options string
		args    []string // the client's arguments after the host
		code    int
		out     string // on stdout
		stderr  string // on stderr
		log     string // in the server's log, with the file and line
	}{
		{options: `from="10.0.0.0/8",no-pty`, args: []string{"status"}, code: 255, log: "not from an address its from= allows"},
		{options: `from="!127.0.0.1,*"`, args: []string{"status"}, code: 255, log: "not from an address its from= allows"},
		{options: `from="127.0.0.0/8"`, args: []string{"status"}, out: glance},
		{options: `from="10.*,127.0.0.?"`, args: []string{"status"}, out: glance},
		{options: `no-pty`, args: []string{"status"}, out: glance},
		{options: `no-pty`, args: []string{"-tt"}, code: 255, stderr: "PTY allocation request failed"},
		{options: `restrict`, args: []string{"-tt"}, code: 255, stderr: "PTY allocation request failed"},
		{options: `command="status"`, args: []string{"-tt"}, out: glance},
		{options: `command="status"`, args: []string{"incident", "list"}, out: glance},
		{options: `expiry-time="20200101"`, args: []string{"status"}, code: 255, log: "expired at 2020-01-01"},
		{options: `expiry-time="20991231"`, args: []string{"status"}, out: glance},
		{options: `permitopen="localhost:80"`, args: []string{"status"}, code: 255, log: `option \"permitopen\" is not supported`},
		{options: `command="/bin/sh"`, args: []string{"status"}, code: 255, log: "/bin/sh is not a Beacon command"},
		{options: `command="serve"`, args: []string{"status"}, code: 255, log: "beacon serve is not available over SSH"},
		{options: `command="incident list --json"`, args: []string{"component", "set", "API", "operational"}, out: `"name":"Checkout errors"`},
	}
	defer func() { e.t = t }()
	// A terminal that asks for a pty without insisting gets the glance.
	e.writeKeys("authorized_keys", e.pub("ada", ""), e.pub("bob", "no-pty"))
	e.open("bob", "bob")
	e.waitScreen("bob", "ssh exited 0", 5*time.Second)
	if s := e.screen("bob"); !strings.Contains(s, glance) || strings.Contains(s, "n declare") {
		t.Fatalf("a no-pty key in a terminal, want the glance:\n%s", s)
	}

	for _, tt := range tests {
		t.Run(tt.options+" "+strings.Join(tt.args, " "), func(t *testing.T) {
			e.t = t
			mark := e.log.Len()
			e.writeKeys("authorized_keys", e.pub("ada", ""), e.pub("bob", tt.options))
			out, stderr, code := e.ssh("bob", tt.args...)
			if code != tt.code || !strings.Contains(out, tt.out) || !strings.Contains(stderr, tt.stderr) {
				t.Fatalf("exit %d, want %d; stdout has %q: %v\n%s%s", code, tt.code, tt.out, strings.Contains(out, tt.out), out, stderr)
			}
			if tt.code == 0 && strings.Contains(out, "\x1b[?1049h") {
				t.Errorf("the key was given the console:\n%q", out)
			}
			if tt.log != "" {
				where := filepath.Join(e.dir, "authorized_keys") + ":2"
				if !poll(2*time.Second, func() bool {
					since := e.log.Since(mark)
					return strings.Contains(since, where) && strings.Contains(since, tt.log)
				}) {
					t.Errorf("the log after the attempt has no %q with %q:\n%s", tt.log, where, e.log.Since(mark))
				}
			}
			// The other line of the file still works.
			if out, stderr, code := e.ssh("ada", "status"); code != 0 {
				t.Errorf("ada beside it: exit %d\n%s%s", code, out, stderr)
			}
		})
	}
}

// TestE2ERevocationWithATypoInTheSameWrite: removing a key's line and adding a malformed one
// in the same write still revokes the key; the bad line is logged with its file and line.
func TestE2ERevocationWithATypoInTheSameWrite(t *testing.T) {
	e := startE2E(t)
	if _, stderr, code := e.ssh("bob", "status"); code != 0 {
		t.Fatalf("bob before: exit %d %s", code, stderr)
	}
	e.writeKeys("authorized_keys", e.pub("ada", ""), "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI-typo carol")
	if _, stderr, code := e.ssh("bob", "status"); code != 255 || !strings.Contains(stderr, "Permission denied") {
		t.Fatalf("revoked bob: exit %d %s; want 255, Permission denied", code, stderr)
	}
	if out, stderr, code := e.ssh("ada", "status"); code != 0 {
		t.Fatalf("ada, still in the file: exit %d\n%s%s", code, out, stderr)
	}
	e.waitLog("key line refused at="+filepath.Join(e.dir, "authorized_keys")+":2", 1)
}

// TestE2EVanishedOrUnreadableKeyFileFailsClosed: a key file that is gone, or cannot be read,
// lets none of its keys in, says so on every reload, and counts again once it is back.
func TestE2EVanishedOrUnreadableKeyFileFailsClosed(t *testing.T) {
	e := startE2E(t)
	path := filepath.Join(e.dir, "authorized_keys")
	denied := func(why string) {
		t.Helper()
		if _, stderr, code := e.ssh("ada", "status"); code != 255 || !strings.Contains(stderr, "Permission denied") {
			t.Fatalf("%s: ada got exit %d %s; want 255, Permission denied", why, code, stderr)
		}
	}
	const unreadable = "key file unreadable: no key from it is accepted"

	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	denied("the file removed")
	e.waitLog(unreadable, 1)
	for n := 2; n <= 3; n++ {
		if err := e.proc.Process.Signal(syscall.SIGHUP); err != nil {
			t.Fatal(err)
		}
		e.waitLog(unreadable, n)
	}

	// A directory where the file was cannot be read, even by root.
	if err := os.Mkdir(path, 0o700); err != nil {
		t.Fatal(err)
	}
	denied("a directory in its place")
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}

	e.concat("authorized_keys", "ada.pub", "bob.pub")
	if out, stderr, code := e.ssh("ada", "status"); code != 0 {
		t.Fatalf("the file back: exit %d\n%s%s", code, out, stderr)
	}
}

// TestE2EUnreadableKeyFileAfterReadingFailsClosed: a file that was read, then cannot be, no
// longer lets its keys in (it used to keep the keys read before).
func TestE2EUnreadableKeyFileAfterReadingFailsClosed(t *testing.T) {
	e := startE2E(t)
	path := filepath.Join(e.dir, "authorized_keys")
	if _, _, code := e.ssh("ada", "status"); code != 0 {
		t.Fatalf("ada before: exit %d", code)
	}
	// Swap a directory in: stat works, reading does not.
	if err := os.Rename(path, path+".bak"); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(path, 0o700); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := e.ssh("ada", "status"); code != 255 {
		t.Fatalf("unreadable file: ada got exit %d %s; want 255", code, stderr)
	}
}

// TestE2EKeyWithoutCommentIsNamedByItsFingerprint: a responder key with no comment is named by
// its fingerprint, whatever user name the client sends, and never sees that user's draft.
func TestE2EKeyWithoutCommentIsNamedByItsFingerprint(t *testing.T) {
	e := startE2E(t)
	run(t, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "", "-f", filepath.Join(e.dir, "nameless"))
	fp := strings.Fields(run(t, "ssh-keygen", "-l", "-f", filepath.Join(e.dir, "nameless.pub")))[1]
	e.concat("authorized_keys", "ada.pub", "bob.pub", "nameless.pub")

	// Someone Else has a draft under their name.
	st, err := store.Open(context.Background(), e.db)
	if err != nil {
		t.Fatal(err)
	}
	err = st.SaveDraft(context.Background(), store.Actor{Name: "Someone Else"}, "new", []byte(`{"step":1,"title":"Someone Else's private draft"}`))
	st.Close()
	if err != nil {
		t.Fatal(err)
	}

	e.open("nameless", "nameless", "-l", "Someone Else")
	e.waitScreen("nameless", fp[:20], 5*time.Second)
	e.waitScreen("nameless", "n declare", time.Second)
	if strings.Contains(e.screen("nameless"), "Someone Else") {
		t.Fatalf("the client's user name is shown:\n%s", e.screen("nameless"))
	}
	e.keys("nameless", false, "n")
	e.waitScreen("nameless", "Affected", 2*time.Second)
	if s := e.screen("nameless"); strings.Contains(s, "You left a draft") || strings.Contains(s, "private draft") {
		t.Fatalf("another person's draft is offered:\n%s", s)
	}
}

// TestE2EPublicServerWithoutAKey: on a --public server a client without any key, in batch mode
// (no prompts: only OpenSSH's "none" method), reads the glance; a key holder who connects as
// KeyUser is recognised by the key, and an unknown key is refused as KeyUser.
func TestE2EPublicServerWithoutAKey(t *testing.T) {
	e := startE2E(t, "--public")
	out, stderr, code := e.sshWith("", []string{"-o", "BatchMode=yes"}, "status")
	if code != 0 || !strings.Contains(out, "Checkout errors") {
		t.Fatalf("keyless batch-mode client: exit %d\n%s%s", code, out, stderr)
	}
	e.waitLog(`actor=anonymous role=viewer`, 1)

	if out, stderr, code := e.sshWith("ada", []string{"-l", KeyUser}, "status"); code != 0 {
		t.Fatalf("ada as %s: exit %d\n%s%s", KeyUser, code, out, stderr)
	}
	e.waitLog(`actor="Ada Lovelace" role=responder`, 1)
	if _, stderr, code := e.sshWith("eve", []string{"-l", KeyUser}, "status"); code != 255 || !strings.Contains(stderr, "Permission denied") {
		t.Fatalf("an unknown key as %s: exit %d %s; want it refused", KeyUser, code, stderr)
	}
	// Any other user name is anonymous at once, whatever key the client holds.
	if out, stderr, code := e.sshWith("ada", []string{"-l", "ada"}, "status"); code != 0 {
		t.Fatalf("ada as herself: exit %d\n%s%s", code, out, stderr)
	}
	e.waitLog(`actor=anonymous role=viewer`, 2)
}
