package demo_test

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"beacon/demo"
	"beacon/store"
)

var (
	actor = store.Actor{Name: "tester"}
	now   = time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)
)

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "beacon.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func dashboard(t *testing.T, st *store.Store) store.Dashboard {
	t.Helper()
	d, err := st.Dashboard(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// resolved reads every resolved incident, newest first, a page at a time.
func resolved(t *testing.T, st *store.Store) []store.Incident {
	t.Helper()
	var all []store.Incident
	q := store.IncidentQuery{Limit: 50}
	for {
		page, err := st.ResolvedIncidents(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page...)
		if len(page) < q.Limit {
			return all
		}
		q.Before = page[len(page)-1].ID
	}
}

func detail(t *testing.T, st *store.Store, id int64) store.IncidentDetail {
	t.Helper()
	d, err := st.Incident(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// checkHistory replays each component's status changes from operational and checks that they
// chain (each starts where the last ended) and end at the component's effective status, for
// responders and for the public (whose series must not end where it began when a public
// incident moved the component).
func checkHistory(t *testing.T, st *store.Store, d store.Dashboard, since time.Time) map[int64][]store.StatusChange {
	t.Helper()
	checkHistoryFor(t, st, store.ThePublic, d.PublicOnly(), since)
	return checkHistoryFor(t, st, store.Responders, d, since)
}

func checkHistoryFor(t *testing.T, st *store.Store, a store.Audience, d store.Dashboard, since time.Time) map[int64][]store.StatusChange {
	t.Helper()
	all := map[int64][]store.StatusChange{}
	for _, c := range d.Components {
		changes, err := st.StatusChangesFor(context.Background(), a, c.ID, since)
		if err != nil {
			t.Fatal(err)
		}
		cur := store.Operational
		for _, ch := range changes {
			if ch.Old != cur || ch.New == ch.Old {
				t.Fatalf("%s (%s): change at %v goes %s → %s, but the status was %s", c.Name, a, ch.At, ch.Old, ch.New, cur)
			}
			if ch.At.After(now) {
				t.Fatalf("%s: change at %v is in the future", c.Name, ch.At)
			}
			cur = ch.New
		}
		if cur != c.Effective {
			t.Errorf("%s (%s): history ends at %s, effective status is %s", c.Name, a, cur, c.Effective)
		}
		all[c.ID] = changes
	}
	return all
}

func TestFill(t *testing.T) {
	st := openStore(t)
	if err := demo.Fill(context.Background(), st, actor, now); err != nil {
		t.Fatal(err)
	}
	d := dashboard(t, st)
	if len(d.Groups) != 4 || len(d.Components) != 13 {
		t.Fatalf("%d groups and %d components; want 4 and 13", len(d.Groups), len(d.Components))
	}
	if len(d.Unresolved) != 1 {
		t.Fatalf("%d unresolved incidents; want 1", len(d.Unresolved))
	}
	open := detail(t, st, d.Unresolved[0].ID)
	if len(open.Impacts) != 2 || open.Impacts[0].Status == open.Impacts[1].Status {
		t.Errorf("open incident impacts %+v; want two components with different impacts", open.Impacts)
	}
	if open.Status != store.Identified || len(open.Updates) != 2 {
		t.Errorf("open incident is %s with %d updates; want identified with 2", open.Status, len(open.Updates))
	}
	for _, u := range open.Updates {
		for _, md := range []string{"**", "`", "\n"} {
			if !strings.Contains(u.Message, md) {
				t.Errorf("open incident update %q lacks Markdown %q", u.Message, md)
			}
		}
	}

	want := map[string]store.Status{"Search": store.UnderMaintenance}
	for _, m := range open.Impacts {
		want[m.ComponentName] = m.Status
	}
	got := map[string]store.Status{}
	for _, c := range d.Components {
		if c.Effective != store.Operational {
			got[c.Name] = c.Effective
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("non-operational components %v; want %v", got, want)
	}
	if d.Banner.Indicator != store.IndicatorMajor {
		t.Errorf("banner %q; want major", d.Banner.Indicator)
	}

	fixed := resolved(t, st)
	if len(fixed) < 5 {
		t.Fatalf("%d fixed incidents; want several", len(fixed))
	}
	history := checkHistory(t, st, d, now.AddDate(0, 0, -91))
	authors := map[string]bool{}
	reopened := 0
	for _, inc := range fixed {
		inc := detail(t, st, inc.ID)
		if age := now.Sub(inc.OccurredAt); age <= 0 || age > 90*24*time.Hour {
			t.Errorf("incident %q began %v ago; want within 90 days", inc.Title, age)
		}
		n := len(inc.Updates)
		if n < 4 || inc.Updates[n-1].Status != store.Investigating || inc.Updates[0].Status != store.Fixed {
			t.Errorf("incident %q: %d updates from %s to %s; want a full timeline", inc.Title, n, inc.Updates[n-1].Status, inc.Updates[0].Status)
		}
		for i, u := range inc.Updates {
			authors[u.Author] = true
			if i > 0 && u.Status == store.Watching && inc.Updates[i-1].Status == store.Identified {
				reopened++
			}
		}
		// Each component went to its impact when the incident began and back when it was fixed.
		for _, m := range inc.Impacts {
			var start, end bool
			for _, ch := range history[m.ComponentID] {
				start = start || (ch.At.Equal(inc.OccurredAt) && ch.New == m.Status && ch.IncidentID == inc.ID)
				end = end || (ch.At.Equal(inc.ResolvedAt) && ch.Old == m.Status && ch.New == store.Operational && ch.IncidentID == inc.ID)
			}
			if !start || !end {
				t.Errorf("incident %q on %s: history has start %v, fix %v; want both", inc.Title, m.ComponentName, start, end)
			}
		}
		// The timeline says so: the first update took the components down, the fix brought
		// them back (unless another incident still held one).
		if len(inc.Impacts) > 0 && (len(inc.Updates[n-1].Effects) == 0 || len(inc.Updates[0].Effects) == 0) {
			t.Errorf("incident %q: first update effects %v, fix effects %v; want both", inc.Title, inc.Updates[n-1].Effects, inc.Updates[0].Effects)
		}
	}
	if len(authors) < 4 {
		t.Errorf("authors %v; want varied", authors)
	}
	if reopened == 0 {
		t.Error(`no incident goes "not fixed: back to identified"`)
	}

	// One window is announced ahead, and nothing about it is dated in the future.
	windows, err := st.Maintenances(context.Background(), store.MaintenanceQuery{All: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(windows) != 1 || !windows[0].StartsAt.After(now) || windows[0].Visibility != store.Public {
		t.Fatalf("scheduled windows %+v; want one public, ahead", windows)
	}
	w, err := st.Maintenance(context.Background(), windows[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if w.CreatedAt.After(now) || w.UpdatedAt.After(now) || len(w.Updates) != 1 || w.Updates[0].CreatedAt.After(now) || w.Updates[0].Message == "" {
		t.Errorf("the scheduled window: created %v, updated %v, timeline %+v; want all at or before %v", w.CreatedAt, w.UpdatedAt, w.Updates, now)
	}
}

func TestFillRefusesNonEmpty(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(t *testing.T, st *store.Store)
	}{
		{"one component", func(t *testing.T, st *store.Store) {
			if _, err := st.AddComponent(context.Background(), actor, store.NewComponent{Name: "Mine"}); err != nil {
				t.Fatal(err)
			}
		}},
		{"the demo already", func(t *testing.T, st *store.Store) {
			if err := demo.Fill(context.Background(), st, actor, now); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := openStore(t)
			tt.prepare(t, st)
			before := dashboard(t, st)
			auditBefore, err := st.Audit(context.Background(), 1000)
			if err != nil {
				t.Fatal(err)
			}
			err = demo.Fill(context.Background(), st, actor, now)
			if !errors.Is(err, store.ErrConflict) {
				t.Fatalf("Fill on a non-empty database: %v; want a conflict", err)
			}
			err = demo.FillScale(context.Background(), st, actor, now, demo.Scale{Components: 1, Incidents: 1, UpdatesPerIncident: 1}, nil)
			if !errors.Is(err, store.ErrConflict) {
				t.Fatalf("FillScale on a non-empty database: %v; want a conflict", err)
			}
			after := dashboard(t, st)
			after.Now = before.Now // the time of the read, not data
			auditAfter, err := st.Audit(context.Background(), 1000)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(before, after) || len(auditBefore) != len(auditAfter) {
				t.Error("a refused fill changed the database")
			}
		})
	}
}

func TestFillScale(t *testing.T) {
	sc := demo.Scale{Groups: 3, Components: 20, Incidents: 200, UpdatesPerIncident: 5, Unresolved: 2}
	st := openStore(t)
	var calls, last int
	err := demo.FillScale(context.Background(), st, actor, now, sc, func(done, total int) {
		if total != sc.Incidents || done <= last || done > total {
			t.Errorf("progress(%d, %d) after %d", done, total, last)
		}
		calls++
		last = done
	})
	if err != nil {
		t.Fatal(err)
	}
	if last != sc.Incidents || calls > 300 {
		t.Errorf("progress called %d times, last at %d; want at most a few hundred, ending at %d", calls, last, sc.Incidents)
	}

	d := dashboard(t, st)
	if len(d.Groups) != sc.Groups || len(d.Components) != sc.Components {
		t.Fatalf("%d groups and %d components; want %d and %d", len(d.Groups), len(d.Components), sc.Groups, sc.Components)
	}
	if len(d.Unresolved) != sc.Unresolved {
		t.Fatalf("%d unresolved; want %d", len(d.Unresolved), sc.Unresolved)
	}
	for i, inc := range d.Unresolved {
		if want := int64(sc.Incidents - i); inc.ID != want {
			t.Errorf("unresolved incident #%d; want the newest, #%d", inc.ID, want)
		}
	}
	fixed := resolved(t, st)
	if len(fixed) != sc.Incidents-sc.Unresolved {
		t.Fatalf("%d resolved incidents; want %d", len(fixed), sc.Incidents-sc.Unresolved)
	}

	imposed := map[int64]store.Status{}
	for _, inc := range d.Unresolved {
		for _, m := range inc.Impacts {
			imposed[m.ComponentID] = store.Worst(imposed[m.ComponentID], m.Status)
		}
	}
	for _, c := range d.Components {
		if want := store.Worst(store.Operational, imposed[c.ID]); c.Effective != want {
			t.Errorf("%s is %s; want %s", c.Name, c.Effective, want)
		}
	}
	checkHistory(t, st, d, time.Time{})

	var prev time.Time
	for id := int64(1); id <= int64(sc.Incidents); id++ {
		inc := detail(t, st, id)
		if len(inc.Updates) != sc.UpdatesPerIncident {
			t.Errorf("incident #%d has %d updates; want %d", id, len(inc.Updates), sc.UpdatesPerIncident)
		}
		if n := len(inc.Impacts); n < 1 || n > 3 {
			t.Errorf("incident #%d affects %d components; want 1 to 3", id, n)
		}
		if !inc.OccurredAt.After(prev) || inc.UpdatedAt.After(now) {
			t.Errorf("incident #%d began %v (the one before: %v), updated %v; want time order, in the past", id, inc.OccurredAt, prev, inc.UpdatedAt)
		}
		if age := now.Sub(inc.OccurredAt); age > 2*366*24*time.Hour {
			t.Errorf("incident #%d began %v ago; want within about two years", id, age)
		}
		prev = inc.OccurredAt
	}
}

func TestFillScaleDeterministic(t *testing.T) {
	sc := demo.Scale{Groups: 2, Components: 8, Incidents: 30, UpdatesPerIncident: 3, Unresolved: 1}
	var runs [2][]store.IncidentDetail
	for r := range runs {
		st := openStore(t)
		if err := demo.FillScale(context.Background(), st, actor, now, sc, nil); err != nil {
			t.Fatal(err)
		}
		for id := int64(1); id <= int64(sc.Incidents); id++ {
			runs[r] = append(runs[r], detail(t, st, id))
		}
	}
	if !reflect.DeepEqual(runs[0], runs[1]) {
		t.Error("two runs of FillScale wrote different incidents")
	}
}

func TestFillScaleRejectsBadScale(t *testing.T) {
	for _, sc := range []demo.Scale{
		{Components: 1, Incidents: 1, UpdatesPerIncident: 0},
		{Components: -1, Incidents: 1, UpdatesPerIncident: 1},
	} {
		st := openStore(t)
		if err := demo.FillScale(context.Background(), st, actor, now, sc, nil); err == nil {
			t.Errorf("FillScale(%+v) succeeded; want an error", sc)
		}
		if empty, err := st.Empty(context.Background()); err != nil || !empty {
			t.Errorf("FillScale(%+v) left the database non-empty (%v)", sc, err)
		}
	}
}
