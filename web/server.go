package web

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"beacon/store"
)

// Server serves a Site over HTTP. Every resource is rendered once per data version (and per
// day) and the same bytes go to every reader; a change in the store starts a new version and
// tells open pages through server-sent events. Start Run before serving.
type Server struct {
	site *Site
	now  func() time.Time

	cur     atomic.Pointer[generation]
	version atomic.Uint64
	// shown counts the changes the public could see; only those wake open pages, so that
	// writes readers cannot see (internal incidents) do not show even as a moment.
	shown       atomic.Uint64
	fingerprint [sha256.Size]byte
	handled     atomic.Uint64 // the versions advance has finished with

	mu       sync.Mutex
	watchers map[chan struct{}]struct{}
	stopped  bool
	stop     chan struct{} // closed when the server shuts down: ends every event stream
	notFound *Response
}

// generation is one data version's renderings, shared by all readers.
type generation struct {
	version uint64
	view    *view

	mu      sync.Mutex
	entries map[string]*entry
}

type entry struct {
	done chan struct{}
	resp *Response
	err  error
}

// maxEntries bounds the renderings one generation keeps; past it, resources are rendered
// for each request (only many distinct incident pages get there).
const maxEntries = 4096

// maxWatchers bounds the open event streams; more are refused with 503.
const maxWatchers = 2000

// heartbeat is how often an idle event stream gets a comment, so proxies keep it open.
const heartbeat = 25 * time.Second

// NewServer returns a server for site.
func NewServer(site *Site) (*Server, error) {
	nf, err := site.notFound()
	if err != nil {
		return nil, err
	}
	s := &Server{site: site, now: time.Now, watchers: map[chan struct{}]struct{}{}, stop: make(chan struct{}), notFound: nf}
	s.cur.Store(s.newGeneration(0))
	return s, nil
}

func (s *Server) newGeneration(version uint64) *generation {
	return &generation{version: version, view: s.site.newView(s.now()), entries: map[string]*entry{}}
}

// Run follows the store's changes until ctx ends: each one starts a new version and wakes
// the open pages. Subscribing also makes the shared reads share.
func (s *Server) Run(ctx context.Context) {
	changes, cancel := s.site.pub.Subscribe()
	defer cancel()
	// Whatever was rendered before the subscription may be older than its first notice.
	s.advance(ctx)
	for {
		select {
		case <-ctx.Done():
			return
		case _, ok := <-changes:
			if !ok {
				return
			}
			s.advance(ctx)
		}
	}
}

