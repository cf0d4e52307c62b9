// Package web is Beacon's public status site: the status page, an incident's timeline, the
// history, Statuspage's JSON API, Atom and RSS feeds and a badge, all rendered from what the
// public may see (never an internal incident). The same renderings are served live over HTTP
// (Server) and written as static files (Export), so one Beacon keeps the writes while any web
// server, object store or CDN can carry the reads.
package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"html/template"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"beacon/publicid"
	"beacon/store"
)

// Config is what a Site shows besides the data.
type Config struct {
	Title   string // the page's name; DefaultTitle when empty
	BaseURL string // where the site is reached, as used in feeds and the API ("" keeps links relative)
}

// DefaultTitle names the page when Config.Title is empty.
const DefaultTitle = "Status"

// Site renders the public site from a store. Safe for concurrent use.
type Site struct {
	st    *store.Store // bulk reads of public incidents
	pub   store.Reader // everything else, as the public sees it
	title string
	base  string // BaseURL without a trailing slash
	path  string // the path part of base: every link on the site starts with it
	md    *markdown
	tmpl  *templates
	ids   *publicid.Codec // the public ids of incidents, updates and windows, under the database's key

	incidentHref string // the escaped link to an incident's page, but for its public id

	incidentFrame incidentFrame // the layout of an incident page, drawn once

	uptimeCache struct {
		mu      sync.Mutex
		clock   time.Time               // the hour the records were counted up to
		records map[int64]template.HTML // each component's strip, drawn
		counted map[int64]store.Uptime  // the records the strips were drawn from
	}
}

// CheckBaseURL says why raw cannot be a site's base URL, or nil when it can (or is empty).
func CheckBaseURL(raw string) error {
	_, _, err := parseBaseURL(raw)
	return err
}

// parseBaseURL returns raw without its trailing slash, and its path.
func parseBaseURL(raw string) (base, path string, err error) {
	base = strings.TrimRight(strings.TrimSpace(raw), "/")
	if base == "" {
		return "", "", nil
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", "", errors.New("the base URL must be an absolute http or https address, like https://status.example.com")
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || u.User != nil {
		return "", "", errors.New("the base URL is where the site is reached: an http or https address with no user, query or fragment, like https://status.example.com")
	}
	return base, u.Path, nil
}

// New builds a site over st. Reads of the dashboard go through sn when it is not nil, so a
// process that also serves SSH reads it once per change for both.
func New(st *store.Store, sn *store.Snapshots, cfg Config) (*Site, error) {
	base, path, err := parseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	title := strings.TrimSpace(cfg.Title)
	if title == "" {
		title = DefaultTitle
	}
	var r store.Reader = st
	if sn != nil {
		r = sn
	}
	s := &Site{st: st, pub: store.PublicOnly(r), title: title, base: base, path: path, md: newMarkdown()}
	if st != nil {
		key, err := st.PublicIDKey(context.Background())
		if err != nil {
			return nil, err
		}
		if s.ids, err = publicid.New(key); err != nil {
			return nil, err
		}
	}
	if s.incidentHref, err = escapedHref(s.link("/incidents/")); err != nil {
		return nil, err
	}
	if s.tmpl, err = s.pageTemplates(); err != nil {
		return nil, err
	}
	return s, nil
}

// escapedHref is link as the templates write it in an href. The escaping goes character by
// character, so the link with a public id appended (letters and digits, which need no
// escaping) is this and the id.
func escapedHref(link string) (string, error) {
	t, err := template.New("href").Parse(`<a href="{{.}}">`)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := t.Execute(&b, link); err != nil {
		return "", err
	}
	return strings.TrimSuffix(strings.TrimPrefix(b.String(), `<a href="`), `">`), nil
}

// Response is one rendered resource: the same bytes for every reader of one data version.
type Response struct {
	Status      int
	ContentType string
	Body        []byte
	ETag        string // a strong validator of Body, quoted

	// The header values the server sends with it, made once rather than for every request.
	headers sentHeaders

	gzipOnce    sync.Once
	gzip        []byte // Body compressed, when that is worth it
	gzipHeaders sentHeaders
}

// sentHeaders are the values of the headers that describe one body, as a header map holds
// them. They are shared by every response that sends the body, so never appended to.
type sentHeaders struct {
	contentType, contentLength, etag []string
}

func newSentHeaders(contentType string, body []byte, etag string) sentHeaders {
	return sentHeaders{
		contentType:   []string{contentType},
		contentLength: []string{strconv.Itoa(len(body))},
		etag:          []string{etag},
	}
}

func newResponse(status int, contentType string, body []byte) *Response {
	sum := sha256.Sum256(body)
	etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
	return &Response{
		Status:      status,
		ContentType: contentType,
		Body:        body,
		ETag:        etag,
		headers:     newSentHeaders(contentType, body, etag),
	}
}

// gzipWriters are reused: a compressor's state is large to make and small to reset.
var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.BestCompression)
	return zw
}}

