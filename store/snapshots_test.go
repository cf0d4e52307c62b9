package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"beacon/store"
)

// first is the address of a list's first element: two reads share a list when they match.
func first[T any](list []T) *T {
	if len(list) == 0 {
		return nil
	}
	return &list[0]
}

// TestSnapshotsReadOncePerChange: every session asking for the dashboard between two changes
// gets the one read made for that version; after a change each subscriber, once told, gets a
// new read that holds the change.
func TestSnapshotsReadOncePerChange(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	api := addComponent(t, st, "API")
	addComponent(t, st, "Website")
	sn := st.NewSnapshots()
	ch, cancel := sn.Subscribe()
	defer cancel()

	const sessions = 50
	got := make([]store.Dashboard, sessions)
	var wg sync.WaitGroup
	for i := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d, err := sn.Dashboard(ctx)
			if err != nil {
				t.Error(err)
			}
			got[i] = d
		}()
	}
	wg.Wait()
	for i, d := range got {
		if first(d.Components) == nil || first(d.Components) != first(got[0].Components) {
			t.Fatalf("session %d got its own read of the dashboard, want the shared one", i)
		}
	}

	statuses := []store.Status{store.MajorOutage, store.Operational, store.PartialOutage, store.Unknown}
	prev := got[0]
	for _, want := range statuses {
		if err := st.SetComponentStatus(ctx, actor, api.ID, want); err != nil {
			t.Fatal(err)
		}
		select {
		case <-ch:
		case <-time.After(5 * time.Second):
			t.Fatal("no change reported")
		}
		d, err := sn.Dashboard(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if d.Components[0].Effective != want {
			t.Fatalf("after the change the shared dashboard says %s, want %s", d.Components[0].Effective, want)
		}
		if first(d.Components) == first(prev.Components) {
			t.Fatal("a change did not bring a new read")
		}
		again, _ := sn.Dashboard(ctx)
		if first(again.Components) != first(d.Components) {
			t.Fatal("a second read for the same version was not shared")
		}
		prev = d
	}
}

// TestSnapshotsWithoutSubscribersReadEveryTime: with nobody subscribed no change would be
// noticed, so nothing is kept.
func TestSnapshotsWithoutSubscribersReadEveryTime(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	api := addComponent(t, st, "API")
	sn := st.NewSnapshots()
	_, cancel := sn.Subscribe()
	if _, err := sn.Dashboard(ctx); err != nil {
		t.Fatal(err)
	}
	cancel()
	if n := st.Subscribers(); n != 0 {
		t.Fatalf("%d store subscriptions left after the last one here ended", n)
	}
	if err := st.SetComponentStatus(ctx, actor, api.ID, store.MajorOutage); err != nil {
		t.Fatal(err)
	}
	d, err := sn.Dashboard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d.Components[0].Effective != store.MajorOutage {
		t.Fatalf("with nobody subscribed the dashboard says %s, want the write's major outage", d.Components[0].Effective)
	}
}

