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

// MaintenanceState is where a maintenance window stands. It is read from the clock: scheduled
// before the start, in progress inside the window, completed after the end, unless a
// responder cancelled it.
type MaintenanceState string

// Maintenance states.
const (
	MaintenanceScheduled  MaintenanceState = "scheduled"
	MaintenanceInProgress MaintenanceState = "in_progress"
	MaintenanceCompleted  MaintenanceState = "completed"
	MaintenanceCancelled  MaintenanceState = "cancelled"
)

// Label is the state in words.
func (s MaintenanceState) Label() string {
	switch s {
	case MaintenanceScheduled:
		return "Scheduled"
	case MaintenanceInProgress:
		return "In progress"
	case MaintenanceCompleted:
		return "Completed"
	case MaintenanceCancelled:
		return "Cancelled"
	}
	return sanitize.Line(string(s))
}

// Statuspage is the state's name in Statuspage's API, which has no cancelled: a cancelled
// window is completed there.
func (s MaintenanceState) Statuspage() string {
	if s == MaintenanceCancelled {
		return string(MaintenanceCompleted)
	}
	return string(s)
}

// Recurrence is how often a maintenance window repeats; "" is once.
type Recurrence string

// Recurrences.
const (
	Once    Recurrence = ""
	Daily   Recurrence = "daily"
	Weekly  Recurrence = "weekly"
	Monthly Recurrence = "monthly"
)

// ParseRecurrence reads daily, weekly or monthly.
func ParseRecurrence(s string) (Recurrence, error) {
	switch r := Recurrence(normalizeWord(s)); r {
	case Daily, Weekly, Monthly:
		return r, nil
	}
	return "", invalid("every", "unknown recurrence %q; use daily, weekly or monthly", s)
}

// MaxMaintenanceLead is how far ahead a maintenance window may start.
const MaxMaintenanceLead = 366 * 24 * time.Hour

// ReminderLead is how long before its start a window's reminder event is recorded.
const ReminderLead = time.Hour

