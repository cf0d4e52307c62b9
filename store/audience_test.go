package store_test

import (
	"context"
	"testing"
	"time"

	"beacon/store"
)

// TestEffectiveStatusAudiences: the one rule, for both audiences. Responders see every hold;
// the public sees own status and public holds only, so an internal hold never shows.
func TestEffectiveStatusAudiences(t *testing.T) {
	const op, mnt, perf, part, maj = store.Operational, store.UnderMaintenance, store.PerformanceIssues, store.PartialOutage, store.MajorOutage
	pub := func(s store.Status) store.Hold { return store.Hold{Status: s, Visibility: store.Public} }
	internal := func(s store.Status) store.Hold { return store.Hold{Status: s, Visibility: store.Internal} }
	tests := []struct {
		name               string
		own                store.Status
		holds              []store.Hold
		responders, public store.Status
	}{
		{"nothing held", op, nil, op, op},
		{"own status shows to all", part, nil, part, part},
		{"a public incident shows to all", op, []store.Hold{pub(maj)}, maj, maj},
		{"an internal incident shows to responders only", op, []store.Hold{internal(maj)}, maj, op},
		{"the worst visible hold wins", op, []store.Hold{internal(maj), pub(perf)}, maj, perf},
		{"own status worse than a public hold", part, []store.Hold{pub(perf), internal(maj)}, maj, part},
		{"public maintenance in progress", op, []store.Hold{pub(mnt)}, mnt, mnt},
		{"internal maintenance stays internal", op, []store.Hold{internal(mnt)}, mnt, op},
		{"maintenance never hides an outage", op, []store.Hold{pub(mnt), pub(part)}, part, part},
		{"a hold with no status counts for nothing", perf, []store.Hold{pub("")}, perf, perf},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := store.EffectiveStatus(tt.own, tt.holds, store.Responders); got != tt.responders {
				t.Errorf("responders: %s, want %s", got, tt.responders)
			}
			if got := store.EffectiveStatus(tt.own, tt.holds, store.ThePublic); got != tt.public {
				t.Errorf("public: %s, want %s", got, tt.public)
			}
		})
	}
}

// TestIncidentPublicOnly: a public incident's timeline, as the public reads it, keeps its own
// impact changes but not the effective-status moves, which were computed with internal
// incidents too (here: API was already in partial outage, for an internal reason).
func TestIncidentPublicOnly(t *testing.T) {
	st := openTemp(t)
	api := addComponent(t, st, "API")
	internal := open(t, st, "Internal trouble", store.Internal, api.ID, store.PartialOutage)
	public := open(t, st, "Public trouble", store.Public, api.ID, store.MajorOutage)
	d, err := st.Incident(context.Background(), public)
	if err != nil {
		t.Fatal(err)
	}
	if e := d.Updates[0].Effects; len(e) != 1 || e[0].Old != store.PartialOutage {
		t.Fatalf("responders' effects %+v", e)
	}
	p, ok := d.PublicOnly()
	if !ok || len(p.Updates[0].Effects) != 0 || len(p.Updates[0].Changes) != 1 {
		t.Errorf("public timeline %v %+v", ok, p.Updates)
	}
	if len(d.Updates[0].Effects) != 1 {
		t.Error("PublicOnly changed the detail it came from")
	}
	in, err := st.Incident(context.Background(), internal)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := in.PublicOnly(); ok {
		t.Error("the public may read an internal incident")
	}
}

// TestVisibilityMovesPublicStatus: making an unresolved incident public shows its impacts to
// the public (and records the move in the public's history); making it internal again takes
// them back. The responders' status and history do not move.
func TestVisibilityMovesPublicStatus(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	api := addComponent(t, st, "API")
	id := open(t, st, "Trouble", store.Internal, api.ID, store.MajorOutage)
	public := func() store.Status { return dashboard(t, st).PublicOnly().Components[0].Effective }
	history := func(a store.Audience) int {
		list, err := st.StatusChangesFor(ctx, a, api.ID, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}
	if public() != store.Operational || history(store.ThePublic) != 0 || history(store.Responders) != 1 {
		t.Fatalf("internal: public %s, histories %d/%d", public(), history(store.ThePublic), history(store.Responders))
	}
	if err := st.SetIncidentVisibility(ctx, actor, id, store.Public); err != nil {
		t.Fatal(err)
	}
	if public() != store.MajorOutage || history(store.ThePublic) != 1 {
		t.Errorf("made public: public %s, history %d", public(), history(store.ThePublic))
	}
	if err := st.SetIncidentVisibility(ctx, actor, id, store.Internal); err != nil {
		t.Fatal(err)
	}
	if public() != store.Operational || history(store.ThePublic) != 2 || history(store.Responders) != 1 {
		t.Errorf("internal again: public %s, histories %d/%d", public(), history(store.ThePublic), history(store.Responders))
	}
}
