package sshd

import (
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"sync"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"beacon/sanitize"
	"beacon/store"
)

// Role is what a key lets its holder do.
type Role int

// Roles, least first.
const (
	Refused   Role = iota // not in any key file
	Viewer                // may look, never write
	Responder             // may write: declare, update, resolve, set statuses
)

func (r Role) String() string {
	switch r {
	case Viewer:
		return "viewer"
	case Responder:
		return "responder"
	}
	return "refused"
}

// keyEntry is one key's holder: the name from its comment ("" when it had none) and its role.
type keyEntry struct {
	name string
	role Role
}

// keyFile is one authorized_keys file and what it held when last read.
type keyFile struct {
	path  string
	role  Role
	stamp fileStamp
	keys  map[string]keyEntry
}

// fileStamp tells whether a file changed since it was read, without reading it.
type fileStamp struct {
	exists bool
	size   int64
	mod    time.Time
	ino    uint64
}

// keyring holds the responders' and the viewers' keys and re-reads a file when it changes, so
// adding or removing a key takes effect on the next connection without a restart.
type keyring struct {
	mu    sync.Mutex
	files []*keyFile // responders first: a key in both files may write
	warn  func(msg any, keyvals ...any)
}

// newKeyring reads the key files; a path of "" is skipped. A file that cannot be read or parsed
// is an error here, at start, so a typo never silently locks a responder out.
func newKeyring(authorized, viewers string, warn func(any, ...any)) (*keyring, error) {
	k := &keyring{warn: warn}
	for _, f := range []*keyFile{{path: authorized, role: Responder}, {path: viewers, role: Viewer}} {
		if f.path == "" {
			continue
		}
		st, err := stampOf(f.path)
		if err == nil && !st.exists {
			err = fmt.Errorf("%s: %w", f.path, fs.ErrNotExist)
		}
		if err == nil {
			f.keys, err = readKeyFile(f.path, f.role)
		}
		if err != nil {
			return nil, fmt.Errorf("%s keys: %w", f.role, err)
		}
		f.stamp = st
		k.files = append(k.files, f)
	}
	return k, nil
}

// lookup returns the holder of key, re-reading any file that changed since it was last read.
func (k *keyring) lookup(key gossh.PublicKey) keyEntry {
	if key == nil {
		return keyEntry{}
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.refreshLocked(false)
	id := key.Marshal()
	for _, f := range k.files {
		if e, ok := f.keys[string(id)]; ok {
			return e
		}
	}
	return keyEntry{}
}

// reload re-reads every key file now (SIGHUP), returning the first error; a file that fails
// keeps the keys it had.
func (k *keyring) reload() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.refreshLocked(true)
}

// counts reports how many responder and viewer keys are loaded.
func (k *keyring) counts() (responders, viewers int) {
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, f := range k.files {
		if f.role == Responder {
			responders += len(f.keys)
		} else {
			viewers += len(f.keys)
		}
	}
	return responders, viewers
}

func (k *keyring) refreshLocked(force bool) error {
	var first error
	for _, f := range k.files {
		st, err := stampOf(f.path)
		if err == nil && st == f.stamp && !force {
			continue
		}
		keys := map[string]keyEntry{}
		if err == nil && st.exists {
			keys, err = readKeyFile(f.path, f.role)
		}
		if err != nil {
			k.warn("key file unreadable; keeping the keys read before", "path", f.path, "err", err)
			first = cmp.Or(first, err)
			continue
		}
		f.keys, f.stamp = keys, st
	}
	return first
}

func stampOf(path string) (fileStamp, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fileStamp{}, nil // a deleted file holds no keys
	}
	if err != nil {
		return fileStamp{}, err
	}
	return fileStamp{exists: true, size: fi.Size(), mod: fi.ModTime(), ino: inode(fi)}, nil
}

// readKeyFile parses an OpenSSH authorized_keys file: one key a line, optional options before
// the key type, the comment after the key naming its holder. Blank lines and # comments are
// skipped; any other line that is not a key is an error naming its line.
func readKeyFile(path string, role Role) (map[string]keyEntry, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	keys := map[string]keyEntry{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		key, comment, _, _, err := gossh.ParseAuthorizedKey(line)
		if err != nil {
			return nil, fmt.Errorf("%s line %d: not an OpenSSH public key (%v)", path, n, err)
		}
		name, err := holderName(comment)
		if err != nil {
			return nil, fmt.Errorf("%s line %d: the comment names the holder: %v", path, n, err)
		}
		keys[string(key.Marshal())] = keyEntry{name: name, role: role}
	}
	return keys, sc.Err()
}

// holderName makes a key's comment into an actor name; "" when there is no comment.
func holderName(comment string) (string, error) {
	comment = strings.TrimSpace(sanitize.Line(comment))
	if comment == "" {
		return "", nil
	}
	return store.CleanName("name", comment)
}