// Maintenance is a window of planned work over some components. Each occurrence of a
// recurring window is a Maintenance of its own.
type Maintenance struct {
	ID            int64
	Title         string
	Visibility    Visibility
	StartsAt      time.Time // the start given; readers are shown EffectiveStart
	EndsAt        time.Time // the real end: the planned one, or earlier once finished or cancelled
	PlannedEndsAt time.Time
	FinishedAt    time.Time // zero unless a responder finished it early
	CancelledAt   time.Time // zero unless cancelled
	Every         Recurrence
	SeriesID      int64 // the first occurrence of its series (its own id when it is the first)
	Occurrence    int   // 1 for the first
	Components    []MaintenanceComponent
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// MaintenanceComponent is one component a window covers.
type MaintenanceComponent struct {
	ID   int64
	Name string
}

// State is the window's state at now.
func (m Maintenance) State(now time.Time) MaintenanceState {
	switch {
	case !m.CancelledAt.IsZero():
		return MaintenanceCancelled
	case now.Before(m.StartsAt):
		return MaintenanceScheduled
	case now.Before(m.EndsAt):
		return MaintenanceInProgress
	}
	return MaintenanceCompleted
}

// EffectiveStart is when the window starts for every reader: its start, or the moment it was
// scheduled when that start had already passed, since nothing was under maintenance before
// anyone said so (its components' history and its timeline start there too). A window
// scheduled once over keeps the start given (see AfterTheFact). A series counts its
// occurrences from the start given.
func (m Maintenance) EffectiveStart() time.Time {
	if m.CreatedAt.After(m.StartsAt) && m.CreatedAt.Before(m.PlannedEndsAt) {
		return m.CreatedAt
	}
	return m.StartsAt
}

// AfterTheFact reports whether the window was scheduled only once it was over: a record of
// past work, with the times given, that held nothing under maintenance.
func (m Maintenance) AfterTheFact() bool {
	return m.CancelledAt.IsZero() && m.FinishedAt.IsZero() && !m.CreatedAt.Before(m.PlannedEndsAt)
}

// ResolvedAt is when the window was over by now: its end once completed (the planned one, or
// when a responder finished it), the moment it was called off once cancelled; zero while it
// is scheduled or in progress.
func (m Maintenance) ResolvedAt(now time.Time) time.Time {
	switch m.State(now) {
	case MaintenanceCompleted:
		return m.EndsAt
	case MaintenanceCancelled:
		return m.CancelledAt
	}
	return time.Time{}
}

// InProgress reports whether the window holds its components in maintenance at now.
func (m Maintenance) InProgress(now time.Time) bool {
	return !now.Before(m.StartsAt) && now.Before(m.EndsAt)
}

// Covers reports whether the window lists the component.
func (m Maintenance) Covers(componentID int64) bool {
	for _, c := range m.Components {
		if c.ID == componentID {
			return true
		}
	}
	return false
}

// ComponentNames lists the covered components' names, joined with ", ".
func (m Maintenance) ComponentNames() string {
	names := make([]string, len(m.Components))
	for i, c := range m.Components {
		names[i] = c.Name
	}
	return strings.Join(names, ", ")
}

// MaintenanceUpdate is one entry of a window's timeline.
type MaintenanceUpdate struct {
	ID            int64
	MaintenanceID int64
	Status        MaintenanceState // the window's state when it was written
	Message       string
	Author        string // "Beacon" for the entries Beacon writes itself at a start or an end
	CreatedAt     time.Time
}

// ByTheClock reports whether Beacon wrote the entry itself, at the window's start or end.
func (u MaintenanceUpdate) ByTheClock() bool { return u.Author == system.Name }

// ScheduledText is what the entry that schedules a window says when it was written without a
// message.
const ScheduledText = "This maintenance is scheduled."

// AfterTheFactText is what the one entry of a window scheduled once over says when it was
// written without a message.
const AfterTheFactText = "This maintenance was posted after it had ended."

// Body is the entry's text as readers see it: its message, or for an entry that scheduled a
// window without one, ScheduledText.
func (u MaintenanceUpdate) Body() string {
	if u.Message == "" && u.Status == MaintenanceScheduled {
		return ScheduledText
	}
	return u.Message
}

// MaintenanceDetail is a window with its timeline, newest entry first.
type MaintenanceDetail struct {
	Maintenance
	Updates []MaintenanceUpdate
}

// NewMaintenance is what AddMaintenance needs.
type NewMaintenance struct {
	Title      string
	Message    string
	Visibility Visibility // public (default) or internal
	StartsAt   time.Time
	EndsAt     time.Time
	Components []int64

	Every Recurrence
	Until time.Time      // for a series: occurrences start before this (zero: no limit)
	Count int            // for a series: at most this many occurrences (0: no limit)
	Zone  *time.Location // the zone a series keeps its wall-clock times in (default time.Local)
}

// MaintenanceEvent is something that happened to a window, for notifications to deliver.
type MaintenanceEvent struct {
	ID            int64
	MaintenanceID int64
	Kind          string // scheduled, reminder, started, completed, cancelled
	At            time.Time
}

// system is the actor of the writes Beacon makes by itself, at a window's start and end: the
// audit entries and the timeline entries it writes name it.
var system = Actor{Name: "Beacon"}

// AddMaintenance schedules a window (or the first occurrence of a series). A window whose
// start has already passed starts at once: it holds its components from now, never earlier.
// A window whose end has passed too is recorded after the fact, completed, holding nothing;
// a series must not begin with one.
func (s *Store) AddMaintenance(ctx context.Context, actor Actor, in NewMaintenance) (MaintenanceDetail, error) {
	title, err := CleanTitle(in.Title)
	if err != nil {
		return MaintenanceDetail{}, err
	}
	msg, err := CleanMessage(in.Message)
	if err != nil {
		return MaintenanceDetail{}, err
	}
	if in.Visibility == "" {
		in.Visibility = Public
	}
	if in.Visibility != Public && in.Visibility != Internal {
		return MaintenanceDetail{}, invalid("visibility", "unknown visibility %q; use public or internal", in.Visibility)
	}
	if len(in.Components) == 0 {
		return MaintenanceDetail{}, invalid("component", "a maintenance needs at least one component")
	}
	if in.StartsAt.IsZero() || in.EndsAt.IsZero() {
		return MaintenanceDetail{}, invalid("window", "a maintenance needs a start and an end")
	}
	if !in.EndsAt.After(in.StartsAt) {
		return MaintenanceDetail{}, invalid("end", "the end (%s) must be after the start (%s)", in.EndsAt.Format(time.RFC3339), in.StartsAt.Format(time.RFC3339))
	}
	if in.Every != Once {
		if _, err := ParseRecurrence(string(in.Every)); err != nil {
			return MaintenanceDetail{}, err
		}
		if in.EndsAt.Sub(in.StartsAt) >= period(in.Every) {
			return MaintenanceDetail{}, invalid("end", "a %s window must be shorter than %s, or its occurrences would overlap", in.Every, periodWords(in.Every))
		}
		if !in.Until.IsZero() && !in.Until.After(in.StartsAt) {
			return MaintenanceDetail{}, invalid("until", "the series would end before its first start")
		}
		if in.Count < 0 {
			return MaintenanceDetail{}, invalid("count", "must be at least 1")
		}
	} else if !in.Until.IsZero() || in.Count != 0 {
		return MaintenanceDetail{}, invalid("every", "an end to a series (until or count) needs a recurrence (every)")
	}
	zone := in.Zone
	if zone == nil {
		zone = time.Local
	}
	var id int64
	err = s.write(ctx, actor, func(tx *sql.Tx, now time.Time) error {
		if in.StartsAt.Sub(now) > MaxMaintenanceLead {
			return invalid("start", "%s is more than a year ahead; schedule it closer to the date", in.StartsAt.Format(time.RFC3339))
		}
		over := !in.EndsAt.After(now)
		if over && in.Every != Once {
			return invalid("end", "the first window of the series ended at %s, before now; start the series at an occurrence still to come", in.EndsAt.Format(time.RFC3339))
		}
		for _, c := range in.Components {
			if _, err := componentName(ctx, tx, c); err != nil {
				return err
			}
		}
		var until, count any
		if !in.Until.IsZero() {
			until = ms(in.Until)
		}
		if in.Count > 0 {
			count = in.Count
		}
		var err error
		id, err = insertMaintenance(tx, now, maintenanceRow{
			title: title, visibility: in.Visibility, start: in.StartsAt, end: in.EndsAt,
			every: in.Every, zone: zoneName(zone), occurrence: 1, until: until, count: count,
			components: in.Components, message: msg, author: actor.Name, over: over,
		})
		if err != nil {
			return err
		}
		if err := audit(ctx, tx, now, actor, "maintenance.add", fmt.Sprintf("maintenance #%d", id), title); err != nil {
			return err
		}
		_, err = recordBoundaries(ctx, tx, now)
		return err
	})
	if err != nil {
		return MaintenanceDetail{}, err
	}
	return s.Maintenance(ctx, id)
}

// maintenanceRow is one window to insert.
type maintenanceRow struct {
	title           string
	visibility      Visibility
	start, end      time.Time
	every           Recurrence
	zone            string
	series          any // nil for the first occurrence
	occurrence      int
	until, count    any
	components      []int64
	message, author string
	over            bool // the window ended before now: recorded after the fact
}

// insertMaintenance writes a scheduled window with its components, its first timeline entry
// and its scheduled event. A window already over is a record after the fact: its boundaries
// are settled at once (it holds nothing and its components' history is not touched), and its
// one entry and event say it is completed, at the moment it was recorded.
func insertMaintenance(tx *sql.Tx, now time.Time, r maintenanceRow) (int64, error) {
	res, err := tx.Exec(`INSERT INTO maintenances (title, visibility, starts_at, ends_at, planned_ends_at, every, zone,
		series_id, occurrence, series_until, series_count, reminded, started, ended, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.title, r.visibility, ms(r.start), ms(r.end), ms(r.end), r.every, r.zone,
		r.series, r.occurrence, r.until, r.count, r.over || r.start.Sub(now) <= ReminderLead, r.over, r.over, ms(now), ms(now))
	if err != nil {
		return 0, err
	}
	id, _ := res.LastInsertId()
	if r.series == nil {
		if _, err := tx.Exec(`UPDATE maintenances SET series_id = id WHERE id = ?`, id); err != nil {
			return 0, err
		}
	}
	for _, c := range r.components {
		if _, err := tx.Exec(`INSERT OR IGNORE INTO maintenance_components (maintenance_id, component_id) VALUES (?, ?)`, id, c); err != nil {
			return 0, err
		}
	}
	status, kind, message := MaintenanceScheduled, "scheduled", r.message
	if r.over {
		status, kind = MaintenanceCompleted, "completed"
		if message == "" {
			message = AfterTheFactText
		}
	}
	if _, err := tx.Exec(`INSERT INTO maintenance_updates (maintenance_id, status, message, author, created_at) VALUES (?, ?, ?, ?, ?)`,
		id, status, message, r.author, ms(now)); err != nil {
		return 0, err
	}
	return id, maintenanceEvent(tx, id, kind, now)
}

func maintenanceEvent(tx *sql.Tx, id int64, kind string, at time.Time) error {
	_, err := tx.Exec(`INSERT INTO maintenance_events (maintenance_id, kind, at) VALUES (?, ?, ?)`, id, kind, ms(at))
	return err
}

// PostMaintenanceUpdate adds an entry to a window's timeline. A window that is over
// (completed, finished or cancelled) is refused.
func (s *Store) PostMaintenanceUpdate(ctx context.Context, actor Actor, id int64, message string) (MaintenanceUpdate, error) {
	msg, err := CleanMessage(message)
	if err != nil {
		return MaintenanceUpdate{}, err
	}
	if msg == "" {
		return MaintenanceUpdate{}, invalid("message", "an update needs a message")
	}
	var u MaintenanceUpdate
	err = s.write(ctx, actor, func(tx *sql.Tx, now time.Time) error {
		if _, err := recordBoundaries(ctx, tx, now); err != nil {
			return err
		}
		m, err := openMaintenance(tx, id, now, "updated")
		if err != nil {
			return err
		}
		u = MaintenanceUpdate{MaintenanceID: id, Status: m.State(now), Message: msg, Author: actor.Name, CreatedAt: now}
		if u.ID, err = insertMaintenanceUpdate(tx, u); err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE maintenances SET updated_at = ? WHERE id = ?`, ms(now), id); err != nil {
			return err
		}
		return audit(ctx, tx, now, actor, "maintenance.update", fmt.Sprintf("maintenance #%d", id), "")
	})
	return u, err
}

