package store_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"beacon/demo"
	"beacon/store"
)

// sameRecords checks that the uptime read from the stored daily totals equals the one walked
// from the history, for both audiences, for every component together, for each one alone and
// for each group's members, over periods of each of days ending now.
func sameRecords(t *testing.T, st *store.Store, now time.Time, label string, days ...int) {
	t.Helper()
	ctx := context.Background()
	comps, err := st.Components(ctx)
	if err != nil {
		t.Fatal(err)
	}
	filters := [][]int64{nil}
	byGroup := map[int64][]int64{}
	for _, c := range comps {
		filters = append(filters, []int64{c.ID})
		if c.GroupID != 0 {
			byGroup[c.GroupID] = append(byGroup[c.GroupID], c.ID)
		}
	}
	for _, ids := range byGroup {
		filters = append(filters, ids)
	}
	for _, a := range []store.Audience{store.Responders, store.ThePublic} {
		for _, days := range days {
			for _, ids := range filters {
				q := store.UptimeQuery{Audience: a, Days: days, Location: time.UTC, PartialWeight: 0.3, Components: ids, Now: now}
				got, err := store.UptimeByTotals(st, ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				want, err := store.UptimeByWalk(st, ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("%s, %s, %d days, components %v: the stored totals say\n%s\nthe history says\n%s",
						label, a, days, ids, describe(got), describe(want))
				}
				// One record at a time, as a long report is printed.
				var records []store.Uptime
				streamed, err := st.UptimeEach(ctx, q, func(_ store.UptimeReport, u store.Uptime) error {
					u.Days = append([]store.UptimeDay(nil), u.Days...)
					records = append(records, u)
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				if len(streamed.Components)+len(streamed.Groups) > 0 {
					t.Fatalf("%s: UptimeEach returned records", label)
				}
				streamed.Components = make([]store.Uptime, 0, len(records))
				for _, u := range records {
					if u.ComponentID != 0 {
						streamed.Components = append(streamed.Components, u)
					} else {
						streamed.Groups = append(streamed.Groups, u)
					}
				}
				if !reflect.DeepEqual(streamed, want) {
					t.Fatalf("%s, %s, %d days, components %v: one at a time the records are\n%s\nthe history says\n%s",
						label, a, days, ids, describe(streamed), describe(want))
				}
			}
		}
	}
}

// afterTheFact reports the refusal of a write dated before the newest history, which a random
// date may ask for once a boundary or a visibility change has been recorded at now.
func afterTheFact(err error) bool {
	return err != nil && strings.Contains(err.Error(), "earlier than the newest history")
}

// describe prints a report's records compactly, days with anything in them only.
func describe(rep store.UptimeReport) string {
	s := ""
	for _, u := range append(append([]store.Uptime(nil), rep.Components...), rep.Groups...) {
		s += fmt.Sprintf("  %s #%d/%d: observed %v major %v partial %v\n", u.Name, u.ComponentID, u.GroupID, u.Observed, u.Major, u.Partial)
		for _, d := range u.Days {
			if d.Major+d.Partial > 0 || (d.Worst != "" && d.Worst != store.Operational) {
				s += fmt.Sprintf("    %s obs %v major %v partial %v worst %s\n", d.Date.Format("01-02"), d.Observed, d.Major, d.Partial, d.Worst)
			}
		}
	}
	return s
}

// TestUptimeTotalsMatchHistory writes random histories through every path that writes
// history (components set by hand, incidents opened, updated, resolved and reopened, all
// sometimes after the fact; maintenance windows started and finished by the clock, sometimes
// recorded late; components added, also after the fact, moved between groups, disabled and
// removed; incidents made internal or public after the fact; groups removed) and checks
// after each few writes that the uptime read from the stored daily totals is the one walked
// from the history, today's unfinished day included. The edges are made likely: moves
// exactly at UTC midnight (now and then at the start of a block of days), and gaps of whole
// blocks with no move.
func TestUptimeTotalsMatchHistory(t *testing.T) {
	seeds := 12
	if testing.Short() {
		seeds = 3
	}
	for seed := range seeds {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { checkTotals(t, uint64(seed)) })
	}
}

func checkTotals(t *testing.T, seed uint64) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, 10))
	st := openTemp(t)
	// Two days before the end of a block of 64 UTC days (2026-04-01 starts one), so that the
	// history crosses into the next block.
	now := time.Date(2026, 3, 1, 7, 0, 0, 0, time.UTC).Add(time.Duration(rng.IntN(24*60)) * time.Minute)
	store.SetClock(st, func() time.Time { return now })
	last := now // the newest history: writes after the fact go no earlier
	var groups []int64
	for _, name := range []string{"Core", "Edge"} {
		g, err := st.AddGroup(ctx, actor, name)
		if err != nil {
			t.Fatal(err)
		}
		groups = append(groups, g.ID)
	}
	var comps, incs []int64
	names := 0
	addComp := func(at time.Time) {
		names++
		in := store.NewComponent{Name: fmt.Sprint("c", names), At: at}
		if g := rng.IntN(3); g < len(groups) {
			in.GroupID = groups[g]
		}
		c, err := st.AddComponent(ctx, actor, in)
		if err != nil {
			t.Fatal(err)
		}
		comps = append(comps, c.ID)
	}
	// when is now, or (one write in three) a time after the fact, no earlier than the newest
	// history.
	when := func() time.Time {
		if rng.IntN(3) > 0 || !now.After(last) {
			last = now
			return time.Time{}
		}
		at := last.Add(time.Duration(rng.Int64N(int64(now.Sub(last)))))
		last = at
		return at
	}
	addComp(time.Time{})
	addComp(time.Time{})
	impacts := []store.Status{store.PerformanceIssues, store.PartialOutage, store.MajorOutage}
	owns := []store.Status{store.Operational, store.Operational, store.UnderMaintenance, store.Unknown, store.PartialOutage, store.MajorOutage}
	for step := range 160 {
		// Mostly minutes apart, sometimes hours, now and then days or whole blocks of days
		// without a write, or up to the next UTC midnight exactly.
		gap := time.Duration(1+rng.IntN(90)) * time.Minute
		switch rng.IntN(14) {
		case 0:
			gap = time.Duration(1+rng.IntN(4)) * 24 * time.Hour
		case 1:
			gap = time.Duration(20+rng.IntN(80)) * 24 * time.Hour
		case 2, 3:
			gap = time.Duration(1+rng.IntN(12)) * time.Hour
		case 4:
			gap = now.Truncate(24 * time.Hour).Add(24 * time.Hour).Sub(now)
		}
		now = now.Add(gap)
		if rng.IntN(4) == 0 {
			// A process that sees a maintenance boundary pass records it, at its time.
			if _, err := st.RecordBoundaries(ctx); err != nil {
				t.Fatal(err)
			}
			last = now
		}
		pick := func() int64 { return comps[rng.IntN(len(comps))] }
		switch k := rng.IntN(24); {
		case k < 4:
			in := store.NewIncident{Title: "Trouble", Message: "Looking.", Visibility: store.Public, At: when()}
			if rng.IntN(3) == 0 {
				in.Visibility = store.Internal
			}
			for _, i := range rng.Perm(len(comps))[:min(len(comps), 1+rng.IntN(2))] {
				in.Impacts = append(in.Impacts, store.SetImpact{ComponentID: comps[i], Status: impacts[rng.IntN(3)]})
			}
			inc, err := st.OpenIncident(ctx, actor, in)
			if afterTheFact(err) {
				last = now
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			incs = append(incs, inc.ID)
		case k < 9 && len(incs) > 0:
			up := store.NewUpdate{Status: store.Identified, Message: "Update.", At: when()}
			if rng.IntN(2) == 0 {
				up.Status = store.Fixed
			}
			if rng.IntN(2) == 0 {
				s := store.Status("")
				if rng.IntN(3) > 0 {
					s = impacts[rng.IntN(3)]
				}
				up.Impacts = append(up.Impacts, store.SetImpact{ComponentID: pick(), Status: s})
			}
			if _, err := st.PostUpdate(ctx, actor, incs[rng.IntN(len(incs))], up); err != nil && !afterTheFact(err) {
				t.Fatal(err)
			}
		case k < 13:
			if err := st.SetComponentStatusAt(ctx, actor, pick(), owns[rng.IntN(len(owns))], when()); err != nil && !afterTheFact(err) {
				t.Fatal(err)
			}
		case k < 15:
			start := now.Add(time.Duration(rng.IntN(180)) * time.Minute)
			_, err := st.AddMaintenance(ctx, actor, store.NewMaintenance{Title: "Work", Message: "Planned.",
				StartsAt: start, EndsAt: start.Add(time.Duration(30+rng.IntN(600)) * time.Minute),
				Components: []int64{pick()}, Visibility: []store.Visibility{store.Public, store.Internal}[rng.IntN(2)]})
			if err != nil {
				t.Fatal(err)
			}
		case k == 15:
			addComp(when())
		case k == 16 && rng.IntN(2) == 0:
			if err := st.SetComponentEnabled(ctx, actor, pick(), rng.IntN(3) > 0); err != nil {
				t.Fatal(err)
			}
		case k == 16:
			// The console's form: enabled and group in one write.
			c, err := st.Component(ctx, pick())
			if err != nil {
				t.Fatal(err)
			}
			in := store.ComponentEdit{Name: c.Name, Enabled: rng.IntN(3) > 0, GroupName: []string{"", "Core", "Edge"}[rng.IntN(3)]}
			if err := st.EditComponent(ctx, actor, c.ID, in); err != nil {
				t.Fatal(err)
			}
		case k == 17:
			g := int64(0)
			if i := rng.IntN(3); i < len(groups) {
				g = groups[i]
			}
			var gone *store.NotFoundError // a group removed since
			if err := st.MoveComponent(ctx, actor, pick(), g, 1); err != nil && !errors.As(err, &gone) {
				t.Fatal(err)
			}
		case k == 18 && len(comps) > 2:
			i := rng.IntN(len(comps))
			err := st.RemoveComponent(ctx, actor, comps[i])
			var conflict *store.ConflictError
			switch {
			case err == nil:
				comps = append(comps[:i], comps[i+1:]...)
			case !errors.As(err, &conflict):
				t.Fatal(err)
			}
		case k == 19 && len(incs) > 0:
			v := []store.Visibility{store.Public, store.Internal}[rng.IntN(2)]
			if err := st.SetIncidentVisibility(ctx, actor, incs[rng.IntN(len(incs))], v); err != nil {
				t.Fatal(err)
			}
			last = now
		case k == 20 && rng.IntN(4) == 0:
			i := rng.IntN(len(groups))
			if err := st.RemoveGroup(ctx, actor, groups[i]); err == nil {
				g, err := st.AddGroup(ctx, actor, fmt.Sprint("G", step))
				if err != nil {
					t.Fatal(err)
				}
				groups[i] = g.ID
			}
		}
		if step%8 == 7 {
			sameRecords(t, st, now, fmt.Sprint("seed ", seed, " after write ", step), 1, 2, 45, 90, 200)
			// Later in the day, with nothing written since: the day runs on to now.
			sameRecords(t, st, now.Add(time.Duration(rng.IntN(20*60))*time.Minute), fmt.Sprint("later after write ", step), 1, 45, 90)
		}
	}
}

