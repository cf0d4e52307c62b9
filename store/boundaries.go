package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// A maintenance window's state is read from the clock, so reads never wait for anything to
// happen at a boundary. What the boundaries leave behind (the status history of the covered
// components, the audit entries, the timeline entries, the events for notifications and the
// next occurrence of a series) is written once, by the first process that sees the boundary
// pass: inside an IMMEDIATE transaction a boundary's flag is checked and set, so two processes
// seeing it at once write it once.

// boundary is one passed moment of a window whose traces are not written yet.
type boundary struct {
	at   time.Time
	kind int // boundaryReminder, boundaryStart, boundaryEnd: the order at the same instant
	id   int64
}

const (
	boundaryReminder = iota
	boundaryStart
	boundaryEnd
)

// RecordBoundaries writes what every maintenance boundary passed by now leaves behind, if no
// process has yet. It writes nothing (and takes no write lock) when nothing is due. It
// reports whether it wrote.
func (s *Store) RecordBoundaries(ctx context.Context) (bool, error) {
	now := s.now()
	due, ok, err := s.NextBoundary(ctx)
	if err != nil || !ok || due.After(now) {
		return false, err
	}
	wrote := false
	err = s.write(ctx, system, func(tx *sql.Tx, now time.Time) error {
		n, err := recordBoundaries(ctx, tx, now)
		wrote = n > 0
		return err
	})
	return wrote, err
}

// NextBoundary is the time of the earliest boundary whose traces are not yet written (it may
// be in the past), and false when there is none.
func (s *Store) NextBoundary(ctx context.Context) (time.Time, bool, error) {
	var next sql.NullInt64
	err := s.r.QueryRowContext(ctx, `SELECT min(CASE WHEN started = 0 THEN
			CASE WHEN reminded = 0 THEN starts_at - ? ELSE starts_at END ELSE ends_at END)
		FROM maintenances WHERE ended = 0`, ReminderLead.Milliseconds()).Scan(&next)
	if err != nil || !next.Valid {
		return time.Time{}, false, err
	}
	return fromMS(next.Int64), true, nil
}

// recordBoundaries writes, in time order, the traces of every boundary passed by now that
// are not written yet, including those of occurrences it makes on the way. It returns how
// many it wrote.
func recordBoundaries(ctx context.Context, tx *sql.Tx, now time.Time) (int, error) {
	total := 0
	for {
		due, err := dueBoundaries(tx, now)
		if err != nil || len(due) == 0 {
			return total, err
		}
		for _, b := range due {
			var err error
			switch b.kind {
			case boundaryReminder:
				err = remind(tx, b)
			case boundaryStart:
				err = start(ctx, tx, b)
			case boundaryEnd:
				err = end(ctx, tx, b)
			}
			if err != nil {
				return total, err
			}
			total++
		}
	}
}