func insertMaintenanceUpdate(tx *sql.Tx, u MaintenanceUpdate) (int64, error) {
	res, err := tx.Exec(`INSERT INTO maintenance_updates (maintenance_id, status, message, author, created_at) VALUES (?, ?, ?, ?, ?)`,
		u.MaintenanceID, u.Status, u.Message, u.Author, ms(u.CreatedAt))
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// openMaintenance reads a window inside a write and refuses it when it is over.
func openMaintenance(tx *sql.Tx, id int64, now time.Time, verb string) (Maintenance, error) {
	m, err := scanMaintenance(tx.QueryRow(`SELECT `+maintenanceColumns+` FROM maintenances WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return m, &NotFoundError{fmt.Sprintf("maintenance #%d", id)}
	}
	if err != nil {
		return m, err
	}
	switch st := m.State(now); {
	case st == MaintenanceCancelled:
		return m, &ConflictError{fmt.Sprintf("maintenance #%d was cancelled; it cannot be %s", id, verb)}
	case !m.FinishedAt.IsZero():
		return m, &ConflictError{fmt.Sprintf("maintenance #%d was finished; it cannot be %s", id, verb)}
	case st == MaintenanceCompleted:
		return m, &ConflictError{fmt.Sprintf("maintenance #%d is completed; it cannot be %s", id, verb)}
	}
	return m, nil
}

// FinishMaintenance ends a window in progress now, before its planned end.
func (s *Store) FinishMaintenance(ctx context.Context, actor Actor, id int64, message string) error {
	msg, err := CleanMessage(message)
	if err != nil {
		return err
	}
	return s.write(ctx, actor, func(tx *sql.Tx, now time.Time) error {
		if _, err := recordBoundaries(ctx, tx, now); err != nil {
			return err
		}
		m, err := openMaintenance(tx, id, now, "finished")
		if err != nil {
			return err
		}
		if m.State(now) == MaintenanceScheduled {
			return &ConflictError{fmt.Sprintf("maintenance #%d has not started; cancel it instead", id)}
		}
		return s.endEarly(ctx, tx, now, actor, m, msg, MaintenanceCompleted)
	})
}

// CancelMaintenance calls a window off, before or during it. Cancelling a scheduled
// occurrence of a series ends the series: no later occurrence is made.
func (s *Store) CancelMaintenance(ctx context.Context, actor Actor, id int64, message string) error {
	msg, err := CleanMessage(message)
	if err != nil {
		return err
	}
	return s.write(ctx, actor, func(tx *sql.Tx, now time.Time) error {
		if _, err := recordBoundaries(ctx, tx, now); err != nil {
			return err
		}
		m, err := openMaintenance(tx, id, now, "cancelled")
		if err != nil {
			return err
		}
		return s.endEarly(ctx, tx, now, actor, m, msg, MaintenanceCancelled)
	})
}

// endEarly finishes or cancels m at now, writing its timeline entry, event, audit and (when it
// was in progress) the history of its components coming back.
func (s *Store) endEarly(ctx context.Context, tx *sql.Tx, now time.Time, actor Actor, m Maintenance, msg string, to MaintenanceState) error {
	end := now
	if now.Before(m.StartsAt) {
		end = m.StartsAt // never held anything: an empty window
	}
	var err error
	if to == MaintenanceCancelled {
		_, err = tx.Exec(`UPDATE maintenances SET cancelled_at = ?, ends_at = ?, updated_at = ? WHERE id = ?`, ms(now), ms(end), ms(now), m.ID)
	} else {
		_, err = tx.Exec(`UPDATE maintenances SET finished_at = ?, ends_at = ?, updated_at = ? WHERE id = ?`, ms(now), ms(end), ms(now), m.ID)
	}
	if err != nil {
		return err
	}
	if now.Before(m.StartsAt) {
		// Nothing started, so nothing ends: the boundaries are settled here.
		if _, err := tx.Exec(`UPDATE maintenances SET reminded = 1, started = 1, ended = 1 WHERE id = ?`, m.ID); err != nil {
			return err
		}
	}
	if _, err := insertMaintenanceUpdate(tx, MaintenanceUpdate{MaintenanceID: m.ID, Status: to, Message: msg, Author: actor.Name, CreatedAt: now}); err != nil {
		return err
	}
	action, kind := "maintenance.finish", "completed"
	if to == MaintenanceCancelled {
		action, kind = "maintenance.cancel", "cancelled"
	}
	if err := maintenanceEvent(tx, m.ID, kind, now); err != nil {
		return err
	}
	if err := audit(ctx, tx, now, actor, action, fmt.Sprintf("maintenance #%d", m.ID), m.Title); err != nil {
		return err
	}
	_, err = recordBoundaries(ctx, tx, now)
	return err
}

const maintenanceColumns = `id, title, visibility, starts_at, ends_at, planned_ends_at, coalesce(finished_at, 0),
	coalesce(cancelled_at, 0), every, coalesce(series_id, id), occurrence, created_at, updated_at`

func scanMaintenance(row scanner) (Maintenance, error) {
	var m Maintenance
	var start, end, planned, finished, cancelled, created, updated int64
	err := row.Scan(&m.ID, &m.Title, &m.Visibility, &start, &end, &planned, &finished, &cancelled,
		&m.Every, &m.SeriesID, &m.Occurrence, &created, &updated)
	m.StartsAt, m.EndsAt, m.PlannedEndsAt = fromMS(start), fromMS(end), fromMS(planned)
	m.CreatedAt, m.UpdatedAt = fromMS(created), fromMS(updated)
	if finished != 0 {
		m.FinishedAt = fromMS(finished)
	}
	if cancelled != 0 {
		m.CancelledAt = fromMS(cancelled)
	}
	return m, err
}

// Maintenance reads one window with its components and its timeline, newest entry first.
func (s *Store) Maintenance(ctx context.Context, id int64) (MaintenanceDetail, error) {
	m, err := scanMaintenance(s.r.QueryRowContext(ctx, `SELECT `+maintenanceColumns+` FROM maintenances WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return MaintenanceDetail{}, &NotFoundError{fmt.Sprintf("maintenance #%d", id)}
	}
	if err != nil {
		return MaintenanceDetail{}, err
	}
	list := []Maintenance{m}
	if err := loadMaintenanceComponents(ctx, s.r, list); err != nil {
		return MaintenanceDetail{}, err
	}
	d := MaintenanceDetail{Maintenance: list[0]}
	rows, err := s.r.QueryContext(ctx, `SELECT id, maintenance_id, status, message, author, created_at
		FROM maintenance_updates WHERE maintenance_id = ? ORDER BY id DESC`, id)
	if err != nil {
		return d, err
	}
	defer rows.Close()
	for rows.Next() {
		u, err := scanMaintenanceUpdate(rows)
		if err != nil {
			return d, err
		}
		d.Updates = append(d.Updates, u)
	}
	return d, rows.Err()
}

// MaintenanceQuery asks for a list of windows.
type MaintenanceQuery struct {
	All        bool // past ones too (completed and cancelled), newest first after the rest
	PublicOnly bool // leave internal windows out
	Limit      int  // at most this many (0: all)
}

// Maintenances lists windows in progress, then scheduled ones by start; with All, past ones
// follow, newest first.
func (s *Store) Maintenances(ctx context.Context, q MaintenanceQuery) ([]Maintenance, error) {
	now := ms(s.now())
	where := []string{"ended = 0 AND ends_at > ? AND cancelled_at IS NULL"}
	args := []any{now}
	order := "starts_at, id"
	if q.All {
		where = []string{"1"}
		args = nil
		order = "(ends_at > ? AND cancelled_at IS NULL) DESC, CASE WHEN ends_at > ? AND cancelled_at IS NULL THEN starts_at ELSE -starts_at END, id"
	}
	if q.PublicOnly {
		where = append(where, "visibility = 'public'")
	}
	query := `SELECT ` + maintenanceColumns + ` FROM maintenances WHERE ` + strings.Join(where, " AND ") + ` ORDER BY ` + order
	if q.All {
		args = append(args, now, now)
	}
	if q.Limit > 0 {
		query += ` LIMIT ?`
		args = append(args, q.Limit)
	}
	return queryMaintenances(ctx, s.r, query, args...)
}

func queryMaintenances(ctx context.Context, q queryer, query string, args ...any) ([]Maintenance, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	var out []Maintenance
	for rows.Next() {
		m, err := scanMaintenance(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, loadMaintenanceComponents(ctx, q, out)
}

// loadMaintenanceComponents fills in the components of the given windows, by name.
func loadMaintenanceComponents(ctx context.Context, q queryer, list []Maintenance) error {
	if len(list) == 0 {
		return nil
	}
	idx := make(map[int64]int, len(list))
	args := make([]any, len(list))
	for n, m := range list {
		idx[m.ID] = n
		args[n] = m.ID
	}
	rows, err := q.QueryContext(ctx, `SELECT mc.maintenance_id, c.id, c.name
		FROM maintenance_components mc JOIN components c ON c.id = mc.component_id
		WHERE mc.maintenance_id IN (?`+strings.Repeat(",?", len(list)-1)+`) ORDER BY c.name`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var c MaintenanceComponent
		if err := rows.Scan(&id, &c.ID, &c.Name); err != nil {
			return err
		}
		list[idx[id]].Components = append(list[idx[id]].Components, c)
	}
	return rows.Err()
}

// MaintenanceHorizon is how far ahead the dashboard reads scheduled windows.
const MaintenanceHorizon = 7 * 24 * time.Hour

// currentMaintenances reads the windows in progress at now and those starting within the
// horizon, by start: the ones the dashboard shows and whose holds it applies.
func currentMaintenances(ctx context.Context, q queryer, now time.Time) ([]Maintenance, error) {
	// A window whose end has been written (ended = 1) ended before now: the partial index of
	// the others starts from the few windows still pending.
	return queryMaintenances(ctx, q, `SELECT `+maintenanceColumns+` FROM maintenances
		WHERE ended = 0 AND starts_at <= ? AND ends_at > ? AND cancelled_at IS NULL ORDER BY starts_at, id`,
		ms(now.Add(MaintenanceHorizon)), ms(now))
}

// MaintenanceEvents lists the recorded events after the given event id, oldest first, at most
// limit of them: the feed notifications deliver from.
func (s *Store) MaintenanceEvents(ctx context.Context, after int64, limit int) ([]MaintenanceEvent, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.r.QueryContext(ctx, `SELECT id, maintenance_id, kind, at FROM maintenance_events WHERE id > ? ORDER BY id LIMIT ?`, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []MaintenanceEvent
	for rows.Next() {
		var e MaintenanceEvent
		var at int64
		if err := rows.Scan(&e.ID, &e.MaintenanceID, &e.Kind, &at); err != nil {
			return nil, err
		}
		e.At = fromMS(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// maintenanceHoldsSQL lists, comma-separated, the visibilities of the windows in progress at
// the two time arguments (both now) that cover component c; empty when there is none.
const maintenanceHoldsSQL = `coalesce((SELECT group_concat(mw.visibility) FROM maintenances mw CROSS JOIN maintenance_components mc
		ON mc.maintenance_id = mw.id AND mc.component_id = c.id
		WHERE mw.ended = 0 AND mw.starts_at <= ? AND mw.ends_at > ?), '')`

// MaintenanceTimelines reads the timelines of the given windows in one query, keyed by window
// id, newest entry first.
func (s *Store) MaintenanceTimelines(ctx context.Context, ids []int64) (map[int64][]MaintenanceUpdate, error) {
	out := map[int64][]MaintenanceUpdate{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.r.QueryContext(ctx, `SELECT id, maintenance_id, status, message, author, created_at
		FROM maintenance_updates WHERE maintenance_id IN (?`+strings.Repeat(",?", len(ids)-1)+`) ORDER BY id DESC`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		u, err := scanMaintenanceUpdate(rows)
		if err != nil {
			return nil, err
		}
		out[u.MaintenanceID] = append(out[u.MaintenanceID], u)
	}
	return out, rows.Err()
}

func scanMaintenanceUpdate(row scanner) (MaintenanceUpdate, error) {
	var u MaintenanceUpdate
	var at int64
	err := row.Scan(&u.ID, &u.MaintenanceID, &u.Status, &u.Message, &u.Author, &at)
	u.CreatedAt = fromMS(at)
	if u.Author == "" {
		u.Author = system.Name // the clock's entries were written without a name by older builds
	}
	return u, err
}

// SetClock replaces the store's clock, for tests and simulations that need maintenance
// windows (read by the clock) at a fixed time. Set it before the store is used.
func (s *Store) SetClock(now func() time.Time) { s.now = now }
