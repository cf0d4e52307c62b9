package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"beacon/store"
)

// Scale sizes the scale data set.
type Scale struct {
	Groups             int // components are spread evenly over this many groups; 0: none
	Components         int
	Incidents          int
	UpdatesPerIncident int // at least 1
	Unresolved         int // the newest incidents left open

	PastWindows      int // maintenance windows over the same two years, all over
	ScheduledWindows int // maintenance windows to come, over the next year
}

// FullScale is the data set the performance targets are measured on: 1,000 components in 50
// groups, 100,000 incidents with 500,000 updates, five of them unresolved.
var FullScale = Scale{Groups: 50, Components: 1000, Incidents: 100000, UpdatesPerIncident: 5, Unresolved: 5}

// FullScaleMaintenance is FullScale with 50,000 past and 1,000 scheduled maintenance windows.
var FullScaleMaintenance = Scale{Groups: 50, Components: 1000, Incidents: 100000, UpdatesPerIncident: 5, Unresolved: 5,
	PastWindows: 50000, ScheduledWindows: 1000}

// The scale data set spans about two years; resolved incidents begin before openSince, the
// unresolved ones after it.
const (
	scaleSpan   = 730 * day
	openSince   = 6 * time.Hour
	maxDuration = 5 * time.Hour
	progressMax = 200 // progress is reported at most about this many times
)

var (
	areas   = []string{"Edge", "Web", "API", "Payments", "Identity", "Messaging", "Data", "Search", "Storage", "Compute"}
	regions = []string{"us-east", "us-west", "eu-west", "eu-central", "ap-south"}
	kinds   = []string{"gateway", "api", "worker", "cache", "database", "queue", "scheduler", "frontend",
		"search", "storage", "auth", "billing", "notifications", "ingest", "metrics", "logs", "cdn", "dns",
		"webhooks", "exports"}
	authors = []string{"Priya Raman", "Jonas Weber", "Mei Chen", "Sam Okafor", "Amara Nwosu", "Tomás Álvarez",
		"Lena Fischer", "Kenji Sato", "Ola Nordmann", "Ruth Mensah", "Diego Rossi", "Hannah Kim"}
	titles = []string{"Elevated error rates on %s", "%s unavailable", "Degraded performance of %s",
		"Increased latency on %s", "Intermittent failures in %s", "%s returning errors for some customers"}
	// Message templates: %[1]s is the first affected component, %[2]s the start time.
	messages = map[store.IncidentStatus][]string{
		store.Investigating: {
			"We are investigating **elevated errors** on %[1]s. More soon.",
			"Some requests to %[1]s fail or time out. We are looking into it.",
			"Reports of problems with %[1]s; we are investigating.\n\n- started around %[2]s UTC\n- next update within 30 minutes",
		},
		store.Identified: {
			"**Cause identified:** a bad configuration push to %[1]s. We are rolling it back.",
			"A failed node behind %[1]s is being replaced; traffic was moved off it.",
			"The latest deploy of %[1]s exhausted its `db_pool` connections. Rolling back and raising the limit.",
		},
		store.Watching: {
			"A fix for %[1]s is in place and error rates are dropping. We are watching.",
			"%[1]s has recovered; we are watching it closely for the next hour.",
		},
		store.Fixed: {
			"%[1]s has been healthy for 30 minutes. **This is fixed.**",
			"Fixed: %[1]s is back to normal. A follow-up review is scheduled.",
		},
	}
)

