package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Loader fills an empty database fast, for demo and scale data sets: rows go in through
// prepared statements in one transaction (an interrupted load leaves the file empty), and one
// audit entry records the whole load instead of one per row. History rows are the caller's to
// write (StatusChange).
type Loader struct {
	ctx     context.Context
	conn    *sql.Conn
	stmts   map[string]*sql.Stmt
	pending int
	since   time.Time
}

// Since sets when the groups and components added after it were created (by default, when
// they are added): a data set whose history starts in the past should say so, because uptime
// is observed from a component's creation.
func (l *Loader) Since(t time.Time) { l.since = t }

func (l *Loader) created() int64 {
	if l.since.IsZero() {
		return ms(time.Now())
	}
	return ms(l.since)
}

// HistoricIncident is a past (or ongoing) incident with its whole timeline, oldest update first.
type HistoricIncident struct {
	Title      string
	Visibility Visibility
	Pinned     bool
	Impacts    []SetImpact
	Updates    []HistoricUpdate
}

// HistoricUpdate is one entry of a HistoricIncident's timeline.
type HistoricUpdate struct {
	Status  IncidentStatus
	Message string
	Author  string
	At      time.Time
}

const loadBatch = 20000

// Load runs fn with a Loader on an empty database, then recomputes every effective status and
// commits. It refuses a database that already holds data.
func (s *Store) Load(ctx context.Context, actor Actor, what string, fn func(*Loader) error) error {
	if actor.ReadOnly {
		return ErrReadOnly
	}
	w, err := s.writer()
	if err != nil {
		return err
	}
	conn, err := w.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	l := &Loader{ctx: ctx, conn: conn, stmts: map[string]*sql.Stmt{}}
	defer func() {
		for _, st := range l.stmts {
			st.Close()
		}
	}()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return err
	}
	err = func() error {
		// Checked under the write lock, so two loads at once cannot both see an empty file.
		var n int
		if err := conn.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM groups) + (SELECT count(*) FROM components) + (SELECT count(*) FROM incidents)`).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return &ConflictError{fmt.Sprintf("%s already holds data; %s fills only an empty database (use --db to pick a new file)", s.path, what)}
		}
		if err := fn(l); err != nil {
			return err
		}
		ids, err := l.componentIDs()
		if err != nil {
			return err
		}
		// The caller wrote the history; only bring effective statuses in line.
		if err := refreshEffective(ctx, conn, time.Now(), ids, cause{}); err != nil {
			return err
		}
		if err := rebuildTotals(ctx, conn); err != nil {
			return err
		}
		_, err = l.exec(`INSERT INTO audit (at, actor, action, subject, detail) VALUES (?, ?, 'load', ?, '')`,
			ms(time.Now()), actor.Name, what)
		return err
	}()
	if err != nil {
		_, _ = conn.ExecContext(context.Background(), "ROLLBACK")
		return err
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return err
	}
	s.notify()
	return nil
}

func (l *Loader) componentIDs() ([]int64, error) {
	return queryIDs(l.ctx, l.conn, `SELECT id FROM components`)
}

func (l *Loader) exec(query string, args ...any) (sql.Result, error) {
	st, ok := l.stmts[query]
	if !ok {
		var err error
		if st, err = l.conn.PrepareContext(l.ctx, query); err != nil {
			return nil, err
		}
		l.stmts[query] = st
	}
	l.pending++
	return st.ExecContext(l.ctx, args...)
}

func (l *Loader) insert(query string, args ...any) (int64, error) {
	res, err := l.exec(query, args...)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// flush is where a long load notices that it was cancelled.
func (l *Loader) flush() error {
	if l.pending < loadBatch {
		return nil
	}
	l.pending = 0
	return l.ctx.Err()
}

// Group adds a group at the given position.
func (l *Loader) Group(name string, position int, collapse Collapse) (int64, error) {
	name, err := CleanName("name", name)
	if err != nil {
		return 0, err
	}
	now := ms(time.Now())
	return l.insert(`INSERT INTO groups (name, position, collapse, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
		name, position, collapse, l.created(), now)
}

