package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"beacon/sanitize"
)

// Visibility says who may read an incident.
type Visibility string

// Visibilities.
const (
	Public   Visibility = "public"
	Internal Visibility = "internal"
)

// Impact is the status an incident imposes on one component, and the worst it imposed there.
type Impact struct {
	ComponentID   int64
	ComponentName string
	Status        Status
	// Worst is the most severe status the incident imposed on the component at any time: its
	// record, which a lowered impact does not lower. Never less severe than Status.
	Worst Status
}

// Peak is the worst status the incident imposed on the component: Worst, or Status where
// Worst is not known (an Impact built by hand).
func (m Impact) Peak() Status { return Worst(m.Status, m.Worst) }

// Incident is something that should not happen but did, with the components it affects.
type Incident struct {
	ID         int64
	Title      string
	Status     IncidentStatus
	Visibility Visibility
	Pinned     bool
	OccurredAt time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time
	ResolvedAt time.Time // zero while unresolved
	Impacts    []Impact
	// Lifted are the components the incident affected earlier and no longer does, each with
	// the worst status it imposed there (as Status and Worst): part of its record, not of what
	// it holds now.
	Lifted []Impact
}

// Affected is every component the incident affects or affected, by name: its impacts, then
// the lifted ones.
func (i Incident) Affected() []Impact {
	if len(i.Lifted) == 0 {
		return i.Impacts
	}
	all := make([]Impact, 0, len(i.Impacts)+len(i.Lifted))
	return append(append(all, i.Impacts...), i.Lifted...)
}

// Resolved reports whether the newest update said fixed.
func (i Incident) Resolved() bool { return !i.ResolvedAt.IsZero() }

// PeakImpact is the incident's impact wherever one is shown (lists, pages, the APIs, feeds,
// webhooks): the worst status it imposed on any component at any time, impacts since lowered
// or lifted included, Operational when none. A resolved incident keeps it as its record; an
// unresolved one does not get milder by improving before it is fixed.
func (i Incident) PeakImpact() Status {
	w := Operational
	for _, list := range [][]Impact{i.Impacts, i.Lifted} {
		for _, m := range list {
			w = Worst(w, m.Peak())
		}
	}
	return w
}

// ImpactChange is one change an update made to what its incident imposes; "" means no impact.
type ImpactChange struct {
	ComponentID   int64
	ComponentName string
	Old, New      Status
}

// Update is one entry of an incident's timeline.
type Update struct {
	ID         int64
	IncidentID int64
	Status     IncidentStatus
	Message    string
	Author     string
	CreatedAt  time.Time
	Changes    []ImpactChange
	Effects    []Effect // what the update did to effective statuses (a fix lists who came back)
}

// Effect is one move of a component's effective status that an update caused.
type Effect struct {
	ComponentID   int64
	ComponentName string
	Old, New      Status
}

// SetImpact asks that an incident impose Status on a component; Status "" ends the impact.
type SetImpact struct {
	ComponentID int64
	Status      Status
}

// NewIncident is what OpenIncident needs.
type NewIncident struct {
	Title      string
	Message    string
	Status     IncidentStatus // investigating (default) or identified
	Visibility Visibility     // public (default) or internal
	Pinned     bool
	Impacts    []SetImpact
	At         time.Time // when it was declared, if after the fact (see NewUpdate.At); zero: now
}

// NewUpdate is what PostUpdate needs. Status fixed resolves the incident; any other status
// on a fixed incident reopens it.
type NewUpdate struct {
	Status  IncidentStatus
	Message string
	Impacts []SetImpact
	// At dates an update written after the fact (zero: now). It may not be in the future, nor
	// earlier than the incident's newest update or the newest history of any component the
	// update touches: history is only ever appended to. The audit entry keeps the real time.
	At time.Time
	// ExpectUpdate is the id of the incident's newest update when this one was composed (its
	// version); the post is refused with a *StaleError if another update came since. 0: post
	// whatever came since.
	ExpectUpdate int64
}

// StaleError refuses an update composed against an older version of its incident: another
// update was posted since. Latest is the newest update now.
type StaleError struct {
	IncidentID int64
	Expected   int64
	Latest     Update
}

func (e *StaleError) Error() string {
	return fmt.Sprintf("incident #%d changed while this update was written: update %d (%s, by %s at %s) came after update %d; read it, then post again with --expect-update %d",
		e.IncidentID, e.Latest.ID, e.Latest.Status.Label(), sanitize.Line(e.Latest.Author), e.Latest.CreatedAt.Local().Format("15:04:05"), e.Expected, e.Latest.ID)
}

