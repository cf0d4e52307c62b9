package sshd

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

func TestReadKeyFile(t *testing.T) {
	a, b := newSigner(t), newSigner(t)
	bare := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(b.PublicKey())))
	tests := []struct {
		name  string
		lines []string
		want  map[gossh.Signer]string // key → holder name
		warn  string                  // in the log, when a line is refused
	}{
		{name: "comment names the holder", lines: []string{keyLine(a, "Ada Lovelace")}, want: map[gossh.Signer]string{a: "Ada Lovelace"}},
		{name: "no comment: the fingerprint names the holder", lines: []string{bare},
			want: map[gossh.Signer]string{b: gossh.FingerprintSHA256(b.PublicKey())}},
		{name: "options, blanks and comments", lines: []string{"# responders", "", `no-pty,from="10.0.0.0/8" ` + keyLine(a, "ada"), "   ", bare + "  bob "},
			want: map[gossh.Signer]string{a: "ada", b: "bob"}},
		{name: "escape sequences in a comment are made inert", lines: []string{keyLine(a, "ev\x1b[31mil")}, want: map[gossh.Signer]string{a: "ev␛[31mil"}},
		{name: "a bad line is skipped and logged with its number, the others count", lines: []string{keyLine(a, "ada"), "ssh-ed25519 not-base64 x", bare + " bob"},
			want: map[gossh.Signer]string{a: "ada", b: "bob"}, warn: "keys:2 err not an OpenSSH public key"},
		{name: "a name too long is refused", lines: []string{keyLine(a, strings.Repeat("n", 101))}, want: map[gossh.Signer]string{}, warn: "keys:1 err the comment names the holder"},
		{name: "an unknown option refuses the line", lines: []string{`permitopen="localhost:80" ` + keyLine(a, "ada"), bare + " bob"},
			want: map[gossh.Signer]string{b: "bob"}, warn: `keys:1 err option "permitopen" is not supported`},
		{name: "a command other than status refuses the line", lines: []string{`command="/bin/sh" ` + keyLine(a, "ada")},
			want: map[gossh.Signer]string{}, warn: `keys:1 err command="/bin/sh": the only command`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "keys")
			writeKeyFile(t, path, tt.lines...)
			var log []string
			got, err := readKeyFile(path, Responder, nil, func(msg any, kv ...any) { log = append(log, fmt.Sprintln(append([]any{msg}, kv...)...)) })
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("%d keys, want %d", len(got), len(tt.want))
			}
			for s, name := range tt.want {
				es := got[string(s.PublicKey().Marshal())]
				if len(es) != 1 || es[0].name != name || es[0].role != Responder || es[0].fingerprint != gossh.FingerprintSHA256(s.PublicKey()) {
					t.Errorf("key for %q: %+v", name, es)
				}
			}
			joined := strings.ReplaceAll(strings.Join(log, "\n"), path, "keys")
			if tt.warn == "" && len(log) > 0 || !strings.Contains(joined, tt.warn) {
				t.Errorf("log %q, want %q", joined, tt.warn)
			}
		})
	}
}

