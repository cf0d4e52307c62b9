package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"beacon/store"
)

// TestEffectiveStatus walks scenarios step by step and checks every component's effective
// status after each step.
func TestEffectiveStatus(t *testing.T) {
	type step struct {
		do   func(t *testing.T, st *store.Store, ids map[string]int64, incs map[string]int64)
		want map[string]store.Status
	}
	const op, perf, part, maj, mnt = store.Operational, store.PerformanceIssues, store.PartialOutage, store.MajorOutage, store.UnderMaintenance
	openInc := func(name string, pairs ...any) func(*testing.T, *store.Store, map[string]int64, map[string]int64) {
		return func(t *testing.T, st *store.Store, ids, incs map[string]int64) {
			var args []any
			for i := 0; i < len(pairs); i += 2 {
				args = append(args, ids[pairs[i].(string)], pairs[i+1])
			}
			incs[name] = open(t, st, name, store.Public, args...)
		}
	}
	update := func(name string, status store.IncidentStatus, pairs ...any) func(*testing.T, *store.Store, map[string]int64, map[string]int64) {
		return func(t *testing.T, st *store.Store, ids, incs map[string]int64) {
			var args []any
			for i := 0; i < len(pairs); i += 2 {
				args = append(args, ids[pairs[i].(string)], pairs[i+1])
			}
			post(t, st, incs[name], status, args...)
		}
	}
	own := func(comp string, s store.Status) func(*testing.T, *store.Store, map[string]int64, map[string]int64) {
		return func(t *testing.T, st *store.Store, ids, incs map[string]int64) {
			if err := st.SetComponentStatus(context.Background(), actor, ids[comp], s); err != nil {
				t.Fatal(err)
			}
		}
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"two incidents on one component: fixing one leaves the other", []step{
			{openInc("A", "api", maj), map[string]store.Status{"api": maj, "db": op}},
			{openInc("B", "api", perf, "db", part), map[string]store.Status{"api": maj, "db": part}},
			{update("A", store.Fixed), map[string]store.Status{"api": perf, "db": part}},
			{update("B", store.Fixed), map[string]store.Status{"api": op, "db": op}},
		}},
		{"resolving restores, reopening re-imposes", []step{
			{openInc("A", "api", part, "db", maj), map[string]store.Status{"api": part, "db": maj}},
			{update("A", store.Identified), map[string]store.Status{"api": part, "db": maj}},
			{update("A", store.Watching), map[string]store.Status{"api": part, "db": maj}},
			{update("A", store.Fixed), map[string]store.Status{"api": op, "db": op}},
			{update("A", store.Investigating), map[string]store.Status{"api": part, "db": maj}},
			{update("A", store.Fixed), map[string]store.Status{"api": op, "db": op}},
		}},
		{"updates change, add and end impacts", []step{
			{openInc("A", "api", perf), map[string]store.Status{"api": perf, "db": op}},
			{update("A", store.Identified, "api", maj, "db", perf), map[string]store.Status{"api": maj, "db": perf}},
			{update("A", store.Watching, "api", store.Status("")), map[string]store.Status{"api": op, "db": perf}},
		}},
		{"own status and incidents: the worst wins", []step{
			{own("api", mnt), map[string]store.Status{"api": mnt}},
			{openInc("A", "api", perf), map[string]store.Status{"api": perf}},
			{own("api", maj), map[string]store.Status{"api": maj}},
			{update("A", store.Fixed), map[string]store.Status{"api": maj}},
			{own("api", op), map[string]store.Status{"api": op}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := openTemp(t)
			ids := map[string]int64{"api": addComponent(t, st, "api").ID, "db": addComponent(t, st, "db").ID}
			incs := map[string]int64{}
			for i, s := range tt.steps {
				s.do(t, st, ids, incs)
				for comp, want := range s.want {
					if got := effective(t, st, ids[comp]); got != want {
						t.Fatalf("step %d: %s is %s, want %s", i+1, comp, got, want)
					}
				}
			}
		})
	}
}