// Is makes errors.Is(err, ErrConflict) true.
func (e *StaleError) Is(target error) bool { return target == ErrConflict }

// IncidentDetail is an incident with its whole timeline, newest update first.
type IncidentDetail struct {
	Incident
	Updates []Update
}

// OpenIncident declares an incident with its first update and the impacts it imposes.
func (s *Store) OpenIncident(ctx context.Context, actor Actor, in NewIncident) (IncidentDetail, error) {
	title, err := CleanTitle(in.Title)
	if err != nil {
		return IncidentDetail{}, err
	}
	msg, err := CleanMessage(in.Message)
	if err != nil {
		return IncidentDetail{}, err
	}
	if err := onceEach(in.Impacts); err != nil {
		return IncidentDetail{}, err
	}
	if in.Status == "" {
		in.Status = Investigating
	}
	if in.Status != Investigating && in.Status != Identified {
		return IncidentDetail{}, invalid("status", "a new incident is investigating or identified, not %q", in.Status)
	}
	if in.Visibility == "" {
		in.Visibility = Public
	}
	if in.Visibility != Public && in.Visibility != Internal {
		return IncidentDetail{}, invalid("visibility", "unknown visibility %q; use public or internal", in.Visibility)
	}
	var id int64
	err = s.write(ctx, actor, func(tx *sql.Tx, now time.Time) error {
		var ids []int64
		for _, m := range in.Impacts {
			ids = append(ids, m.ComponentID)
		}
		at, note, err := backdate(ctx, tx, now, in.At, time.Time{}, ids)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO incidents (title, status, visibility, pinned, occurred_at, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, title, in.Status, in.Visibility, in.Pinned, ms(at), ms(at), ms(at))
		if err != nil {
			return err
		}
		id, _ = res.LastInsertId()
		res, err = tx.ExecContext(ctx, `INSERT INTO updates (incident_id, status, message, author, created_at) VALUES (?, ?, ?, ?, ?)`,
			id, in.Status, msg, actor.Name, ms(at))
		if err != nil {
			return err
		}
		updateID, _ := res.LastInsertId()
		touched, err := applyImpacts(ctx, tx, id, updateID, in.Impacts)
		if err != nil {
			return err
		}
		if err := emit(ctx, tx, at, outboxEvent{typ: EventIncidentOpened, internal: in.Visibility == Internal, incident: id, update: updateID}); err != nil {
			return err
		}
		if err := refreshEffective(ctx, tx, at, touched, cause{kind: "incident", incident: id, update: updateID}); err != nil {
			return err
		}
		return audit(ctx, tx, now, actor, "incident.open", fmt.Sprintf("incident #%d", id), title+note)
	})
	if err != nil {
		return IncidentDetail{}, err
	}
	return s.Incident(ctx, id)
}