func dueBoundaries(tx *sql.Tx, now time.Time) ([]boundary, error) {
	rows, err := tx.Query(`SELECT id, starts_at, ends_at, reminded, started FROM maintenances
		WHERE ended = 0 AND starts_at <= ?`, ms(now.Add(ReminderLead)))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var due []boundary
	for rows.Next() {
		var id, startMS, endMS int64
		var reminded, started bool
		if err := rows.Scan(&id, &startMS, &endMS, &reminded, &started); err != nil {
			return nil, err
		}
		startAt, endAt := fromMS(startMS), fromMS(endMS)
		switch {
		case !started && startAt.After(now):
			if !reminded {
				due = append(due, boundary{startAt.Add(-ReminderLead), boundaryReminder, id})
			}
			continue
		case !started:
			due = append(due, boundary{startAt, boundaryStart, id})
		}
		if !endAt.After(now) {
			due = append(due, boundary{endAt, boundaryEnd, id})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.Slice(due, func(a, b int) bool {
		x, y := due[a], due[b]
		if !x.at.Equal(y.at) {
			return x.at.Before(y.at)
		}
		if x.kind != y.kind {
			return x.kind < y.kind
		}
		return x.id < y.id
	})
	return due, nil
}

// claim sets a boundary's flag and reports whether this transaction was the one to set it.
func claim(tx *sql.Tx, id int64, set, unless string) (bool, error) {
	res, err := tx.Exec(`UPDATE maintenances SET `+set+` WHERE id = ? AND NOT (`+unless+`)`, id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func remind(tx *sql.Tx, b boundary) error {
	if ok, err := claim(tx, b.id, "reminded = 1", "reminded"); !ok || err != nil {
		return err
	}
	return maintenanceEvent(tx, b.id, "reminder", b.at)
}

func start(ctx context.Context, tx *sql.Tx, b boundary) error {
	if ok, err := claim(tx, b.id, "reminded = 1, started = 1", "started"); !ok || err != nil {
		return err
	}
	var title string
	var created int64
	if err := tx.QueryRow(`SELECT title, created_at FROM maintenances WHERE id = ?`, b.id).Scan(&title, &created); err != nil {
		return err
	}
	// A window scheduled with a start already past starts when it is scheduled: nothing was
	// under maintenance before anyone said so.
	if c := fromMS(created); c.After(b.at) {
		b.at = c
	}
	if err := settleCovered(ctx, tx, b); err != nil {
		return err
	}
	if _, err := insertMaintenanceUpdate(tx, MaintenanceUpdate{MaintenanceID: b.id, Status: MaintenanceInProgress,
		Message: "The maintenance has started.", Author: system.Name, CreatedAt: b.at}); err != nil {
		return err
	}
	if err := maintenanceEvent(tx, b.id, "started", b.at); err != nil {
		return err
	}
	if err := audit(ctx, tx, b.at, system, "maintenance.start", fmt.Sprintf("maintenance #%d", b.id), title); err != nil {
		return err
	}
	return scheduleNext(ctx, tx, b.id, b.at)
}

func end(ctx context.Context, tx *sql.Tx, b boundary) error {
	if ok, err := claim(tx, b.id, "reminded = 1, started = 1, ended = 1", "ended"); !ok || err != nil {
		return err
	}
	if err := settleCovered(ctx, tx, b); err != nil {
		return err
	}
	var title string
	var early bool
	if err := tx.QueryRow(`SELECT title, finished_at IS NOT NULL OR cancelled_at IS NOT NULL FROM maintenances WHERE id = ?`, b.id).
		Scan(&title, &early); err != nil {
		return err
	}
	if early {
		return nil // the responder's finish or cancel wrote the timeline, event and audit
	}
	if _, err := insertMaintenanceUpdate(tx, MaintenanceUpdate{MaintenanceID: b.id, Status: MaintenanceCompleted,
		Message: "The maintenance is completed.", Author: system.Name, CreatedAt: b.at}); err != nil {
		return err
	}
	if err := maintenanceEvent(tx, b.id, "completed", b.at); err != nil {
		return err
	}
	return audit(ctx, tx, b.at, system, "maintenance.complete", fmt.Sprintf("maintenance #%d", b.id), title)
}

// settleCovered brings the effective statuses of a window's components in line at its
// boundary, recording each move at the boundary's time, or just after the component's newest
// history row when that is later (history is only ever appended to).
func settleCovered(ctx context.Context, tx *sql.Tx, b boundary) error {
	rows, err := tx.Query(`SELECT mc.component_id, coalesce((SELECT max(at) FROM status_changes sc WHERE sc.component_id = mc.component_id), 0)
		FROM maintenance_components mc WHERE mc.maintenance_id = ?`, b.id)
	if err != nil {
		return err
	}
	type covered struct {
		id   int64
		last int64
	}
	var list []covered
	for rows.Next() {
		var c covered
		if err := rows.Scan(&c.id, &c.last); err != nil {
			rows.Close()
			return err
		}
		list = append(list, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range list {
		at := b.at
		if last := fromMS(c.last); last.After(at) {
			at = last
		}
		if err := refreshEffectiveAt(ctx, tx, at, b.at, []int64{c.id}, cause{kind: "maintenance", maintenance: b.id}); err != nil {
			return err
		}
	}
	return nil
}

// scheduleNext makes the next occurrence of the series the started window belongs to, unless
// the series is over (by its count or its until).
func scheduleNext(ctx context.Context, tx *sql.Tx, id int64, now time.Time) error {
	var every Recurrence
	var zone, title string
	var vis Visibility
	var series int64
	var occurrence int
	var until, count sql.NullInt64
	err := tx.QueryRow(`SELECT every, zone, title, visibility, coalesce(series_id, id), occurrence, series_until, series_count
		FROM maintenances WHERE id = ?`, id).Scan(&every, &zone, &title, &vis, &series, &occurrence, &until, &count)
	if err != nil || every == Once {
		return err
	}
	if count.Valid && int64(occurrence) >= count.Int64 {
		return nil
	}
	var firstStart, firstEnd int64
	var message, author string
	if err := tx.QueryRow(`SELECT m.starts_at, m.planned_ends_at, u.message, u.author FROM maintenances m
		JOIN maintenance_updates u ON u.maintenance_id = m.id WHERE m.id = ? ORDER BY u.id LIMIT 1`, series).
		Scan(&firstStart, &firstEnd, &message, &author); err != nil {
		return err
	}
	loc := loadZone(zone)
	nextStart, nextEnd := Occurrence(fromMS(firstStart).In(loc), fromMS(firstEnd).In(loc), every, occurrence)
	if until.Valid && ms(nextStart) >= until.Int64 {
		return nil
	}
	var components []int64
	rows, err := tx.Query(`SELECT component_id FROM maintenance_components WHERE maintenance_id = ?`, id)
	if err != nil {
		return err
	}
	for rows.Next() {
		var c int64
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return err
		}
		components = append(components, c)
	}
	rows.Close()
	next, err := insertMaintenance(tx, now, maintenanceRow{
		title: title, visibility: vis, start: nextStart, end: nextEnd, every: every, zone: zone,
		series: series, occurrence: occurrence + 1, until: nullable(until), count: nullable(count),
		components: components, message: message, author: author,
	})
	if err != nil {
		return err
	}
	return audit(ctx, tx, now, system, "maintenance.add", fmt.Sprintf("maintenance #%d", next),
		fmt.Sprintf("%s (occurrence %d of the series of #%d)", title, occurrence+1, series))
}

func nullable(v sql.NullInt64) any {
	if v.Valid {
		return v.Int64
	}
	return nil
}

// Occurrence returns the window of the occurrence that follows n earlier ones in a series
// whose first window is start–end. Wall-clock times are kept in the zone of start (so a
// window at 22:00 stays at 22:00 across a daylight-saving change); a monthly window on a day
// a month lacks falls on that month's last day.
func Occurrence(start, end time.Time, every Recurrence, n int) (time.Time, time.Time) {
	loc := start.Location()
	end = end.In(loc)
	y, mo, d := start.Date()
	switch every {
	case Daily:
		d += n
	case Weekly:
		d += 7 * n
	case Monthly:
		mo += time.Month(n)
		if last := time.Date(y, mo+1, 0, 0, 0, 0, 0, loc).Day(); d > last {
			d = last
		}
	}
	nextStart := time.Date(y, mo, d, start.Hour(), start.Minute(), start.Second(), start.Nanosecond(), loc)
	// The end keeps its wall-clock time and its distance in days from the start.
	sy, sm, sd := start.Date()
	ey, em, ed := end.Date()
	days := int(time.Date(ey, em, ed, 0, 0, 0, 0, time.UTC).Sub(time.Date(sy, sm, sd, 0, 0, 0, 0, time.UTC)) / (24 * time.Hour))
	ny, nm, nd := nextStart.Date()
	nextEnd := time.Date(ny, nm, nd+days, end.Hour(), end.Minute(), end.Second(), end.Nanosecond(), loc)
	if !nextEnd.After(nextStart) {
		nextEnd = nextStart.Add(end.Sub(start))
	}
	return nextStart, nextEnd
}

func period(every Recurrence) time.Duration {
	switch every {
	case Daily:
		return 24 * time.Hour
	case Weekly:
		return 7 * 24 * time.Hour
	}
	return 28 * 24 * time.Hour
}

func periodWords(every Recurrence) string {
	switch every {
	case Daily:
		return "a day"
	case Weekly:
		return "a week"
	}
	return "28 days"
}

// zoneName names loc so that another process can load it again: its IANA name, found for
// the local zone from $TZ or /etc/localtime; UTC when it cannot be told.
func zoneName(loc *time.Location) string {
	name := loc.String()
	if name != "Local" {
		return name
	}
	if tz := strings.TrimPrefix(os.Getenv("TZ"), ":"); tz != "" {
		if _, err := time.LoadLocation(tz); err == nil {
			return tz
		}
	}
	if target, err := filepath.EvalSymlinks("/etc/localtime"); err == nil {
		if i := strings.Index(target, "zoneinfo/"); i >= 0 {
			if name := target[i+len("zoneinfo/"):]; name != "" {
				if _, err := time.LoadLocation(name); err == nil {
					return name
				}
			}
		}
	}
	return "UTC"
}

func loadZone(name string) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil {
		return loc
	}
	return time.UTC
}
