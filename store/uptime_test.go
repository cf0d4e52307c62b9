package store_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the zones below, whatever the machine has installed

	"beacon/store"
)

// model is the brute-force reference: it replays the same writes the store got and, minute by
// minute, works out each component's status from scratch for each audience.
type model struct {
	created map[int64]time.Time
	own     map[int64]store.Status
	inc     map[int64]*modelIncident
}

type modelIncident struct {
	public   bool
	resolved bool
	impacts  map[int64]store.Status
}

func (m *model) status(comp int64, public bool) store.Status {
	s := m.own[comp]
	for _, inc := range m.inc {
		if inc.resolved || (public && !inc.public) {
			continue
		}
		s = store.Worst(s, inc.impacts[comp])
	}
	return s
}

// op is one write at a minute, applied both to the store and to the model.
type op struct {
	at    time.Time
	apply func(t *testing.T, st *store.Store, m *model)
}

// refDay is the reference's record of one day.
type refDay struct {
	observed, major, partial int64 // minutes
	worst                    store.Status
}

// TestUptimeAgainstBruteForce writes random histories through the store (each write dated
// after the fact with At) and checks the uptime rule against a reference that walks the
// history minute by minute: overlapping public and internal incidents, maintenance, components
// created before and during the period, and days cut in zones with a daylight-saving change.
func TestUptimeAgainstBruteForce(t *testing.T) {
	zones := []struct {
		name string
		now  time.Time // the period's end: the spring or autumn change lies inside it
	}{
		{"Europe/Berlin", time.Date(2026, 4, 2, 9, 17, 0, 0, time.UTC)},      // 29 March: a 23-hour day
		{"America/New_York", time.Date(2025, 11, 5, 15, 3, 0, 0, time.UTC)},  // 2 November: a 25-hour day
		{"Australia/Lord_Howe", time.Date(2026, 4, 8, 1, 0, 0, 0, time.UTC)}, // half-hour change, 5 April
		{"UTC", time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)},                 // ends on a midnight
	}
	weights := []int{3, 0, 5, 10} // tenths
	seeds := 24
	if testing.Short() {
		seeds = 6
	}
	for seed := range seeds {
		z := zones[seed%len(zones)]
		w := weights[(seed/len(zones))%len(weights)]
		t.Run(fmt.Sprintf("seed%d-%s-w%d", seed, z.name, w), func(t *testing.T) {
			loc, err := time.LoadLocation(z.name)
			if err != nil {
				t.Fatal(err)
			}
			checkRandomHistory(t, uint64(seed), loc, z.now, w)
		})
	}
}

