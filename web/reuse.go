package web

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"beacon/store"
)

// An export reuses the pages of the previous one. Most of an export is the incident pages
// (one file each, 100,000 at scale), and almost all of them are the same as last time. Each
// export writes a manifest, ManifestName, that names every incident and history page with a
// key of everything its bytes are drawn from: the program itself (the executable's hash), the
// site's title and address, the key of its public ids, and the incident's data as read from
// the store. The next export
// hard-links the file of every page whose key is unchanged from the old directory instead of
// drawing and writing it again; the bytes are the same as a fresh export's.

// ManifestName is the file in an exported directory that lists the keys of its pages. It
// names public incidents only, with hashes; web servers may serve it or not.
const ManifestName = ".beacon-export"

// manifestHeader is the manifest's first line; a manifest of another format is ignored.
const manifestHeader = "beacon export manifest 1"

// manifestEntry is one page of an export: its key, and its size for the export's count.
type manifestEntry struct {
	key  string
	size int64
}

// manifest maps a page's file, relative to the export's root in slash form, to its entry.
type manifest map[string]manifestEntry

// readManifest reads the previous export's manifest; nil (nothing to reuse) when there is none
// or it cannot be read.
func readManifest(prev *previousExport) manifest {
	if prev == nil {
		return nil
	}
	f, err := prev.open(ManifestName)
	if err != nil {
		return nil
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 64<<10)
	if !sc.Scan() || sc.Text() != manifestHeader {
		return nil
	}
	m := manifest{}
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), " ")
		key, size, ok2 := strings.Cut(rest, " ")
		n, err := strconv.ParseInt(size, 10, 64)
		if !ok || !ok2 || err != nil || !fs.ValidPath(name) || name == ManifestName {
			return nil
		}
		m[name] = manifestEntry{key: key, size: n}
	}
	if sc.Err() != nil {
		return nil
	}
	return m
}

// bytes is the manifest as written: the header, then a line per page sorted by name.
func (m manifest) bytes() []byte {
	names := make([]string, 0, len(m))
	for name := range m {
		names = append(names, name)
	}
	sort.Strings(names)
	var b bytes.Buffer
	b.Grow(len(names) * 64)
	b.WriteString(manifestHeader + "\n")
	for _, name := range names {
		e := m[name]
		fmt.Fprintf(&b, "%s %s %d\n", name, e.key, e.size)
	}
	return b.Bytes()
}

// programHash is the hash of the running executable: pages drawn by another build of Beacon
// are never reused, however alike the data.
var programHash = sync.OnceValues(func() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	f, err := os.Open(exe)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
})

// renderKey is what every page of a site is drawn with besides its own data, the key of its
// public ids included (the history links by them); "" when it cannot be known, and then
// nothing is reused.
func (s *Site) renderKey() string {
	prog, err := programHash()
	if err != nil {
		return ""
	}
	k := newKeyer("site")
	k.str(prog)
	k.str(s.title)
	k.str(s.base)
	k.str(s.ids.Fingerprint())
	return k.sum()
}

// keyer hashes values, each written with its length or kind, so that no two different
// sequences of values give the same bytes. The values are gathered and hashed at once: a
// hash written a few bytes at a time costs several times as much.
type keyer struct {
	buf []byte
}

func newKeyer(kind string) *keyer {
	k := &keyer{buf: make([]byte, 0, 1024)}
	k.str(kind)
	return k
}

func (k *keyer) int(n int64) {
	k.buf = binary.AppendVarint(k.buf, n)
}

func (k *keyer) str(s string) {
	k.int(int64(len(s)))
	k.buf = append(k.buf, s...)
}

func (k *keyer) bool(b bool) {
	if b {
		k.int(1)
	} else {
		k.int(0)
	}
}

func (k *keyer) time(t time.Time) {
	k.int(t.UnixNano())
	k.bool(t.IsZero())
	_, off := t.Zone()
	k.int(int64(off))
}

// sum is the key: 128 bits of the hash, in hex.
func (k *keyer) sum() string {
	h := sha256.Sum256(k.buf)
	return hex.EncodeToString(h[:16])
}

// incident writes every field of an incident. TestIncidentKeyCoversEveryField fails when a
// field is added to the store's types and not here.
func (k *keyer) incident(i store.Incident) {
	k.int(i.ID)
	k.str(i.Title)
	k.str(string(i.Status))
	k.str(string(i.Visibility))
	k.bool(i.Pinned)
	k.time(i.OccurredAt)
	k.time(i.CreatedAt)
	k.time(i.UpdatedAt)
	k.time(i.ResolvedAt)
	for _, list := range [][]store.Impact{i.Impacts, i.Lifted} {
		k.int(int64(len(list)))
		for _, m := range list {
			k.int(m.ComponentID)
			k.str(m.ComponentName)
			k.str(string(m.Status))
			k.str(string(m.Worst))
		}
	}
}

func (k *keyer) update(u store.Update) {
	k.int(u.ID)
	k.int(u.IncidentID)
	k.str(string(u.Status))
	k.str(u.Message)
	k.str(u.Author)
	k.time(u.CreatedAt)
	k.int(int64(len(u.Changes)))
	for _, c := range u.Changes {
		k.move(c.ComponentID, c.ComponentName, c.Old, c.New)
	}
	k.int(int64(len(u.Effects)))
	for _, e := range u.Effects {
		k.move(e.ComponentID, e.ComponentName, e.Old, e.New)
	}
}

// move writes a component's change of status.
func (k *keyer) move(id int64, name string, old, new store.Status) {
	k.int(id)
	k.str(name)
	k.str(string(old))
	k.str(string(new))
}

// incidentKey is the key of d's page.
func incidentKey(site string, d store.IncidentDetail) string {
	k := newKeyer("incident")
	k.str(site)
	k.incident(d.Incident)
	k.int(int64(len(d.Updates)))
	for _, u := range d.Updates {
		k.update(u)
	}
	return k.sum()
}

// historyKey is the key of page n of pages of the history, which lists list.
func historyKey(site string, list []store.Incident, n, pages int) string {
	k := newKeyer("history")
	k.str(site)
	k.int(int64(n))
	k.int(int64(pages))
	k.int(int64(len(list)))
	for _, i := range list {
		k.incident(i)
	}
	return k.sum()
}

// compressedKey is the key of the compressed copy of resp.
func compressedKey(site string, resp *Response) string {
	k := newKeyer("gzip")
	k.str(site)
	k.str(resp.ETag)
	return k.sum()
}

// reuse hard-links the page name from the previous export when its key is unchanged, and
// records the page in the new manifest either way; false when the page must be written.
func (w *exportWriter) reuse(name, key string) bool {
	if key == "" || w.site == "" || w.prev == nil {
		return false
	}
	old, ok := w.old[name]
	if !ok || old.key != key {
		return false
	}
	dst := filepath.Join(w.root, filepath.FromSlash(name))
	if err := w.mkdir(filepath.Dir(dst)); err != nil {
		return false
	}
	if err := w.prev.link(name, dst); err != nil {
		return false
	}
	w.mu.Lock()
	w.files++
	w.reused++
	w.bytes += old.size
	w.next[name] = old
	w.mu.Unlock()
	return true
}

// keep records a page just written under its key in the new manifest.
func (w *exportWriter) keep(name, key string, size int) {
	if key == "" || w.site == "" {
		return
	}
	w.mu.Lock()
	w.next[name] = manifestEntry{key: key, size: int64(size)}
	w.mu.Unlock()
}
