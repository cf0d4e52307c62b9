package store

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"time"
)

// DefaultPartialWeight is the share of partial-outage time that counts as downtime
// (Statuspage's published weighting).
const DefaultPartialWeight = 0.3

// DefaultUptimeDays is the length of the usual uptime record.
const DefaultUptimeDays = 90

// UptimeDay is one day of an uptime record, cut at midnight in the record's time zone.
type UptimeDay struct {
	Date     time.Time     // the day's first instant, in the record's location
	Observed time.Duration // how much of the day is counted; 0 means no data
	Major    time.Duration // time in major outage
	Partial  time.Duration // time in partial outage
	Down     time.Duration // Major + weight × Partial
	Worst    Status        // the worst status the day saw; "" with no data
}

// HasData reports whether any of the day is counted (the component existed during it).
func (d UptimeDay) HasData() bool { return d.Observed > 0 }

// Percent is the day's uptime as UptimePercent computes it.
func (d UptimeDay) Percent() float64 { return UptimePercent(d.Observed, d.Down) }

// Uptime is the record of one component, or of one group (its worst member at each moment),
// over a period.
type Uptime struct {
	ComponentID int64 // 0 for a group's record
	GroupID     int64 // the component's group, or the group whose record this is
	Name        string
	Observed    time.Duration // time counted: from creation (or the period's start) to its end
	Major       time.Duration
	Partial     time.Duration
	Down        time.Duration // Major + weight × Partial
	Days        []UptimeDay   // oldest first, one per day of the period
}

// HasData reports whether any of the period is counted.
func (u Uptime) HasData() bool { return u.Observed > 0 }

// Percent is the period's uptime as UptimePercent computes it.
func (u Uptime) Percent() float64 { return UptimePercent(u.Observed, u.Down) }

// UptimePercent applies the uptime rule's last step: 100 × (1 − down/observed), rounded down to
// two decimals, so that anything short of no downtime at all never shows as 100.00. With nothing
// observed it is 0; check HasData first.
func UptimePercent(observed, down time.Duration) float64 {
	if observed <= 0 {
		return 0
	}
	if down <= 0 {
		return 100
	}
	up := float64(observed-down) / float64(observed)
	// The tiny allowance keeps an exact 99.5 computed as 99.4999… from dropping to 99.49; it is
	// far below what one millisecond of downtime in 90 days weighs (1.3e-10 of the period).
	bp := math.Floor(up*10000 + 1e-9)
	return math.Min(bp, 9999) / 100
}

// statusAt is a status that holds from at (Unix ms) until the next one.
type statusAt struct {
	at     int64
	status Status
}

// historyRow is one stored move of a status, as the uptime walk reads it.
type historyRow struct {
	at  int64
	new Status
}

// dayBounds returns the first instants of the days of a period ending on now's day, in loc, as
// Unix ms, plus the first instant of the day after: days+1 values. time.Date normalises days
// that a daylight-saving change makes 23 or 25 hours long, and midnights that do not exist.
func dayBounds(now time.Time, days int, loc *time.Location) []int64 {
	y, m, d := now.In(loc).Date()
	bounds := make([]int64, days+1)
	for i := range bounds {
		bounds[i] = time.Date(y, m, d-days+1+i, 0, 0, 0, 0, loc).UnixMilli()
	}
	return bounds
}

// componentTimeline turns a component's stored history into the statuses it held from the start
// of what is observed (its creation or the period's start, whichever is later) to end. rows are
// the moves at or after from, oldest first; before is the status in force at from. A component
// created at or after end has an empty timeline.
func componentTimeline(created, from, end int64, rows []historyRow, before Status) []statusAt {
	start := max(created, from)
	if start >= end {
		return nil
	}
	s := before
	i := 0
	for ; i < len(rows) && rows[i].at <= start; i++ {
		s = rows[i].new
	}
	out := []statusAt{{start, s}}
	for ; i < len(rows) && rows[i].at < end; i++ {
		last := &out[len(out)-1]
		switch {
		case rows[i].at == last.at:
			last.status = rows[i].new // moves in one millisecond: the last one holds
		case rows[i].new != last.status:
			out = append(out, statusAt{rows[i].at, rows[i].new})
		}
	}
	return out
}