// PostUpdate adds an update to an incident's timeline, changing its status and impacts; every
// effective status that moves is recorded, all in one transaction.
func (s *Store) PostUpdate(ctx context.Context, actor Actor, incidentID int64, in NewUpdate) (Update, error) {
	if !in.Status.Valid() {
		return Update{}, invalid("status", "unknown incident status %q; use one of investigating, identified, watching, fixed", in.Status)
	}
	msg, err := CleanMessage(in.Message)
	if err != nil {
		return Update{}, err
	}
	if err := onceEach(in.Impacts); err != nil {
		return Update{}, err
	}
	var updateID int64
	err = s.write(ctx, actor, func(tx *sql.Tx, now time.Time) error {
		var old IncidentStatus
		var resolved sql.NullInt64
		var newest int64
		var vis Visibility
		err := tx.QueryRowContext(ctx, `SELECT status, resolved_at, (SELECT coalesce(max(created_at), 0) FROM updates WHERE incident_id = incidents.id),
			visibility FROM incidents WHERE id = ?`, incidentID).Scan(&old, &resolved, &newest, &vis)
		if errors.Is(err, sql.ErrNoRows) {
			return &NotFoundError{fmt.Sprintf("incident #%d", incidentID)}
		}
		if err != nil {
			return err
		}
		if in.ExpectUpdate != 0 {
			if err := checkVersion(ctx, tx, incidentID, in.ExpectUpdate); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO updates (incident_id, status, message, author, created_at) VALUES (?, ?, ?, ?, ?)`,
			incidentID, in.Status, msg, actor.Name, ms(now))
		if err != nil {
			return err
		}
		updateID, _ = res.LastInsertId()
		touched, err := applyImpacts(ctx, tx, incidentID, updateID, in.Impacts)
		if err != nil {
			return err
		}
		// Dated once the components it touches are known; a refused date rolls all of it back.
		at, note, err := backdate(ctx, tx, now, in.At, fromMS(newest), touched)
		if err != nil {
			return err
		}
		if note != "" {
			if _, err := tx.ExecContext(ctx, `UPDATE updates SET created_at = ? WHERE id = ?`, ms(at), updateID); err != nil {
				return err
			}
		}
		var resolvedAt any
		switch {
		case in.Status == Fixed && resolved.Valid:
			resolvedAt = resolved.Int64
		case in.Status == Fixed:
			resolvedAt = ms(at)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE incidents SET status = ?, updated_at = ?, resolved_at = ? WHERE id = ?`,
			in.Status, ms(at), resolvedAt, incidentID); err != nil {
			return err
		}
		action, event := "incident.update", EventIncidentUpdated
		switch {
		case in.Status == Fixed && !resolved.Valid:
			action, event = "incident.resolve", EventIncidentResolved
		case in.Status != Fixed && resolved.Valid:
			action, event = "incident.reopen", EventIncidentReopened
		}
		if err := emit(ctx, tx, at, outboxEvent{typ: event, internal: vis == Internal, incident: incidentID, update: updateID}); err != nil {
			return err
		}
		if err := refreshEffective(ctx, tx, at, touched, cause{kind: "incident", incident: incidentID, update: updateID}); err != nil {
			return err
		}
		return audit(ctx, tx, now, actor, action, fmt.Sprintf("incident #%d", incidentID), fmt.Sprintf("%s → %s%s", old, in.Status, note))
	})
	if err != nil {
		return Update{}, err
	}
	ups, err := s.updates(ctx, `u.id = ?`, updateID)
	if err != nil || len(ups) == 0 {
		return Update{}, err
	}
	return ups[0], nil
}

// checkVersion refuses, with a *StaleError, when the incident's newest update is not expect.
// It runs in the write's transaction, so no update can come between the check and the post.
func checkVersion(ctx context.Context, tx *sql.Tx, incidentID, expect int64) error {
	var latest Update
	var at int64
	err := tx.QueryRowContext(ctx, `SELECT id, incident_id, status, message, author, created_at FROM updates
		WHERE incident_id = ? ORDER BY id DESC LIMIT 1`, incidentID).
		Scan(&latest.ID, &latest.IncidentID, &latest.Status, &latest.Message, &latest.Author, &at)
	if err != nil {
		return err
	}
	if latest.ID == expect {
		return nil
	}
	latest.CreatedAt = fromMS(at)
	return &StaleError{IncidentID: incidentID, Expected: expect, Latest: latest}
}

// SetIncidentPinned pins an incident to the top of the list, or unpins it.
func (s *Store) SetIncidentPinned(ctx context.Context, actor Actor, id int64, pinned bool) error {
	return s.setIncidentField(ctx, actor, id, "incident.pin", fmt.Sprint(pinned), "pinned = ?", pinned)
}

// SetIncidentVisibility makes an incident public or internal; the public status of the
// components it holds moves with it.
func (s *Store) SetIncidentVisibility(ctx context.Context, actor Actor, id int64, v Visibility) error {
	if v != Public && v != Internal {
		return invalid("visibility", "unknown visibility %q; use public or internal", v)
	}
	return s.setIncidentField(ctx, actor, id, "incident.visibility", string(v), "visibility = ?", v)
}

func (s *Store) setIncidentField(ctx context.Context, actor Actor, id int64, action, detail, set string, arg any) error {
	return s.write(ctx, actor, func(tx *sql.Tx, now time.Time) error {
		res, err := tx.ExecContext(ctx, `UPDATE incidents SET `+set+`, updated_at = ? WHERE id = ?`, arg, ms(now), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return &NotFoundError{fmt.Sprintf("incident #%d", id)}
		}
		touched, err := queryIDs(ctx, tx, `SELECT component_id FROM impacts WHERE incident_id = ? ORDER BY component_id`, id)
		if err != nil {
			return err
		}
		if err := refreshEffective(ctx, tx, now, touched, cause{kind: "incident", incident: id}); err != nil {
			return err
		}
		return audit(ctx, tx, now, actor, action, fmt.Sprintf("incident #%d", id), detail)
	})
}

