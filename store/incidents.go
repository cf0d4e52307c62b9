package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Visibility says who may read an incident.
type Visibility string

// Visibilities.
const (
	Public   Visibility = "public"
	Internal Visibility = "internal"
)

// Impact is the status an incident imposes on one component.
type Impact struct {
	ComponentID   int64
	ComponentName string
	Status        Status
}

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
}

// Resolved reports whether the newest update said fixed.
func (i Incident) Resolved() bool { return !i.ResolvedAt.IsZero() }

// WorstImpact is the most severe status the incident imposes, Operational when none.
func (i Incident) WorstImpact() Status {
	w := Operational
	for _, m := range i.Impacts {
		w = Worst(w, m.Status)
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
}

// NewUpdate is what PostUpdate needs. Status fixed resolves the incident; any other status
// on a fixed incident reopens it.
type NewUpdate struct {
	Status  IncidentStatus
	Message string
	Impacts []SetImpact
}

// IncidentDetail is an incident with its whole timeline, newest update first.
type IncidentDetail struct {
	Incident
	Updates []Update
}

// cause says why effective statuses moved; a zero cause records no history.
type cause struct {
	kind             string // incident, manual, maintenance
	incident, update int64
}

// dbtx is what both a transaction and a connection inside a hand-begun transaction offer.
type dbtx interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// refreshEffective recomputes the responders' effective status of the given components (the
// stored one, which the history records) and writes a status-change row for each one that moved.
func refreshEffective(ctx context.Context, tx dbtx, now time.Time, ids []int64, c cause) error {
	stmt, err := tx.PrepareContext(ctx, `SELECT c.status, c.effective_status,
		coalesce((SELECT group_concat(m.status || ' ' || i.visibility) FROM incidents i CROSS JOIN impacts m
		          ON m.incident_id = i.id AND m.component_id = c.id
		          WHERE i.resolved_at IS NULL), '')
		FROM components c WHERE c.id = ?`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, id := range ids {
		var own, old Status
		var imposed string
		if err := stmt.QueryRowContext(ctx, id).Scan(&own, &old, &imposed); err != nil {
			return err
		}
		var holds []Hold
		if imposed != "" {
			for _, h := range strings.Split(imposed, ",") {
				st, vis, _ := strings.Cut(h, " ")
				holds = append(holds, Hold{Status: Status(st), Visibility: Visibility(vis)})
			}
		}
		next := EffectiveStatus(own, holds, Responders)
		if next == old {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE components SET effective_status = ?, updated_at = ? WHERE id = ?`, next, ms(now), id); err != nil {
			return err
		}
		if c.kind == "" {
			continue
		}
		var inc, upd any
		if c.incident != 0 {
			inc, upd = c.incident, c.update
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO status_changes (component_id, at, old_status, new_status, cause, incident_id, update_id)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, id, ms(now), old, next, c.kind, inc, upd); err != nil {
			return err
		}
	}
	return nil
}

// applyImpacts applies the requested impact changes to an incident and records them against
// the update; it returns the ids of every component the incident touched before or after.
func applyImpacts(tx *sql.Tx, incidentID, updateID int64, sets []SetImpact) ([]int64, error) {
	current := map[int64]Status{}
	rows, err := tx.Query(`SELECT component_id, status FROM impacts WHERE incident_id = ?`, incidentID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var st Status
		if err := rows.Scan(&id, &st); err != nil {
			rows.Close()
			return nil, err
		}
		current[id] = st
	}
	rows.Close()
	touched := map[int64]bool{}
	for id := range current {
		touched[id] = true
	}
	for _, set := range sets {
		if set.Status != "" && !set.Status.IsImpact() {
			return nil, invalid("impact", "unknown impact %q; use one of %s or none", set.Status, joinStatuses(Impacts))
		}
		if _, err := componentName(tx, set.ComponentID); err != nil {
			return nil, err
		}
		old := current[set.ComponentID]
		if old == set.Status {
			continue
		}
		if set.Status == "" {
			_, err = tx.Exec(`DELETE FROM impacts WHERE incident_id = ? AND component_id = ?`, incidentID, set.ComponentID)
		} else {
			_, err = tx.Exec(`INSERT INTO impacts (incident_id, component_id, status) VALUES (?, ?, ?)
				ON CONFLICT (incident_id, component_id) DO UPDATE SET status = excluded.status`, incidentID, set.ComponentID, set.Status)
		}
		if err != nil {
			return nil, err
		}
		if _, err := tx.Exec(`INSERT INTO update_impacts (update_id, component_id, old_status, new_status) VALUES (?, ?, ?, ?)
			ON CONFLICT (update_id, component_id) DO UPDATE SET new_status = excluded.new_status`,
			updateID, set.ComponentID, nullStatus(old), nullStatus(set.Status)); err != nil {
			return nil, err
		}
		current[set.ComponentID] = set.Status
		touched[set.ComponentID] = true
	}
	ids := make([]int64, 0, len(touched))
	for id := range touched {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(a, b int) bool { return ids[a] < ids[b] })
	return ids, nil
}

func nullStatus(s Status) any {
	if s == "" {
		return nil
	}
	return string(s)
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
		res, err := tx.Exec(`INSERT INTO incidents (title, status, visibility, pinned, occurred_at, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, title, in.Status, in.Visibility, in.Pinned, ms(now), ms(now), ms(now))
		if err != nil {
			return err
		}
		id, _ = res.LastInsertId()
		res, err = tx.Exec(`INSERT INTO updates (incident_id, status, message, author, created_at) VALUES (?, ?, ?, ?, ?)`,
			id, in.Status, msg, actor.Name, ms(now))
		if err != nil {
			return err
		}
		updateID, _ := res.LastInsertId()
		touched, err := applyImpacts(tx, id, updateID, in.Impacts)
		if err != nil {
			return err
		}
		if err := refreshEffective(ctx, tx, now, touched, cause{"incident", id, updateID}); err != nil {
			return err
		}
		return audit(tx, now, actor, "incident.open", fmt.Sprintf("incident #%d", id), title)
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
	var updateID int64
	err = s.write(ctx, actor, func(tx *sql.Tx, now time.Time) error {
		var old IncidentStatus
		var resolved sql.NullInt64
		err := tx.QueryRow(`SELECT status, resolved_at FROM incidents WHERE id = ?`, incidentID).Scan(&old, &resolved)
		if errors.Is(err, sql.ErrNoRows) {
			return &NotFoundError{fmt.Sprintf("incident #%d", incidentID)}
		}
		if err != nil {
			return err
		}
		res, err := tx.Exec(`INSERT INTO updates (incident_id, status, message, author, created_at) VALUES (?, ?, ?, ?, ?)`,
			incidentID, in.Status, msg, actor.Name, ms(now))
		if err != nil {
			return err
		}
		updateID, _ = res.LastInsertId()
		touched, err := applyImpacts(tx, incidentID, updateID, in.Impacts)
		if err != nil {
			return err
		}
		var resolvedAt any
		switch {
		case in.Status == Fixed && resolved.Valid:
			resolvedAt = resolved.Int64
		case in.Status == Fixed:
			resolvedAt = ms(now)
		}
		if _, err := tx.Exec(`UPDATE incidents SET status = ?, updated_at = ?, resolved_at = ? WHERE id = ?`,
			in.Status, ms(now), resolvedAt, incidentID); err != nil {
			return err
		}
		if err := refreshEffective(ctx, tx, now, touched, cause{"incident", incidentID, updateID}); err != nil {
			return err
		}
		action := "incident.update"
		switch {
		case in.Status == Fixed && !resolved.Valid:
			action = "incident.resolve"
		case in.Status != Fixed && resolved.Valid:
			action = "incident.reopen"
		}
		return audit(tx, now, actor, action, fmt.Sprintf("incident #%d", incidentID), fmt.Sprintf("%s → %s", old, in.Status))
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

// SetIncidentPinned pins an incident to the top of the list, or unpins it.
func (s *Store) SetIncidentPinned(ctx context.Context, actor Actor, id int64, pinned bool) error {
	return s.setIncidentField(ctx, actor, id, "incident.pin", fmt.Sprint(pinned), "pinned = ?", pinned)
}

// SetIncidentVisibility makes an incident public or internal.
func (s *Store) SetIncidentVisibility(ctx context.Context, actor Actor, id int64, v Visibility) error {
	if v != Public && v != Internal {
		return invalid("visibility", "unknown visibility %q; use public or internal", v)
	}
	return s.setIncidentField(ctx, actor, id, "incident.visibility", string(v), "visibility = ?", v)
}

func (s *Store) setIncidentField(ctx context.Context, actor Actor, id int64, action, detail, set string, arg any) error {
	return s.write(ctx, actor, func(tx *sql.Tx, now time.Time) error {
		res, err := tx.Exec(`UPDATE incidents SET `+set+`, updated_at = ? WHERE id = ?`, arg, ms(now), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return &NotFoundError{fmt.Sprintf("incident #%d", id)}
		}
		return audit(tx, now, actor, action, fmt.Sprintf("incident #%d", id), detail)
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
		WHERE sc.update_id IN (SELECT u.id FROM updates u WHERE `+where+`)
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

func loadImpacts(ctx context.Context, q querier, list []Incident) error {
	if len(list) == 0 {
		return nil
	}
	idx := make(map[int64]int, len(list))
	args := make([]any, len(list))
	for n, inc := range list {
		idx[inc.ID] = n
		args[n] = inc.ID
	}
	rows, err := q.QueryContext(ctx, `SELECT m.incident_id, m.component_id, c.name, m.status
		FROM impacts m JOIN components c ON c.id = m.component_id
		WHERE m.incident_id IN (?`+strings.Repeat(",?", len(list)-1)+`)
		ORDER BY c.name`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var incID int64
		var m Impact
		if err := rows.Scan(&incID, &m.ComponentID, &m.ComponentName, &m.Status); err != nil {
			return err
		}
		list[idx[incID]].Impacts = append(list[idx[incID]].Impacts, m)
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

	PublicOnly bool // leave internal incidents out
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
	if q.PublicOnly {
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

// Dashboard is everything the glance needs, read in one snapshot, as one audience sees it:
// Store.Dashboard is the responders' view, PublicOnly turns it into the public's.
type Dashboard struct {
	Audience   Audience
	Groups     []Group
	Components []Component // by group, then position; disabled ones included; Effective for Audience
	Unresolved []Incident  // pinned first, newest first; only those Audience sees
	Banner     Banner      // computed over Audience's effective statuses
	UpdatedAt  time.Time   // the newest write Audience can see (zero for an empty database)

	publicUpdatedAt time.Time // the newest write the public can see
	criticalShare   float64
}

// OpenCount is the number of unresolved incidents.
func (d Dashboard) OpenCount() int { return len(d.Unresolved) }

// Dashboard reads components, groups, unresolved incidents and the banner from one snapshot.
func (s *Store) Dashboard(ctx context.Context) (Dashboard, error) {
	var d Dashboard
	conn, err := s.r.Conn(ctx)
	if err != nil {
		return d, err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return d, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT id, name, position, collapse FROM groups ORDER BY position, id`)
	if err != nil {
		return d, err
	}
	for rows.Next() {
		var g Group
		if err := rows.Scan(&g.ID, &g.Name, &g.Position, &g.Collapse); err != nil {
			rows.Close()
			return d, err
		}
		d.Groups = append(d.Groups, g)
	}
	rows.Close()
	if d.Components, err = queryComponents(ctx, tx); err != nil {
		return d, err
	}
	rows, err = tx.QueryContext(ctx, `SELECT `+incidentColumns+` FROM incidents WHERE resolved_at IS NULL ORDER BY pinned DESC, id DESC`)
	if err != nil {
		return d, err
	}
	for rows.Next() {
		inc, err := scanIncident(rows)
		if err != nil {
			rows.Close()
			return d, err
		}
		d.Unresolved = append(d.Unresolved, inc)
	}
	rows.Close()
	if err := loadImpacts(ctx, tx, d.Unresolved); err != nil {
		return d, err
	}
	// Every write audits in its own transaction, so the newest audit entry is the newest change;
	// the public's newest is the newest that is not about an internal incident.
	var last, lastPublic int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(at), 0) FROM audit WHERE id = (SELECT max(id) FROM audit)`).Scan(&last); err != nil {
		return d, err
	}
	err = tx.QueryRowContext(ctx, `SELECT a.at FROM audit a
		WHERE NOT (a.subject LIKE 'incident #%' AND EXISTS (SELECT 1 FROM incidents i
		           WHERE i.id = CAST(substr(a.subject, 11) AS INTEGER) AND i.visibility = 'internal'))
		ORDER BY a.id DESC LIMIT 1`).Scan(&lastPublic)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return d, err
	}
	if err := tx.Commit(); err != nil {
		return d, err
	}
	if last != 0 {
		d.UpdatedAt = fromMS(last)
	}
	if lastPublic != 0 {
		d.publicUpdatedAt = fromMS(lastPublic)
	}
	d.Audience, d.criticalShare = Responders, s.CriticalShare
	d.settle()
	return d, nil
}

// StatusChange is one move of a component's effective status.
type StatusChange struct {
	ComponentID int64
	At          time.Time
	Old, New    Status
	Cause       string // incident, manual, load
	IncidentID  int64
}

// StatusChanges lists a component's effective-status changes since a time, oldest first.
func (s *Store) StatusChanges(ctx context.Context, componentID int64, since time.Time) ([]StatusChange, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT component_id, at, old_status, new_status, cause, coalesce(incident_id, 0)
		FROM status_changes WHERE component_id = ? AND at >= ? ORDER BY at, id`, componentID, ms(since))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StatusChange
	for rows.Next() {
		var c StatusChange
		var at int64
		if err := rows.Scan(&c.ComponentID, &at, &c.Old, &c.New, &c.Cause, &c.IncidentID); err != nil {
			return nil, err
		}
		c.At = fromMS(at)
		out = append(out, c)
	}
	return out, rows.Err()
}

// AuditEntry is one recorded write.
type AuditEntry struct {
	At      time.Time
	Actor   string
	Action  string
	Subject string
	Detail  string
}

// Audit lists the newest audit entries, newest first.
func (s *Store) Audit(ctx context.Context, limit int) ([]AuditEntry, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT at, actor, action, subject, detail FROM audit ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at int64
		if err := rows.Scan(&at, &e.Actor, &e.Action, &e.Subject, &e.Detail); err != nil {
			return nil, err
		}
		e.At = fromMS(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// Empty reports whether the database holds no groups, components or incidents.
func (s *Store) Empty(ctx context.Context) (bool, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM groups) + (SELECT count(*) FROM components) + (SELECT count(*) FROM incidents)`).Scan(&n)
	return n == 0, err
}
