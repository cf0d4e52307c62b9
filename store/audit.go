package store

import (
	"context"
	"database/sql"
	"time"
)

// StatusChange is one move of a component's effective status.
type StatusChange struct {
	ComponentID int64
	At          time.Time
	Old, New    Status
	Cause       string // incident, manual, load
	IncidentID  int64
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
	rows, err := s.r.QueryContext(ctx, `SELECT component_id, at, old_status, new_status, cause, coalesce(incident_id, 0)
		FROM status_changes WHERE component_id = ? AND at >= ? AND audience = ? ORDER BY at, id`, componentID, ms(since), a.String())
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

func audit(ctx context.Context, tx *sql.Tx, now time.Time, actor Actor, action, subject, detail string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO audit (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)`,
		ms(now), actor.Name, action, subject, detail)
	return err
}
