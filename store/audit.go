package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
)

// StatusChange is one move of a component's effective status.
type StatusChange struct {
	ComponentID   int64
	At            time.Time
	Old, New      Status
	Cause         string // incident, manual, maintenance
	IncidentID    int64
	MaintenanceID int64
}

// StatusChanges lists a component's effective-status changes as responders saw them since a
// time, oldest first.
func (s *Store) StatusChanges(ctx context.Context, componentID int64, since time.Time) ([]StatusChange, error) {
	return s.StatusChangesFor(ctx, Responders, componentID, since)
}

// StatusChangesFor lists a component's effective-status changes as the audience saw them since
// a time, oldest first: the public's history moves only with its own status and public
// incidents.
func (s *Store) StatusChangesFor(ctx context.Context, a Audience, componentID int64, since time.Time) ([]StatusChange, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT component_id, at, old_status, new_status, cause, coalesce(incident_id, 0), coalesce(maintenance_id, 0)
		FROM status_changes WHERE component_id = ? AND at >= ? AND audience = ? ORDER BY at, id`, componentID, ms(since), a.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StatusChange
	for rows.Next() {
		var c StatusChange
		var at int64
		if err := rows.Scan(&c.ComponentID, &at, &c.Old, &c.New, &c.Cause, &c.IncidentID, &c.MaintenanceID); err != nil {
			return nil, err
		}
		c.At = fromMS(at)
		out = append(out, c)
	}
	return out, rows.Err()
}

// AuditEntry is one recorded write.
type AuditEntry struct {
	ID      int64
	At      time.Time
	Actor   string
	Action  string
	Subject string
	Detail  string
}

// AuditQuery picks audit entries; the zero value is the newest page of every entry.
type AuditQuery struct {
	Actor  string    // only entries whose actor's name holds this, ignoring case
	Since  time.Time // only entries at or after this time; zero for no bound
	Before int64     // only entries with a smaller id (keyset paging); 0 starts at the newest
	Limit  int       // page size; 50 when 0
}

// Audit lists the newest audit entries, newest first.
func (s *Store) Audit(ctx context.Context, limit int) ([]AuditEntry, error) {
	return s.AuditLog(ctx, AuditQuery{Limit: limit})
}

// AuditLog returns one page of audit entries matching q, newest first. Pass the last id of a
// page as Before to get the next one.
func (s *Store) AuditLog(ctx context.Context, q AuditQuery) ([]AuditEntry, error) {
	if q.Limit <= 0 {
		q.Limit = 50
	}
	query := `SELECT id, at, actor, action, subject, detail FROM audit WHERE 1`
	var args []any
	if q.Actor != "" {
		// Part of a name finds the whole one ("bob" finds "Bob Builder", "émile" finds
		// "Émile Zola"), as the incident filter does; an exact name or key fingerprint is a
		// part of itself. SQLite's LIKE folds ASCII letters only: enough for a part written
		// in ASCII, and three times as fast over a long trail as folding every name in Go.
		part := strings.TrimSpace(q.Actor)
		if ascii(part) {
			query += ` AND actor LIKE ? ESCAPE '\'`
			args = append(args, "%"+likeEscape(part)+"%")
		} else {
			query += ` AND instr(beacon_fold(actor), ?) > 0`
			args = append(args, fold(part))
		}
	}
	if !q.Since.IsZero() {
		query += ` AND at >= ?`
		args = append(args, ms(q.Since))
	}
	if q.Before > 0 {
		query += ` AND id < ?`
		args = append(args, q.Before)
	}
	rows, err := s.r.QueryContext(ctx, query+` ORDER BY id DESC LIMIT ?`, append(args, q.Limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Subject, &e.Detail); err != nil {
			return nil, err
		}
		e.At = fromMS(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// AuditActors lists everyone the audit trail names, in name order.
func (s *Store) AuditActors(ctx context.Context) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT DISTINCT actor FROM audit ORDER BY actor COLLATE NOCASE`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		out = append(out, name)
	}
	return out, rows.Err()
}

func audit(ctx context.Context, tx *sql.Tx, now time.Time, actor Actor, action, subject, detail string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO audit (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)`,
		ms(now), actor.Name, action, subject, detail)
	return err
}

// fold is a name as compared ignoring case: in lower case, every letter, not only ASCII.
func fold(s string) string { return strings.ToLower(s) }

// ascii reports whether s is all ASCII.
func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// registerFold makes beacon_fold(text), fold in SQL, for comparisons that must not depend on
// SQLite's ASCII-only case folding. Open calls it once, before the first connection, so that
// commands that never open a database do not pay for it.
var registerFold = sync.OnceFunc(func() {
	sqlite.MustRegisterDeterministicScalarFunction("beacon_fold", 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		s, ok := args[0].(string)
		if !ok {
			return args[0], nil
		}
		return fold(s), nil
	})
})