// Gzipped is Body compressed, made on first use (the export never needs it); nil when the
// body is too small to gain from it.
func (r *Response) Gzipped() []byte {
	r.gzipOnce.Do(func() {
		if len(r.Body) < 1024 {
			return
		}
		var buf bytes.Buffer
		zw := gzipWriters.Get().(*gzip.Writer)
		zw.Reset(&buf)
		zw.Write(r.Body)
		zw.Close()
		gzipWriters.Put(zw)
		if buf.Len() < len(r.Body) {
			r.gzip = buf.Bytes()
			r.gzipHeaders = newSentHeaders(r.ContentType, r.gzip, strings.TrimSuffix(r.ETag, `"`)+`-gz"`)
		}
	})
	return r.gzip
}

// lazy is one read made at most once for a view, however many renderings need it; a failed
// read is made again by the next caller.
type lazy[T any] struct {
	mu  sync.Mutex
	ok  bool
	val T
}

func (l *lazy[T]) get(read func() (T, error)) (T, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ok {
		return l.val, nil
	}
	v, err := read()
	if err != nil {
		return v, err
	}
	l.val, l.ok = v, true
	return v, nil
}

// view is the site's data at one version in one hour: the reads that several renderings share
// are made once, when first needed. What depends on the clock is computed at the start of the
// hour, so the same data gives the same bytes all hour long.
type view struct {
	site  *Site
	clock time.Time // the start of the hour the view is for: uptime is counted up to it
	day   time.Time // midnight UTC of that hour's day: the 14 days of history end with it

	current    lazy[current]
	uptime     lazy[strips]
	today      lazy[map[int64]store.Status]
	recent     lazy[[]store.IncidentDetail]
	latest     lazy[[]store.IncidentDetail]
	history    lazy[[]int64]
	windowList lazy[[]store.Maintenance] // the newest windows of every state, for the API and the last days
}

// current is what is happening now, as the public sees it.
type current struct {
	dash      store.Dashboard // public only; disabled components left out
	timelines map[int64][]store.Update
	byID      map[int64]store.Component
}

func (s *Site) newView(now time.Time) *view {
	now = now.UTC()
	return &view{site: s, clock: now.Truncate(time.Hour), day: time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)}
}

func (v *view) now(ctx context.Context) (current, error) {
	return v.current.get(func() (current, error) {
		d, err := v.site.pub.Dashboard(ctx)
		if err != nil {
			return current{}, err
		}
		enabled := make([]store.Component, 0, len(d.Components))
		byID := make(map[int64]store.Component, len(d.Components))
		for _, c := range d.Components {
			if c.Enabled {
				enabled = append(enabled, c)
				byID[c.ID] = c
			}
		}
		d.Components = enabled
		ids := make([]int64, len(d.Unresolved))
		for i, inc := range d.Unresolved {
			ids[i] = inc.ID
		}
		details, err := v.site.st.IncidentDetails(ctx, ids)
		if err != nil {
			return current{}, err
		}
		timelines := make(map[int64][]store.Update, len(details))
		for _, det := range details {
			if det.Visibility == store.Public {
				timelines[det.ID] = det.Updates
			}
		}
		return current{dash: d, timelines: timelines, byID: byID}, nil
	})
}

// uptimeDays is how long the page's uptime record of a component is.
const uptimeDays = store.DefaultUptimeDays

