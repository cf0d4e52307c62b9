package store

import (
	"context"
	"database/sql"
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

	filter, args := "", []any{}
	if len(q.Components) > 0 {
		// Numbered after the ?1 and ?2 the queries begin with.
		marks := make([]string, len(q.Components))
		for i := range marks {
			marks[i] = fmt.Sprintf("?%d", i+3)
		}
		filter = ` WHERE c.id IN (` + strings.Join(marks, ",") + `)`
		for _, id := range q.Components {
			args = append(args, id)
		}
	}
	statusColumn := "c.effective_status"
	if q.Audience == ThePublic {
		statusColumn = "c.public_status"
	}
	type member struct {
		u       Uptime
		enabled bool
		created int64
		before  Status // the status in force when the period began
	}
	var comps []member
	index := map[int64]int{}
	// The status at the period's start is the last move before it; with none, what the first
	// move in the period moved away from; with no move at all, the status now.
	rows, err := tx.QueryContext(ctx, `SELECT c.id, c.name, coalesce(c.group_id, 0), c.enabled, c.created_at,
		coalesce(
			(SELECT sc.new_status FROM status_changes sc WHERE sc.component_id = c.id AND sc.audience = ?1 AND sc.at < ?2
			 ORDER BY sc.at DESC, sc.id DESC LIMIT 1),
			(SELECT sc.old_status FROM status_changes sc WHERE sc.component_id = c.id AND sc.audience = ?1 AND sc.at >= ?2
			 ORDER BY sc.at, sc.id LIMIT 1),
			`+statusColumn+`)`+componentFrom+filter+componentOrder, append([]any{q.Audience.String(), from}, args...)...)
	if err != nil {
		return rep, err
	}
	for rows.Next() {
		var m member
		if err := rows.Scan(&m.u.ComponentID, &m.u.Name, &m.u.GroupID, &m.enabled, &m.created, &m.before); err != nil {
			rows.Close()
			return rep, err
		}
		index[m.u.ComponentID] = len(comps)
		comps = append(comps, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return rep, err
	}

	// CROSS JOIN keeps components the outer loop, so each one is one range of the index
	// status_changes_audience, which holds every column read, in the order wanted. Statuses
	// come as their index in Statuses: integers cost far less to read than strings.
	history := make([][]historyRow, len(comps))
	rows, err = tx.QueryContext(ctx, `SELECT sc.component_id, sc.at, `+statusIndexSQL("sc.new_status")+`
		FROM components c CROSS JOIN status_changes sc ON sc.component_id = c.id AND sc.audience = ?1 AND sc.at >= ?2`+
		filter+` ORDER BY c.id, sc.at, sc.id`, append([]any{q.Audience.String(), from}, args...)...)
	if err != nil {
		return rep, err
	}
	for rows.Next() {
		var id int64
		var r historyRow
		var sev int
		if err := rows.Scan(&id, &r.at, &sev); err != nil {
			rows.Close()
			return rep, err
		}
		r.new = Statuses[min(max(sev, 0), len(Statuses)-1)]
		if n, ok := index[id]; ok {
			history[n] = append(history[n], r)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return rep, err
	}
	groups, err := readGroups(ctx, tx)
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
	return rep, nil
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