// TestUptimeTotalsAfterLoad: a loaded data set (the demo, whose history the loader writes
// directly) gets its totals computed from that history.
func TestUptimeTotalsAfterLoad(t *testing.T) {
	st := openTemp(t)
	now := time.Now()
	if err := demo.Fill(context.Background(), st, actor, now); err != nil {
		t.Fatal(err)
	}
	sameRecords(t, st, now, "after the demo load", 45, 2)
}

// TestMigrateUptimeTotals: a database from before the totals were kept gets them from its
// history when it is opened.
func TestMigrateUptimeTotals(t *testing.T) {
	day := int64(24 * 60 * 60 * 1000)
	t0 := time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC).UnixMilli()
	path := databaseAt(t, 10,
		`INSERT INTO groups (id, name, position, collapse, created_at, updated_at) VALUES (1, 'Core', 1, 'expanded', 0, 0)`,
		fmt.Sprintf(`INSERT INTO components (id, name, group_id, status, effective_status, public_status, created_at, updated_at) VALUES
			(1, 'api', 1, 'operational', 'major_outage', 'partial_outage', %d, 0),
			(2, 'db', 1, 'operational', 'operational', 'operational', %d, 0),
			(3, 'web', NULL, 'operational', 'operational', 'operational', %d, 0)`, t0, t0+3*day+5000, t0),
		fmt.Sprintf(`INSERT INTO status_changes (component_id, at, old_status, new_status, cause, audience) VALUES
			(1, %[1]d, 'operational', 'partial_outage', 'manual', 'responders'),
			(1, %[1]d, 'operational', 'partial_outage', 'manual', 'public'),
			(1, %[2]d, 'partial_outage', 'major_outage', 'incident', 'responders'),
			(2, %[3]d, 'operational', 'under_maintenance', 'maintenance', 'responders'),
			(2, %[4]d, 'under_maintenance', 'operational', 'maintenance', 'responders'),
			(3, %[5]d, 'operational', 'major_outage', 'manual', 'responders'),
			(3, %[5]d, 'operational', 'major_outage', 'manual', 'public'),
			(3, %[6]d, 'major_outage', 'operational', 'manual', 'responders'),
			(3, %[6]d, 'major_outage', 'operational', 'manual', 'public')`,
			t0+day+3600000, t0+9*day+7200000, t0+4*day, t0+4*day+1800000, t0+10*day+60000, t0+13*day+1),
	)
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, now := range []int64{t0 + 14*day + 5, t0 + 30*day} {
		sameRecords(t, st, time.UnixMilli(now).UTC(), fmt.Sprint("migrated, now ", now), 45, 2)
	}
}