// FillScale writes the scale data set into an empty database: sc.Components components in
// sc.Groups groups and sc.Incidents incidents over the past two years, in time order (ids rise
// with time), each with sc.UpdatesPerIncident updates, one to three impacted components and
// the status history they caused; the sc.Unresolved newest incidents are still open. The data
// is the same on every run. progress, when not nil, is told how many incidents are written,
// at most a few hundred times. It refuses a database that already holds data.
func FillScale(ctx context.Context, st *store.Store, actor store.Actor, now time.Time, sc Scale, progress func(done, total int)) error {
	if sc.Groups < 0 || sc.Components < 0 || sc.Incidents < 0 || sc.Unresolved < 0 || sc.PastWindows < 0 || sc.ScheduledWindows < 0 {
		return errors.New("scale: counts must not be negative")
	}
	if sc.UpdatesPerIncident < 1 {
		return errors.New("scale: an incident needs at least one update")
	}
	now = now.UTC()
	unresolved := min(sc.Unresolved, sc.Incidents)
	resolved := sc.Incidents - unresolved
	rng := rand.New(rand.NewPCG(2, 0xbeac0))
	return st.Load(ctx, actor, "scale data", func(l *store.Loader) error {
		l.Since(now.Add(-scaleSpan - day))
		ids, names, err := scaleComponents(l, sc)
		if err != nil {
			return err
		}
		own := make([]store.Status, len(ids))
		for i := range own {
			own[i] = store.Operational
		}
		h := newHistory(l, ids, own)
		step := max(1, sc.Incidents/progressMax)
		for n := range sc.Incidents {
			var start, end time.Time
			open := n >= resolved
			if open {
				slot := (openSince - 10*time.Minute) / time.Duration(unresolved)
				start = now.Add(-openSince + time.Duration(n-resolved)*slot + jitter(rng, slot))
				end = now.Add(-time.Minute)
			} else {
				slot := (scaleSpan - openSince - maxDuration) / time.Duration(max(resolved, 1))
				start = now.Add(-scaleSpan + time.Duration(n)*slot + jitter(rng, slot))
				end = start.Add(duration(rng))
			}
			in, impacts := scaleIncident(rng, sc.UpdatesPerIncident, open, start, end, ids, names)
			id, updates, err := l.Incident(in)
			if err != nil {
				return err
			}
			if err := h.open(id, in.Visibility, updates, start, impacts, !open, end); err != nil {
				return err
			}
			if progress != nil && ((n+1)%step == 0 || n+1 == sc.Incidents) {
				progress(n+1, sc.Incidents)
			}
		}
		if err := scaleWindows(l, sc, now, ids, names); err != nil {
			return err
		}
		return h.finish()
	})
}

// scaleWindows writes the past maintenance windows, spread over the two years, and the
// scheduled ones, spread over the next year; each covers one to three components.
func scaleWindows(l *store.Loader, sc Scale, now time.Time, ids []int64, names []string) error {
	if len(ids) == 0 {
		return nil
	}
	rng := rand.New(rand.NewPCG(3, 0xbeac0)) // apart from the incidents', which stay as they were
	window := func(start time.Time) error {
		var comps []int64
		for range 1 + rng.IntN(3) {
			comps = append(comps, ids[rng.IntN(len(ids))])
		}
		subject := names[rng.IntN(len(names))]
		_, err := l.Maintenance(store.HistoricMaintenance{
			Title:      "Planned upgrade of " + subject,
			StartsAt:   start,
			EndsAt:     start.Add(time.Duration(1+rng.IntN(4)) * time.Hour),
			Components: comps,
			Message:    "We will upgrade " + subject + "; short interruptions are possible.",
			Author:     authors[rng.IntN(len(authors))],
		}, now)
		return err
	}
	for n := range sc.PastWindows {
		slot := (scaleSpan - 6*time.Hour) / time.Duration(sc.PastWindows)
		if err := window(now.Add(-scaleSpan + time.Duration(n)*slot + jitter(rng, slot))); err != nil {
			return err
		}
	}
	for n := range sc.ScheduledWindows {
		slot := 360 * day / time.Duration(sc.ScheduledWindows)
		if err := window(now.Add(time.Hour + time.Duration(n)*slot + jitter(rng, slot))); err != nil {
			return err
		}
	}
	return nil
}

// scaleComponents writes the groups and components and returns the components' ids and names.
func scaleComponents(l *store.Loader, sc Scale) ([]int64, []string, error) {
	var groupIDs []int64
	for g := range sc.Groups {
		collapse := store.CollapsedUnlessIssues
		switch g % 5 {
		case 0:
			collapse = store.Expanded
		case 4:
			collapse = store.Collapsed
		}
		id, err := l.Group(groupName(g), g+1, collapse)
		if err != nil {
			return nil, nil, err
		}
		groupIDs = append(groupIDs, id)
	}
	ids := make([]int64, 0, sc.Components)
	names := make([]string, 0, sc.Components)
	position := map[int]int{}
	for c := range sc.Components {
		g, label, gid := -1, "Standalone", int64(0)
		if sc.Groups > 0 {
			g = c * sc.Groups / sc.Components
			label, gid = groupName(g), groupIDs[g]
		}
		k := position[g]
		position[g]++
		name := label + " " + kinds[k%len(kinds)]
		if k >= len(kinds) {
			name += fmt.Sprintf(" %d", k/len(kinds)+1)
		}
		desc := fmt.Sprintf("The %s service of %s.", kinds[k%len(kinds)], label)
		id, err := l.Component(gid, k+1, name, desc, store.Operational)
		if err != nil {
			return nil, nil, err
		}
		ids = append(ids, id)
		names = append(names, name)
	}
	return ids, names, nil
}