func checkRandomHistory(t *testing.T, seed uint64, loc *time.Location, now time.Time, tenths int) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, 77))
	st := openTemp(t)
	const days = 9
	bounds := make([]time.Time, days+1)
	y, mo, d := now.In(loc).Date()
	for i := range bounds {
		bounds[i] = time.Date(y, mo, d-days+1+i, 0, 0, 0, 0, loc)
	}
	from := bounds[0]
	g, err := st.AddGroup(ctx, actor, "Core")
	if err != nil {
		t.Fatal(err)
	}
	m := &model{created: map[int64]time.Time{}, own: map[int64]store.Status{}, inc: map[int64]*modelIncident{}}
	var comps []int64
	var incs []int64

	// Times: two components exist before the period, a third is created inside it; writes
	// come at distinct whole minutes in time order.
	minute := from.Add(-36 * time.Hour).Truncate(time.Minute)
	next := func(maxGap int) time.Time {
		minute = minute.Add(time.Duration(1+rng.IntN(maxGap)) * time.Minute)
		return minute
	}
	var ops []op
	newComp := func(at time.Time, name string) op {
		return op{at, func(t *testing.T, st *store.Store, m *model) {
			c, err := st.AddComponent(ctx, actor, store.NewComponent{Name: name, GroupID: g.ID, At: at})
			if err != nil {
				t.Fatal(err)
			}
			comps = append(comps, c.ID)
			m.created[c.ID], m.own[c.ID] = at, store.Operational
		}}
	}
	ops = append(ops, newComp(next(30), "api"), newComp(next(30), "db"))
	end := now.Truncate(time.Minute)
	midCreated := from.Add(time.Duration(1+rng.IntN(int(end.Sub(from)/time.Minute)-1)) * time.Minute)
	created := false
	impactChoice := []store.Status{store.PerformanceIssues, store.PartialOutage, store.MajorOutage, store.MajorOutage, store.PartialOutage, ""}
	ownChoice := []store.Status{store.Operational, store.Operational, store.UnderMaintenance, store.Unknown, store.PerformanceIssues, store.PartialOutage, store.MajorOutage}
	for {
		at := next(400)
		if !at.Before(end) {
			if !created {
				ops = append(ops, newComp(midCreated, "search"))
			}
			break
		}
		if !created && !at.Before(midCreated) {
			ops = append(ops, newComp(at, "search"))
			created = true
			continue
		}
		at2 := at
		switch k := rng.IntN(10); {
		case k < 3: // declare an incident on one or two components
			pick := rng.Perm(3)[:1+rng.IntN(2)]
			public := rng.IntN(3) > 0
			ops = append(ops, op{at2, func(t *testing.T, st *store.Store, m *model) {
				in := store.NewIncident{Title: "Trouble", Message: "Looking.", At: at2, Visibility: store.Internal}
				if public {
					in.Visibility = store.Public
				}
				mi := &modelIncident{public: public, impacts: map[int64]store.Status{}}
				for _, p := range pick {
					if p >= len(comps) {
						continue
					}
					s := impactChoice[rng.IntN(3)]
					in.Impacts = append(in.Impacts, store.SetImpact{ComponentID: comps[p], Status: s})
					mi.impacts[comps[p]] = s
				}
				inc, err := st.OpenIncident(ctx, actor, in)
				if err != nil {
					t.Fatal(err)
				}
				incs = append(incs, inc.ID)
				m.inc[inc.ID] = mi
			}})
		case k < 7: // update an incident: change an impact, fix it or reopen it
			ops = append(ops, op{at2, func(t *testing.T, st *store.Store, m *model) {
				if len(incs) == 0 {
					return
				}
				id := incs[rng.IntN(len(incs))]
				mi := m.inc[id]
				up := store.NewUpdate{Status: store.Identified, Message: "Update.", At: at2}
				if rng.IntN(2) == 0 {
					up.Status = store.Fixed
				}
				if p := rng.IntN(4); p < len(comps) {
					s := impactChoice[rng.IntN(len(impactChoice))]
					up.Impacts = append(up.Impacts, store.SetImpact{ComponentID: comps[p], Status: s})
					if s == "" {
						delete(mi.impacts, comps[p])
					} else {
						mi.impacts[comps[p]] = s
					}
				}
				if _, err := st.PostUpdate(ctx, actor, id, up); err != nil {
					t.Fatal(err)
				}
				mi.resolved = up.Status == store.Fixed
			}})
		default: // set a component's own status: maintenance, unknown, an outage by hand
			ops = append(ops, op{at2, func(t *testing.T, st *store.Store, m *model) {
				c := comps[rng.IntN(len(comps))]
				s := ownChoice[rng.IntN(len(ownChoice))]
				if err := st.SetComponentStatusAt(ctx, actor, c, s, at2); err != nil {
					t.Fatal(err)
				}
				m.own[c] = s
			}})
		}
	}

	// Replay into the store and the reference, recording the reference minute by minute.
	type ref struct {
		days                     []refDay
		observed, major, partial int64
	}
	refs := map[string]*ref{} // "public/api", "responders/Core"...
	record := func(key string, day int, s store.Status) {
		r := refs[key]
		if r == nil {
			r = &ref{days: make([]refDay, days)}
			refs[key] = r
		}
		dd := &r.days[day]
		dd.observed++
		r.observed++
		switch s {
		case store.MajorOutage:
			dd.major++
			r.major++
		case store.PartialOutage:
			dd.partial++
			r.partial++
		}
		if dd.worst == "" || s.Severity() > dd.worst.Severity() {
			dd.worst = s
		}
	}
	names := map[int64]string{}
	day := 0
	k := 0
	for tm := ops[0].at; tm.Before(end); tm = tm.Add(time.Minute) {
		for ; k < len(ops) && !ops[k].at.After(tm); k++ {
			ops[k].apply(t, st, m)
			for i, id := range comps {
				names[id] = []string{"api", "db", "search"}[i]
			}
		}
		if tm.Before(from) {
			continue
		}
		for day+1 < days && !tm.Before(bounds[day+1]) {
			day++
		}
		for _, audience := range []string{"responders", "public"} {
			groupWorst := store.Status("")
			for _, id := range comps {
				s := m.status(id, audience == "public")
				record(audience+"/"+names[id], day, s)
				groupWorst = store.Worst(groupWorst, s)
			}
			record(audience+"/Core", day, groupWorst)
		}
	}

	for _, audience := range []store.Audience{store.Responders, store.ThePublic} {
		rep, err := st.Uptime(ctx, store.UptimeQuery{Audience: audience, Days: days, Location: loc,
			PartialWeight: float64(tenths) / 10, Now: end})
		if err != nil {
			t.Fatal(err)
		}
		if !rep.From.Equal(from) || !rep.To.Equal(end) {
			t.Fatalf("period %v – %v, want %v – %v", rep.From, rep.To, from, end)
		}
		records := append(append([]store.Uptime(nil), rep.Components...), rep.Groups...)
		if len(records) != 4 {
			t.Fatalf("%d records, want 3 components and a group", len(records))
		}
		for _, u := range records {
			key := audience.String() + "/" + u.Name
			want := refs[key]
			if want == nil {
				want = &ref{days: make([]refDay, days)}
			}
			compare(t, key, u, want.days, want.observed, want.major, want.partial, tenths)
		}
	}
}