// uptimes are the strips of the public's uptime records of every enabled component, by
// component id, over
// the uptimeDays up to the view's hour, days cut at midnight UTC. Counted up to the start of
// the hour, a record does not change with the data until the hour turns (a write dated back
// with --at shows then), so the site computes all of them once an hour, the costly part of
// the page, and reads only those of components it has not seen yet.
func (v *view) uptimes(ctx context.Context) (strips, error) {
	return v.uptime.get(func() (strips, error) {
		cur, err := v.now(ctx)
		if err != nil {
			return strips{}, err
		}
		c := &v.site.uptimeCache
		c.mu.Lock()
		defer c.mu.Unlock()
		var missing []int64
		if c.clock.Equal(v.clock) {
			for id := range cur.byID {
				if _, ok := c.records[id]; !ok {
					missing = append(missing, id)
				}
			}
			if len(missing) == 0 {
				return strips{c.records, c.counted}, nil
			}
		}
		rep, err := v.site.pub.Uptime(ctx, store.UptimeQuery{
			Audience: store.ThePublic, Days: uptimeDays, Location: time.UTC,
			PartialWeight: store.DefaultPartialWeight, Now: v.clock, Components: missing,
		})
		if err != nil {
			return strips{}, err
		}
		out := make(map[int64]template.HTML, len(cur.byID))
		counted := make(map[int64]store.Uptime, len(cur.byID))
		if missing != nil {
			maps.Copy(out, c.records)
			maps.Copy(counted, c.counted)
		}
		for _, u := range rep.Components {
			out[u.ComponentID] = newStrip(u).html()
			counted[u.ComponentID] = u
		}
		c.clock, c.records, c.counted = v.clock, out, counted
		return strips{out, counted}, nil
	})
}

// todayWorst is each component's worst public status so far today, up to now (the time of
// the data read): the hour's record does not hold what happened since the hour began, and a
// reader must not see a calm day under an incident that day. It is only the worst status, which
// the data decides alone; the percentages stay the hour's, so the same data still gives the
// same page all hour long.
func (v *view) todayWorst(ctx context.Context, now time.Time) (map[int64]store.Status, error) {
	return v.today.get(func() (map[int64]store.Status, error) {
		rep, err := v.site.pub.Uptime(ctx, store.UptimeQuery{
			Audience: store.ThePublic, Days: 1, Location: time.UTC,
			PartialWeight: store.DefaultPartialWeight, Now: now,
		})
		if err != nil {
			return nil, err
		}
		worst := make(map[int64]store.Status, len(rep.Components))
		for _, u := range rep.Components {
			if n := len(u.Days); n > 0 && u.Days[n-1].HasData() {
				worst[u.ComponentID] = u.Days[n-1].Worst
			}
		}
		return worst, nil
	})
}

// strips are the components' uptime strips as counted at the hour, and the records drawn.
type strips struct {
	html    map[int64]template.HTML
	counted map[int64]store.Uptime
}

// now is a component's strip with today's day at least as bad as status (the worst it has
// been today, now included): the record is counted up to the hour, and a reader must not see
// a component in outage beside a calm day. Only such components are drawn again.
func (s strips) now(id int64, status store.Status) template.HTML {
	u, ok := s.counted[id]
	if !ok || len(u.Days) == 0 {
		return s.html[id]
	}
	today := u.Days[len(u.Days)-1]
	if !today.HasData() || store.Worst(today.Worst, status) == today.Worst {
		return s.html[id]
	}
	days := slices.Clone(u.Days)
	days[len(days)-1].Worst = store.Worst(today.Worst, status)
	u.Days = days
	return newStrip(u).html()
}

// windows is the newest maintenanceFeedLength public windows, past ones too, read once for
// the API's list and the page's last days.
func (v *view) windows(ctx context.Context) ([]store.Maintenance, error) {
	return v.windowList.get(func() ([]store.Maintenance, error) {
		return v.site.pub.Maintenances(ctx, store.MaintenanceQuery{All: true, Limit: maintenanceFeedLength})
	})
}

// recentDays is how many days of past incidents the status page lists; recentLimit bounds how
// many it shows in full (the history has the rest).
const (
	recentDays  = 14
	recentLimit = 100
)

// pastIncidents are the public incidents resolved that were created in the last recentDays days,
// newest first, at most recentLimit+1 of them (one more tells that the list was cut).
func (v *view) pastIncidents(ctx context.Context) ([]store.IncidentDetail, error) {
	return v.recent.get(func() ([]store.IncidentDetail, error) {
		ids, err := v.site.st.IncidentIDs(ctx, store.IDQuery{
			PublicOnly: true, ResolvedOnly: true, Since: v.day.AddDate(0, 0, -(recentDays - 1)), Newest: recentLimit + 1,
		})
		if err != nil {
			return nil, err
		}
		return details(ctx, v.site.st, reversed(ids))
	})
}

// feedLength is how many incidents the feeds and incidents.json carry.
const feedLength = 50

// latestIncidents are the newest public incidents, resolved or not, newest first.
func (v *view) latestIncidents(ctx context.Context) ([]store.IncidentDetail, error) {
	return v.latest.get(func() ([]store.IncidentDetail, error) {
		ids, err := v.site.st.IncidentIDs(ctx, store.IDQuery{PublicOnly: true, Newest: feedLength})
		if err != nil {
			return nil, err
		}
		return details(ctx, v.site.st, reversed(ids))
	})
}

