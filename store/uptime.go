package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// UptimeQuery says whose uptime to compute, over which days.
type UptimeQuery struct {
	Audience      Audience       // Responders count internal incidents; ThePublic never does
	Days          int            // how many days, today included; DefaultUptimeDays when 0
	Location      *time.Location // where days are cut at midnight; time.Local when nil
	PartialWeight float64        // share of partial-outage time counted as down: pass DefaultPartialWeight for the usual rule
	Components    []int64        // only these components; every one when empty
	Now           time.Time      // the period's end; the store's clock when zero
}

// UptimeReport is the uptime of components and their groups over one period.
type UptimeReport struct {
	From, To      time.Time // the first day's midnight, and the period's end (now)
	Location      *time.Location
	PartialWeight float64
	Components    []Uptime // in dashboard order
	Groups        []Uptime // each group with an enabled component in Components, in group order
}

// Uptime computes uptime by the rule of one function, from the status history of q.Audience:
//
//   - downtime is the time in major outage plus PartialWeight × the time in partial outage;
//     performance issues, maintenance and unknown count as up;
//   - time is observed from the component's creation; a day before it is "no data";
//   - uptime is 1 − downtime/observed, rounded down to two decimals (UptimePercent);
//   - each day (cut at midnight in q.Location) records its worst status;
//   - a group's record is its worst enabled member at each moment.
func (s *Store) Uptime(ctx context.Context, q UptimeQuery) (UptimeReport, error) {
	return s.uptime(ctx, q, totalsWhenTheyCan, nil)
}

// UptimeEach is Uptime handing the records to fn one at a time, components in dashboard
// order and then groups (a group's ComponentID is 0), each with the report's period and
// settings (head, without records), instead of returning them all: a long report never has
// to be held whole. A record's Days are fn's only until it returns. The returned report has
// no records.
func (s *Store) UptimeEach(ctx context.Context, q UptimeQuery, fn func(head UptimeReport, u Uptime) error) (UptimeReport, error) {
	return s.uptime(ctx, q, totalsWhenTheyCan, fn)
}

// uptimeSource says where uptime may come from.
type uptimeSource int

const (
	totalsWhenTheyCan uptimeSource = iota // the stored daily totals when they can answer, else the history
	historyOnly
	totalsOnly // an error when the totals cannot answer
)

// errNoTotals is uptime's answer with totalsOnly when the stored totals cannot answer.
var errNoTotals = errors.New("the stored uptime totals cannot answer this query")

// uptime is Uptime, from the source src allows.
func (s *Store) uptime(ctx context.Context, q UptimeQuery, src uptimeSource, each func(UptimeReport, Uptime) error) (UptimeReport, error) {
	if q.Days == 0 {
		q.Days = DefaultUptimeDays
	}
	if q.Days < 1 || q.Days > 3660 {
		return UptimeReport{}, invalid("days", "%d days is out of range; use 1 to 3660", q.Days)
	}
	if q.PartialWeight < 0 || q.PartialWeight > 1 {
		return UptimeReport{}, invalid("partial weight", "%g is out of range; use a number from 0 to 1", q.PartialWeight)
	}
	if q.Location == nil {
		q.Location = time.Local
	}
	if q.Now.IsZero() {
		q.Now = s.now()
	}
	bounds := dayBounds(q.Now, q.Days, q.Location)
	from, end := bounds[0], ms(q.Now)
	rep := UptimeReport{From: fromMS(from).In(q.Location), To: q.Now.In(q.Location), Location: q.Location, PartialWeight: q.PartialWeight}

	conn, err := s.r.Conn(ctx)
	if err != nil {
		return rep, err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return rep, err
	}
	defer tx.Rollback()

	filter, args := idFilter(q.Components)
	groups, err := readGroups(ctx, tx)
	if err != nil {
		return rep, err
	}
	if src != historyOnly && utcDays(bounds) {
		comps, _, err := readMembers(ctx, tx, q.Audience, from, false, filter, args)
		if err != nil {
			return rep, err
		}
		done, err := tallyFromTotals(ctx, tx, &rep, q, comps, groups, bounds, end, filter, args, each)
		if err != nil || done {
			return rep, err
		}
	}
	if src == totalsOnly {
		return rep, errNoTotals
	}
	comps, index, err := readMembers(ctx, tx, q.Audience, from, true, filter, args)
	if err != nil {
		return rep, err
	}
	history, err := readHistory(ctx, tx, q.Audience, from, filter, args, index, len(comps))
	if err != nil {
		return rep, err
	}
	if err := tx.Commit(); err != nil {
		return rep, err
	}

	members := map[int64][][]statusAt{}
	rep.Components = make([]Uptime, len(comps))
	for n, m := range comps {
		tl := componentTimeline(m.created, from, end, history[n], m.before)
		u := tally(tl, end, bounds, q.PartialWeight, q.Location)
		u.ComponentID, u.GroupID, u.Name = m.u.ComponentID, m.u.GroupID, m.u.Name
		rep.Components[n] = u
		if m.enabled && m.u.GroupID != 0 {
			members[m.u.GroupID] = append(members[m.u.GroupID], tl)
		}
	}
	for _, g := range groups {
		tls, ok := members[g.ID]
		if !ok {
			continue
		}
		u := tally(worstTimeline(tls), end, bounds, q.PartialWeight, q.Location)
		u.GroupID, u.Name = g.ID, g.Name
		rep.Groups = append(rep.Groups, u)
	}
	if each != nil {
		records := append(rep.Components, rep.Groups...)
		rep.Components, rep.Groups = nil, nil
		for _, u := range records {
			if err := each(rep, u); err != nil {
				return rep, err
			}
		}
	}
	return rep, nil
}

