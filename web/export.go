package web

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"beacon/publicid"
	"beacon/store"
)

// ExportStats says what an export wrote.
type ExportStats struct {
	Files  int
	Bytes  int64
	Reused int // files hard-linked from the previous export, unchanged
}

// FilePath is where the export writes the resource at a site path: pages get ".html" (a web
// server maps /incidents/wr9jcvyy3nye to incidents/wr9jcvyy3nye.html), "/" is index.html, the
// rest keep their names.
func FilePath(path string) string {
	switch {
	case path == "/":
		return "index.html"
	case strings.Contains(filepath.Base(path), "."):
		return strings.TrimPrefix(path, "/")
	}
	return strings.TrimPrefix(path, "/") + ".html"
}

// exportBatch is how many incidents one read of an export takes.
const exportBatch = 500

// Export writes the whole public site as static files into dir: the same bytes the server
// sends for the same data on the same day. It writes into a new directory beside dir and
// then puts it in dir's place in one rename, so a web server serving dir never sees half an
// export; what was in dir before is removed.
func (s *Site) Export(ctx context.Context, dir string, now time.Time) (ExportStats, error) {
	var stats ExportStats
	dir, err := filepath.Abs(dir)
	if err != nil {
		return stats, err
	}
	if err := CheckExportDir(dir); err != nil {
		return stats, err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+".new-")
	if err != nil {
		return stats, err
	}
	defer os.RemoveAll(tmp) // gone already when the export succeeded
	if err := os.Chmod(tmp, 0o755); err != nil {
		return stats, err
	}
	prev := openPrevious(dir)
	defer prev.close()
	w := &exportWriter{root: tmp, prev: prev, site: s.renderKey(), old: readManifest(prev), next: manifest{}, dirs: map[string]bool{}}
	w.start()
	err = s.exportInto(ctx, w, now)
	if werr := w.finish(); err == nil {
		err = werr
	}
	if err != nil {
		return stats, err
	}
	if w.site != "" {
		if err := os.WriteFile(filepath.Join(tmp, ManifestName), w.next.bytes(), 0o644); err != nil {
			return stats, err
		}
	}
	if err := replaceDir(tmp, dir); err != nil {
		return stats, err
	}
	return ExportStats{Files: w.files, Bytes: w.bytes, Reused: w.reused}, nil
}

// exportWriter writes an export's files. The files are created by one goroutine, fed by the
// goroutines that draw the pages: creating files in one directory from several at once makes
// them wait on the directory's lock, and the drawing of the next pages goes on meanwhile.
type exportWriter struct {
	root string          // the new export's directory
	prev *previousExport // the previous export, whose unchanged pages are linked; nil for none
	site string          // the key of everything the pages are drawn with; "" reuses nothing

	old manifest // the previous export's pages; nil when there is none

	queue  chan exportFile // files waiting for the writer
	done   chan struct{}   // closed when the writer has written the last file
	failed atomic.Bool     // the writer failed; err says why
	err    error           // the writer's first error, read once failed or done

	mu     sync.Mutex
	next   manifest
	dirs   map[string]bool
	files  int
	reused int
	bytes  int64
}

// exportFile is a file for the writer: its full name and contents.
type exportFile struct {
	name string
	body string
}

// start starts the writer; finish must follow.
func (w *exportWriter) start() {
	w.queue = make(chan exportFile, 256)
	w.done = make(chan struct{})
	go func() {
		defer close(w.done)
		for f := range w.queue {
			if w.err != nil {
				continue
			}
			err := w.mkdir(filepath.Dir(f.name))
			if err == nil {
				err = writeTextFile(f.name, f.body)
			}
			if err != nil {
				w.err = err
				w.failed.Store(true)
			}
		}
	}()
}

// finish waits for the writer to write every file given it, and says whether it failed.
func (w *exportWriter) finish() error {
	close(w.queue)
	<-w.done
	return w.err
}

func (w *exportWriter) write(path string, resp *Response) error {
	name := filepath.Join(w.root, filepath.FromSlash(FilePath(path)))
	return w.writeFile(name, string(resp.Body))
}

// writeFile gives the writer a file to write. An error of the writer's shows here once it
// happened, and from finish in any case.
func (w *exportWriter) writeFile(name string, body string) error {
	if w.failed.Load() {
		return w.err
	}
	w.mu.Lock()
	w.files++
	w.bytes += int64(len(body))
	w.mu.Unlock()
	w.queue <- exportFile{name, body}
	return nil
}