func compare(t *testing.T, key string, u store.Uptime, days []refDay, observed, major, partial int64, tenths int) {
	t.Helper()
	min := func(n int64) time.Duration { return time.Duration(n) * time.Minute }
	if u.Observed != min(observed) || u.Major != min(major) || u.Partial != min(partial) {
		t.Errorf("%s: observed/major/partial %v/%v/%v, want %v/%v/%v", key, u.Observed, u.Major, u.Partial,
			min(observed), min(major), min(partial))
	}
	for d, want := range days {
		got := u.Days[d]
		if got.Observed != min(want.observed) || got.Major != min(want.major) || got.Partial != min(want.partial) || got.Worst != want.worst {
			t.Errorf("%s day %d (%s): %v/%v/%v worst %q, want %v/%v/%v worst %q", key, d, got.Date.Format("2006-01-02 MST"),
				got.Observed, got.Major, got.Partial, got.Worst, min(want.observed), min(want.major), min(want.partial), want.worst)
		}
	}
	// The percentage in exact integer arithmetic: tenths of minutes.
	if observed == 0 {
		if u.HasData() {
			t.Errorf("%s has data, want none", key)
		}
		return
	}
	down10 := 10*major + int64(tenths)*partial
	bp := (10*observed - down10) * 10000 / (10 * observed)
	if down10 > 0 && bp == 10000 {
		bp = 9999
	}
	if got := u.Percent(); fmt.Sprintf("%.2f", got) != fmt.Sprintf("%d.%02d", bp/100, bp%100) {
		t.Errorf("%s: %.4f%%, want %d.%02d%%", key, got, bp/100, bp%100)
	}
}

// TestUptimePercentRoundsDown checks the last step of the rule on edges.
func TestUptimePercentRoundsDown(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		observed, down time.Duration
		want           float64
	}{
		{day, 0, 100},
		{90 * day, time.Millisecond, 99.99},
		{90 * day, time.Nanosecond, 99.99},
		{100 * time.Minute, 50 * time.Second, 99.16}, // 99.1666…
		{200 * time.Minute, time.Minute, 99.5},
		{day, day, 0},
		{0, 0, 0},
	}
	for _, tt := range tests {
		if got := store.UptimePercent(tt.observed, tt.down); got != tt.want {
			t.Errorf("UptimePercent(%v, %v) = %v, want %v", tt.observed, tt.down, got, tt.want)
		}
	}
}

