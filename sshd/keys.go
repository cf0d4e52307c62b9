package sshd

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"net"
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

// keyEntry is one line of a key file: its key's holder, role and restrictions.
type keyEntry struct {
	name        string // the comment, or the key's fingerprint when the line has none
	fingerprint string // the key's SHA256 fingerprint: who the holder is, whatever their name
	role        Role
	where       string // file:line, for the log
	opts        keyOptions
}

// keyFile is one authorized_keys file and what it held when last read. A key may be on several
// lines; the first that lets a connection in decides, as in OpenSSH.
type keyFile struct {
	path    string
	role    Role
	stamp   fileStamp
	keys    map[string][]keyEntry
	lastErr string // why it could not be read last time; "" when it was read
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
	check CommandCheck // which command= lines are Beacon commands
	mu    sync.Mutex
	files []*keyFile // responders first: a key in both files may write
	warn  func(msg any, keyvals ...any)
}

// newKeyring reads the key files; a path of "" is skipped. A file that cannot be read is an
// error here, at start, so a typo in a path never silently locks a responder out; a bad line
// is logged and skipped, as it is whenever a file is re-read.
func newKeyring(authorized, viewers string, check CommandCheck, warn func(msg any, keyvals ...any)) (*keyring, error) {
	k := &keyring{warn: warn, check: check}
	for _, f := range []*keyFile{{path: authorized, role: Responder}, {path: viewers, role: Viewer}} {
		if f.path == "" {
			continue
		}
		st, err := stampOf(f.path)
		if err == nil && !st.exists {
			err = fmt.Errorf("%s: %w", f.path, fs.ErrNotExist)
		}
		if err == nil {
			f.keys, err = readKeyFile(f.path, f.role, check, warn)
		}
		if err != nil {
			return nil, fmt.Errorf("%s keys: %w", f.role, err)
		}
		f.stamp = st
		k.files = append(k.files, f)
	}
	return k, nil
}

// authorize returns what key may do on a connection from remote at now, re-reading any file
// that changed since it was last read: the first line for the key whose from= and
// expiry-time= let it in. The role is Refused when none does; refusal then says why, for the
// log ("" for a key in no file).
func (k *keyring) authorize(key gossh.PublicKey, remote net.Addr, now time.Time) (e keyEntry, refusal string) {
	if key == nil {
		return keyEntry{}, ""
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.refreshLocked(false)
	wire := key.Marshal()
	var why []string
	for _, f := range k.files {
		for _, e := range f.keys[string(wire)] {
			switch {
			case !fromAllows(e.opts.from, remote):
				why = append(why, e.where+": not from an address its from= allows")
			case !e.opts.expires.IsZero() && !now.Before(e.opts.expires):
				why = append(why, e.where+": expired at "+e.opts.expires.Format(time.RFC3339))
			default:
				return e, ""
			}
		}
	}
	return keyEntry{}, strings.Join(why, "; ")
}

// reload re-reads every key file now (SIGHUP), returning the first error; a file that cannot
// be read then lets no key in until it can.
func (k *keyring) reload() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.refreshLocked(true)
}

// counts reports how many responder and viewer key lines are loaded.
func (k *keyring) counts() (responders, viewers int) {
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, f := range k.files {
		n := 0
		for _, es := range f.keys {
			n += len(es)
		}
		if f.role == Responder {
			responders += n
		} else {
			viewers += n
		}
	}
	return responders, viewers
}

// refreshLocked re-reads each file that changed (every file when force is set). A file that
// is gone or cannot be read fails closed: none of its keys is accepted, and that is logged on
// every reload, and when it is first seen on a connection.
func (k *keyring) refreshLocked(force bool) error {
	var first error
	for _, f := range k.files {
		st, err := stampOf(f.path)
		if err == nil && st == f.stamp && f.lastErr == "" && !force {
			continue
		}
		if err == nil && !st.exists {
			err = fmt.Errorf("%s: %w", f.path, fs.ErrNotExist)
		}
		keys := map[string][]keyEntry{}
		if err == nil {
			keys, err = readKeyFile(f.path, f.role, k.check, k.warn)
		}
		if err != nil {
			if force || err.Error() != f.lastErr {
				k.warn("key file unreadable: no key from it is accepted until it can be read", "path", f.path, "err", err)
			}
			f.keys, f.stamp, f.lastErr = nil, fileStamp{}, err.Error()
			first = cmp.Or(first, err)
			continue
		}
		f.keys, f.stamp, f.lastErr = keys, st, ""
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

// readKeyFile parses an OpenSSH authorized_keys file line by line, as OpenSSH does: one key a
// line, optional options before the key type, the comment after the key naming its holder.
// Blank lines and # comments are skipped; any other line that is not a key Beacon can honour
// is skipped and logged with its file and line number, and every good line takes effect. Only
// a file that cannot be read is an error.
func readKeyFile(path string, role Role, check CommandCheck, warn func(msg any, keyvals ...any)) (map[string][]keyEntry, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	keys := map[string][]keyEntry{}
	for n, line := range bytes.Split(data, []byte("\n")) {
		where := fmt.Sprintf("%s:%d", path, n+1)
		e, id, err := parseKeyLine(bytes.TrimSpace(line), check)
		if err != nil {
			warn("key line refused", "at", where, "err", err)
			continue
		}
		if e == nil {
			continue
		}
		e.role, e.where = role, where
		keys[id] = append(keys[id], *e)
	}
	return keys, nil
}

// parseKeyLine reads one authorized_keys line: its entry and the key in wire form; nil for a
// blank or comment line.
func parseKeyLine(line []byte, check CommandCheck) (*keyEntry, string, error) {
	if len(line) == 0 || line[0] == '#' {
		return nil, "", nil
	}
	key, comment, options, rest, err := gossh.ParseAuthorizedKey(line)
	if err != nil {
		return nil, "", fmt.Errorf("not an OpenSSH public key (%v)", err)
	}
	if len(bytes.TrimSpace(rest)) > 0 {
		return nil, "", errors.New("not one OpenSSH public key")
	}
	opts, err := parseKeyOptions(options, check)
	if err != nil {
		return nil, "", err
	}
	fp := gossh.FingerprintSHA256(key)
	name, err := holderName(comment, fp)
	if err != nil {
		return nil, "", fmt.Errorf("the comment names the holder: %v", err)
	}
	return &keyEntry{name: name, fingerprint: fp, opts: opts}, string(key.Marshal()), nil
}

// holderName makes a key's comment into an actor name; a key without a comment is named by its
// fingerprint, never by anything the client sends.
func holderName(comment, fingerprint string) (string, error) {
	comment = strings.TrimSpace(sanitize.Line(comment))
	if comment == "" {
		return fingerprint, nil
	}
	return store.CleanName("name", comment)
}