func TestKeyringRolesAndReload(t *testing.T) {
	dir := t.TempDir()
	resp, view, both, gone := newSigner(t), newSigner(t), newSigner(t), newSigner(t)
	auth, viewers := filepath.Join(dir, "authorized_keys"), filepath.Join(dir, "viewer_keys")
	writeKeyFile(t, auth, keyLine(resp, "Ada"), keyLine(both, "Both"), keyLine(gone, "Revoked soon"))
	writeKeyFile(t, viewers, keyLine(view, "Grace"), keyLine(both, "Both as viewer"))
	var warnings []string
	k, err := newKeyring(auth, viewers, nil, func(msg any, _ ...any) { warnings = append(warnings, msg.(string)) })
	if err != nil {
		t.Fatal(err)
	}
	lookup := func(s gossh.Signer) (string, Role) {
		var key gossh.PublicKey
		if s != nil {
			key = s.PublicKey()
		}
		e, _ := k.authorize(key, loopback, time.Now())
		return e.name, e.role
	}
	for _, tt := range []struct {
		key  gossh.Signer
		name string
		role Role
	}{
		{resp, "Ada", Responder},
		{view, "Grace", Viewer},
		{both, "Both", Responder},
		{newSigner(t), "", Refused},
		{nil, "", Refused},
	} {
		if name, role := lookup(tt.key); name != tt.name || role != tt.role {
			t.Errorf("lookup: %q %v, want %q %v", name, role, tt.name, tt.role)
		}
	}

	// A revocation and a typo in the same edit: the typo is logged, the revocation holds.
	writeKeyFile(t, auth, keyLine(resp, "Ada"), keyLine(both, "Both"), "garbage")
	if _, role := lookup(gone); role != Refused {
		t.Errorf("the removed key still gets in as %v", role)
	}
	if _, role := lookup(resp); role != Responder || len(warnings) != 1 || warnings[0] != "key line refused" {
		t.Errorf("after an edit with a bad line: %v, warnings %q", role, warnings)
	}
	// A deleted file lets none of its keys in, and says so on every reload.
	if err := os.Remove(auth); err != nil {
		t.Fatal(err)
	}
	if _, role := lookup(resp); role != Refused {
		t.Errorf("after deleting the file: %v", role)
	}
	if _, role := lookup(both); role != Viewer {
		t.Errorf("a key in both files, its responder file gone: %v, want viewer", role)
	}
	warnings = nil
	for range 2 {
		if err := k.reload(); err == nil {
			t.Error("reload of a missing file reported no error")
		}
	}
	if len(warnings) != 2 {
		t.Errorf("two reloads of a missing file logged %q", warnings)
	}
	if r, v := k.counts(); r != 0 || v != 2 {
		t.Errorf("counts %d responders %d viewers, want 0 and 2", r, v)
	}
	// An unreadable file fails closed too, and takes effect again once readable.
	writeKeyFile(t, auth, keyLine(resp, "Ada"))
	if err := os.Chmod(auth, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := os.ReadFile(auth); err == nil {
		t.Log("running as a user who reads any file: skipping the unreadable case")
	} else if _, role := lookup(resp); role != Refused {
		t.Errorf("unreadable file: %v", role)
	}
	if err := os.Chmod(auth, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, role := lookup(resp); role != Responder {
		t.Errorf("readable again: %v", role)
	}
}

// checkIncidents accepts the incident commands, as a server's command check would.
func checkIncidents(args []string) error {
	if args[0] != "incident" {
		return fmt.Errorf("%s is not a command here", args[0])
	}
	return nil
}

// loopback is a client on 127.0.0.1.
var loopback = &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000}

func TestKeyOptions(t *testing.T) {
	a := newSigner(t)
	expired := time.Now().Add(-time.Hour).UTC().Format("20060102150405") + "Z"
	later := time.Now().Add(time.Hour).UTC().Format("20060102150405") + "Z"
	tests := []struct {
		opts    string
		remote  string
		refused bool
		noPty   bool
		command []string
		badLine string // the line is refused with this
	}{
		{opts: `from="10.0.0.0/8"`, remote: "127.0.0.1", refused: true},
		{opts: `from="10.0.0.0/8"`, remote: "10.2.3.4"},
		{opts: `from="127.0.0.1"`, remote: "127.0.0.1"},
		{opts: `from="127.0.0.*"`, remote: "127.0.0.9"},
		{opts: `from="127.0.0.?"`, remote: "127.0.0.19", refused: true},
		{opts: `from="!127.0.0.1,*"`, remote: "127.0.0.1", refused: true},
		{opts: `from="!127.0.0.1,*"`, remote: "127.0.0.2"},
		{opts: `from="*,!127.0.0.0/8"`, remote: "127.0.0.2", refused: true},
		{opts: `from="2001:db8::/32"`, remote: "2001:db8::1"},
		{opts: `from="2001:db8::/32"`, remote: "127.0.0.1", refused: true},
		{opts: `from="::ffff:127.0.0.1"`, remote: "127.0.0.1", refused: true},
		{opts: `from="*.example.com"`, remote: "127.0.0.1", refused: true},
		{opts: `FROM="127.0.0.1"`, remote: "127.0.0.1"},
		{opts: `from="10.0.0.1/8"`, badLine: "bits set beyond its mask"},
		{opts: `from="10.0.0.0/8,"`, badLine: "empty pattern"},
		{opts: `from=10.0.0.1`, badLine: "double quotes"},
		{opts: `from`, badLine: "needs a value"},
		{opts: `no-pty`, remote: "127.0.0.1", noPty: true},
		{opts: `restrict`, remote: "127.0.0.1", noPty: true},
		{opts: `restrict,pty`, remote: "127.0.0.1"},
		{opts: `no-pty=1`, badLine: "takes no value"},
		{opts: `no-port-forwarding,no-agent-forwarding,no-X11-forwarding,no-user-rc`, remote: "127.0.0.1"},
		{opts: `port-forwarding`, badLine: "not supported"},
		{opts: `cert-authority`, badLine: "not supported"},
		{opts: `environment="A=B"`, badLine: "not supported"},
		{opts: `command="status"`, remote: "127.0.0.1", command: []string{"status"}},
		{opts: `command="status --all"`, remote: "127.0.0.1", command: []string{"status", "--all"}},
		{opts: `command="status --json"`, badLine: "not a command here"},
		{opts: `command="rm -rf /"`, badLine: "not a command here"},
		{opts: `command="incident list --json"`, remote: "127.0.0.1", command: []string{"incident", "list", "--json"}},
		{opts: `command="incident list --title \"a b\""`, badLine: "quotes are not supported"},
		{opts: `command=" "`, badLine: "an empty command"},
		{opts: `expiry-time="` + expired + `"`, remote: "127.0.0.1", refused: true},
		{opts: `expiry-time="` + later + `"`, remote: "127.0.0.1"},
		{opts: `expiry-time="20991231"`, remote: "127.0.0.1"},
		{opts: `expiry-time="2099-12-31"`, badLine: "want YYYYMMDD"},
	}
	for _, tt := range tests {
		t.Run(tt.opts+" "+tt.remote, func(t *testing.T) {
			e, id, err := parseKeyLine([]byte(tt.opts+" "+keyLine(a, "ada")), checkIncidents)
			if tt.badLine != "" {
				if err == nil || !strings.Contains(err.Error(), tt.badLine) {
					t.Fatalf("error %v, want one with %q", err, tt.badLine)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			e.role, e.where = Responder, "keys:1"
			k := &keyring{files: []*keyFile{{keys: map[string][]keyEntry{id: {*e}}}}, warn: func(any, ...any) {}}
			k.files[0].stamp, _ = stampOf(filepath.Join(t.TempDir(), "none"))
			got, why := k.authorize(a.PublicKey(), &net.TCPAddr{IP: net.ParseIP(tt.remote), Port: 1}, time.Now())
			if (got.role == Refused) != tt.refused || tt.refused && !strings.Contains(why, "keys:1") {
				t.Fatalf("role %v (%s), want refused %v", got.role, why, tt.refused)
			}
			if !tt.refused && (got.opts.noPty != tt.noPty || !slices.Equal(got.opts.command, tt.command)) {
				t.Errorf("options %+v, want no-pty %v command %q", got.opts, tt.noPty, tt.command)
			}
		})
	}
}

func TestNewKeyringRefusesAMissingFile(t *testing.T) {
	_, err := newKeyring(filepath.Join(t.TempDir(), "nope"), "", nil, func(any, ...any) {})
	if err == nil || !strings.Contains(err.Error(), "responder keys") {
		t.Fatalf("missing file: %v", err)
	}
}
