package store

import (
	"context"
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
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	in := `(?` + strings.Repeat(",?", len(ids)-1) + `)`
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

	rows, err := tx.QueryContext(ctx, `SELECT `+incidentColumns+` FROM incidents WHERE id IN `+in, args...)
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
		byID[inc.ID] = len(list)
		list = append(list, inc)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := loadImpacts(ctx, tx, list); err != nil {
		return nil, err
	}
	updates := make([][]Update, len(list))
	rows, err = tx.QueryContext(ctx, `SELECT u.id, u.incident_id, u.status, u.message, u.author, u.created_at,
		coalesce(ch.component_id, 0), coalesce(c.name, ''), coalesce(ch.old_status, ''), coalesce(ch.new_status, '')
		FROM updates u
		LEFT JOIN update_impacts ch ON ch.update_id = u.id
		LEFT JOIN components c ON c.id = ch.component_id
		WHERE u.incident_id IN `+in+` ORDER BY u.id DESC, c.name`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var last *Update
	for rows.Next() {
		var u Update
		var at int64
		var ch ImpactChange
		if err := rows.Scan(&u.ID, &u.IncidentID, &u.Status, &u.Message, &u.Author, &at,
			&ch.ComponentID, &ch.ComponentName, &ch.Old, &ch.New); err != nil {
			return nil, err
		}
		n, ok := byID[u.IncidentID]
		if !ok {
			continue
		}
		if last == nil || last.ID != u.ID {
			u.CreatedAt = fromMS(at)
			updates[n] = append(updates[n], u)
			last = &updates[n][len(updates[n])-1]
		}
		if ch.ComponentID != 0 {
			last.Changes = append(last.Changes, ch)
		}
	}
	if err := rows.Err(); err != nil {
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