// mkdir makes dir, once per export.
func (w *exportWriter) mkdir(dir string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.dirs[dir] {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		w.dirs[dir] = true
	}
	return nil
}

// page writes the page at the relative file name, drawn by render, unless the previous
// export has it under the same key.
func (w *exportWriter) page(name, key string, render func() (string, error)) error {
	if w.reuse(name, key) {
		return nil
	}
	body, err := render()
	if err != nil {
		return err
	}
	if err := w.writeFile(filepath.Join(w.root, filepath.FromSlash(name)), body); err != nil {
		return err
	}
	w.keep(name, key, len(body))
	return nil
}

func (s *Site) exportInto(ctx context.Context, w *exportWriter, now time.Time) error {
	v := s.newView(now)
	var compressed []exportedResponse
	for _, path := range exportedPaths() {
		resp, err := v.render(ctx, path)
		if err != nil {
			return fmt.Errorf("render %s: %w", path, err)
		}
		if err := w.write(path, resp); err != nil {
			return err
		}
		compressed = append(compressed, exportedResponse{path, resp})
	}
	for path, resp := range staticAssets() {
		if err := w.write(path, resp); err != nil {
			return err
		}
		compressed = append(compressed, exportedResponse{path, resp})
	}
	// The compressed copies are made while the incident pages are drawn.
	var gz sync.WaitGroup
	var gzErr error
	gz.Go(func() { gzErr = w.writeCompressed(compressed) })
	defer gz.Wait()
	nf, err := s.notFound()
	if err != nil {
		return err
	}
	if err := w.writeFile(filepath.Join(w.root, "404.html"), string(nf.Body)); err != nil {
		return err
	}

	// Every public maintenance window's page.
	cur, err := v.now(ctx)
	if err != nil {
		return err
	}
	windows, err := s.pub.Maintenances(ctx, store.MaintenanceQuery{All: true})
	if err != nil {
		return err
	}
	for _, m := range windows {
		resp, err := v.maintenancePage(ctx, m.ID, cur.dash.Now)
		if errors.Is(err, errNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if err := w.write(s.maintenancePath(m.ID), resp); err != nil {
			return err
		}
	}

	// Every public incident's page, read in batches and rendered on every core; the resolved
	// ones are kept (without their timelines) for the history pages.
	ids, err := s.st.IncidentIDs(ctx, store.IDQuery{PublicOnly: true})
	if err != nil {
		return err
	}
	var batches [][]int64
	for len(ids) > 0 {
		n := min(len(ids), exportBatch)
		batches = append(batches, ids[:n])
		ids = ids[n:]
	}
	resolved := make([][]store.Incident, len(batches))
	work := make(chan int)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range work {
				list, err := s.exportIncidents(ctx, v, w, batches[b])
				if err != nil {
					select {
					case errs <- err:
					default:
					}
					cancel()
					continue
				}
				resolved[b] = list
			}
		}()
	}
feed:
	for b := range batches {
		select {
		case work <- b:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
	}
	if err := ctx.Err(); err != nil {
		return err
	}

	var history []store.Incident
	for _, list := range resolved {
		history = append(history, list...)
	}
	if err := s.exportHistory(w, history); err != nil {
		return err
	}
	gz.Wait()
	return gzErr
}

type exportedResponse struct {
	path string
	resp *Response
}

// writeCompressed writes NAME.gz beside each of the resources that gain from compression:
// the bytes the server sends a reader that takes gzip, for a web server to send as they are
// (nginx's gzip_static). Only the few resources with a fixed path get one: the pages of
// incidents are small, and one more file each would double the export's files. A copy is
// linked from the previous export when the resource is unchanged.
func (w *exportWriter) writeCompressed(list []exportedResponse) error {
	for _, r := range list {
		name := FilePath(r.path) + ".gz"
		key := compressedKey(w.site, r.resp)
		if w.reuse(name, key) {
			continue
		}
		z := r.resp.Gzipped()
		if z == nil {
			continue
		}
		if err := w.writeFile(filepath.Join(w.root, filepath.FromSlash(name)), string(z)); err != nil {
			return err
		}
		w.keep(name, key, len(z))
	}
	return nil
}

