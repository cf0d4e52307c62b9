package store

import (
	"context"
	"sync"
	"time"
)

// Snapshots shares reads between the many sessions of one process (the SSH server's consoles):
// each change to the data bumps a version, and the dashboard and the first pages of resolved
// incidents are read once per version, however many sessions ask. Sessions subscribe to the
// change feed through it, so the version has moved before any of them hears of a change and
// no session is ever handed a snapshot older than the change it was told about. Values it
// returns are shared: read them, never change them. Safe for concurrent use.
type Snapshots struct {
	s *Store

	mu       sync.Mutex
	version  uint64
	upstream <-chan struct{} // the store's feed while anyone subscribes here; nil otherwise
	cancel   func()
	subs     map[chan struct{}]struct{}
	closed   bool
	dash     *shared[Dashboard]

	pages        map[IncidentQuery]*shared[[]Incident] // of pagesVersion
	pagesVersion uint64

	uptime        map[uptimeKey]*sharedUptime // of uptimeVersion
	uptimeVersion uint64
}

// shared is one read, made once for one version; done closes when it has landed.
type shared[T any] struct {
	version uint64
	done    chan struct{} // closed once val and err are set
	val     T
	err     error
}

// maxSharedPages bounds how many distinct resolved-incident pages one version keeps: sessions
// mostly ask for the same first page; the rest (filters, later pages) are read directly.
const maxSharedPages = 8

// NewSnapshots returns the shared reads of s. It costs nothing until someone subscribes.
func (s *Store) NewSnapshots() *Snapshots {
	return &Snapshots{s: s, subs: map[chan struct{}]struct{}{}, pages: map[IncidentQuery]*shared[[]Incident]{}}
}

// Subscribe is Store.Subscribe through the shared version: the channel receives a value after
// every change, once the version has moved; it closes on cancel and when the store closes.
func (sn *Snapshots) Subscribe() (changes <-chan struct{}, cancel func()) {
	ch := make(chan struct{}, 1)
	sn.mu.Lock()
	defer sn.mu.Unlock()
	if sn.closed {
		close(ch)
		return ch, func() {}
	}
	if sn.upstream == nil {
		// Nothing told of changes while nobody listened: what is kept may be stale.
		sn.version++
		up, cancelUp := sn.s.Subscribe()
		sn.upstream, sn.cancel = up, cancelUp
		go sn.relay(up)
	}
	sn.subs[ch] = struct{}{}
	return ch, func() {
		sn.mu.Lock()
		defer sn.mu.Unlock()
		if _, ok := sn.subs[ch]; !ok {
			return
		}
		delete(sn.subs, ch)
		close(ch)
		if len(sn.subs) == 0 && sn.upstream != nil {
			sn.cancel()
			sn.upstream, sn.cancel = nil, nil
		}
	}
}

// relay moves the version on each change from the store, then tells every subscriber. It ends
// when its upstream closes: by the last cancel, or because the store closed.
func (sn *Snapshots) relay(up <-chan struct{}) {
	for range up {
		sn.mu.Lock()
		sn.version++
		for ch := range sn.subs {
			select {
			case ch <- struct{}{}:
			default:
			}
		}
		sn.mu.Unlock()
	}
	sn.mu.Lock()
	defer sn.mu.Unlock()
	if sn.upstream != up {
		return // cancelled by the last subscriber leaving
	}
	sn.closed = true
	sn.upstream, sn.cancel = nil, nil
	for ch := range sn.subs {
		close(ch)
	}
	clear(sn.subs)
}

// Subscribers is how many subscriptions are open here.
func (sn *Snapshots) Subscribers() int {
	sn.mu.Lock()
	defer sn.mu.Unlock()
	return len(sn.subs)
}

// Dashboard is Store.Dashboard, read once per data version for all callers. While nobody
// subscribes it reads the store every time, since no change would be noticed.
func (sn *Snapshots) Dashboard(ctx context.Context) (Dashboard, error) {
	sn.mu.Lock()
	if sn.upstream == nil {
		sn.mu.Unlock()
		return sn.s.Dashboard(ctx)
	}
	if e := sn.dash; e != nil && e.version == sn.version && !failed(e) {
		sn.mu.Unlock()
		return wait(ctx, e)
	}
	e := &shared[Dashboard]{version: sn.version, done: make(chan struct{})}
	sn.dash = e
	sn.mu.Unlock()
	return e.load(ctx, sn.s.Dashboard)
}

