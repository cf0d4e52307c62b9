package store_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"beacon/store"
)

func TestIncidentIDsAndDetails(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	api := addComponent(t, st, "API")
	web := addComponent(t, st, "Web")
	a := open(t, st, "A", store.Public, api.ID, store.MajorOutage)
	b := open(t, st, "B", store.Internal, web.ID, store.PartialOutage)
	c := open(t, st, "C", store.Public, web.ID, store.PerformanceIssues)
	post(t, st, a, store.Fixed)
	post(t, st, b, store.Fixed)
	post(t, st, c, store.Identified, api.ID, store.PartialOutage)

	for _, tc := range []struct {
		q    store.IDQuery
		want []int64
	}{
		{store.IDQuery{}, []int64{a, b, c}},
		{store.IDQuery{PublicOnly: true}, []int64{a, c}},
		{store.IDQuery{ResolvedOnly: true}, []int64{a, b}},
		{store.IDQuery{PublicOnly: true, ResolvedOnly: true}, []int64{a}},
		{store.IDQuery{Newest: 2}, []int64{b, c}},
		{store.IDQuery{Since: time.Now().Add(time.Hour)}, nil},
	} {
		got, err := st.IncidentIDs(ctx, tc.q)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%+v: %v, want %v", tc.q, got, tc.want)
		}
	}

	details, err := st.IncidentDetails(ctx, []int64{c, 999, a})
	if err != nil {
		t.Fatal(err)
	}
	if len(details) != 2 || details[0].ID != c || details[1].ID != a {
		t.Fatalf("details: %+v", details)
	}
	for _, d := range details {
		one, err := st.Incident(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		for i := range one.Updates {
			one.Updates[i].Effects = nil
		}
		if !reflect.DeepEqual(d, one) {
			t.Errorf("incident %d in bulk:\n%+v\nalone:\n%+v", d.ID, d, one)
		}
	}
}

// TestIncidentDetailsReadsLikeIncident: the bulk read gives each incident as Incident does
// (without effects), in the order asked, whether the ids are read as a span or as a list and
// whether the timelines' update ids are close together or spread out; an incident inside the
// span that was not asked for is left out.
func TestIncidentDetailsReadsLikeIncident(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	// Names sort the other way round from ids.
	zeta := addComponent(t, st, "Zeta").ID
	alpha := addComponent(t, st, "Alpha").ID
	mid := addComponent(t, st, "Mid").ID
	a := open(t, st, "A", store.Public, zeta, store.MajorOutage, alpha, store.PartialOutage)
	post(t, st, a, store.Identified, zeta, store.PartialOutage, alpha, store.PerformanceIssues)
	b := open(t, st, "B", store.Internal, mid, store.MajorOutage)
	c := open(t, st, "C", store.Public, mid, store.PerformanceIssues)
	for range 6 {
		post(t, st, c, store.Identified)
	}
	d := open(t, st, "D", store.Public)
	post(t, st, a, store.Fixed) // a's updates are now far apart
	post(t, st, d, store.Fixed)

	for _, ids := range [][]int64{
		{a, c, d},       // a span holding b, which was not asked for
		{d, c, a},       // the same, newest first
		{a, b, c, d},    // b asked for
		{a},             // one incident whose updates are spread out
		{c},             // one whose updates are together
		{a, 999999},     // a list: far apart
		{999999, d, 42}, // a list with missing ids
	} {
		got, err := st.IncidentDetails(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		var want []store.IncidentDetail
		for _, id := range ids {
			one, err := st.Incident(ctx, id)
			if err != nil {
				continue
			}
			for i := range one.Updates {
				one.Updates[i].Effects = nil
			}
			want = append(want, one)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("ids %v:\n got %+v\nwant %+v", ids, got, want)
		}
	}
	one, err := st.Incident(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if ch := one.Updates[1].Changes; len(ch) != 2 || ch[0].ComponentName != "Alpha" {
		t.Fatalf("the test needs an update of A changing two components, Alpha first: %+v", one.Updates)
	}
	if m := one.Impacts; len(m) != 2 || m[0].ComponentName != "Alpha" {
		t.Fatalf("the test needs A to impact two components, Alpha first: %+v", m)
	}
}

// TestPublicDigest: the digest moves with public incidents and windows, an old one made
// internal included, and stays as it was for internal ones.
func TestPublicDigest(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	api := addComponent(t, st, "API")
	digest := func() string {
		t.Helper()
		d, err := st.PublicDigest(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	old := open(t, st, "Old", store.Public, api.ID, store.MajorOutage)
	post(t, st, old, store.Fixed)
	hidden := open(t, st, "Hidden", store.Internal, api.ID, store.PartialOutage)
	d0 := digest()
	for _, step := range []struct {
		name    string
		write   func() error
		changes bool
	}{
		{"an internal update", func() error {
			_, err := st.PostUpdate(ctx, actor, hidden, store.NewUpdate{Status: store.Identified, Message: "Quiet."})
			return err
		}, false},
		{"an internal incident", func() error {
			_, err := st.OpenIncident(ctx, actor, store.NewIncident{Title: "Quiet", Message: "x", Visibility: store.Internal})
			return err
		}, false},
		{"an internal window", func() error {
			at := time.Now().Add(time.Hour)
			_, err := st.AddMaintenance(ctx, actor, store.NewMaintenance{Title: "Quiet", Message: "x", Visibility: store.Internal, StartsAt: at, EndsAt: at.Add(time.Hour), Components: []int64{api.ID}})
			return err
		}, false},
		{"an old incident made internal", func() error { return st.SetIncidentVisibility(ctx, actor, old, store.Internal) }, true},
		{"a public window", func() error {
			at := time.Now().Add(time.Hour)
			_, err := st.AddMaintenance(ctx, actor, store.NewMaintenance{Title: "Upgrade", Message: "x", StartsAt: at, EndsAt: at.Add(time.Hour), Components: []int64{api.ID}})
			return err
		}, true},
	} {
		if err := step.write(); err != nil {
			t.Fatal(step.name, err)
		}
		d := digest()
		if (d != d0) != step.changes {
			t.Errorf("%s: digest %s → %s, want a change: %v", step.name, d0, d, step.changes)
		}
		d0 = d
	}
}

// TestPublicUpdatedAtIgnoresWhatReadersCannotSee: webhook changes and a disabled component's
// status leave the public's "updated at" as it was.
func TestPublicUpdatedAtIgnoresWhatReadersCannotSee(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	addComponent(t, st, "API")
	off := addComponent(t, st, "Old box")
	if err := st.SetComponentEnabled(ctx, actor, off.ID, false); err != nil {
		t.Fatal(err)
	}
	updatedAt := func() time.Time {
		t.Helper()
		d, err := store.PublicOnly(st).Dashboard(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return d.UpdatedAt
	}
	before := updatedAt()
	st.SetClock(func() time.Time { return before.Add(time.Minute) }) // later writes show a later time
	if _, err := st.AddWebhook(ctx, actor, store.NewWebhook{URL: "https://hooks.example.com/x", Internal: true, Secret: "whsec_" + strings.Repeat("A", 32)}); err != nil {
		t.Fatal(err)
	}
	if err := st.SetComponentStatus(ctx, actor, off.ID, store.MajorOutage); err != nil {
		t.Fatal(err)
	}
	if after := updatedAt(); !after.Equal(before) {
		t.Errorf("the public's updated-at moved from %v to %v for writes readers cannot see", before, after)
	}
}