// Component adds a component with its own status; groupID 0 means no group.
func (l *Loader) Component(groupID int64, position int, name, description string, own Status) (int64, error) {
	name, err := CleanName("name", name)
	if err != nil {
		return 0, err
	}
	if !own.Valid() {
		return 0, invalid("status", "unknown status %q", own)
	}
	var group any
	if groupID != 0 {
		group = groupID
	}
	now := ms(time.Now())
	return l.insert(`INSERT INTO components (name, description, group_id, position, status, effective_status, public_status, created_at, updated_at, public_updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, name, description, group, position, own, own, own, l.created(), now, now)
}

// Incident adds an incident with its timeline and returns its id and its updates' ids, oldest
// first; its status is that of its newest update and it is resolved at that update's time when
// the status is fixed.
func (l *Loader) Incident(h HistoricIncident) (id int64, updates []int64, err error) {
	if len(h.Updates) == 0 {
		return 0, nil, errors.New("an incident needs at least one update")
	}
	title, err := CleanTitle(h.Title)
	if err != nil {
		return 0, nil, err
	}
	if h.Visibility == "" {
		h.Visibility = Public
	}
	first, last := h.Updates[0], h.Updates[len(h.Updates)-1]
	var resolved any
	if last.Status == Fixed {
		resolved = ms(last.At)
	}
	id, err = l.insert(`INSERT INTO incidents (title, status, visibility, pinned, occurred_at, created_at, updated_at, resolved_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, title, last.Status, h.Visibility, h.Pinned, ms(first.At), ms(first.At), ms(last.At), resolved)
	if err != nil {
		return 0, nil, err
	}
	updates = make([]int64, 0, len(h.Updates))
	for _, u := range h.Updates {
		msg, err := CleanMessage(u.Message)
		if err != nil {
			return 0, nil, err
		}
		uid, err := l.insert(`INSERT INTO updates (incident_id, status, message, author, created_at) VALUES (?, ?, ?, ?, ?)`,
			id, u.Status, msg, u.Author, ms(u.At))
		if err != nil {
			return 0, nil, err
		}
		updates = append(updates, uid)
	}
	for _, m := range h.Impacts {
		if !m.Status.IsImpact() {
			return 0, nil, invalid("impact", "unknown impact %q", m.Status)
		}
		if _, err := l.exec(`INSERT INTO impacts (incident_id, component_id, status, worst) VALUES (?, ?, ?, ?)`, id, m.ComponentID, m.Status, m.Status); err != nil {
			return 0, nil, err
		}
		if _, err := l.exec(`INSERT INTO update_impacts (update_id, component_id, old_status, new_status) VALUES (?, ?, NULL, ?)`,
			updates[0], m.ComponentID, m.Status); err != nil {
			return 0, nil, err
		}
	}
	return id, updates, l.flush()
}

// HistoricMove is a past move of a component's status, as seen by responders (Old → New) and
// by the public (OldPublic → NewPublic; the same as the responders' unless an internal
// incident made them differ), caused by an incident's update or (IncidentID 0) by hand.
type HistoricMove struct {
	ComponentID          int64
	At                   time.Time
	Old, New             Status
	OldPublic, NewPublic Status
	IncidentID, UpdateID int64
}

// StatusChange records a past move of a component's status in the history, one row for
// each audience whose status moved.
func (l *Loader) StatusChange(m HistoricMove) error {
	var inc, upd any
	cause := "manual"
	if m.IncidentID != 0 {
		inc, upd, cause = m.IncidentID, m.UpdateID, "incident"
	}
	for _, mv := range []struct {
		a        Audience
		old, new Status
	}{{Responders, m.Old, m.New}, {ThePublic, m.OldPublic, m.NewPublic}} {
		if mv.old == mv.new {
			continue
		}
		_, err := l.exec(`INSERT INTO status_changes (component_id, at, old_status, new_status, cause, incident_id, update_id, audience) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			m.ComponentID, ms(m.At), mv.old, mv.new, cause, inc, upd, mv.a.String())
		if err != nil {
			return err
		}
	}
	return l.flush()
}

// HistoricMaintenance is a maintenance window for a Loader: a past one (its boundaries taken
// as written, its history the caller's to write) or a scheduled one.
type HistoricMaintenance struct {
	Title      string
	Visibility Visibility
	StartsAt   time.Time
	EndsAt     time.Time
	Components []int64
	Message    string
	Author     string
}

// Maintenance adds a window with its first timeline entry and returns its id.
func (l *Loader) Maintenance(h HistoricMaintenance, now time.Time) (int64, error) {
	title, err := CleanTitle(h.Title)
	if err != nil {
		return 0, err
	}
	if !h.EndsAt.After(h.StartsAt) {
		return 0, invalid("end", "must be after the start")
	}
	if h.Visibility == "" {
		h.Visibility = Public
	}
	past := !h.EndsAt.After(now)
	// Announced a day ahead, or now for one that starts sooner; a window yet to end was last
	// changed then, never in the future.
	announced := h.StartsAt.Add(-24 * time.Hour)
	if announced.After(now) {
		announced = now
	}
	updated := h.EndsAt
	if !past {
		updated = announced
	}
	id, err := l.insert(`INSERT INTO maintenances (title, visibility, starts_at, ends_at, planned_ends_at, reminded, started, ended,
		created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		title, h.Visibility, ms(h.StartsAt), ms(h.EndsAt), ms(h.EndsAt), past, past, past, ms(announced), ms(updated))
	if err != nil {
		return 0, err
	}
	if _, err := l.exec(`UPDATE maintenances SET series_id = id WHERE id = ?`, id); err != nil {
		return 0, err
	}
	for _, c := range h.Components {
		if _, err := l.exec(`INSERT OR IGNORE INTO maintenance_components (maintenance_id, component_id) VALUES (?, ?)`, id, c); err != nil {
			return 0, err
		}
	}
	if _, err := l.exec(`INSERT INTO maintenance_updates (maintenance_id, status, message, author, created_at) VALUES (?, ?, ?, ?, ?)`,
		id, MaintenanceScheduled, h.Message, h.Author, ms(announced)); err != nil {
		return 0, err
	}
	return id, l.flush()
}