const incidentColumns = `id, title, status, visibility, pinned, occurred_at, created_at, updated_at, coalesce(resolved_at, 0)`

func scanIncident(row scanner) (Incident, error) {
	var i Incident
	var occ, cre, upd, res int64
	err := row.Scan(&i.ID, &i.Title, &i.Status, &i.Visibility, &i.Pinned, &occ, &cre, &upd, &res)
	i.OccurredAt, i.CreatedAt, i.UpdatedAt = fromMS(occ), fromMS(cre), fromMS(upd)
	if res != 0 {
		i.ResolvedAt = fromMS(res)
	}
	return i, err
}

// Incident reads one incident with its impacts and its timeline, newest update first.
func (s *Store) Incident(ctx context.Context, id int64) (IncidentDetail, error) {
	inc, err := scanIncident(s.r.QueryRowContext(ctx, `SELECT `+incidentColumns+` FROM incidents WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return IncidentDetail{}, &NotFoundError{fmt.Sprintf("incident #%d", id)}
	}
	if err != nil {
		return IncidentDetail{}, err
	}
	list := []Incident{inc}
	if err := s.loadImpacts(ctx, list); err != nil {
		return IncidentDetail{}, err
	}
	ups, err := s.updates(ctx, `u.incident_id = ?`, id)
	if err != nil {
		return IncidentDetail{}, err
	}
	return IncidentDetail{Incident: list[0], Updates: ups}, nil
}

// updates reads updates matching where, newest first, with their impact changes.
func (s *Store) updates(ctx context.Context, where string, arg int64) ([]Update, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT u.id, u.incident_id, u.status, u.message, u.author, u.created_at,
		coalesce(ch.component_id, 0), coalesce(c.name, ''), coalesce(ch.old_status, ''), coalesce(ch.new_status, '')
		FROM updates u
		LEFT JOIN update_impacts ch ON ch.update_id = u.id
		LEFT JOIN components c ON c.id = ch.component_id
		WHERE `+where+` ORDER BY u.id DESC, c.name`, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Update
	for rows.Next() {
		var u Update
		var at int64
		var ch ImpactChange
		if err := rows.Scan(&u.ID, &u.IncidentID, &u.Status, &u.Message, &u.Author, &at,
			&ch.ComponentID, &ch.ComponentName, &ch.Old, &ch.New); err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].ID != u.ID {
			u.CreatedAt = fromMS(at)
			out = append(out, u)
		}
		if ch.ComponentID != 0 {
			out[len(out)-1].Changes = append(out[len(out)-1].Changes, ch)
		}
	}
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	return out, s.loadEffects(ctx, where, arg, out)
}

// loadEffects fills in the effective-status moves of updates read by the same where.
func (s *Store) loadEffects(ctx context.Context, where string, arg int64, ups []Update) error {
	idx := make(map[int64]int, len(ups))
	for n, u := range ups {
		idx[u.ID] = n
	}
	rows, err := s.r.QueryContext(ctx, `SELECT sc.update_id, sc.component_id, c.name, sc.old_status, sc.new_status
		FROM status_changes sc JOIN components c ON c.id = sc.component_id
		WHERE sc.update_id IN (SELECT u.id FROM updates u WHERE `+where+`) AND sc.audience = 'responders'
		ORDER BY sc.id`, arg)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var e Effect
		if err := rows.Scan(&id, &e.ComponentID, &e.ComponentName, &e.Old, &e.New); err != nil {
			return err
		}
		if n, ok := idx[id]; ok {
			ups[n].Effects = append(ups[n].Effects, e)
		}
	}
	return rows.Err()
}

// loadImpacts fills in the impacts of the given incidents with one query.
func (s *Store) loadImpacts(ctx context.Context, list []Incident) error {
	return loadImpacts(ctx, s.r, list)
}