// historyIDs are the ids of every resolved public incident, oldest first.
func (v *view) historyIDs(ctx context.Context) ([]int64, error) {
	return v.history.get(func() ([]int64, error) {
		return v.site.st.IncidentIDs(ctx, store.IDQuery{PublicOnly: true, ResolvedOnly: true})
	})
}

// details reads incidents by id and keeps only public ones: a guard against a visibility
// changed between two reads.
func details(ctx context.Context, st *store.Store, ids []int64) ([]store.IncidentDetail, error) {
	list, err := st.IncidentDetails(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := list[:0]
	for _, d := range list {
		if d.Visibility == store.Public {
			out = append(out, d)
		}
	}
	return out, nil
}

func reversed(ids []int64) []int64 {
	out := make([]int64, len(ids))
	for i, id := range ids {
		out[len(ids)-1-i] = id
	}
	return out
}

// errNotFound is a path the site has nothing at, or an incident the public may not see.
var errNotFound = errors.New("not found")

// render makes the resource at path for v.
func (v *view) render(ctx context.Context, path string) (*Response, error) {
	s := v.site
	switch path {
	case "/":
		return v.index(ctx)
	case "/history":
		return v.historyPage(ctx, 0)
	case "/history.atom":
		return v.atom(ctx)
	case "/history.rss":
		return v.rss(ctx)
	case "/badge.svg":
		return v.badge(ctx)
	case "/api/v2/summary.json":
		return v.apiSummary(ctx)
	case "/api/v2/status.json":
		return v.apiStatus(ctx)
	case "/api/v2/components.json":
		return v.apiComponents(ctx)
	case "/api/v2/incidents.json":
		return v.apiIncidents(ctx)
	case "/api/v2/incidents/unresolved.json":
		return v.apiUnresolved(ctx)
	case "/api/v2/scheduled-maintenances.json":
		return v.apiMaintenanceDoc(ctx, "all")
	case "/api/v2/scheduled-maintenances/upcoming.json":
		return v.apiMaintenanceDoc(ctx, "upcoming")
	case "/api/v2/scheduled-maintenances/active.json":
		return v.apiMaintenanceDoc(ctx, "active")
	}
	if a, ok := staticAssets()[path]; ok {
		return a, nil
	}
	if rest, ok := strings.CutPrefix(path, "/incidents/"); ok {
		id, ok := s.ids.Decode(publicid.Incident, rest)
		if !ok {
			return nil, errNotFound
		}
		list, err := details(ctx, s.st, []int64{id})
		if err != nil {
			return nil, err
		}
		if len(list) == 0 {
			return nil, errNotFound
		}
		return v.incidentPage(list[0])
	}
	if rest, ok := strings.CutPrefix(path, "/maintenance/"); ok {
		id, ok := s.ids.Decode(publicid.Maintenance, rest)
		if !ok {
			return nil, errNotFound
		}
		cur, err := v.now(ctx)
		if err != nil {
			return nil, err
		}
		return v.maintenancePage(ctx, id, cur.dash.Now)
	}
	if rest, ok := strings.CutPrefix(path, "/history/"); ok {
		n, ok := parseID(rest)
		if !ok {
			return nil, errNotFound
		}
		return v.historyPage(ctx, int(n))
	}
	return nil, errNotFound
}

// parseID reads a positive decimal number written canonically (no sign, no leading zero), so
// that one resource has one path: a page of the history.
func parseID(s string) (int64, bool) {
	if s == "" || s[0] == '0' || len(s) > 18 {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n > 0
}

// incidentPath is the path of an incident's page, by its public id; maintenancePath a
// window's. The store's numbers never reach the public: see package publicid.
func (s *Site) incidentPath(id int64) string {
	return "/incidents/" + s.ids.Encode(publicid.Incident, id)
}

func (s *Site) maintenancePath(id int64) string {
	return "/maintenance/" + s.ids.Encode(publicid.Maintenance, id)
}

// publicID is the public id of a record of kind.
func (s *Site) publicID(kind publicid.Kind, id int64) string { return s.ids.Encode(kind, id) }

// link is a path on the site as written in its pages; abs is the same as an absolute address
// when a base URL is set.
func (s *Site) link(p string) string { return s.path + p }

func (s *Site) abs(p string) string { return s.base + p }

// pageURL is the page's address as Statuspage gives it, with no trailing slash ("/" when the
// base URL is not known).
func (s *Site) pageURL() string {
	if s.base == "" {
		return "/"
	}
	return s.base
}