// member is a component as the uptime rule reads it.
type member struct {
	u       Uptime
	enabled bool
	created int64
	before  Status // the status in force when the period began
}

// idFilter is the WHERE clause (on components c) and arguments that keep only ids, every
// component when there are none. Its marks are numbered after the ?1 and ?2 that readMembers
// and readHistory begin with.
func idFilter(ids []int64) (string, []any) {
	if len(ids) == 0 {
		return "", nil
	}
	marks := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		marks[i] = fmt.Sprintf("?%d", i+3)
		args[i] = id
	}
	return ` WHERE c.id IN (` + strings.Join(marks, ",") + `)`, args
}

// readMembers reads the components filter keeps, in dashboard order, each with the status of
// audience a in force at from, and their index by id.
// Without withBefore, a member's before is its status now.
func readMembers(ctx context.Context, q queryer, a Audience, from int64, withBefore bool, filter string, args []any) ([]member, map[int64]int, error) {
	status := "c.effective_status"
	if a == ThePublic {
		status = "c.public_status"
	}
	if withBefore {
		// The status at the period's start is the last move before it; with none, what the
		// first move in the period moved away from; with no move at all, the status now.
		status = `coalesce(
			(SELECT sc.new_status FROM status_changes sc WHERE sc.component_id = c.id AND sc.audience = ?1 AND sc.at < ?2
			 ORDER BY sc.at DESC, sc.id DESC LIMIT 1),
			(SELECT sc.old_status FROM status_changes sc WHERE sc.component_id = c.id AND sc.audience = ?1 AND sc.at >= ?2
			 ORDER BY sc.at, sc.id LIMIT 1),
			` + status + `)`
	}
	rows, err := q.QueryContext(ctx, `SELECT c.id, c.name, coalesce(c.group_id, 0), c.enabled, c.created_at, `+
		status+componentFrom+filter+componentOrder, append([]any{a.String(), from}, args...)...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var comps []member
	index := map[int64]int{}
	for rows.Next() {
		var m member
		if err := rows.Scan(&m.u.ComponentID, &m.u.Name, &m.u.GroupID, &m.enabled, &m.created, &m.before); err != nil {
			return nil, nil, err
		}
		index[m.u.ComponentID] = len(comps)
		comps = append(comps, m)
	}
	return comps, index, rows.Err()
}

// readHistory reads audience a's moves at or after from of the components filter keeps,
// oldest first, grouped by the members' index.
func readHistory(ctx context.Context, q queryer, a Audience, from int64, filter string, args []any, index map[int64]int, n int) ([][]historyRow, error) {
	// CROSS JOIN keeps components the outer loop, so each one is one range of the index
	// status_changes_audience, which holds every column read, in the order wanted. Statuses
	// come as their index in Statuses: integers cost far less to read than strings.
	history := make([][]historyRow, n)
	rows, err := q.QueryContext(ctx, `SELECT sc.component_id, sc.at, `+statusIndexSQL("sc.new_status")+`
		FROM components c CROSS JOIN status_changes sc ON sc.component_id = c.id AND sc.audience = ?1 AND sc.at >= ?2`+
		filter+` ORDER BY c.id, sc.at, sc.id`, append([]any{a.String(), from}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var r historyRow
		var sev int
		if err := rows.Scan(&id, &r.at, &sev); err != nil {
			return nil, err
		}
		r.new = statusOf(sev)
		if i, ok := index[id]; ok {
			history[i] = append(history[i], r)
		}
	}
	return history, rows.Err()
}

// statusOf is the status at index sev in Statuses (unknown out of range).
func statusOf(sev int) Status {
	if sev < 0 || sev >= len(Statuses) {
		return Unknown
	}
	return Statuses[sev]
}

// statusIndexSQL is SQL for the index in Statuses of the status in column (unknown for a slug
// it does not know).
func statusIndexSQL(column string) string {
	var b strings.Builder
	b.WriteString("CASE " + column)
	for i, st := range Statuses {
		fmt.Fprintf(&b, " WHEN '%s' THEN %d", st, i)
	}
	fmt.Fprintf(&b, " ELSE %d END", Unknown.Severity())
	return b.String()
}

// ComponentIncidents lists the incidents that impose, imposed or (lifted before the fix)
// once imposed a status on a component, newest first, at most limit of them (50 when limit
// is 0).
func (s *Store) ComponentIncidents(ctx context.Context, componentID int64, limit int) ([]Incident, error) {
	if limit <= 0 {
		limit = 50
	}
	// Each index (component_id, incident_id), read backwards: no sort of either.
	return s.queryIncidents(ctx, `SELECT `+incidentColumns+` FROM incidents WHERE id IN (
		SELECT incident_id FROM impacts WHERE component_id = ? ORDER BY incident_id DESC LIMIT ?)
		OR id IN (SELECT incident_id FROM lifted_impacts WHERE component_id = ? ORDER BY incident_id DESC LIMIT ?)
		ORDER BY id DESC LIMIT ?`, componentID, limit, componentID, limit, limit)
}