func loadImpacts(ctx context.Context, q queryer, list []Incident) error {
	if len(list) == 0 {
		return nil
	}
	idx := make(map[int64]int, len(list))
	args := make([]any, len(list))
	for n, inc := range list {
		idx[inc.ID] = n
		args[n] = inc.ID
	}
	in := `(?` + strings.Repeat(",?", len(list)-1) + `)`
	for _, part := range []struct {
		query string
		into  func(*Incident) *[]Impact
	}{
		{`SELECT m.incident_id, m.component_id, c.name, m.status, m.worst FROM impacts m JOIN components c ON c.id = m.component_id
			WHERE m.incident_id IN ` + in + ` ORDER BY c.name`, func(i *Incident) *[]Impact { return &i.Impacts }},
		{`SELECT m.incident_id, m.component_id, c.name, m.worst, m.worst FROM lifted_impacts m JOIN components c ON c.id = m.component_id
			WHERE m.incident_id IN ` + in + ` ORDER BY c.name`, func(i *Incident) *[]Impact { return &i.Lifted }},
	} {
		if err := scanImpacts(ctx, q, part.query, args, func(incID int64, m Impact) {
			into := part.into(&list[idx[incID]])
			*into = append(*into, m)
		}); err != nil {
			return err
		}
	}
	return nil
}

// scanImpacts runs query, whose rows are incident id, component id and name, a status and the
// worst status, and hands each row to add.
func scanImpacts(ctx context.Context, q queryer, query string, args []any, add func(int64, Impact)) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var incID int64
		var m Impact
		if err := rows.Scan(&incID, &m.ComponentID, &m.ComponentName, &m.Status, &m.Worst); err != nil {
			return err
		}
		add(incID, m)
	}
	return rows.Err()
}

// UnresolvedIncidents lists every unresolved incident, pinned first, then newest first.
func (s *Store) UnresolvedIncidents(ctx context.Context) ([]Incident, error) {
	return s.queryIncidents(ctx, `SELECT `+incidentColumns+` FROM incidents WHERE resolved_at IS NULL ORDER BY pinned DESC, id DESC`)
}

// IncidentQuery asks for one page of resolved incidents, newest first.
type IncidentQuery struct {
	Before int64  // only incidents with a smaller id (keyset paging); 0 starts at the newest
	Limit  int    // page size; 50 when 0
	Title  string // only titles containing this, ignoring case
	// Text keeps incidents whose title, or an affected component's name, contains it,
	// ignoring case.
	Text     string
	ID       int64 // only this incident
	Internal bool  // only internal incidents

	public bool // leave internal incidents out: set by PublicOnly's reader, never by callers
}

// ResolvedIncidents returns one page of resolved incidents, newest first. Pass the last id of
// a page as Before to get the next one.
func (s *Store) ResolvedIncidents(ctx context.Context, q IncidentQuery) ([]Incident, error) {
	if q.Limit <= 0 {
		q.Limit = 50
	}
	where := []string{"resolved_at IS NOT NULL"}
	var args []any
	if q.Before > 0 {
		where = append(where, "id < ?")
		args = append(args, q.Before)
	}
	if q.Title != "" {
		where = append(where, `title LIKE ? ESCAPE '\'`)
		args = append(args, "%"+likeEscape(q.Title)+"%")
	}
	if q.Text != "" {
		// The component subquery does not depend on the row: SQLite runs it once.
		where = append(where, `(title LIKE ? ESCAPE '\' OR id IN (SELECT incident_id FROM impacts WHERE component_id IN
			(SELECT id FROM components WHERE name LIKE ? ESCAPE '\'))
			OR id IN (SELECT incident_id FROM lifted_impacts WHERE component_id IN
			(SELECT id FROM components WHERE name LIKE ? ESCAPE '\')))`)
		like := "%" + likeEscape(q.Text) + "%"
		args = append(args, like, like, like)
	}
	if q.ID > 0 {
		where = append(where, "id = ?")
		args = append(args, q.ID)
	}
	if q.Internal {
		where = append(where, "visibility = 'internal'")
	}
	if q.public {
		where = append(where, "visibility = 'public'")
	}
	args = append(args, q.Limit)
	return s.queryIncidents(ctx, `SELECT `+incidentColumns+` FROM incidents WHERE `+strings.Join(where, " AND ")+
		` ORDER BY id DESC LIMIT ?`, args...)
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func (s *Store) queryIncidents(ctx context.Context, query string, args ...any) ([]Incident, error) {
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	var out []Incident
	for rows.Next() {
		inc, err := scanIncident(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, inc)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, s.loadImpacts(ctx, out)
}

// Empty reports whether the database holds no groups, components or incidents.
func (s *Store) Empty(ctx context.Context) (bool, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM groups) + (SELECT count(*) FROM components) + (SELECT count(*) FROM incidents)`).Scan(&n)
	return n == 0, err
}