// ResolvedIncidents is Store.ResolvedIncidents, read once per data version for all callers
// asking the same question.
func (sn *Snapshots) ResolvedIncidents(ctx context.Context, q IncidentQuery) ([]Incident, error) {
	read := func(ctx context.Context) ([]Incident, error) { return sn.s.ResolvedIncidents(ctx, q) }
	sn.mu.Lock()
	if sn.upstream == nil {
		sn.mu.Unlock()
		return read(ctx)
	}
	if sn.pagesVersion != sn.version {
		clear(sn.pages)
		sn.pagesVersion = sn.version
	}
	e := sn.pages[q]
	switch {
	case e != nil && !failed(e):
		sn.mu.Unlock()
		return wait(ctx, e)
	case e == nil && len(sn.pages) >= maxSharedPages:
		sn.mu.Unlock()
		return read(ctx)
	}
	e = &shared[[]Incident]{version: sn.version, done: make(chan struct{})}
	sn.pages[q] = e
	sn.mu.Unlock()
	return e.load(ctx, read)
}

// UnresolvedIncidents is Store.UnresolvedIncidents; the shared dashboard holds the same list.
func (sn *Snapshots) UnresolvedIncidents(ctx context.Context) ([]Incident, error) {
	return sn.s.UnresolvedIncidents(ctx)
}

// Incident is Store.Incident, read directly each time.
func (sn *Snapshots) Incident(ctx context.Context, id int64) (IncidentDetail, error) {
	return sn.s.Incident(ctx, id)
}

// Maintenances is Store.Maintenances, read directly.
func (sn *Snapshots) Maintenances(ctx context.Context, q MaintenanceQuery) ([]Maintenance, error) {
	return sn.s.Maintenances(ctx, q)
}

// Maintenance is Store.Maintenance, read directly.
func (sn *Snapshots) Maintenance(ctx context.Context, id int64) (MaintenanceDetail, error) {
	return sn.s.Maintenance(ctx, id)
}

// load makes the read for everyone waiting on e. It is not cut short when the caller that
// happens to make it goes away: the others still want it.
func (e *shared[T]) load(ctx context.Context, read func(context.Context) (T, error)) (T, error) {
	e.val, e.err = read(context.WithoutCancel(ctx))
	close(e.done)
	return e.val, e.err
}

// failed reports whether a read that has landed failed; a failed read is tried again.
func failed[T any](e *shared[T]) bool {
	select {
	case <-e.done:
		return e.err != nil
	default:
		return false
	}
}

// wait waits for a read another caller is making, or for ctx.
func wait[T any](ctx context.Context, e *shared[T]) (T, error) {
	select {
	case <-e.done:
		return e.val, e.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// uptimeKey is the question a whole-list uptime read answers, but for when it ends.
type uptimeKey struct {
	audience Audience
	days     int
	zone     string
	weight   float64
}

// sharedUptimeAge is how long a shared uptime record is handed out while nothing changes:
// the period's end moves on, and an outage under way grows.
const sharedUptimeAge = time.Minute

// Uptime is Store.Uptime. The record of every component (the Components list of each session)
// is read once per data version and minute for all callers asking the same question; the
// record of a few components is read for each caller.
func (sn *Snapshots) Uptime(ctx context.Context, q UptimeQuery) (UptimeReport, error) {
	read := func(ctx context.Context) (UptimeReport, error) { return sn.s.Uptime(ctx, q) }
	if len(q.Components) > 0 {
		return read(ctx)
	}
	loc := q.Location
	if loc == nil {
		loc = time.Local
	}
	k := uptimeKey{q.Audience, q.Days, loc.String(), q.PartialWeight}
	now := sn.s.now()
	sn.mu.Lock()
	if sn.upstream == nil {
		sn.mu.Unlock()
		return read(ctx)
	}
	if sn.uptime == nil || sn.uptimeVersion != sn.version {
		sn.uptime, sn.uptimeVersion = map[uptimeKey]*sharedUptime{}, sn.version
	}
	if e := sn.uptime[k]; e != nil && !failed(&e.shared) && now.Sub(e.at) < sharedUptimeAge {
		sn.mu.Unlock()
		return wait(ctx, &e.shared)
	}
	e := &sharedUptime{shared: shared[UptimeReport]{version: sn.version, done: make(chan struct{})}, at: now}
	sn.uptime[k] = e
	sn.mu.Unlock()
	return e.load(ctx, read)
}

// sharedUptime is an uptime record shared between sessions, read at a time.
type sharedUptime struct {
	shared[UptimeReport]
	at time.Time
}

// ComponentIncidents is Store.ComponentIncidents, read for each caller.
func (sn *Snapshots) ComponentIncidents(ctx context.Context, componentID int64, limit int) ([]Incident, error) {
	return sn.s.ComponentIncidents(ctx, componentID, limit)
}

// AuditLog is Store.AuditLog, read for each caller: the trail is read rarely, by few.
func (sn *Snapshots) AuditLog(ctx context.Context, q AuditQuery) ([]AuditEntry, error) {
	return sn.s.AuditLog(ctx, q)
}