func groupName(g int) string {
	n := len(areas) * len(regions)
	name := areas[g%n/len(regions)] + " " + regions[g%len(regions)]
	if g >= n {
		name += fmt.Sprintf(" %d", g/n+1)
	}
	return name
}

// scaleIncident makes one incident beginning at start; a resolved one is fixed at end, an open
// one has its last update before end.
func scaleIncident(rng *rand.Rand, updates int, open bool, start, end time.Time, ids []int64, names []string) (store.HistoricIncident, []impact) {
	var impacts []impact
	in := store.HistoricIncident{Visibility: store.Public}
	if rng.IntN(10) == 0 {
		in.Visibility = store.Internal
	}
	for range min(1+rng.IntN(3), len(ids)) {
		c := rng.IntN(len(ids))
		for taken(impacts, c) {
			c = (c + 1) % len(ids)
		}
		st := store.PerformanceIssues
		switch r := rng.IntN(20); {
		case r >= 17:
			st = store.MajorOutage
		case r >= 10:
			st = store.PartialOutage
		}
		impacts = append(impacts, impact{c, st})
		in.Impacts = append(in.Impacts, store.SetImpact{ComponentID: ids[c], Status: st})
	}
	subject := "the service"
	if len(impacts) > 0 {
		subject = names[impacts[0].comp]
	}
	in.Title = fmt.Sprintf(titles[rng.IntN(len(titles))], subject)
	statuses := walk(rng, updates, open)
	for i, s := range statuses {
		// A resolved incident's last update is its fix, at end; an open one's comes before end.
		at, steps := start, updates-1
		if open {
			steps = updates
		}
		if steps > 0 {
			at = start.Add(end.Sub(start) * time.Duration(i) / time.Duration(steps))
		}
		tmpl := messages[s][rng.IntN(len(messages[s]))]
		in.Updates = append(in.Updates, store.HistoricUpdate{
			Status:  s,
			Message: fmt.Sprintf(tmpl, subject, start.Format("15:04")),
			Author:  authors[rng.IntN(len(authors))],
			At:      at,
		})
	}
	return in, impacts
}

// walk is a plausible sequence of n update statuses: it begins investigating and, unless the
// incident is still open, ends fixed; on the way it moves on, repeats a step, or finds while
// watching that it was not fixed after all and goes back to identified.
func walk(rng *rand.Rand, n int, open bool) []store.IncidentStatus {
	out := make([]store.IncidentStatus, n)
	cur := store.Investigating
	for i := range n {
		r := rng.IntN(10)
		switch {
		case i == 0:
		case i == n-1 && !open:
			cur = store.Fixed
		case cur == store.Investigating && r < 8:
			cur = store.Identified
		case cur == store.Identified && r < 8:
			cur = store.Watching
		case cur == store.Watching && r < 3:
			cur = store.Identified
		}
		out[i] = cur
	}
	return out
}

func taken(impacts []impact, c int) bool {
	for _, m := range impacts {
		if m.comp == c {
			return true
		}
	}
	return false
}

// jitter is a random offset within a slot, so incidents do not begin on a grid but keep their order.
func jitter(rng *rand.Rand, slot time.Duration) time.Duration {
	if slot <= 1 {
		return 0
	}
	return time.Duration(rng.Int64N(int64(slot) / 2))
}

// duration is how long a resolved incident lasts: mostly under an hour, some for hours.
func duration(rng *rand.Rand) time.Duration {
	d := 10*time.Minute + time.Duration(rng.ExpFloat64()*float64(40*time.Minute))
	return min(d, maxDuration)
}
