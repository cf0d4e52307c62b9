package sshd

import (
	"bytes"
	"os"
	"path/filepath"
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