// advance starts a new version when what the public sees changed, and wakes the open pages.
// After a change the public cannot see, the renderings already made stay in use, so the next
// reader is not the one who waits for a new rendering. (Comparing costs the server a few
// milliseconds of work per change, public or not.)
func (s *Server) advance(ctx context.Context) {
	v := s.version.Add(1)
	defer s.handled.Store(v)
	g := s.newGeneration(v)
	fp, err := g.fingerprint(ctx, s.site.st)
	if err == nil && fp == s.fingerprint {
		return
	}
	s.cur.Store(g)
	if err == nil {
		s.fingerprint = fp
	}
	s.shown.Add(1)
	s.mu.Lock()
	for ch := range s.watchers {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
	s.mu.Unlock()
}

// generation returns the current one, starting a new one when the hour has turned.
func (s *Server) generation() *generation {
	g := s.cur.Load()
	if now := s.now().UTC(); now.Sub(g.view.clock) >= time.Hour {
		next := s.newGeneration(g.version)
		if s.cur.CompareAndSwap(g, next) {
			return next
		}
		return s.cur.Load()
	}
	return g
}

// get renders path once for g, however many readers ask at once.
func (g *generation) get(ctx context.Context, path string) (*Response, error) {
	g.mu.Lock()
	e, ok := g.entries[path]
	if ok {
		g.mu.Unlock()
		select {
		case <-e.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if e.err == nil || errors.Is(e.err, errNotFound) {
			return e.resp, e.err
		}
		return g.view.render(ctx, path) // a failed rendering is not kept
	}
	if len(g.entries) >= maxEntries {
		g.mu.Unlock()
		return g.view.render(ctx, path)
	}
	e = &entry{done: make(chan struct{})}
	g.entries[path] = e
	g.mu.Unlock()
	e.resp, e.err = g.view.render(context.WithoutCancel(ctx), path)
	if e.err != nil && !errors.Is(e.err, errNotFound) {
		g.mu.Lock()
		delete(g.entries, path)
		g.mu.Unlock()
	}
	close(e.done)
	return e.resp, e.err
}

// fingerprintPaths are the documents whose bytes change whenever the page or the recent
// incidents and windows change for the public.
var fingerprintPaths = []string{"/api/v2/summary.json", "/api/v2/incidents.json", "/api/v2/scheduled-maintenances.json"}

// fingerprint digests what the public sees in g, rendered once and kept for its readers.
func (g *generation) fingerprint(ctx context.Context, st *store.Store) ([sha256.Size]byte, error) {
	return fingerprintOf(ctx, st, func(p string) (*Response, error) { return g.get(ctx, p) })
}

// Fingerprint digests what the public sees at now: it differs after a change readers can
// see (the page, an incident or window of any age, one that stopped being public), and stays
// the same after one they cannot (an internal incident's, a webhook's).
func (s *Site) Fingerprint(ctx context.Context, now time.Time) ([sha256.Size]byte, error) {
	v := s.newView(now)
	return fingerprintOf(ctx, s.st, func(p string) (*Response, error) { return v.render(ctx, p) })
}

// fingerprintOf digests the documents of fingerprintPaths and the store's digest of every
// public incident and window, which covers those too old for the documents.
func fingerprintOf(ctx context.Context, st *store.Store, get func(path string) (*Response, error)) ([sha256.Size]byte, error) {
	h := sha256.New()
	for _, p := range fingerprintPaths {
		resp, err := get(p)
		if err != nil {
			return [sha256.Size]byte{}, err
		}
		h.Write([]byte(resp.ETag))
	}
	d, err := st.PublicDigest(ctx)
	if err != nil {
		return [sha256.Size]byte{}, err
	}
	h.Write([]byte(d))
	return [sha256.Size]byte(h.Sum(nil)), nil
}

// Headers every response carries. The policy allows nothing from anywhere but this origin,
// no inline script or style, and no framing.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// The values of the headers every answer carries, shared (never appended to): set into the
// header map directly, under their canonical names, they cost no allocation per request.
var (
	securityHeaders = []struct {
		name  string
		value []string
	}{
		{"Content-Security-Policy", []string{contentSecurityPolicy}},
		{"X-Content-Type-Options", []string{"nosniff"}},
		{"Referrer-Policy", []string{"no-referrer"}},
		{"X-Frame-Options", []string{"DENY"}},
		{"Cross-Origin-Opener-Policy", []string{"same-origin"}},
	}
	cacheControlPublic = []string{"public, max-age=30"}
	anyOrigin          = []string{"*"}
	varyEncoding       = []string{"Accept-Encoding"}
	encodingGzip       = []string{"gzip"}
)

func setSecurityHeaders(h http.Header) {
	for _, sh := range securityHeaders {
		h[sh.name] = sh.value
	}
}

// apiNotFound answers a path under /api/ that names nothing, in the API's own format.
var apiNotFound = newResponse(http.StatusNotFound, "application/json; charset=utf-8", []byte(`{"error":"not found"}`+"\n"))

// Handler is the site over HTTP: GET and HEAD only.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(s.serveHTTP)
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	setSecurityHeaders(h)
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed: this site is read-only (GET and HEAD)", http.StatusMethodNotAllowed)
		return
	}
	path := r.URL.Path
	if s.site.path != "" {
		rest, ok := strings.CutPrefix(path, s.site.path)
		if !ok || (rest != "" && rest[0] != '/') {
			s.write(w, r, s.notFound)
			return
		}
		path = rest
		if path == "" {
			path = "/"
		}
	}
	api := strings.HasPrefix(path, "/api/")
	if api {
		h["Access-Control-Allow-Origin"] = anyOrigin // widgets on other sites read the API, as Statuspage's
	}
	switch path {
	case "/healthz":
		s.health(w, r)
		return
	case "/events":
		s.events(w, r)
		return
	}
	resp, err := s.generation().get(r.Context(), path)
	switch {
	case errors.Is(err, errNotFound) && api:
		resp = apiNotFound
	case errors.Is(err, errNotFound):
		resp = s.notFound
	case err != nil:
		if r.Context().Err() != nil {
			return
		}
		h.Set("Cache-Control", "no-store")
		http.Error(w, "the status could not be read; try again shortly", http.StatusServiceUnavailable)
		return
	}
	s.write(w, r, resp)
}

