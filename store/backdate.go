package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// backdate settles the time a write is recorded at. With no requested time it is now. A
// requested time (a write made after the fact) must not be in the future, nor earlier than
// floor or the newest history of any of the components the write touches (their creation, or
// their newest status change): history may only be appended to, never rewritten. It returns
// the time and the note the audit entry carries, which keeps the real time.
func backdate(ctx context.Context, tx *sql.Tx, now, requested, floor time.Time, components []int64) (time.Time, string, error) {
	if requested.IsZero() {
		return now, "", nil
	}
	at := requested.UTC().Truncate(time.Millisecond)
	if at.After(now) {
		return now, "", invalid("at", "%s is in the future; a write can be dated now or earlier", showTime(requested, false))
	}
	// What maintenance boundaries passed by now leave in the history is written first, at
	// their own times, so that a write after the fact is checked against it and follows it.
	if _, err := recordBoundaries(ctx, tx, now); err != nil {
		return now, "", err
	}
	earliest, what := floor.UTC(), "the incident's newest update"
	if len(components) > 0 {
		args := make([]any, len(components))
		for i, id := range components {
			args[i] = id
		}
		var newest int64
		var name string
		err := tx.QueryRowContext(ctx, `SELECT t, name FROM (
			SELECT c.name AS name, max(c.created_at, coalesce((SELECT max(sc.at) FROM status_changes sc WHERE sc.component_id = c.id), 0)) AS t
			FROM components c WHERE c.id IN (?`+strings.Repeat(",?", len(components)-1)+`))
			ORDER BY t DESC LIMIT 1`, args...).Scan(&newest, &name)
		if err != nil && err != sql.ErrNoRows {
			return now, "", err
		}
		if t := fromMS(newest); err == nil && t.After(earliest) {
			earliest, what = t, fmt.Sprintf("the newest history of component %q", name)
		}
	}
	if at.Before(earliest) {
		return now, "", invalid("at", "%s is earlier than %s; the earliest allowed time is %s",
			showTime(requested, false), what, showTime(earliest.In(requested.Location()), true))
	}
	return at, " (backdated to " + at.Format(time.RFC3339) + ")", nil
}

// showTime writes a time for an error message, in the zone it was given in, to the second;
// rounded up when up is set, so that the time shown is still allowed.
func showTime(t time.Time, up bool) string {
	if s := t.Truncate(time.Second); up && !s.Equal(t) {
		t = s.Add(time.Second)
	} else {
		t = s
	}
	return t.Format(time.RFC3339)
}