// worstTimeline merges timelines into one that holds, at each moment, the worst status of the
// members observed at that moment: a group's history.
func worstTimeline(members [][]statusAt) []statusAt {
	type event struct {
		at     int64
		member int
		status Status
	}
	var events []event
	for m, tl := range members {
		for _, p := range tl {
			events = append(events, event{p.at, m, p.status})
		}
	}
	// A member's own moves never share a time, so (at, member) orders every event.
	slices.SortFunc(events, func(a, b event) int { return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.member, b.member)) })
	current := make([]Status, len(members))
	var count [6]int
	var out []statusAt
	for i := 0; i < len(events); {
		at := events[i].at
		for ; i < len(events) && events[i].at == at; i++ {
			e := events[i]
			if old := current[e.member]; old != "" {
				count[severityIndex(old)]--
			}
			current[e.member] = e.status
			count[severityIndex(e.status)]++
		}
		worst := Operational
		for sev := len(count) - 1; sev >= 0; sev-- {
			if count[sev] > 0 {
				worst = Statuses[sev]
				break
			}
		}
		if len(out) == 0 || out[len(out)-1].status != worst {
			out = append(out, statusAt{at, worst})
		}
	}
	return out
}

// severityIndex is a status's index in Statuses.
func severityIndex(s Status) int { return max(s.Severity(), 0) }

// tally applies the uptime rule to a timeline ending at end, day by day over bounds.
func tally(tl []statusAt, end int64, bounds []int64, weight float64, loc *time.Location) Uptime {
	days := len(bounds) - 1
	u := Uptime{Days: make([]UptimeDay, days)}
	for i := range u.Days {
		u.Days[i].Date = time.UnixMilli(bounds[i]).In(loc)
	}
	major := make([]int64, days)
	partial := make([]int64, days)
	observed := make([]int64, days)
	for i, p := range tl {
		a, b := p.at, end
		if i+1 < len(tl) {
			b = tl[i+1].at
		}
		a, b = max(a, bounds[0]), min(b, end, bounds[days])
		if b <= a {
			continue
		}
		d := sort.Search(days, func(d int) bool { return bounds[d+1] > a })
		for ; a < b && d < days; d++ {
			e := min(b, bounds[d+1])
			if e <= a {
				continue
			}
			observed[d] += e - a
			switch p.status {
			case MajorOutage:
				major[d] += e - a
			case PartialOutage:
				partial[d] += e - a
			}
			if day := &u.Days[d]; day.Worst == "" || p.status.Severity() > day.Worst.Severity() {
				day.Worst = p.status
			}
			a = e
		}
	}
	var sumObs, sumMajor, sumPartial int64
	for d := range u.Days {
		day := &u.Days[d]
		day.Observed = time.Duration(observed[d]) * time.Millisecond
		day.Major = time.Duration(major[d]) * time.Millisecond
		day.Partial = time.Duration(partial[d]) * time.Millisecond
		day.Down = downtime(day.Major, day.Partial, weight)
		sumObs += observed[d]
		sumMajor += major[d]
		sumPartial += partial[d]
	}
	u.Observed = time.Duration(sumObs) * time.Millisecond
	u.Major = time.Duration(sumMajor) * time.Millisecond
	u.Partial = time.Duration(sumPartial) * time.Millisecond
	u.Down = downtime(u.Major, u.Partial, weight)
	return u
}

// downtime is the uptime rule's weighting: major-outage time plus weight × partial-outage time.
func downtime(major, partial time.Duration, weight float64) time.Duration {
	return major + time.Duration(math.Round(float64(partial)*weight))
}
