package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"beacon/demo"
	"beacon/publicid"
	"beacon/store"
	"beacon/web"
)

// marker is written into every internal incident (title and messages); no public output may
// ever hold it.
const marker = "ZZINTERNALZZ"

var actor = store.Actor{Name: "tester"}

// fixture is the demo data plus internal incidents carrying the marker, one of them open on
// DNS with a major outage, and a public incident whose message tries raw HTML and bad links.
type fixture struct {
	st       *store.Store
	ids      *publicid.Codec // the database's public ids
	path     string
	internal []int64
	hostile  int64
	dns      int64

	window, internalWindow int64
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "beacon.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := demo.Fill(ctx, st, actor, time.Now()); err != nil {
		t.Fatal(err)
	}
	key, err := st.PublicIDKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := publicid.New(key)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{st: st, ids: ids, path: path}
	dns, err := st.ComponentByName(ctx, "DNS")
	if err != nil {
		t.Fatal(err)
	}
	f.dns = dns.ID
	open, err := st.OpenIncident(ctx, actor, store.NewIncident{
		Title: "Secret " + marker + " outage", Message: "Only responders may read " + marker + ".",
		Visibility: store.Internal, Impacts: []store.SetImpact{{ComponentID: dns.ID, Status: store.MajorOutage}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.PostUpdate(ctx, actor, open.ID, store.NewUpdate{Status: store.Identified, Message: "Still " + marker}); err != nil {
		t.Fatal(err)
	}
	fixed, err := st.OpenIncident(ctx, actor, store.NewIncident{
		Title: "Old " + marker, Message: marker + " details", Visibility: store.Internal,
		Impacts: []store.SetImpact{{ComponentID: dns.ID, Status: store.PartialOutage}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.PostUpdate(ctx, actor, fixed.ID, store.NewUpdate{Status: store.Fixed, Message: "Fixed " + marker}); err != nil {
		t.Fatal(err)
	}
	f.internal = []int64{open.ID, fixed.ID}
	hostile, err := st.OpenIncident(ctx, actor, store.NewIncident{
		Title:   "Links <b>and</b> markup",
		Message: "See [docs](https://example.com/docs), [bad](javascript:alert(1)), [rel](/x), <script>alert(1)</script>, ![img](https://example.com/i.png) and <https://example.com/auto>.",
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.PostUpdate(ctx, actor, hostile.ID, store.NewUpdate{Status: store.Fixed, Message: "Fixed."}); err != nil {
		t.Fatal(err)
	}
	f.hostile = hostile.ID
	start := time.Now().Add(2 * time.Hour).Truncate(time.Minute)
	window, err := st.AddMaintenance(ctx, actor, store.NewMaintenance{
		Title: "Database upgrade", Message: "Postgres **17**.", StartsAt: start, EndsAt: start.Add(time.Hour),
		Components: []int64{dns.ID},
	})
	if err != nil {
		t.Fatal(err)
	}
	f.window = window.ID
	secret, err := st.AddMaintenance(ctx, actor, store.NewMaintenance{
		Title: "Quiet " + marker, Message: marker, Visibility: store.Internal, StartsAt: start, EndsAt: start.Add(time.Hour),
		Components: []int64{dns.ID},
	})
	if err != nil {
		t.Fatal(err)
	}
	f.internalWindow = secret.ID
	return f
}

// incidentPath is the path of an incident's page; maintenancePath a window's.
func (f *fixture) incidentPath(id int64) string {
	return "/incidents/" + f.ids.Encode(publicid.Incident, id)
}

func (f *fixture) maintenancePath(id int64) string {
	return "/maintenance/" + f.ids.Encode(publicid.Maintenance, id)
}

// server serves the fixture's site as `beacon serve --http` does.
func (f *fixture) server(t testing.TB, cfg web.Config) (*web.Server, http.Handler) {
	t.Helper()
	site, err := web.New(f.st, f.st.NewSnapshots(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.NewServer(site)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { srv.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return srv, srv.Handler()
}

func get(h http.Handler, method, path string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// publicIncidents lists the ids of every public incident.
func (f *fixture) publicIncidents(t testing.TB) []int64 {
	ids, err := f.st.IncidentIDs(context.Background(), store.IDQuery{PublicOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// routes is every path the site serves for the fixture.
func (f *fixture) routes(t testing.TB) []string {
	paths := []string{
		"/", "/history", "/history/1", "/history.atom", "/history.rss", "/badge.svg",
		"/api/v2/summary.json", "/api/v2/status.json", "/api/v2/components.json",
		"/api/v2/incidents.json", "/api/v2/incidents/unresolved.json",
		"/static/style.css", "/static/live.js", "/healthz",
		"/api/v2/scheduled-maintenances.json", "/api/v2/scheduled-maintenances/upcoming.json",
		"/api/v2/scheduled-maintenances/active.json", f.maintenancePath(f.window),
	}
	for _, id := range f.publicIncidents(t) {
		paths = append(paths, f.incidentPath(id))
	}
	return paths
}

func TestRoutes(t *testing.T) {
	f := newFixture(t)
	_, h := f.server(t, web.Config{Title: "Example", BaseURL: "https://status.example.com"})
	types := map[string]string{
		"/": "text/html; charset=utf-8", "/history": "text/html; charset=utf-8", "/history/1": "text/html; charset=utf-8",
		"/history.atom": "application/atom+xml; charset=utf-8", "/history.rss": "application/rss+xml; charset=utf-8",
		"/badge.svg": "image/svg+xml", "/static/style.css": "text/css; charset=utf-8",
		"/static/live.js": "text/javascript; charset=utf-8", "/healthz": "text/plain; charset=utf-8",
	}
	for _, path := range f.routes(t) {
		t.Run(path, func(t *testing.T) {
			w := get(h, "GET", path)
			if w.Code != http.StatusOK {
				t.Fatalf("GET %s: %d\n%s", path, w.Code, w.Body)
			}
			want := types[path]
			switch {
			case strings.HasPrefix(path, "/api/"):
				want = "application/json; charset=utf-8"
			case strings.HasPrefix(path, "/incidents/"), strings.HasPrefix(path, "/maintenance/"):
				want = "text/html; charset=utf-8"
			}
			if got := w.Header().Get("Content-Type"); got != want {
				t.Errorf("Content-Type %q, want %q", got, want)
			}
			checkSecurityHeaders(t, w.Header())
			if path == "/healthz" {
				return
			}
			if w.Header().Get("Cache-Control") != "public, max-age=30" {
				t.Errorf("Cache-Control %q", w.Header().Get("Cache-Control"))
			}
			etag := w.Header().Get("ETag")
			if !strings.HasPrefix(etag, `"`) {
				t.Fatalf("ETag %q", etag)
			}
			if nm := get(h, "GET", path, "If-None-Match", etag); nm.Code != http.StatusNotModified || nm.Body.Len() != 0 {
				t.Errorf("If-None-Match: %d, %d bytes; want 304 and nothing", nm.Code, nm.Body.Len())
			}
			if nm := get(h, "GET", path, "If-None-Match", `"other"`); nm.Code != http.StatusOK {
				t.Errorf("If-None-Match of another version: %d", nm.Code)
			}
			head := get(h, "HEAD", path)
			if head.Code != http.StatusOK || head.Body.Len() != 0 || head.Header().Get("Content-Length") != fmt.Sprint(w.Body.Len()) {
				t.Errorf("HEAD: %d, %d bytes, length %s", head.Code, head.Body.Len(), head.Header().Get("Content-Length"))
			}
			for _, m := range []string{"POST", "PUT", "DELETE", "PATCH", "OPTIONS"} {
				r := get(h, m, path)
				if r.Code != http.StatusMethodNotAllowed || r.Header().Get("Allow") != "GET, HEAD" {
					t.Errorf("%s: %d, Allow %q", m, r.Code, r.Header().Get("Allow"))
				}
			}
			if z := get(h, "GET", path, "Accept-Encoding", "gzip, br"); z.Header().Get("Content-Encoding") == "gzip" {
				zr, err := gzip.NewReader(z.Body)
				if err != nil {
					t.Fatal(err)
				}
				plain, err := io.ReadAll(zr)
				if err != nil || !bytes.Equal(plain, w.Body.Bytes()) {
					t.Errorf("gzip body differs from the plain one (%v)", err)
				}
				if z.Header().Get("ETag") == etag || !strings.Contains(z.Header().Get("Vary"), "Accept-Encoding") {
					t.Errorf("gzip ETag %q (plain %q), Vary %q", z.Header().Get("ETag"), etag, z.Header().Get("Vary"))
				}
				if nm := get(h, "GET", path, "Accept-Encoding", "gzip", "If-None-Match", z.Header().Get("ETag")); nm.Code != http.StatusNotModified {
					t.Errorf("If-None-Match of the gzip ETag: %d", nm.Code)
				}
			} else if w.Body.Len() > 4096 {
				t.Errorf("a %d-byte response is not gzipped", w.Body.Len())
			}
		})
	}
}

func checkSecurityHeaders(t *testing.T, h http.Header) {
	t.Helper()
	csp := h.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe") {
		t.Errorf("CSP allows something unsafe: %q", csp)
	}
	if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
		t.Errorf("nosniff %q, Referrer-Policy %q", h.Get("X-Content-Type-Options"), h.Get("Referrer-Policy"))
	}
}

func TestUptimeStrips(t *testing.T) {
	f := newFixture(t)
	_, h := f.server(t, web.Config{})
	body := get(h, "GET", "/").Body.String()
	if n := strings.Count(body, `<div class="strip" role="img" aria-label="`); n != 13 {
		t.Errorf("%d uptime strips, want one for each of the demo's 13 components", n)
	}
	if !strings.Contains(body, "% uptime over the last 90 days") || !strings.Contains(body, `class="u-operational w`) {
		t.Errorf("no uptime percentage or bar:\n%s", body)
	}
	css := get(h, "GET", "/static/style.css").Body.String()
	if !strings.Contains(css, ".w90{flex-grow:90}") {
		t.Error("the stylesheet does not size the bars")
	}
}

func TestNotFoundAndInternal(t *testing.T) {
	f := newFixture(t)
	_, h := f.server(t, web.Config{})
	missing := get(h, "GET", "/incidents/999999")
	if missing.Code != http.StatusNotFound {
		t.Fatalf("missing incident: %d", missing.Code)
	}
	checkSecurityHeaders(t, missing.Header())
	for _, id := range f.internal {
		w := get(h, "GET", f.incidentPath(id))
		if w.Code != http.StatusNotFound || !bytes.Equal(w.Body.Bytes(), missing.Body.Bytes()) {
			t.Errorf("internal incident %d: %d, body differs from a missing one's: %v", id, w.Code, !bytes.Equal(w.Body.Bytes(), missing.Body.Bytes()))
		}
		for _, k := range []string{"Content-Type", "ETag", "Cache-Control", "Content-Length"} {
			if w.Header().Get(k) != missing.Header().Get(k) {
				t.Errorf("internal incident %d: %s %q, a missing one's %q", id, k, w.Header().Get(k), missing.Header().Get(k))
			}
		}
	}
	if w := get(h, "GET", f.maintenancePath(f.internalWindow)); w.Code != http.StatusNotFound || !bytes.Equal(w.Body.Bytes(), missing.Body.Bytes()) {
		t.Errorf("internal maintenance: %d", w.Code)
	}
	for _, path := range []string{"/nope", "/incidents/", "/maintenance/999999", "/maintenance/x", "/incidents/abc", "/incidents/007", "/incidents/-1", "/history/0", "/history/999", "/history/", "/static/", "/static/missing.css", "/api/v2/nope.json", "/events/x"} {
		if w := get(h, "GET", path); w.Code != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, w.Code)
		}
	}
}

// TestNoInternalAnywhere reads every route and every exported file and finds the marker of
// internal incidents in none.
func TestNoInternalAnywhere(t *testing.T) {
	f := newFixture(t)
	_, h := f.server(t, web.Config{BaseURL: "https://status.example.com"})
	for _, path := range f.routes(t) {
		w := get(h, "GET", path)
		if bytes.Contains(w.Body.Bytes(), []byte(marker)) {
			t.Errorf("%s shows an internal incident", path)
		}
	}
	// DNS is held in a major outage by an internal incident only: the public sees it operational.
	var comps struct {
		Components []struct{ Name, Status string }
	}
	if err := json.Unmarshal(get(h, "GET", "/api/v2/components.json").Body.Bytes(), &comps); err != nil {
		t.Fatal(err)
	}
	for _, c := range comps.Components {
		if c.Name == "DNS" && c.Status != "operational" {
			t.Errorf("DNS shows %q to the public", c.Status)
		}
	}
	if !strings.Contains(get(h, "GET", "/").Body.String(), `DNS</span> <span class="status s-operational">`) {
		t.Error("the page does not show DNS operational")
	}
	dir := filepath.Join(t.TempDir(), "site")
	site, err := web.New(f.st, nil, web.Config{BaseURL: "https://status.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := site.Export(context.Background(), dir, time.Now()); err != nil {
		t.Fatal(err)
	}
	n := 0
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		n++
		body, err := os.ReadFile(p)
		if err == nil && strings.HasSuffix(p, ".gz") {
			var z *gzip.Reader
			if z, err = gzip.NewReader(bytes.NewReader(body)); err == nil {
				body, err = io.ReadAll(z)
			}
		}
		if bytes.Contains(body, []byte(marker)) {
			t.Errorf("exported %s shows an internal incident", p)
		}
		return err
	})
	if err != nil || n < 20 {
		t.Fatalf("walked %d files: %v", n, err)
	}
	for _, id := range f.internal {
		if _, err := os.Stat(filepath.Join(dir, web.FilePath(f.incidentPath(id)))); err == nil {
			t.Errorf("internal incident %d was exported", id)
		}
	}
}

func TestMarkdownIsSafe(t *testing.T) {
	f := newFixture(t)
	_, h := f.server(t, web.Config{})
	body := get(h, "GET", f.incidentPath(f.hostile)).Body.String()
	for _, bad := range []string{"<script>alert", "javascript:", `href="/x"`, "<img", "<b>and</b>", "raw HTML omitted"} {
		if strings.Contains(body, bad) {
			t.Errorf("page holds %q", bad)
		}
	}
	for _, good := range []string{
		`<a href="https://example.com/docs" rel="nofollow noopener noreferrer">docs</a>`,
		`<a href="https://example.com/auto" rel="nofollow noopener noreferrer">https://example.com/auto</a>`,
		"Links &lt;b&gt;and&lt;/b&gt; markup", "docs</a>, bad, rel, ", ", img and ",
	} {
		if !strings.Contains(body, good) {
			t.Errorf("page lacks %q", good)
		}
	}
}

func TestChangesMakeANewVersion(t *testing.T) {
	f := newFixture(t)
	srv, h := f.server(t, web.Config{})
	first := get(h, "GET", "/api/v2/components.json")
	again := get(h, "GET", "/api/v2/components.json")
	if first.Header().Get("ETag") != again.Header().Get("ETag") {
		t.Fatal("the same data gave two ETags")
	}
	_ = srv
	web_ := f.st
	c, err := web_.ComponentByName(context.Background(), "Website")
	if err != nil {
		t.Fatal(err)
	}
	if err := web_.SetComponentStatus(context.Background(), actor, c.ID, store.PartialOutage); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		w := get(h, "GET", "/api/v2/components.json")
		if w.Header().Get("ETag") != first.Header().Get("ETag") {
			if !strings.Contains(w.Body.String(), `"partial_outage"`) {
				t.Fatalf("new version without the change:\n%s", w.Body)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the change never showed")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestEvents(t *testing.T) {
	f := newFixture(t)
	srv, h := f.server(t, web.Config{})
	ts := httptest.NewServer(h)
	defer ts.Close()
	resp, err := http.Get(ts.URL + "/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream; charset=utf-8" {
		t.Fatalf("events: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	deadline := time.Now().Add(10 * time.Second)
	for srv.Watchers() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	c, _ := f.st.ComponentByName(context.Background(), "Website")
	if err := f.st.SetComponentStatus(context.Background(), actor, c.ID, store.MajorOutage); err != nil {
		t.Fatal(err)
	}
	got := firstChangeEvent(resp.Body)
	select {
	case s := <-got:
		if !strings.Contains(s, "event: change\ndata: ") {
			t.Fatalf("stream: %q", s)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no change event")
	}
	srv.Shutdown()
}

// firstChangeEvent reads an event stream until its first whole change event, and sends what
// it read (or what it had when the stream ended).
func firstChangeEvent(stream io.Reader) <-chan string {
	got := make(chan string, 1)
	go func() {
		buf := make([]byte, 4096)
		var seen string
		for {
			n, err := stream.Read(buf)
			seen += string(buf[:n])
			if strings.Contains(seen, "event: change") && strings.HasSuffix(seen, "\n\n") || err != nil {
				got <- seen
				return
			}
		}
	}()
	return got
}

func TestExportMatchesServerAndIsDeterministic(t *testing.T) {
	f := newFixture(t)
	cfg := web.Config{Title: "Example", BaseURL: "https://status.example.com/status"}
	_, h := f.server(t, cfg)
	site, err := web.New(f.st, nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	parent := t.TempDir()
	dir := filepath.Join(parent, "site")
	// An earlier export (its manifest says so) with a page that is no longer published.
	if err := os.MkdirAll(filepath.Join(dir, "stale"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, web.ManifestName), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if _, err := site.Export(context.Background(), dir, now); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "stale")); err == nil {
		t.Error("what the directory held before survived the export")
	}
	first := readTree(t, dir)
	compressed := 0
	for name, body := range first {
		var header []string
		plain, gz := strings.CutSuffix(name, ".gz")
		if gz {
			// What the server sends a reader that takes gzip, beside the file it compresses.
			compressed++
			header = []string{"Accept-Encoding", "gzip"}
			if z, err := gzip.NewReader(bytes.NewReader(body)); err != nil {
				t.Errorf("%s: %v", name, err)
			} else if unzipped, err := io.ReadAll(z); err != nil || !bytes.Equal(unzipped, first[plain]) {
				t.Errorf("%s is not %s compressed (%v)", name, plain, err)
			}
			name = plain
		}
		route := "/status/" + strings.TrimSuffix(name, ".html")
		switch {
		case name == web.ManifestName:
			continue
		case name == "index.html":
			route = "/status/"
		case name == "404.html":
			if w := get(h, "GET", "/status/nothing-here"); w.Code != 404 || !bytes.Equal(w.Body.Bytes(), body) {
				t.Errorf("404.html differs from the server's 404")
			}
			continue
		case !strings.HasSuffix(name, ".html"):
			route = "/status/" + name
		}
		w := get(h, "GET", route, header...)
		if w.Code != 200 || !bytes.Equal(w.Body.Bytes(), body) || gz != (w.Header().Get("Content-Encoding") == "gzip") {
			t.Errorf("%s (gzip: %v): the server's %s (%d) differs from the export", name, gz, route, w.Code)
		}
	}
	for _, name := range []string{"index.html.gz", "api/v2/summary.json.gz", "static/style.css.gz"} {
		if _, ok := first[name]; !ok {
			t.Errorf("%s was not exported", name)
		}
	}
	if _, ok := first[web.FilePath(f.incidentPath(f.hostile))+".gz"]; ok || compressed > 20 {
		t.Errorf("%d files compressed: only those with a fixed path are", compressed)
	}
	if _, ok := first[web.FilePath(f.maintenancePath(f.window))]; !ok {
		t.Error("the maintenance window was not exported")
	}
	if _, ok := first[web.FilePath(f.maintenancePath(f.internalWindow))]; ok {
		t.Error("the internal maintenance window was exported")
	}
	if !strings.Contains(string(first["index.html"]), "Scheduled maintenance") || !strings.Contains(string(first["index.html"]), "Database upgrade") {
		t.Error("the page does not show the scheduled maintenance")
	}
	for _, id := range f.publicIncidents(t) {
		if _, ok := first[web.FilePath(f.incidentPath(id))]; !ok {
			t.Errorf("incident %d was not exported", id)
		}
	}
	if _, err := site.Export(context.Background(), dir, now); err != nil {
		t.Fatal(err)
	}
	second := readTree(t, dir)
	if len(first) != len(second) {
		t.Fatalf("%d files, then %d", len(first), len(second))
	}
	for name, body := range first {
		if !bytes.Equal(body, second[name]) {
			t.Errorf("%s differs between two exports of the same data", name)
		}
	}
	entries, _ := os.ReadDir(parent)
	if len(entries) != 1 {
		t.Errorf("the export left %d entries beside the site", len(entries))
	}
}

func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		body, err := os.ReadFile(p)
		out[filepath.ToSlash(rel)] = body
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestHistoryPages(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// 120 more resolved public incidents make three pages of 50.
	for i := range 120 {
		inc, err := f.st.OpenIncident(ctx, actor, store.NewIncident{Title: fmt.Sprintf("Bulk %03d", i), Message: "m"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.st.PostUpdate(ctx, actor, inc.ID, store.NewUpdate{Status: store.Fixed, Message: "ok"}); err != nil {
			t.Fatal(err)
		}
	}
	_, h := f.server(t, web.Config{})
	// /history is a full page of the newest, though page 3 (paged from the oldest) is short.
	last := get(h, "GET", "/history")
	body := last.Body.String()
	if n := strings.Count(body, `<li class="incident-line">`); last.Code != 200 || n != 50 {
		t.Fatalf("/history: %d, %d incidents, want the newest 50", last.Code, n)
	}
	if !strings.Contains(body, "Bulk 119") || !strings.Contains(body, "Bulk 070") || strings.Contains(body, "Bulk 069") ||
		!strings.Contains(body, `href="/history/2"`) || strings.Contains(body, "/history/4") || !strings.Contains(body, "The newest; 3 pages in all") {
		t.Errorf("newest page:\n%s", body)
	}
	if third := get(h, "GET", "/history/3").Body.String(); !strings.Contains(third, "Bulk 119") || strings.Count(third, `<li class="incident-line">`) >= 50 {
		t.Errorf("page 3:\n%s", third)
	}
	if oldest := get(h, "GET", "/history/1").Body.String(); strings.Contains(oldest, "Bulk 119") || !strings.Contains(oldest, `href="/history/2"`) {
		t.Errorf("oldest page:\n%s", oldest)
	}
	if w := get(h, "GET", "/history/4"); w.Code != 404 {
		t.Errorf("/history/4: %d", w.Code)
	}
	// The export draws its pages on every core; each is still the server's.
	site, err := web.New(f.st, nil, web.Config{})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "site")
	if _, err := site.Export(ctx, dir, time.Now()); err != nil {
		t.Fatal(err)
	}
	for _, route := range []string{"/history", "/history/1", "/history/2", "/history/3"} {
		file, err := os.ReadFile(filepath.Join(dir, web.FilePath(route)))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(file, get(h, "GET", route).Body.Bytes()) {
			t.Errorf("the exported %s differs from the server's", route)
		}
	}
}

func webUpdate(msg string) store.NewUpdate {
	return store.NewUpdate{Status: store.Fixed, Message: msg}
}

// TestEventsOnlyForPublicChanges: a write only responders can see (an update to an internal
// incident) wakes no open page, so readers cannot tell when internal work happens; a public
// change does, and its event counts only the changes the public saw.
func TestEventsOnlyForPublicChanges(t *testing.T) {
	f := newFixture(t)
	srv, h := f.server(t, web.Config{})
	ctx := context.Background()
	waitHandled := func(after uint64) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			if handled, _ := srv.Versions(); handled > after {
				return
			}
			if time.Now().After(deadline) {
				t.Fatal("the server did not handle the change")
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	waitHandled(0)
	handled, shown := srv.Versions()
	serving := srv.Serving()
	if _, err := f.st.PostUpdate(ctx, actor, f.internal[0], store.NewUpdate{Status: store.Watching, Message: "Quietly " + marker}); err != nil {
		t.Fatal(err)
	}
	waitHandled(handled)
	if _, after := srv.Versions(); after != shown {
		t.Fatalf("an internal update counted as a public change (%d → %d)", shown, after)
	}
	// Nor does it replace the renderings readers get, which a slower first answer would show.
	if now := srv.Serving(); now != serving {
		t.Errorf("an internal update started a new version of the site (%d → %d)", serving, now)
	}

	ts := httptest.NewServer(h)
	defer ts.Close()
	resp, err := http.Get(ts.URL + "/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	deadline := time.Now().Add(10 * time.Second)
	for srv.Watchers() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	c, _ := f.st.ComponentByName(ctx, "Website")
	if err := f.st.SetComponentStatus(ctx, actor, c.ID, store.MajorOutage); err != nil {
		t.Fatal(err)
	}
	got := firstChangeEvent(resp.Body)
	select {
	case s := <-got:
		if want := fmt.Sprintf("event: change\ndata: %d\n\n", shown+1); !strings.Contains(s, want) {
			t.Fatalf("stream %q, want %q", s, want)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no change event for a public change")
	}
	if now := srv.Serving(); now == serving {
		t.Errorf("a public change left the site at version %d", now)
	}
	srv.Shutdown()
}

// TestWindowCardSaysWhatRespondersWrote: a window the clock started shows, on the page, what
// its responders announced, not the line Beacon wrote at its start.
func TestWindowCardSaysWhatRespondersWrote(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	start := time.Now().Add(-time.Minute)
	if _, err := f.st.AddMaintenance(ctx, actor, store.NewMaintenance{
		Title: "Mail relay swap", Message: "Mail may queue for a few minutes.", StartsAt: start, EndsAt: start.Add(time.Hour),
		Components: []int64{f.dns},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.RecordBoundaries(ctx); err != nil {
		t.Fatal(err)
	}
	_, h := f.server(t, web.Config{})
	page := get(h, http.MethodGet, "/").Body.String()
	_, inWork, ok := strings.Cut(page, "Maintenance in progress")
	if !ok {
		t.Fatalf("no maintenance in progress on the page:\n%s", page)
	}
	inWork, _, _ = strings.Cut(inWork, "</section>")
	if !strings.Contains(inWork, "Mail may queue for a few minutes.") || strings.Contains(inWork, "has started") {
		t.Errorf("the window's card:\n%s", inWork)
	}
}

// TestAPIForOtherSites: the API answers scripts on any origin, as Statuspage's does, and a
// path under it that names nothing is a 404 in JSON; the pages allow no other origin.
func TestAPIForOtherSites(t *testing.T) {
	f := newFixture(t)
	_, h := f.server(t, web.Config{})
	for _, tc := range []struct {
		path, origin string
		code         int
	}{
		{"/api/v2/summary.json", "*", 200},
		{"/api/v2/status.json", "*", 200},
		{"/api/v2/nothing.json", "*", 404},
		{"/", "", 200},
		{"/history.atom", "", 200},
		{"/nothing", "", 404},
	} {
		w := get(h, http.MethodGet, tc.path)
		checkSecurityHeaders(t, w.Header())
		if w.Code != tc.code || w.Header().Get("Access-Control-Allow-Origin") != tc.origin {
			t.Errorf("%s: %d, Access-Control-Allow-Origin %q; want %d, %q", tc.path, w.Code, w.Header().Get("Access-Control-Allow-Origin"), tc.code, tc.origin)
		}
		if strings.HasPrefix(tc.path, "/api/") && tc.code == 404 {
			var body struct{ Error string }
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || body.Error == "" || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
				t.Errorf("%s: %q %q (%v)", tc.path, w.Header().Get("Content-Type"), w.Body.String(), err)
			}
		}
	}
}

// TestPastDaysListFinishedMaintenanceAndOngoingIncidents: a window finished today is listed
// under today with what it did, and a day whose incidents are still in progress does not say
// "No incidents reported".
func TestPastDaysListFinishedMaintenanceAndOngoingIncidents(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	start := time.Now().Add(-time.Minute)
	w, err := f.st.AddMaintenance(ctx, actor, store.NewMaintenance{
		Title: "Kernel patching", Message: "Hosts reboot one by one.", StartsAt: start, EndsAt: start.Add(time.Hour),
		Components: []int64{f.dns},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.RecordBoundaries(ctx); err != nil {
		t.Fatal(err)
	}
	if err := f.st.FinishMaintenance(ctx, actor, w.ID, "All hosts patched."); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.OpenIncident(ctx, actor, store.NewIncident{Title: "Slow search", Message: "Looking.",
		Impacts: []store.SetImpact{{ComponentID: f.dns, Status: store.PerformanceIssues}}}); err != nil {
		t.Fatal(err)
	}
	_, h := f.server(t, web.Config{})
	page := get(h, http.MethodGet, "/").Body.String()
	_, past, ok := strings.Cut(page, `<h2 id="past-h">`)
	if !ok {
		t.Fatal("no past incidents on the page")
	}
	_, today, _ := strings.Cut(past, `<section class="day">`)
	today, _, _ = strings.Cut(today, "</section>")
	for _, want := range []string{"Kernel patching", "Completed", "All hosts patched."} {
		if !strings.Contains(today, want) {
			t.Errorf("today lacks %q:\n%s", want, today)
		}
	}
	if strings.Contains(today, "No incidents reported") {
		t.Errorf("today says no incidents while one is in progress:\n%s", today)
	}
}

// TestTodayFollowsTheStatus: a component put in outage after the hour's count shows today's
// bar in outage at once, not calm until the hour turns; and it stays so once the component
// has recovered, since the day did see the outage.
func TestTodayFollowsTheStatus(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, h := f.server(t, web.Config{})
	website := func() string {
		page := get(h, http.MethodGet, "/").Body.String()
		_, rest, ok := strings.Cut(page, `<span class="component-name">Website</span>`)
		if !ok {
			t.Fatalf("no Website on the page")
		}
		rest, _, _ = strings.Cut(rest, `</div>`)
		return rest
	}
	strip := func() string {
		rest := website()
		return rest[strings.LastIndex(rest, "<span "):]
	}
	if last := strip(); !strings.Contains(last, `class="u-operational`) {
		t.Fatalf("Website's last bar before the outage: %s", last)
	}
	c, _ := f.st.ComponentByName(ctx, "Website")
	if err := f.st.SetComponentStatus(ctx, actor, c.ID, store.MajorOutage); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		last := strip()
		if strings.Contains(last, `class="u-major_outage w1"`) && strings.Contains(last, "Major outage") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("today's bar after the outage: %s", last)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := f.st.SetComponentStatus(ctx, actor, c.ID, store.Operational); err != nil {
		t.Fatal(err)
	}
	for !strings.Contains(website(), `class="status s-operational"`) {
		if time.Now().After(deadline) {
			t.Fatalf("Website never recovered on the page: %s", website())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if last := strip(); !strings.Contains(last, `class="u-major_outage w1"`) {
		t.Errorf("today's bar once Website recovered, the same hour: %s", last)
	}
}
