package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The uptime totals: for each component and group and each audience, the totals of each UTC
// day on which its status moved (dayTotal), packed into one stored row per block of blockDays
// days (tables uptime_blocks and group_uptime_blocks) with the status in force when the block
// began. A day's totals run from its start (or the start of the record) up to its last move,
// whose status holds until the next such day: the reader finishes it at the day's end or now.
// Every write of history rewrites the totals from the day of the write on, in the same
// transaction; reads whose days are UTC days then read two or three rows per record instead of
// every move (Uptime walks the history for other zones).

const (
	dayMS     = int64(24 * time.Hour / time.Millisecond)
	blockDays = 64
	blockMS   = blockDays * dayMS
)

// utcDay is the first instant (Unix ms) of the UTC day that holds at.
func utcDay(at int64) int64 { return at - ((at%dayMS)+dayMS)%dayMS }

// blockOf is the first instant of the block of days that holds at.
func blockOf(at int64) int64 { return at - ((at%blockMS)+blockMS)%blockMS }

// utcDays reports whether the days of bounds are whole UTC days, which the totals are kept in.
func utcDays(bounds []int64) bool {
	for _, b := range bounds {
		if utcDay(b) != b {
			return false
		}
	}
	return true
}

// dayTotal is the totals of one day on which a status moved.
type dayTotal struct {
	day            int64
	major, partial int64 // ms before openAt
	worst          int   // severity of the worst status held before openAt; -1 for none
	openAt         int64 // the day's last move
	open           int   // the severity of its status (no pointers: a long record costs the collector nothing)
}

// openStatus is the status of the day's last move.
func (r dayTotal) openStatus() Status { return statusOf(r.open) }

// add counts d milliseconds in status s.
func (r *dayTotal) add(s Status, d int64) {
	switch s {
	case MajorOutage:
		r.major += d
	case PartialOutage:
		r.partial += d
	}
	r.worst = max(r.worst, severityIndex(s))
}

// foldDays turns a timeline (strictly increasing times) into the totals of the UTC days on
// which it has a point.
func foldDays(tl []statusAt) []dayTotal {
	var out []dayTotal
	for i, p := range tl {
		day := utcDay(p.at)
		if len(out) == 0 || out[len(out)-1].day != day {
			out = append(out, dayTotal{day: day, worst: -1})
		}
		r := &out[len(out)-1]
		if i > 0 {
			if a := max(tl[i-1].at, day); a < p.at {
				r.add(tl[i-1].status, p.at-a)
			}
		}
		r.openAt, r.open = p.at, severityIndex(p.status)
	}
	return out
}

// statusBefore is the status a timeline holds just before t, a move at t left out; "" when
// it starts at t or later.
func statusBefore(tl []statusAt, t int64) Status {
	s := Status("")
	for _, p := range tl {
		if p.at >= t {
			break
		}
		s = p.status
	}
	return s
}

// block is one stored row of totals.
type block struct {
	start int64
	first Status // in force just before start, so over every day up to it; "" when the record had not begun
	days  []dayTotal
}

func (b block) encode() []byte {
	buf := make([]byte, 0, 2+len(b.days)*12)
	buf = append(buf, byte(b.first.Severity()+1))
	buf = binary.AppendUvarint(buf, uint64(len(b.days)))
	for _, r := range b.days {
		buf = binary.AppendUvarint(buf, uint64((r.day-b.start)/dayMS))
		buf = binary.AppendUvarint(buf, uint64(r.major))
		buf = binary.AppendUvarint(buf, uint64(r.partial))
		buf = binary.AppendUvarint(buf, uint64(r.openAt-r.day))
		buf = append(buf, byte(r.worst+1), byte(r.open))
	}
	return buf
}

func decodeBlock(start int64, data []byte) (block, error) {
	b := block{start: start}
	var err error
	b.first, b.days, err = appendBlock(nil, start, data)
	return b, err
}

