package sshd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

func TestReadKeyFile(t *testing.T) {
	a, b := newSigner(t), newSigner(t)
	bare := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(b.PublicKey())))
	tests := []struct {
		name    string
		lines   []string
		want    map[gossh.Signer]string // key → holder name
		wantErr string
	}{
		{name: "comment names the holder", lines: []string{keyLine(a, "Ada Lovelace")}, want: map[gossh.Signer]string{a: "Ada Lovelace"}},
		{name: "no comment: no name", lines: []string{bare}, want: map[gossh.Signer]string{b: ""}},
		{name: "options, blanks and comments", lines: []string{"# responders", "", `no-pty,from="10.0.0.0/8" ` + keyLine(a, "ada"), "   ", bare + "  bob "},
			want: map[gossh.Signer]string{a: "ada", b: "bob"}},
		{name: "escape sequences in a comment are made inert", lines: []string{keyLine(a, "ev\x1b[31mil")}, want: map[gossh.Signer]string{a: "ev␛[31mil"}},
		{name: "a bad line is refused with its number", lines: []string{keyLine(a, "ada"), "ssh-ed25519 not-base64 x"}, wantErr: "line 2: not an OpenSSH public key"},
		{name: "a name too long is refused", lines: []string{keyLine(a, strings.Repeat("n", 101))}, wantErr: "line 1: the comment names the holder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "keys")
			writeKeyFile(t, path, tt.lines...)
			got, err := readKeyFile(path, Responder)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("%d keys, want %d", len(got), len(tt.want))
			}
			for s, name := range tt.want {
				e, ok := got[string(s.PublicKey().Marshal())]
				if !ok || e.name != name || e.role != Responder {
					t.Errorf("key for %q: %+v, %v", name, e, ok)
				}
			}
		})
	}
}

func TestKeyringRolesAndReload(t *testing.T) {
	dir := t.TempDir()
	resp, view, both := newSigner(t), newSigner(t), newSigner(t)
	auth, viewers := filepath.Join(dir, "authorized_keys"), filepath.Join(dir, "viewer_keys")
	writeKeyFile(t, auth, keyLine(resp, "Ada"), keyLine(both, "Both"))
	writeKeyFile(t, viewers, keyLine(view, "Grace"), keyLine(both, "Both as viewer"))
	var warnings []string
	k, err := newKeyring(auth, viewers, func(msg any, _ ...any) { warnings = append(warnings, msg.(string)) })
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		key  gossh.Signer
		want keyEntry
	}{
		{resp, keyEntry{"Ada", Responder}},
		{view, keyEntry{"Grace", Viewer}},
		{both, keyEntry{"Both", Responder}},
		{newSigner(t), keyEntry{}},
	} {
		if got := k.lookup(tt.key.PublicKey()); got != tt.want {
			t.Errorf("lookup: %+v, want %+v", got, tt.want)
		}
	}
	if got := k.lookup(nil); got.role != Refused {
		t.Errorf("no key: %v", got.role)
	}

	// A broken file keeps the keys read before, and says so.
	writeKeyFile(t, auth, keyLine(resp, "Ada"), "garbage")
	if got := k.lookup(resp.PublicKey()); got.role != Responder || len(warnings) != 1 {
		t.Errorf("after a bad edit: %+v, warnings %q", got, warnings)
	}
	if err := k.reload(); err == nil {
		t.Error("reload of a bad file reported no error")
	}
	// A deleted file holds no keys.
	if err := os.Remove(auth); err != nil {
		t.Fatal(err)
	}
	if got := k.lookup(resp.PublicKey()); got.role != Refused {
		t.Errorf("after deleting the file: %+v", got)
	}
	if r, v := k.counts(); r != 0 || v != 2 {
		t.Errorf("counts %d responders %d viewers, want 0 and 2", r, v)
	}
}

func TestNewKeyringRefusesAMissingFile(t *testing.T) {
	_, err := newKeyring(filepath.Join(t.TempDir(), "nope"), "", func(any, ...any) {})
	if err == nil || !strings.Contains(err.Error(), "responder keys") {
		t.Fatalf("missing file: %v", err)
	}
}