// TestBackdating checks every refusal of a write dated after the fact, that a refused write
// leaves nothing behind, and that a backdated open and resolve give exactly the downtime
// they span, with the audit keeping the real time.
func TestBackdating(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	now := time.Now().UTC()
	start := now.Add(-5 * time.Hour).Truncate(time.Minute)
	api, err := st.AddComponent(ctx, actor, store.NewComponent{Name: "api", At: start})
	if err != nil {
		t.Fatal(err)
	}
	db := addComponent(t, st, "db") // created now

	refused := func(what string, err error, words ...string) {
		t.Helper()
		var ve *store.ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("%s: %v, want a validation error", what, err)
		}
		for _, w := range words {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q does not say %q", what, err, w)
			}
		}
	}
	_, err = st.AddComponent(ctx, actor, store.NewComponent{Name: "later", At: now.Add(time.Hour)})
	refused("future component", err, "in the future")
	_, err = st.OpenIncident(ctx, actor, store.NewIncident{Title: "X", Message: "m", At: now.Add(time.Hour),
		Impacts: []store.SetImpact{{ComponentID: api.ID, Status: store.MajorOutage}}})
	refused("future open", err, "in the future")
	_, err = st.OpenIncident(ctx, actor, store.NewIncident{Title: "X", Message: "m", At: start.Add(-time.Minute),
		Impacts: []store.SetImpact{{ComponentID: api.ID, Status: store.MajorOutage}}})
	refused("open before creation", err, `component "api"`, "earliest allowed time is "+start.Format(time.RFC3339))
	_, err = st.OpenIncident(ctx, actor, store.NewIncident{Title: "X", Message: "m", At: start.Add(time.Hour),
		Impacts: []store.SetImpact{{ComponentID: api.ID, Status: store.MajorOutage}, {ComponentID: db.ID, Status: store.PartialOutage}}})
	refused("open before the newest of two components", err, `component "db"`)
	err = st.SetComponentStatusAt(ctx, actor, db.ID, store.MajorOutage, start)
	refused("set before creation", err, `component "db"`)

	// The outage ran from start+1h to start+1h30m, and was posted afterwards.
	opened := start.Add(time.Hour)
	inc, err := st.OpenIncident(ctx, actor, store.NewIncident{Title: "Outage", Message: "Down.", At: opened,
		Impacts: []store.SetImpact{{ComponentID: api.ID, Status: store.MajorOutage}}})
	if err != nil {
		t.Fatal(err)
	}
	if !inc.CreatedAt.Equal(opened) || !inc.Updates[0].CreatedAt.Equal(opened) {
		t.Errorf("incident dated %v, update %v, want %v", inc.CreatedAt, inc.Updates[0].CreatedAt, opened)
	}
	_, err = st.PostUpdate(ctx, actor, inc.ID, store.NewUpdate{Status: store.Fixed, Message: "ok", At: opened.Add(-time.Minute)})
	refused("resolve before the open", err, "earliest allowed time is "+opened.Format(time.RFC3339))
	// A refused update wrote nothing.
	detail, err := st.Incident(ctx, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(detail.Updates) != 1 || detail.Resolved() {
		t.Fatalf("a refused update left %d updates, resolved %v", len(detail.Updates), detail.Resolved())
	}
	resolved := opened.Add(30 * time.Minute)
	if _, err := st.PostUpdate(ctx, actor, inc.ID, store.NewUpdate{Status: store.Fixed, Message: "Fixed.", At: resolved}); err != nil {
		t.Fatal(err)
	}
	for _, a := range []store.Audience{store.Responders, store.ThePublic} {
		rep, err := st.Uptime(ctx, store.UptimeQuery{Audience: a, Days: 2, PartialWeight: store.DefaultPartialWeight, Components: []int64{api.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if got := rep.Components[0].Major; got != 30*time.Minute {
			t.Errorf("%s: major outage %v, want 30m", a, got)
		}
	}
	entries, err := st.Audit(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if e := entries[0]; e.At.Before(now) || !strings.Contains(e.Detail, "backdated to "+resolved.Format(time.RFC3339)) {
		t.Errorf("audit %v %q: want the real time and the backdated time", e.At, e.Detail)
	}
}

// TestPublicHistory checks that an internal incident never reaches the public's history,
// while the responders' records count it.
func TestPublicHistory(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	start := time.Now().Add(-3 * time.Hour).Truncate(time.Minute)
	api, err := st.AddComponent(ctx, actor, store.NewComponent{Name: "api", At: start})
	if err != nil {
		t.Fatal(err)
	}
	internal, err := st.OpenIncident(ctx, actor, store.NewIncident{Title: "Quiet", Message: "m", Visibility: store.Internal,
		At: start.Add(time.Hour), Impacts: []store.SetImpact{{ComponentID: api.ID, Status: store.MajorOutage}}})
	if err != nil {
		t.Fatal(err)
	}
	public, err := st.OpenIncident(ctx, actor, store.NewIncident{Title: "Loud", Message: "m",
		At: start.Add(90 * time.Minute), Impacts: []store.SetImpact{{ComponentID: api.ID, Status: store.PartialOutage}}})
	if err != nil {
		t.Fatal(err)
	}
	post := func(id int64, at time.Duration) {
		t.Helper()
		if _, err := st.PostUpdate(ctx, actor, id, store.NewUpdate{Status: store.Fixed, Message: "ok", At: start.Add(at)}); err != nil {
			t.Fatal(err)
		}
	}
	post(internal.ID, 2*time.Hour)
	post(public.ID, 150*time.Minute)
	want := map[store.Audience][2]time.Duration{
		store.Responders: {time.Hour, 30 * time.Minute}, // major 1:00–2:00, partial 2:00–2:30
		store.ThePublic:  {0, time.Hour},                // partial 1:30–2:30 only
	}
	for a, w := range want {
		rep, err := st.Uptime(ctx, store.UptimeQuery{Audience: a, Days: 2, Location: time.UTC, PartialWeight: 0.3})
		if err != nil {
			t.Fatal(err)
		}
		u := rep.Components[0]
		if u.Major != w[0] || u.Partial != w[1] {
			t.Errorf("%s: major %v partial %v, want %v %v", a, u.Major, u.Partial, w[0], w[1])
		}
		for _, d := range u.Days {
			if a == store.ThePublic && d.Worst == store.MajorOutage {
				t.Errorf("the public's strip shows the internal incident's major outage on %s", d.Date)
			}
		}
	}
}

// TestBackdatingAfterAMaintenanceWindow checks that a write after the fact is checked against
// the history a maintenance window's end left, even when no process wrote that end yet.
func TestBackdatingAfterAMaintenanceWindow(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	clock := time.Now().UTC().Truncate(time.Second)
	store.SetClock(st, func() time.Time { return clock })
	db, err := st.AddComponent(ctx, actor, store.NewComponent{Name: "db", At: clock.Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	start, end := clock.Add(10*time.Minute), clock.Add(40*time.Minute)
	if _, err := st.AddMaintenance(ctx, actor, store.NewMaintenance{Title: "Upgrade", Message: "m", StartsAt: start, EndsAt: end,
		Components: []int64{db.ID}}); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(time.Hour) // the window came and went with no process watching
	_, err = st.OpenIncident(ctx, actor, store.NewIncident{Title: "Slow", Message: "m", At: start.Add(5 * time.Minute),
		Impacts: []store.SetImpact{{ComponentID: db.ID, Status: store.PartialOutage}}})
	var ve *store.ValidationError
	if !errors.As(err, &ve) || !strings.Contains(err.Error(), "earliest allowed time is "+end.Format(time.RFC3339)) {
		t.Fatalf("open inside the unrecorded window: %v, want a refusal naming its end", err)
	}
	if _, err := st.OpenIncident(ctx, actor, store.NewIncident{Title: "Slow", Message: "m", At: end.Add(5 * time.Minute),
		Impacts: []store.SetImpact{{ComponentID: db.ID, Status: store.PartialOutage}}}); err != nil {
		t.Fatal(err)
	}
	rep, err := st.Uptime(ctx, store.UptimeQuery{Days: 2, Location: time.UTC, PartialWeight: 1, Components: []int64{db.ID}, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	if u := rep.Components[0]; u.Partial != 15*time.Minute {
		t.Errorf("partial outage %v, want 15m (maintenance counts as up)", u.Partial)
	}
}