// TestHistory checks that a status-change row is written exactly when an effective status
// changes, with its old and new status and its cause.
func TestHistory(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	api := addComponent(t, st, "api")
	db := addComponent(t, st, "db")
	a := open(t, st, "A", store.Public, api.ID, store.MajorOutage)
	b := open(t, st, "B", store.Public, api.ID, store.PerformanceIssues, db.ID, store.PartialOutage)
	post(t, st, b, store.Identified) // no effective change
	post(t, st, a, store.Fixed)      // api: major → performance
	post(t, st, b, store.Fixed)      // api → operational, db → operational
	if err := st.SetComponentStatus(ctx, actor, db.ID, store.Operational); err != nil {
		t.Fatal(err) // same own status: no change
	}
	if err := st.SetComponentStatus(ctx, actor, db.ID, store.UnderMaintenance); err != nil {
		t.Fatal(err)
	}
	type row struct {
		old, new store.Status
		cause    string
		incident int64
	}
	want := map[int64][]row{
		api.ID: {
			{store.Operational, store.MajorOutage, "incident", a},
			{store.MajorOutage, store.PerformanceIssues, "incident", a},
			{store.PerformanceIssues, store.Operational, "incident", b},
		},
		db.ID: {
			{store.Operational, store.PartialOutage, "incident", b},
			{store.PartialOutage, store.Operational, "incident", b},
			{store.Operational, store.UnderMaintenance, "manual", 0},
		},
	}
	for id, rows := range want {
		got, err := st.StatusChanges(ctx, id, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(rows) {
			t.Fatalf("component %d: %d history rows, want %d: %+v", id, len(got), len(rows), got)
		}
		for i, r := range rows {
			g := got[i]
			if g.Old != r.old || g.New != r.new || g.Cause != r.cause || g.IncidentID != r.incident {
				t.Errorf("component %d row %d = %s→%s %s #%d, want %s→%s %s #%d", id, i, g.Old, g.New, g.Cause, g.IncidentID, r.old, r.new, r.cause, r.incident)
			}
		}
	}
}

func TestIncidentTimelineAndAudit(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	api := addComponent(t, st, "api")
	id := open(t, st, "Checkout slow", store.Public, api.ID, store.PerformanceIssues)
	post(t, st, id, store.Identified, api.ID, store.MajorOutage)
	if _, err := st.PostUpdate(ctx, store.Actor{Name: "bob"}, id, store.NewUpdate{Status: store.Fixed, Message: "Done."}); err != nil {
		t.Fatal(err)
	}
	d, err := st.Incident(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := st.Component(ctx, api.ID); !c.UpdatedAt.Equal(d.ResolvedAt) {
		t.Errorf("api updated at %s, want the fix's time %s: its status moved then", c.UpdatedAt, d.ResolvedAt)
	}
	if got := dashboard(t, st).UpdatedAt; !got.Equal(d.ResolvedAt) {
		t.Errorf("dashboard updated at %s, want the fix's time %s", got, d.ResolvedAt)
	}
	if !d.Resolved() || d.Status != store.Fixed {
		t.Errorf("incident should be fixed and resolved: %+v", d.Incident)
	}
	if len(d.Updates) != 3 || d.Updates[0].Status != store.Fixed || d.Updates[0].Author != "bob" || d.Updates[2].Status != store.Investigating {
		t.Fatalf("timeline not newest first with authors: %+v", d.Updates)
	}
	ch := d.Updates[1].Changes
	if len(ch) != 1 || ch[0].Old != store.PerformanceIssues || ch[0].New != store.MajorOutage || ch[0].ComponentName != "api" {
		t.Errorf("update's impact changes = %+v", ch)
	}
	if e := d.Updates[0].Effects; len(e) != 1 || e[0].ComponentName != "api" || e[0].Old != store.MajorOutage || e[0].New != store.Operational {
		t.Errorf("the fix's effects = %+v, want api major_outage → operational", e)
	}
	if e := d.Updates[2].Effects; len(e) != 1 || e[0].New != store.PerformanceIssues {
		t.Errorf("the declaration's effects = %+v", e)
	}
	if len(d.Impacts) != 1 || d.Impacts[0].Status != store.MajorOutage {
		t.Errorf("a fixed incident keeps its impacts (for reopening): %+v", d.Impacts)
	}
	entries, err := st.Audit(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	actions := []string{}
	for _, e := range entries {
		actions = append(actions, e.Action+"/"+e.Actor)
	}
	want := []string{"incident.resolve/bob", "incident.update/tester", "incident.open/tester", "component.add/tester"}
	if len(actions) != len(want) {
		t.Fatalf("audit = %v, want %v", actions, want)
	}
	for i := range want {
		if actions[i] != want[i] {
			t.Fatalf("audit = %v, want %v", actions, want)
		}
	}
}

func TestWritesRefused(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	api := addComponent(t, st, "api")
	id := open(t, st, "A", store.Public, api.ID, store.MajorOutage)
	viewer := store.Actor{Name: "guest", ReadOnly: true}
	checks := []struct {
		name string
		err  error
		want error
	}{
		{"viewer sets status", st.SetComponentStatus(ctx, viewer, api.ID, store.MajorOutage), store.ErrReadOnly},
		{"viewer saves draft", st.SaveDraft(ctx, viewer, "new", []byte("{}")), store.ErrReadOnly},
		{"remove affected component", st.RemoveComponent(ctx, actor, api.ID), store.ErrConflict},
		{"duplicate component", func() error { _, err := st.AddComponent(ctx, actor, store.NewComponent{Name: "API"}); return err }(), store.ErrConflict},
		{"update unknown incident", func() error {
			_, err := st.PostUpdate(ctx, actor, 999, store.NewUpdate{Status: store.Fixed})
			return err
		}(), store.ErrNotFound},
		{"impact on unknown component", func() error {
			_, err := st.PostUpdate(ctx, actor, id, store.NewUpdate{Status: store.Identified, Impacts: []store.SetImpact{{ComponentID: 999, Status: store.MajorOutage}}})
			return err
		}(), store.ErrNotFound},
	}
	for _, c := range checks {
		if !errors.Is(c.err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, c.err, c.want)
		}
	}
	var ve *store.ValidationError
	if _, err := st.OpenIncident(ctx, actor, store.NewIncident{Title: "two\nlines"}); !errors.As(err, &ve) || ve.Field != "title" {
		t.Errorf("two-line title: %v", err)
	}
	if _, err := st.OpenIncident(ctx, actor, store.NewIncident{Title: "x", Status: store.Fixed}); !errors.As(err, &ve) {
		t.Errorf("opening as fixed: %v", err)
	}
	// A refused write leaves nothing behind.
	d, _ := st.Incident(ctx, id)
	if len(d.Updates) != 1 || effective(t, st, api.ID) != store.MajorOutage {
		t.Errorf("refused writes changed data: %d updates", len(d.Updates))
	}
	post(t, st, id, store.Fixed)
	if err := st.RemoveComponent(ctx, actor, api.ID); err != nil {
		t.Errorf("removing a component whose incidents are all fixed: %v", err)
	}
}

func TestPagingAndDrafts(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	api := addComponent(t, st, "api")
	var ids []int64
	for i := 0; i < 12; i++ {
		id := open(t, st, "incident 100%_"+string(rune('a'+i)), store.Public, api.ID, store.PerformanceIssues)
		if i%4 != 3 {
			post(t, st, id, store.Fixed)
			ids = append(ids, id)
		}
	}
	un, err := st.UnresolvedIncidents(ctx)
	if err != nil || len(un) != 3 {
		t.Fatalf("unresolved = %d, %v", len(un), err)
	}
	var seen []int64
	var before int64
	for {
		page, err := st.ResolvedIncidents(ctx, store.IncidentQuery{Before: before, Limit: 4})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, inc := range page {
			seen = append(seen, inc.ID)
			if len(inc.Impacts) != 1 {
				t.Errorf("incident %d impacts not loaded", inc.ID)
			}
		}
		before = page[len(page)-1].ID
	}
	if len(seen) != len(ids) {
		t.Fatalf("paged %d resolved incidents, want %d", len(seen), len(ids))
	}
	for i := range seen {
		if seen[i] != ids[len(ids)-1-i] {
			t.Fatalf("resolved pages not newest first: %v", seen)
		}
	}
	f, err := st.ResolvedIncidents(ctx, store.IncidentQuery{Title: "100%_C"})
	if err != nil || len(f) != 1 {
		t.Errorf("title filter with LIKE wildcards: %d, %v", len(f), err)
	}

	if _, ok, _ := st.LoadDraft(ctx, actor, "new"); ok {
		t.Fatal("draft before saving")
	}
	if err := st.SaveDraft(ctx, actor, "new", []byte(`{"title":"x"}`)); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveDraft(ctx, actor, "new", []byte(`{"title":"xy"}`)); err != nil {
		t.Fatal(err)
	}
	if d, ok, err := st.LoadDraft(ctx, actor, "new"); !ok || err != nil || string(d.State) != `{"title":"xy"}` {
		t.Errorf("draft = %q %v %v", d.State, ok, err)
	}
	if _, ok, _ := st.LoadDraft(ctx, store.Actor{Name: "other"}, "new"); ok {
		t.Error("drafts are per actor")
	}
	if err := st.DeleteDraft(ctx, actor, "new"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := st.LoadDraft(ctx, actor, "new"); ok {
		t.Error("draft survives delete")
	}
}

func TestPreview(t *testing.T) {
	st := openTemp(t)
	api := addComponent(t, st, "api")
	db := addComponent(t, st, "db")
	other := open(t, st, "other", store.Internal, api.ID, store.PerformanceIssues)
	id := open(t, st, "main", store.Public, api.ID, store.MajorOutage, db.ID, store.PartialOutage)
	_ = other
	d := dashboard(t, st)
	p := d.Preview(store.Proposal{IncidentID: id, Impacts: map[int64]store.Status{api.ID: store.MajorOutage, db.ID: store.PartialOutage}, Unresolved: false}, store.DefaultCriticalShare)
	if len(p.Components) != 2 {
		t.Fatalf("preview lists %d components", len(p.Components))
	}
	got := map[string][2]store.Status{}
	for _, c := range p.Components {
		got[c.Name] = [2]store.Status{c.Before, c.After}
	}
	if got["api"] != [2]store.Status{store.MajorOutage, store.PerformanceIssues} || got["db"] != [2]store.Status{store.PartialOutage, store.Operational} {
		t.Errorf("fixing preview = %v", got)
	}
	if p.BannerBefore.Indicator != store.IndicatorCritical || p.BannerAfter.Indicator != store.IndicatorMinor {
		t.Errorf("banner %s → %s, want critical → minor", p.BannerBefore.Indicator, p.BannerAfter.Indicator)
	}
	// The preview must agree with what posting then does.
	post(t, st, id, store.Fixed)
	after := dashboard(t, st)
	if after.Banner != p.BannerAfter {
		t.Errorf("posted banner %v, previewed %v", after.Banner, p.BannerAfter)
	}
	for _, c := range after.Components {
		if c.Effective != got[c.Name][1] {
			t.Errorf("%s posted %s, previewed %s", c.Name, c.Effective, got[c.Name][1])
		}
	}
}