// exportHistory writes the history pages of the resolved incidents, oldest first, on every
// core: each page is drawn from its own slice, so the bytes do not depend on the order.
func (s *Site) exportHistory(w *exportWriter, history []store.Incident) error {
	pages := max(1, (len(history)+historyPageSize-1)/historyPageSize)
	next := make(chan int)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range next {
				if err := s.exportHistoryPage(w, history, n, pages); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		}()
	}
	for n := 1; n <= pages; n++ {
		next <- n
	}
	close(next)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
	}
	return nil
}

// exportHistoryPage writes page n of pages, and /history too when it is the newest.
func (s *Site) exportHistoryPage(w *exportWriter, history []store.Incident, n, pages int) error {
	chunk := history[min(len(history), (n-1)*historyPageSize):min(len(history), n*historyPageSize)]
	newest := make([]store.Incident, len(chunk))
	for i, inc := range chunk {
		newest[len(chunk)-1-i] = inc
	}
	key := historyKey(w.site, newest, n, pages)
	render := func() (string, error) {
		resp, err := s.renderHistory(newest, n, pages)
		if err != nil {
			return "", err
		}
		return string(resp.Body), nil
	}
	if err := w.page(FilePath(fmt.Sprintf("/history/%d", n)), key, render); err != nil {
		return err
	}
	if n != pages {
		return nil
	}
	// /history is the newest page's worth of incidents, which may reach into the page before.
	last := history[max(0, len(history)-historyPageSize):]
	newest = make([]store.Incident, len(last))
	for i, inc := range last {
		newest[len(last)-1-i] = inc
	}
	return w.page(FilePath("/history"), historyKey(w.site, newest, 0, pages), func() (string, error) {
		resp, err := s.renderHistory(newest, 0, pages)
		if err != nil {
			return "", err
		}
		return string(resp.Body), nil
	})
}

// exportIncidents writes the pages of one batch of incidents and returns the resolved ones.
func (s *Site) exportIncidents(ctx context.Context, v *view, w *exportWriter, ids []int64) ([]store.Incident, error) {
	list, err := details(ctx, s.st, ids)
	if err != nil {
		return nil, err
	}
	var resolved []store.Incident
	for _, d := range list {
		name := "incidents/" + s.publicID(publicid.Incident, d.ID) + ".html"
		if err := w.page(name, incidentKey(w.site, d), func() (string, error) { return s.incidentPageText(d) }); err != nil {
			return nil, err
		}
		if d.Resolved() {
			resolved = append(resolved, d.Incident)
		}
	}
	return resolved, nil
}

// exportedPaths are the resources with one fixed path each (besides /static/).
func exportedPaths() []string {
	paths := []string{
		"/", "/history.atom", "/history.rss", "/badge.svg",
		"/api/v2/summary.json", "/api/v2/status.json", "/api/v2/components.json",
		"/api/v2/incidents.json", "/api/v2/incidents/unresolved.json",
		"/api/v2/scheduled-maintenances.json", "/api/v2/scheduled-maintenances/upcoming.json",
		"/api/v2/scheduled-maintenances/active.json",
	}
	sort.Strings(paths)
	return paths
}

// CheckExportDir refuses a place an export must not replace: a file, or a directory that
// holds anything but an earlier export (its manifest, or the API's summary, says so), since an
// export replaces the whole directory. A missing or empty directory is fine.
func CheckExportDir(dir string) error {
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is a file; export writes a directory", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) == 0 {
		return err
	}
	for _, marker := range []string{ManifestName, filepath.FromSlash("api/v2/summary.json")} {
		if _, err := os.Stat(filepath.Join(dir, marker)); err == nil {
			return nil
		}
	}
	var names []string
	for _, e := range entries[:min(len(entries), 3)] {
		name := e.Name()
		if e.IsDir() {
			name += "/"
		}
		names = append(names, name)
	}
	if len(entries) > 3 {
		names = append(names, "…")
	}
	return fmt.Errorf("%s holds files that are not a Beacon export (%s), and an export replaces the whole directory: export into a new or empty directory", dir, strings.Join(names, ", "))
}

// replaceDir puts the directory tmp at dir: in one exchange when dir exists (where the system
// offers it), else by renames; the old contents are removed afterwards.
func replaceDir(tmp, dir string) error {
	_, err := os.Lstat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return os.Rename(tmp, dir)
	}
	if err != nil {
		return err
	}
	if err := exchange(tmp, dir); err == nil {
		return os.RemoveAll(tmp)
	}
	old := tmp + ".old"
	if err := os.Rename(dir, old); err != nil {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		_ = os.Rename(old, dir)
		return err
	}
	return os.RemoveAll(old)
}
