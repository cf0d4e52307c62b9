package sshd

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	gossh "golang.org/x/crypto/ssh"
)

// hostKey reads the server's private host key, first creating an ed25519 one (0600, in a 0700
// directory) when the file does not exist. A key that others may read is refused, as OpenSSH
// refuses it: anyone who read it could pose as this server.
func hostKey(path string) (gossh.Signer, error) {
	f, err := os.Open(path)
	var data []byte
	if errors.Is(err, fs.ErrNotExist) {
		data, err = createHostKey(path)
	} else if err == nil {
		data, err = readPrivate(f)
	}
	if err != nil {
		return nil, fmt.Errorf("host key: %w", err)
	}
	signer, err := gossh.ParsePrivateKey(data)
	if err != nil {
		return nil, fmt.Errorf("host key %s: %w", path, err)
	}
	return signer, nil
}

// readPrivate reads f and closes it, refusing it when its mode lets anyone but its owner in.
func readPrivate(f *os.File) ([]byte, error) {
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 && runtime.GOOS != "windows" {
		return nil, fmt.Errorf("%s is accessible by others (mode %04o); make it private: chmod 600 %s", f.Name(), perm, f.Name())
	}
	return io.ReadAll(f)
}

func createHostKey(path string) ([]byte, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	block, err := gossh.MarshalPrivateKey(priv, "beacon host key")
	if err != nil {
		return nil, err
	}
	data := pem.EncodeToMemory(block)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	return data, f.Close()
}
