package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
)

// IDQuery asks for incident ids, oldest first.
type IDQuery struct {
	PublicOnly   bool      // leave internal incidents out
	ResolvedOnly bool      // only resolved incidents
	Since        time.Time // only incidents created at or after this time; zero for all
	Newest       int       // only the newest this many (still oldest first); 0 for all
}

// PublicDigest sums up every public incident and maintenance window with the time each last
// changed: it moves when one is added or changed, and when one stops being public, whatever
// its age. A change to internal records alone leaves it as it was.
func (s *Store) PublicDigest(ctx context.Context) (string, error) {
	var d [6]int64
	err := s.r.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM incidents WHERE visibility = 'public'),
		(SELECT coalesce(max(updated_at), 0) FROM incidents WHERE visibility = 'public'),
		(SELECT coalesce(sum((id * 1000003 + updated_at) % 2147483647), 0) FROM incidents WHERE visibility = 'public'),
		(SELECT count(*) FROM maintenances WHERE visibility = 'public'),
		(SELECT coalesce(max(updated_at), 0) FROM maintenances WHERE visibility = 'public'),
		(SELECT coalesce(sum((id * 1000003 + updated_at) % 2147483647), 0) FROM maintenances WHERE visibility = 'public')`,
	).Scan(&d[0], &d[1], &d[2], &d[3], &d[4], &d[5])
	if err != nil {
		return "", err
	}
	return fmt.Sprint(d), nil
}

// IncidentIDs lists the ids of the incidents q asks for, oldest first: what a static site
// pages through, and what IncidentDetails then reads in bulk.
func (s *Store) IncidentIDs(ctx context.Context, q IDQuery) ([]int64, error) {
	where := []string{"1"}
	var args []any
	if q.PublicOnly {
		where = append(where, "visibility = 'public'")
	}
	if q.ResolvedOnly {
		where = append(where, "resolved_at IS NOT NULL")
	}
	if !q.Since.IsZero() {
		where = append(where, "created_at >= ?")
		args = append(args, ms(q.Since))
	}
	query := `SELECT id FROM incidents WHERE ` + strings.Join(where, " AND ") + ` ORDER BY id`
	if q.Newest > 0 {
		query = `SELECT id FROM (SELECT id FROM incidents WHERE ` + strings.Join(where, " AND ") +
			` ORDER BY id DESC LIMIT ?) ORDER BY id`
		args = append(args, q.Newest)
	}
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// maxBulkIDs bounds the ids one query of IncidentDetails binds.
const maxBulkIDs = 500

// IncidentDetails reads many incidents with their impacts and timelines (newest update first,
// each with the impact changes it made; effects are not read), in the order of ids. Ids that do
// not exist are skipped.
func (s *Store) IncidentDetails(ctx context.Context, ids []int64) ([]IncidentDetail, error) {
	out := make([]IncidentDetail, 0, len(ids))
	for len(ids) > 0 {
		n := min(len(ids), maxBulkIDs)
		part, err := s.incidentDetails(ctx, ids[:n])
		if err != nil {
			return nil, err
		}
		out = append(out, part...)
		ids = ids[n:]
	}
	return out, nil
}

func (s *Store) incidentDetails(ctx context.Context, ids []int64) ([]IncidentDetail, error) {
	want := make(map[int64]bool, len(ids))
	lo, hi := ids[0], ids[0]
	for _, id := range ids {
		want[id] = true
		lo, hi = min(lo, id), max(hi, id)
	}
	// Ids that fill most of the span between the smallest and the largest (an export's
	// batches) are read as that span, in one walk of each index; others as a list.
	var ofIncident string
	var args []any
	if hi-lo < 2*int64(len(ids)) {
		ofIncident, args = ` BETWEEN ? AND ?`, []any{lo, hi}
	} else {
		ofIncident = ` IN (?` + strings.Repeat(",?", len(ids)-1) + `)`
		args = make([]any, len(ids))
		for i, id := range ids {
			args[i] = id
		}
	}
	conn, err := s.r.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	rows, err := tx.QueryContext(ctx, `SELECT `+incidentColumns+` FROM incidents WHERE id`+ofIncident, args...)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]int, len(ids))
	var list []Incident
	for rows.Next() {
		inc, err := scanIncident(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		if !want[inc.ID] {
			continue
		}
		byID[inc.ID] = len(list)
		list = append(list, inc)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := bulkImpacts(ctx, tx, ofIncident, args, byID, list); err != nil {
		return nil, err
	}
	updates, err := bulkUpdates(ctx, tx, ofIncident, args, byID, len(list))
	if err != nil {
		return nil, err
	}
	out := make([]IncidentDetail, 0, len(list))
	for _, id := range ids {
		if n, ok := byID[id]; ok {
			out = append(out, IncidentDetail{Incident: list[n], Updates: updates[n]})
		}
	}
	return out, nil
}

// bulkImpacts reads the impacts and the lifted impacts of the incidents whose id matches
// ofIncident with args into list, where byID places them, each in the order of the
// components' names; incidents not in byID are skipped.
func bulkImpacts(ctx context.Context, tx *sql.Tx, ofIncident string, args []any, byID map[int64]int, list []Incident) error {
	for _, part := range []struct {
		query string
		into  func(*Incident) *[]Impact
	}{
		{`SELECT m.incident_id, m.component_id, c.name, m.status, m.worst FROM impacts m JOIN components c ON c.id = m.component_id
			WHERE m.incident_id` + ofIncident, func(i *Incident) *[]Impact { return &i.Impacts }},
		{`SELECT m.incident_id, m.component_id, c.name, m.worst, m.worst FROM lifted_impacts m JOIN components c ON c.id = m.component_id
			WHERE m.incident_id` + ofIncident, func(i *Incident) *[]Impact { return &i.Lifted }},
	} {
		if err := scanImpacts(ctx, tx, part.query, args, func(incID int64, m Impact) {
			if n, ok := byID[incID]; ok {
				into := part.into(&list[n])
				*into = append(*into, m)
			}
		}); err != nil {
			return err
		}
	}
	for i := range list {
		sortByName(list[i].Impacts, func(m Impact) string { return m.ComponentName })
		sortByName(list[i].Lifted, func(m Impact) string { return m.ComponentName })
	}
	return nil
}

// sortByName sorts list by the names name gives, as SQLite's ORDER BY on them would (byte by
// byte). Component names are unique, so the order is the same whatever the rows' order was.
func sortByName[T any](list []T, name func(T) string) {
	if len(list) > 1 {
		slices.SortStableFunc(list, func(a, b T) int { return strings.Compare(name(a), name(b)) })
	}
}

// bulkUpdates reads the timelines of the incidents whose id matches ofIncident with args,
// each newest first with the impact changes it made, into the place byID gives the incident
// (of n); incidents not in byID are skipped.
func bulkUpdates(ctx context.Context, tx *sql.Tx, ofIncident string, args []any, byID map[int64]int, n int) ([][]Update, error) {
	updates := make([][]Update, n)
	// In the index's order: by incident, oldest first; each timeline is turned round after.
	rows, err := tx.QueryContext(ctx, `SELECT id, incident_id, status, message, author, created_at
		FROM updates WHERE incident_id`+ofIncident+` ORDER BY incident_id, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	last, at := int64(-1), -1 // the incident of the last row, and its place (-1 when skipped)
	for rows.Next() {
		var u Update
		var created int64
		if err := rows.Scan(&u.ID, &u.IncidentID, &u.Status, &u.Message, &u.Author, &created); err != nil {
			return nil, err
		}
		if u.IncidentID != last {
			last, at = u.IncidentID, -1
			if i, ok := byID[u.IncidentID]; ok {
				at = i
			}
		}
		if at < 0 {
			continue
		}
		u.CreatedAt = fromMS(created)
		updates[at] = append(updates[at], u)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	// The impact changes: by the span of the updates' ids when they fill most of it, else by
	// the incidents as above.
	byUpdate := map[int64]*Update{}
	var first, final int64
	for _, list := range updates {
		slices.Reverse(list)
		for i := range list {
			u := &list[i]
			if len(byUpdate) == 0 {
				first, final = u.ID, u.ID
			}
			first, final = min(first, u.ID), max(final, u.ID)
			byUpdate[u.ID] = u
		}
	}
	if len(byUpdate) == 0 {
		return updates, nil
	}
	query := `SELECT ch.update_id, ch.component_id, coalesce(c.name, ''), coalesce(ch.old_status, ''), coalesce(ch.new_status, '')
		FROM update_impacts ch LEFT JOIN components c ON c.id = ch.component_id WHERE ch.update_id BETWEEN ? AND ?`
	changeArgs := []any{first, final}
	if final-first >= 2*int64(len(byUpdate)) {
		query = `SELECT ch.update_id, ch.component_id, coalesce(c.name, ''), coalesce(ch.old_status, ''), coalesce(ch.new_status, '')
			FROM updates u
			JOIN update_impacts ch ON ch.update_id = u.id
			LEFT JOIN components c ON c.id = ch.component_id
			WHERE u.incident_id` + ofIncident
		changeArgs = args
	}
	rows, err = tx.QueryContext(ctx, query, changeArgs...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var ch ImpactChange
		if err := rows.Scan(&id, &ch.ComponentID, &ch.ComponentName, &ch.Old, &ch.New); err != nil {
			return nil, err
		}
		if u := byUpdate[id]; u != nil {
			u.Changes = append(u.Changes, ch)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, u := range byUpdate {
		sortByName(u.Changes, func(ch ImpactChange) string { return ch.ComponentName })
	}
	return updates, nil
}
