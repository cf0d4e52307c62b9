package sshd

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHostKeyIsCreatedOnceAndPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "beacon_host_ed25519")
	first, err := hostKey(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("host key mode %v, want 0600", fi.Mode().Perm())
	}
	if first.PublicKey().Type() != "ssh-ed25519" {
		t.Errorf("host key type %s", first.PublicKey().Type())
	}
	again, err := hostKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.PublicKey().Marshal(), again.PublicKey().Marshal()) {
		t.Error("a second start made a new host key")
	}
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o660} {
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		_, err := hostKey(path)
		if err == nil || !strings.Contains(err.Error(), "chmod 600 "+path) || strings.Contains(err.Error(), "\n") {
			t.Errorf("mode %04o: %v; want one line naming the file and the fix", mode, err)
		}
	}
	if err := os.Chmod(path, 0o400); err != nil {
		t.Fatal(err)
	}
	if _, err := hostKey(path); err != nil {
		t.Errorf("a read-only private key: %v", err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := hostKey(path); err == nil {
		t.Error("a corrupt host key was accepted")
	}
}

func TestNewMakesNoKeyOfItsOwn(t *testing.T) {
	newEnv(t)
	if _, err := os.Stat("id_ed25519"); err == nil {
		t.Fatal("wish made up a host key in the working directory")
	}
}
