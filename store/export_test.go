package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// SetClock makes s write with the times clock returns, for tests.
func SetClock(s *Store, clock func() time.Time) { s.now = clock }

// FillAudit writes n audit entries in one transaction, the ith by actors[i%len(actors)] at
// start+i seconds: a long trail for tests and benchmarks without n writes.
func FillAudit(s *Store, n int, start time.Time, actors ...string) error {
	return s.write(context.Background(), Actor{Name: "fill"}, func(tx *sql.Tx, _ time.Time) error {
		for i := range n {
			at := start.Add(time.Duration(i) * time.Second)
			if err := audit(context.Background(), tx, at, Actor{Name: actors[i%len(actors)]}, "test.fill", fmt.Sprintf("entry %d", i), ""); err != nil {
				return err
			}
		}
		return nil
	})
}

// FillOutbox records n incident events for incident, each fanned out to every endpoint, in
// one transaction: a long outbox for benchmarks without n writes.
func FillOutbox(s *Store, incident int64, n int) error {
	return s.write(context.Background(), Actor{Name: "fill"}, func(tx *sql.Tx, now time.Time) error {
		for range n {
			if err := emit(context.Background(), tx, now, outboxEvent{typ: EventIncidentUpdated, incident: incident, update: 1}); err != nil {
				return err
			}
		}
		return nil
	})
}

// CheckedNote is what the note of a sound check, made at at, holds about the file at path.
func CheckedNote(path string, at time.Time) []byte { return noteBody(fileIdentity(path), at) }

// UptimeByWalk is Uptime computed from the history alone, never from the stored totals.
func UptimeByWalk(s *Store, ctx context.Context, q UptimeQuery) (UptimeReport, error) {
	return s.uptime(ctx, q, historyOnly, nil)
}

// UptimeByTotals is Uptime computed from the stored daily totals alone: an error when they
// cannot answer.
func UptimeByTotals(s *Store, ctx context.Context, q UptimeQuery) (UptimeReport, error) {
	return s.uptime(ctx, q, totalsOnly, nil)
}

// FileIdentity is the identity of the file at path as the note of a sound check records it.
func FileIdentity(path string) []byte { return fileIdentity(path) }