// write sends resp, or 304 when the reader has it already; gzip when the reader takes it.
func (s *Server) write(w http.ResponseWriter, r *http.Request, resp *Response) {
	h := w.Header()
	h["Cache-Control"] = cacheControlPublic
	body, sent := resp.Body, &resp.headers
	if z := resp.Gzipped(); z != nil {
		h["Vary"] = varyEncoding
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			body, sent = z, &resp.gzipHeaders
			h["Content-Encoding"] = encodingGzip
		}
	}
	h["Etag"] = sent.etag
	if resp.Status == http.StatusOK && matchesETag(r.Header.Get("If-None-Match"), resp.ETag) {
		delete(h, "Content-Encoding")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h["Content-Type"] = sent.contentType
	h["Content-Length"] = sent.contentLength
	w.WriteHeader(resp.Status)
	if r.Method == http.MethodHead {
		return
	}
	// net/http sends the header with the start of a large body and then the rest: two
	// packets, and two wake-ups of the reader. Corked, they leave together.
	if c, ok := r.Context().Value(connKey{}).(syscall.RawConn); ok && len(body) > corkAbove && len(body) <= corkUpTo {
		setCork(c, true)
		w.Write(body)
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		setCork(c, false)
		return
	}
	w.Write(body)
}

// Corking pays for bodies past corkAbove, where a response would leave in more than one
// write (net/http buffers 4 kB of header and body before its first write), up to corkUpTo:
// a larger one is several packets anyway, and corked it was slower (181 kB: two thirds of the
// answers a second).
const (
	corkAbove = 3 << 10
	corkUpTo  = 48 << 10
)

// connKey keys the connection's syscall.RawConn in a request's context.
type connKey struct{}

// rawConn puts a TCP connection's syscall.RawConn in the context of its requests.
func rawConn(ctx context.Context, c net.Conn) context.Context {
	if tc, ok := c.(*net.TCPConn); ok {
		if rc, err := tc.SyscallConn(); err == nil {
			return context.WithValue(ctx, connKey{}, rc)
		}
	}
	return ctx
}

// matchesETag reports whether an If-None-Match header names etag, in either encoding.
func matchesETag(header, etag string) bool {
	if header == "" {
		return false
	}
	bare := strings.Trim(etag, `"`)
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		t = strings.Trim(t, `"`)
		if t == "*" || t == bare || t == bare+"-gz" {
			return true
		}
	}
	return false
}

func acceptsGzip(header string) bool {
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(name) != "gzip" {
			continue
		}
		q := strings.ReplaceAll(params, " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}

// health answers 200 when the status can be read, 503 when it cannot.
func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if _, err := s.generation().view.now(r.Context()); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "unavailable: the database could not be read")
		return
	}
	fmt.Fprintln(w, "ok")
}

// events streams a "change" event each time the data changes, until the reader leaves or the
// server shuts down.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	ch := make(chan struct{}, 1)
	s.mu.Lock()
	if s.stopped || len(s.watchers) >= maxWatchers {
		s.mu.Unlock()
		h.Set("Retry-After", "30")
		http.Error(w, "too many live readers; the page still works, reload it to see changes", http.StatusServiceUnavailable)
		return
	}
	s.watchers[ch] = struct{}{}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.watchers, ch)
		s.mu.Unlock()
	}()

	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{}) // the stream outlives the server's write timeout
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	fmt.Fprintf(w, "retry: 2000\n\n")
	if rc.Flush() != nil {
		return
	}
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.stop:
			return
		case <-ch:
			fmt.Fprintf(w, "event: change\ndata: %d\n\n", s.shown.Load())
		case <-tick.C:
			fmt.Fprintf(w, ": still here\n\n")
		}
		if rc.Flush() != nil {
			return
		}
	}
}

// Watchers is how many event streams are open.
func (s *Server) Watchers() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.watchers)
}

// HTTPServer is an http.Server for this site with timeouts set: a slow or idle client cannot
// hold a connection for long, while event streams lift their own write deadline.
func (s *Server) HTTPServer() *http.Server {
	hs := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    16 << 10,
		ConnContext:       rawConn,
	}
	hs.RegisterOnShutdown(s.Shutdown)
	return hs
}

// Shutdown ends every event stream, so that http.Server.Shutdown need not wait for them.
func (s *Server) Shutdown() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.stopped {
		s.stopped = true
		close(s.stop)
	}
}