// appendBlock decodes a stored block: the status in force when it began, and its days,
// appended to dst.
func appendBlock(dst []dayTotal, start int64, data []byte) (Status, []dayTotal, error) {
	bad := func() error {
		return fmt.Errorf("uptime totals of the block at %s are damaged", fromMS(start).Format(time.DateOnly))
	}
	if len(data) == 0 {
		return "", dst, bad()
	}
	var first Status
	if data[0] > 0 {
		first = statusOf(int(data[0]) - 1)
	}
	count, n := binary.Uvarint(data[1:])
	if n <= 0 || count > uint64(len(data)) {
		return "", dst, bad()
	}
	data = data[1+n:]
	dst = slices.Grow(dst, int(count))
	for len(data) > 0 {
		var v [4]uint64
		for i := range v {
			n := 0
			if v[i], n = binary.Uvarint(data); n <= 0 {
				return "", dst, bad()
			}
			data = data[n:]
		}
		if len(data) < 2 || data[1] >= byte(len(Statuses)) {
			return "", dst, bad()
		}
		day := start + int64(v[0])*dayMS
		dst = append(dst, dayTotal{day: day, major: int64(v[1]), partial: int64(v[2]), openAt: day + int64(v[3]),
			worst: int(data[0]) - 1, open: int(data[1])})
		data = data[2:]
	}
	return first, dst, nil
}

// totalsTable names the table of totals of components or of groups.
type totalsTable struct{ table, owner string }

var (
	componentTotals = totalsTable{"uptime_blocks", "component_id"}
	groupTotals     = totalsTable{"group_uptime_blocks", "group_id"}
)

