package store

import (
	"context"
	"database/sql"
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
		filter = ` WHERE c.id IN (?` + strings.Repeat(",?", len(q.Components)-1) + `)`
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
		current Status
		group   string
	}
	var comps []member
	index := map[int64]int{}
	rows, err := tx.QueryContext(ctx, `SELECT c.id, c.name, coalesce(c.group_id, 0), coalesce(g.name, ''), c.enabled, c.created_at, `+
		statusColumn+componentFrom+filter+componentOrder, args...)
	if err != nil {
		return rep, err
	}
	for rows.Next() {
		var m member
		if err := rows.Scan(&m.u.ComponentID, &m.u.Name, &m.u.GroupID, &m.group, &m.enabled, &m.created, &m.current); err != nil {
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

	// CROSS JOIN keeps components the outer loop, so each one is one seek in the history's
	// (component_id, at) index and the rows come out in order without a sort.
	history := make([][]historyRow, len(comps))
	rows, err = tx.QueryContext(ctx, `SELECT sc.component_id, sc.at, sc.old_status, sc.new_status
		FROM components c CROSS JOIN status_changes sc ON sc.component_id = c.id AND sc.at >= ? AND sc.audience = ?`+
		filter+` ORDER BY c.id, sc.at, sc.id`, append([]any{from, q.Audience.String()}, args...)...)
	if err != nil {
		return rep, err
	}
	var old, nw sql.RawBytes
	for rows.Next() {
		var id int64
		var r historyRow
		if err := rows.Scan(&id, &r.at, &old, &nw); err != nil {
			rows.Close()
			return rep, err
		}
		r.old, r.new = internStatus(old), internStatus(nw)
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
		tl := componentTimeline(m.created, from, end, history[n], m.current)
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