// TestSnapshotsSubscriptions: one store subscription serves every subscriber here; it ends
// with the last of them, and closing the store closes every channel.
func TestSnapshotsSubscriptions(t *testing.T) {
	st := openTemp(t)
	sn := st.NewSnapshots()
	a, cancelA := sn.Subscribe()
	b, cancelB := sn.Subscribe()
	if st.Subscribers() != 1 || sn.Subscribers() != 2 {
		t.Fatalf("%d store and %d shared subscriptions, want 1 and 2", st.Subscribers(), sn.Subscribers())
	}
	cancelA()
	cancelA()
	if _, ok := <-a; ok {
		t.Fatal("a cancelled subscription's channel is open")
	}
	if st.Subscribers() != 1 || sn.Subscribers() != 1 {
		t.Fatalf("%d store and %d shared subscriptions, want 1 and 1", st.Subscribers(), sn.Subscribers())
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case _, ok := <-b:
		if ok {
			t.Fatal("a value instead of the close")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("closing the store left a subscription open")
	}
	cancelB()
	if c, _ := sn.Subscribe(); c != nil {
		if _, ok := <-c; ok {
			t.Fatal("subscribing to a closed store gave an open channel")
		}
	}
}

// TestSnapshotsResolvedPages: the same page asked twice in one version is one read; the
// public's pages hold no internal incident.
func TestSnapshotsResolvedPages(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	for _, vis := range []store.Visibility{store.Public, store.Internal, store.Public, store.Internal} {
		id := open(t, st, string(vis)+" trouble", vis)
		post(t, st, id, store.Fixed)
	}
	sn := st.NewSnapshots()
	_, cancel := sn.Subscribe()
	defer cancel()
	q := store.IncidentQuery{Limit: 10}
	all, err := sn.ResolvedIncidents(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := sn.ResolvedIncidents(ctx, q)
	if len(all) != 4 || first(again) != first(all) {
		t.Fatalf("%d incidents, shared %v; want 4, shared", len(all), first(again) == first(all))
	}
	public, err := store.PublicOnly(sn).ResolvedIncidents(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(public) != 2 {
		t.Fatalf("the public page has %d incidents, want 2", len(public))
	}
	for _, inc := range public {
		if inc.Visibility != store.Public {
			t.Errorf("the public page has %q", inc.Title)
		}
	}
	direct, err := store.PublicOnly(st).ResolvedIncidents(ctx, store.IncidentQuery{Limit: 1, Before: public[0].ID})
	if err != nil || len(direct) != 1 || direct[0].ID != public[1].ID {
		t.Fatalf("paging the public list: %v, %+v", err, direct)
	}
}

// TestDashboardPublicOnly: the public's dashboard drops internal incidents and computes
// components and the banner again without them, so an internal incident leaves no trace: not
// a status, not the banner, not the time of the newest change. The dashboard it came from
// keeps the responders' view.
func TestDashboardPublicOnly(t *testing.T) {
	st := openTemp(t)
	at := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	store.SetClock(st, func() time.Time { at = at.Add(time.Minute); return at })
	api, db, web := addComponent(t, st, "API"), addComponent(t, st, "DB"), addComponent(t, st, "Web")
	open(t, st, "Public trouble", store.Public, db.ID, store.PerformanceIssues)
	publicAt := at
	open(t, st, "Internal trouble", store.Internal, api.ID, store.MajorOutage, db.ID, store.PartialOutage)
	fixed := open(t, st, "Internal and fixed", store.Internal, web.ID, store.MajorOutage)
	post(t, st, fixed, store.Fixed)
	lastWrite := at // reads consult the clock too (maintenance is read by it)
	d := dashboard(t, st)
	p := d.PublicOnly()

	if len(p.Unresolved) != 1 || p.Unresolved[0].Title != "Public trouble" {
		t.Fatalf("public incidents %+v", p.Unresolved)
	}
	want := map[string][2]store.Status{ // responders, public
		"API": {store.MajorOutage, store.Operational},
		"DB":  {store.PartialOutage, store.PerformanceIssues},
		"Web": {store.Operational, store.Operational},
	}
	for i, c := range d.Components {
		if w := want[c.Name]; c.Effective != w[0] || p.Components[i].Effective != w[1] {
			t.Errorf("%s: responders %s, public %s; want %s, %s", c.Name, c.Effective, p.Components[i].Effective, w[0], w[1])
		}
	}
	if d.Banner.Indicator != store.IndicatorCritical || p.Banner.Indicator != store.IndicatorMinor {
		t.Errorf("banners: responders %s, public %s; want critical, minor", d.Banner.Indicator, p.Banner.Indicator)
	}
	if !d.Components[0].UpdatedAt.After(publicAt) || !p.Components[0].UpdatedAt.Before(publicAt) {
		t.Errorf("API updated: responders %v, public %v; the public's must not move with the internal incident", d.Components[0].UpdatedAt, p.Components[0].UpdatedAt)
	}
	if !d.UpdatedAt.Equal(lastWrite) || !p.UpdatedAt.Equal(publicAt) {
		t.Errorf("updated: responders %v, public %v; want %v, %v", d.UpdatedAt, p.UpdatedAt, lastWrite, publicAt)
	}
	if d.Audience != store.Responders || p.Audience != store.ThePublic || len(d.Unresolved) != 2 || d.Components[0].Effective != store.MajorOutage {
		t.Fatal("PublicOnly changed the dashboard it came from")
	}
	if again := p.PublicOnly(); again.Banner != p.Banner || again.Components[0].Effective != store.Operational {
		t.Errorf("PublicOnly twice: %+v", again.Banner)
	}
}

// TestSnapshotsShareUptime checks that the sessions of one process share the record of every
// component until the data changes, and read a few components' record each.
func TestSnapshotsShareUptime(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	api := addComponent(t, st, "API")
	sn := st.NewSnapshots()
	ch, cancel := sn.Subscribe()
	defer cancel()
	q := store.UptimeQuery{Days: 3, PartialWeight: store.DefaultPartialWeight}
	read := func(q store.UptimeQuery) *store.Uptime {
		t.Helper()
		rep, err := sn.Uptime(ctx, q)
		if err != nil || len(rep.Components) != 1 {
			t.Fatalf("uptime: %v, %d records", err, len(rep.Components))
		}
		return &rep.Components[0]
	}
	a, b := read(q), read(q)
	if a != b {
		t.Error("two sessions read the whole record each, want one shared read")
	}
	one := q
	one.Components = []int64{api.ID}
	if c, d := read(one), read(one); c == d {
		t.Error("one component's record was shared, want a read for each caller")
	}
	if err := st.SetComponentStatus(ctx, actor, api.ID, store.MajorOutage); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatal("no change announced")
	}
	if read(q) == a {
		t.Error("the record was not read again after a change")
	}
}