// keep rewrites owner's totals for audience a from the UTC day from on, given its timeline
// from then on, when its record began (created), and its status just before from (before).
// With fresh, no totals are stored yet.
func (t totalsTable) keep(ctx context.Context, q queryer, owner int64, a Audience, from, created int64, tl []statusAt, fresh bool, before Status) error {
	start := blockOf(from)
	head := block{start: start}
	found := false
	if !fresh {
		var data []byte
		err := q.QueryRowContext(ctx, `SELECT days FROM `+t.table+` WHERE audience = ? AND block = ? AND `+t.owner+` = ?`,
			a.String(), start, owner).Scan(&data)
		switch {
		case err == nil:
			if head, err = decodeBlock(start, data); err != nil {
				return err
			}
			found = true
			kept := head.days[:0]
			for _, r := range head.days {
				if r.day < from {
					kept = append(kept, r)
				}
			}
			head.days = kept
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		// Blocks after start exist only when history was written late; the one at start is
		// replaced below.
		if _, err := q.ExecContext(ctx, `DELETE FROM `+t.table+` WHERE audience = ?1 AND block > ?2 AND `+t.owner+` = ?3`,
			a.String(), start, owner); err != nil {
			return err
		}
	}
	if !found {
		// Nothing moved in the block before from, so what held at from held since the block
		// began, or since the record did.
		// A move at from itself stays a move: the status before it is what held.
		if len(tl) > 0 && tl[0].at == from && max(created, start) < from {
			tl = append([]statusAt{{max(created, start), before}}, tl...)
		}
		if created < start {
			head.first = before
		}
	}
	blocks := []block{head}
	for _, r := range foldDays(tl) {
		if b := blockOf(r.day); b != blocks[len(blocks)-1].start {
			blocks = append(blocks, block{start: b, first: statusBefore(tl, b)})
		}
		last := &blocks[len(blocks)-1]
		last.days = append(last.days, r)
	}
	for _, b := range blocks {
		if len(b.days) == 0 && b.first == "" {
			if found && b.start == start {
				if _, err := q.ExecContext(ctx, `DELETE FROM `+t.table+` WHERE audience = ?1 AND block = ?2 AND `+t.owner+` = ?3`,
					a.String(), start, owner); err != nil {
					return err
				}
			}
			continue
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO `+t.table+` (`+t.owner+`, audience, block, days) VALUES (?, ?, ?, ?)
			ON CONFLICT DO UPDATE SET days = excluded.days`, owner, a.String(), b.start, b.encode()); err != nil {
			return err
		}
	}
	return nil
}

// timelinesFrom reads the members filter keeps and their timelines of audience a from from on,
// open-ended.
func timelinesFrom(ctx context.Context, q queryer, a Audience, from int64, filter string, args []any) ([]member, [][]statusAt, error) {
	comps, index, err := readMembers(ctx, q, a, from, true, filter, args)
	if err != nil {
		return nil, nil, err
	}
	history, err := readHistory(ctx, q, a, from, filter, args, index, len(comps))
	if err != nil {
		return nil, nil, err
	}
	tls := make([][]statusAt, len(comps))
	for i, m := range comps {
		tls[i] = componentTimeline(m.created, from, math.MaxInt64, history[i], m.before)
	}
	return comps, tls, nil
}

// move is a component's status moving, as a write of history records it.
type move struct {
	component int64
	group     int64 // its group when it is an enabled member of one, else 0
	status    Status
}

// keepTotals brings the totals of audience a up to date with moves made at at, in the
// transaction that writes them: each moved component's and its group's. The usual write, later
// than everything stored, adds to the day's totals (appendMove); any other rewrites them from
// the day of the write on (rewriteTotals).
func keepTotals(ctx context.Context, q queryer, a Audience, moves []move, at int64) error {
	var slow []int64
	for _, m := range moves {
		ok, err := componentTotals.appendMove(ctx, q, m.component, a, at, m.status)
		if err != nil {
			return err
		}
		if !ok {
			slow = append(slow, m.component)
		}
	}
	if len(slow) > 0 {
		// Their groups too.
		if err := rewriteTotals(ctx, q, a, slow, at); err != nil {
			return err
		}
	}
	// The groups of the others, unless rewritten with a slow one.
	var groups []int64
	for _, m := range moves {
		if m.group != 0 && !slices.Contains(groups, m.group) && !slices.ContainsFunc(moves, func(o move) bool {
			return o.group == m.group && slices.Contains(slow, o.component)
		}) {
			groups = append(groups, m.group)
		}
	}
	for _, g := range groups {
		ok, err := appendGroupMove(ctx, q, g, a, at)
		if err != nil {
			return err
		}
		if !ok {
			if err := keepGroupTotals(ctx, q, a, g, at); err != nil {
				return err
			}
		}
	}
	return nil
}

// appendMove records in owner's stored totals for audience a that its status became s at at,
// when at is no earlier than anything stored for it and the block of at is stored: the usual
// write, whose cost does not grow with the day's moves. It reports false, changing nothing,
// when it cannot.
func (t totalsTable) appendMove(ctx context.Context, q queryer, owner int64, a Audience, at int64, s Status) (bool, error) {
	start := blockOf(at)
	var data []byte
	var later bool
	err := q.QueryRowContext(ctx, `SELECT days, EXISTS (SELECT 1 FROM `+t.table+` WHERE audience = ?1 AND block > ?2 AND `+t.owner+` = ?3)
		FROM `+t.table+` WHERE audience = ?1 AND block = ?2 AND `+t.owner+` = ?3`, a.String(), start, owner).Scan(&data, &later)
	if errors.Is(err, sql.ErrNoRows) || later {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	b, err := decodeBlock(start, data)
	if err != nil {
		return false, err
	}
	prev := b.first
	day := utcDay(at)
	if n := len(b.days); n > 0 {
		last := &b.days[n-1]
		if last.openAt > at {
			return false, nil
		}
		prev = last.openStatus()
		if last.day == day {
			if at > last.openAt {
				last.add(prev, at-last.openAt)
			}
			last.openAt, last.open = at, severityIndex(s)
			return true, t.put(ctx, q, owner, a, b)
		}
	}
	switch {
	case prev == "":
		return false, nil
	case prev == s:
		return true, nil // nothing moved: the days run on as they are
	}
	r := dayTotal{day: day, worst: -1, openAt: at, open: severityIndex(s)}
	if at > day {
		r.add(prev, at-day)
	}
	b.days = append(b.days, r)
	return true, t.put(ctx, q, owner, a, b)
}

// put stores block b of owner's totals for audience a.
func (t totalsTable) put(ctx context.Context, q queryer, owner int64, a Audience, b block) error {
	_, err := q.ExecContext(ctx, `INSERT INTO `+t.table+` (`+t.owner+`, audience, block, days) VALUES (?, ?, ?, ?)
		ON CONFLICT DO UPDATE SET days = excluded.days`, owner, a.String(), b.start, b.encode())
	return err
}

// appendGroupMove is appendMove for group g at at, its status the worst of its enabled
// members' stored statuses at at. It reports false when a member's cannot be read from the
// block of at.
func appendGroupMove(ctx context.Context, q queryer, g int64, a Audience, at int64) (bool, error) {
	start := blockOf(at)
	rows, err := q.QueryContext(ctx, `SELECT c.created_at, (SELECT d.days FROM uptime_blocks d
		WHERE d.audience = ?1 AND d.block = ?2 AND d.component_id = c.id) FROM components c WHERE c.group_id = ?3 AND c.enabled`,
		a.String(), start, g)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	worst := Status("")
	for rows.Next() {
		var created int64
		var data []byte
		if err := rows.Scan(&created, &data); err != nil {
			return false, err
		}
		if created > at {
			continue // not yet observed
		}
		if data == nil {
			return false, nil
		}
		b, err := decodeBlock(start, data)
		if err != nil {
			return false, err
		}
		s := b.first
		for _, r := range b.days {
			if r.openAt > at {
				return false, nil
			}
			s = r.openStatus()
		}
		if s == "" {
			return false, nil
		}
		if worst == "" || s.Severity() > worst.Severity() {
			worst = s
		}
	}
	if err := rows.Err(); err != nil || worst == "" {
		return false, err
	}
	rows.Close()
	return groupTotals.appendMove(ctx, q, g, a, at, worst)
}

// rewriteTotals rewrites the totals of components ids for audience a, and of their groups,
// from the UTC day of at on. A component in a group is read with the group's other enabled
// members, whose timelines the group's needs.
func rewriteTotals(ctx context.Context, q queryer, a Audience, ids []int64, at int64) error {
	from := utcDay(at)
	filter, args := idFilter(ids)
	rows, err := q.QueryContext(ctx, `SELECT c.id, CASE WHEN c.enabled THEN coalesce(c.group_id, 0) ELSE 0 END FROM components c`+filter,
		append([]any{nil, nil}, args...)...)
	if err != nil {
		return err
	}
	var alone []int64
	groups := map[int64][]int64{}
	for rows.Next() {
		var id, g int64
		if err := rows.Scan(&id, &g); err != nil {
			rows.Close()
			return err
		}
		if g == 0 {
			alone = append(alone, id)
		} else {
			groups[g] = append(groups[g], id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	keep := func(comps []member, tls [][]statusAt, which []int64) error {
		for i, m := range comps {
			if slices.Contains(which, m.u.ComponentID) {
				if err := componentTotals.keep(ctx, q, m.u.ComponentID, a, from, m.created, tls[i], false, m.before); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if len(alone) > 0 {
		f, fa := idFilter(alone)
		comps, tls, err := timelinesFrom(ctx, q, a, from, f, fa)
		if err != nil {
			return err
		}
		if err := keep(comps, tls, alone); err != nil {
			return err
		}
	}
	for g, moved := range groups {
		comps, tls, err := timelinesFrom(ctx, q, a, from, groupMembers, []any{g})
		if err != nil {
			return err
		}
		if err := keep(comps, tls, moved); err != nil {
			return err
		}
		if err := groupTotals.keep(ctx, q, g, a, from, earliest(comps), worstTimeline(tls), false, worstBefore(comps, from)); err != nil {
			return err
		}
	}
	return nil
}

// groupMembers is the filter (on components c) of a group's enabled members.
const groupMembers = ` WHERE c.group_id = ?3 AND c.enabled`

// keepGroupTotals rewrites group g's totals for audience a from the UTC day of at on.
func keepGroupTotals(ctx context.Context, q queryer, a Audience, g int64, at int64) error {
	from := utcDay(at)
	comps, tls, err := timelinesFrom(ctx, q, a, from, groupMembers, []any{g})
	if err != nil {
		return err
	}
	return groupTotals.keep(ctx, q, g, a, from, earliest(comps), worstTimeline(tls), false, worstBefore(comps, from))
}

// earliest is when the first of members was created: when their group's record begins.
func earliest(members []member) int64 {
	t := int64(math.MaxInt64)
	for _, m := range members {
		t = min(t, m.created)
	}
	return t
}

// regroupTotals rewrites the whole record of each of groups (0 is no group, skipped), for
// both audiences: what a change of which enabled components a group holds calls.
func regroupTotals(ctx context.Context, q queryer, groups ...int64) error {
	for _, g := range groups {
		if g == 0 {
			continue
		}
		for _, a := range []Audience{Responders, ThePublic} {
			if err := keepGroupTotals(ctx, q, a, g, 0); err != nil {
				return err
			}
		}
	}
	return nil
}

// groupOf is a component's group (0 for none).
func groupOf(ctx context.Context, q queryer, component int64) (int64, error) {
	var g int64
	err := q.QueryRowContext(ctx, `SELECT coalesce(group_id, 0) FROM components WHERE id = ?`, component).Scan(&g)
	return g, err
}

// rebuildTotals computes every stored total from the whole history: after a load, and when the
// schema that keeps totals is first applied.
func rebuildTotals(ctx context.Context, q queryer) error {
	for _, t := range []totalsTable{componentTotals, groupTotals} {
		if _, err := q.ExecContext(ctx, `DELETE FROM `+t.table); err != nil {
			return err
		}
	}
	groups, err := readGroups(ctx, q)
	if err != nil {
		return err
	}
	for _, a := range []Audience{Responders, ThePublic} {
		comps, tls, err := timelinesFrom(ctx, q, a, 0, "", nil)
		if err != nil {
			return err
		}
		members := map[int64][]member{}
		timelines := map[int64][][]statusAt{}
		for i, m := range comps {
			if err := componentTotals.keep(ctx, q, m.u.ComponentID, a, 0, m.created, tls[i], true, m.before); err != nil {
				return err
			}
			if m.enabled && m.u.GroupID != 0 {
				members[m.u.GroupID] = append(members[m.u.GroupID], m)
				timelines[m.u.GroupID] = append(timelines[m.u.GroupID], tls[i])
			}
		}
		for _, g := range groups {
			if err := groupTotals.keep(ctx, q, g.ID, a, 0, earliest(members[g.ID]), worstTimeline(timelines[g.ID]), true, worstBefore(members[g.ID], 0)); err != nil {
				return err
			}
		}
	}
	return nil
}

// storedRecord is what the totals say of one record over a period.
type storedRecord struct {
	carry Status     // in force when the period began
	days  []dayTotal // the period's days on which it moved
	ok    bool       // some block at or after the period's start was found
}

// readRecords reads the blocks that hold days at or after from, for audience a, of the
// owners the query selects (it selects owner, block, days, ordered by owner and block), by
// index. It reports false when a day moves after end: the totals then cannot answer for a
// period that ends before the newest history.
func readRecords(ctx context.Context, tx *sql.Tx, query string, args []any, index map[int64]int, n int, from, end int64) ([]storedRecord, bool, error) {
	out := make([]storedRecord, n)
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	var data sql.RawBytes // decoded before the next row, so never copied
	for rows.Next() {
		var owner, start int64
		if err := rows.Scan(&owner, &start, &data); err != nil {
			return nil, false, err
		}
		i, ok := index[owner]
		if !ok {
			continue
		}
		rec := &out[i]
		n := len(rec.days)
		first, days, err := appendBlock(rec.days, start, data)
		if err != nil {
			return nil, false, err
		}
		if !rec.ok {
			rec.carry, rec.ok = first, true
		}
		added := days[n:]
		for len(added) > 0 && added[0].day < from {
			rec.carry = added[0].openStatus()
			added = added[1:]
		}
		if len(added) > 0 && added[len(added)-1].openAt > end {
			return nil, false, nil
		}
		rec.days = append(days[:n], added...)
	}
	return out, true, rows.Err()
}

// tallyFromTotals fills rep from the stored totals and reports true, or reports false when
// they cannot answer: a day moves after the period's end, or a group has some but not all of
// its enabled members among comps, more than one (its record is then theirs alone).
// With each, the records go to it one by one instead of into rep, and share their days.
func tallyFromTotals(ctx context.Context, tx *sql.Tx, rep *UptimeReport, q UptimeQuery, comps []member, groups []Group,
	bounds []int64, end int64, filter string, args []any, each func(UptimeReport, Uptime) error) (bool, error) {
	from := bounds[0]
	index := make(map[int64]int, len(comps))
	selected := map[int64]int{} // enabled members among comps, by group
	created := map[int64]int64{}
	firstOf := map[int64]int{}
	for i, m := range comps {
		index[m.u.ComponentID] = i
		if m.enabled && m.u.GroupID != 0 {
			if selected[m.u.GroupID] == 0 {
				firstOf[m.u.GroupID] = i
				created[m.u.GroupID] = m.created
			}
			selected[m.u.GroupID]++
			created[m.u.GroupID] = min(created[m.u.GroupID], m.created)
		}
	}
	whole := map[int64]bool{} // groups whose stored record is wanted
	if len(q.Components) == 0 {
		for g, n := range selected {
			whole[g] = n > 1
		}
	} else if len(selected) > 0 {
		var gs []int64
		for g := range selected {
			gs = append(gs, g)
		}
		f, fa := idFilter(gs)
		rows, err := tx.QueryContext(ctx, `SELECT c.group_id, count(*) FROM components c`+strings.Replace(f, "c.id", "c.group_id", 1)+
			` AND c.enabled GROUP BY c.group_id`, append([]any{nil, nil}, fa...)...)
		if err != nil {
			return false, err
		}
		for rows.Next() {
			var g int64
			var n int
			if err := rows.Scan(&g, &n); err != nil {
				rows.Close()
				return false, err
			}
			switch k := selected[g]; {
			case k > 1 && k == n:
				whole[g] = true
			case k > 1:
				rows.Close()
				return false, nil
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return false, err
		}
	}

	// The blocks that hold the period's days: a day after end (history written later than the
	// period) is in the last of them, and readRecords refuses it.
	var blocks []string
	for b := blockOf(from); b <= blockOf(end); b += blockMS {
		blocks = append(blocks, strconv.FormatInt(b, 10))
	}
	inBlocks := ` AND block IN (` + strings.Join(blocks, ",") + `)`
	audience := q.Audience.String()
	ids := ""
	if len(q.Components) > 0 {
		ids = ` AND component_id IN (` + strings.Repeat("?,", len(q.Components)-1) + `?)`
	}
	recs, ok, err := readRecords(ctx, tx, `SELECT component_id, block, days FROM uptime_blocks WHERE audience = ?`+inBlocks+ids+` ORDER BY block`,
		append([]any{audience}, args...), index, len(comps), from, end)
	if err != nil || !ok {
		return false, err
	}
	// Components that did not move since before the period: what held then, from the history.
	var idle []int64
	for i, m := range comps {
		if !recs[i].ok {
			idle = append(idle, m.u.ComponentID)
		}
	}
	if len(idle) > 0 {
		f, a := idFilter(idle)
		before, _, err := readMembers(ctx, tx, q.Audience, from, true, f, a)
		if err != nil {
			return false, err
		}
		for _, m := range before {
			recs[index[m.u.ComponentID]].carry = m.before
		}
	}
	groupIndex := map[int64]int{}
	var wanted []Group
	for _, g := range groups {
		if whole[g.ID] {
			groupIndex[g.ID] = len(wanted)
			wanted = append(wanted, g)
		}
	}
	var groupRecs []storedRecord
	if len(wanted) > 0 {
		if groupRecs, ok, err = readRecords(ctx, tx, `SELECT group_id, block, days FROM group_uptime_blocks WHERE audience = ?`+inBlocks+` ORDER BY block`,
			[]any{audience}, groupIndex, len(wanted), from, end); err != nil || !ok {
			return false, err
		}
		// A group that did not move since before the period held its worst member then.
		for i, m := range comps {
			g, ok := groupIndex[m.u.GroupID]
			if !ok || groupRecs[g].ok || !m.enabled || m.created > from {
				continue
			}
			groupRecs[g].carry = Worst(groupRecs[g].carry, recs[i].carry)
		}
	}
	if err := tx.Commit(); err != nil {
		return false, err
	}

	dates := make([]time.Time, len(bounds)-1)
	for d := range dates {
		dates[d] = time.UnixMilli(bounds[d]).In(q.Location)
	}
	days := len(dates)
	head := *rep
	var all []UptimeDay
	emit := func(u Uptime) error { return each(head, u) }
	if each == nil {
		// Every record's days in one allocation, made before the work: the collector then has
		// one object to mark instead of a thousand appearing while it runs.
		all = make([]UptimeDay, (len(comps)+len(wanted))*days)
		rep.Components = make([]Uptime, 0, len(comps))
		emit = func(u Uptime) error {
			if u.ComponentID != 0 {
				rep.Components = append(rep.Components, u)
			} else {
				rep.Groups = append(rep.Groups, u)
			}
			return nil
		}
	} else {
		all = make([]UptimeDay, days) // every record's in turn
	}
	into := func(n int) []UptimeDay {
		if each != nil {
			return all
		}
		return all[n*days:]
	}
	alone := map[int]Uptime{} // the records of groups of one
	for i, m := range comps {
		u := tallyDays(recs[i].days, recs[i].carry, m.created, end, bounds, dates, q.PartialWeight, into(i))
		u.ComponentID, u.GroupID, u.Name = m.u.ComponentID, m.u.GroupID, m.u.Name
		if m.enabled && selected[m.u.GroupID] == 1 {
			g := u
			g.Days = append([]UptimeDay(nil), u.Days...)
			alone[i] = g
		}
		if err := emit(u); err != nil {
			return false, err
		}
	}
	for _, g := range groups {
		var u Uptime
		switch {
		case whole[g.ID]:
			r := groupRecs[groupIndex[g.ID]]
			u = tallyDays(r.days, r.carry, created[g.ID], end, bounds, dates, q.PartialWeight, into(len(comps)+groupIndex[g.ID]))
		case selected[g.ID] == 1:
			u = alone[firstOf[g.ID]] // a group of one is its member
			u.ComponentID = 0
		default:
			continue
		}
		u.GroupID, u.Name = g.ID, g.Name
		if err := emit(u); err != nil {
			return false, err
		}
	}
	return true, nil
}

// tallyDays applies the uptime rule, day by day over bounds (whole UTC days), to stored rows
// from bounds[0] on, with carry the status in force at bounds[0] and the record observed from
// created to end.
func tallyDays(rows []dayTotal, carry Status, created, end int64, bounds []int64, dates []time.Time, weight float64, into []UptimeDay) Uptime {
	days := len(bounds) - 1
	u := Uptime{Days: into[:days:days]}
	var sumObs, sumMajor, sumPartial int64
	j := 0
	for d := range u.Days {
		day := &u.Days[d]
		*day = UptimeDay{Date: dates[d]} // into may hold the record before
		var r *dayTotal
		if j < len(rows) && rows[j].day == bounds[d] {
			r = &rows[j]
			j++
		}
		a, b := max(bounds[d], created), min(bounds[d+1], end)
		if b > a {
			t := dayTotal{worst: -1}
			if r != nil {
				t = *r
				if oa := max(r.openAt, a); b > oa {
					t.add(r.openStatus(), b-oa)
				}
			} else {
				t.add(carry, b-a)
			}
			day.Observed = time.Duration(b-a) * time.Millisecond
			day.Major = time.Duration(t.major) * time.Millisecond
			day.Partial = time.Duration(t.partial) * time.Millisecond
			day.Down = downtime(day.Major, day.Partial, weight)
			if t.worst >= 0 {
				day.Worst = Statuses[t.worst]
			}
			sumObs += b - a
			sumMajor += t.major
			sumPartial += t.partial
		}
		if r != nil {
			carry = r.openStatus()
		}
	}
	u.Observed = time.Duration(sumObs) * time.Millisecond
	u.Major = time.Duration(sumMajor) * time.Millisecond
	u.Partial = time.Duration(sumPartial) * time.Millisecond
	u.Down = downtime(u.Major, u.Partial, weight)
	return u
}

// worstBefore is a group's status just before from: the worst of its members created before
// then; "" when none was.
func worstBefore(ms []member, from int64) Status {
	w := Status("")
	for _, m := range ms {
		if m.created < from {
			w = Worst(w, m.before)
		}
	}
	return w
}
