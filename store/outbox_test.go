package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"beacon/store"
)

func addWebhook(t testing.TB, st *store.Store, internal bool, events ...string) store.Webhook {
	t.Helper()
	w, err := st.AddWebhook(context.Background(), actor, store.NewWebhook{URL: "https://hooks.example.com/x",
		Events: events, Internal: internal, Secret: "whsec_dGVzdA=="})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// outbox lists every delivery as "endpoint:event-type", oldest first.
func outbox(t testing.TB, st *store.Store) []string {
	t.Helper()
	ds, err := st.Deliveries(context.Background(), store.DeliveryQuery{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(ds) - 1; i >= 0; i-- {
		out = append(out, fmt.Sprintf("%d:%s", ds[i].EndpointID, ds[i].EventType))
	}
	return out
}

func TestOutboxEvents(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	api := addComponent(t, st, "API")
	db := addComponent(t, st, "DB")

	// No endpoint: writes record nothing.
	id := open(t, st, "Before webhooks", store.Public, api.ID, store.MajorOutage)
	post(t, st, id, store.Fixed)
	if got := outbox(t, st); len(got) != 0 {
		t.Fatalf("events without endpoints: %v", got)
	}

	pub := addWebhook(t, st, false)
	inner := addWebhook(t, st, true)
	comps := addWebhook(t, st, false, store.KindComponent)
	off := addWebhook(t, st, true)
	if err := st.RemoveWebhook(ctx, actor, off.ID); err != nil {
		t.Fatal(err)
	}
	_ = comps

	steps := []struct {
		name string
		do   func()
		want []string
	}{
		{"open public", func() { id = open(t, st, "API errors", store.Public, api.ID, store.PartialOutage) },
			[]string{"1:incident.opened", "2:incident.opened", "1:component.status_changed", "2:component.status_changed", "3:component.status_changed"}},
		{"update without a status move", func() { post(t, st, id, store.Identified) },
			[]string{"1:incident.updated", "2:incident.updated"}},
		{"resolve", func() { post(t, st, id, store.Fixed) },
			[]string{"1:incident.resolved", "2:incident.resolved", "1:component.status_changed", "2:component.status_changed", "3:component.status_changed"}},
		{"reopen", func() { post(t, st, id, store.Investigating) },
			[]string{"1:incident.reopened", "2:incident.reopened", "1:component.status_changed", "2:component.status_changed", "3:component.status_changed"}},
		{"internal incident: internal endpoints only, no public status move", func() { open(t, st, "Quiet", store.Internal, db.ID, store.MajorOutage) },
			[]string{"2:incident.opened"}},
		{"own status by hand", func() {
			if err := st.SetComponentStatus(ctx, actor, db.ID, store.PerformanceIssues); err != nil {
				t.Fatal(err)
			}
		}, []string{"1:component.status_changed", "2:component.status_changed", "3:component.status_changed"}},
		{"making an internal incident public moves the public status", func() {
			if err := st.SetIncidentVisibility(ctx, actor, 3, store.Public); err != nil {
				t.Fatal(err)
			}
		}, []string{"1:component.status_changed", "2:component.status_changed", "3:component.status_changed"}},
	}
	seen := 0
	for _, s := range steps {
		s.do()
		all := outbox(t, st)
		got := all[seen:]
		seen = len(all)
		if fmt.Sprint(got) != fmt.Sprint(s.want) {
			t.Errorf("%s: outbox got %v, want %v", s.name, got, s.want)
		}
	}

	n, err := st.IncidentNotifications(ctx, id)
	if err != nil || n.Pending != 8 || n.Total() != 8 {
		t.Errorf("notifications of incident #%d: %+v, %v; want 8 pending (two endpoints, four events)", id, n, err)
	}
	if ds := deliveries(t, st, store.DeliveryQuery{IncidentID: id}); len(ds) != 8 {
		t.Errorf("deliveries of incident #%d: %d, want 8", id, len(ds))
	}
	ev, err := st.Event(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Type != store.EventIncidentUpdated || ev.Incident == nil || ev.Incident.Status != store.Identified || len(ev.Incident.Updates) != 2 || ev.Incident.Resolved() {
		t.Errorf("event 3 as it stood: %+v", ev)
	}
	if pub.ID != 1 || inner.ID != 2 {
		t.Fatal("endpoint ids")
	}
}

func TestOutboxRollsBackWithTheWrite(t *testing.T) {
	st := openTemp(t)
	api := addComponent(t, st, "API")
	addWebhook(t, st, true)
	id := open(t, st, "API errors", store.Public, api.ID, store.MajorOutage)
	before := outbox(t, st)
	// An impact on a component that does not exist fails the whole update, after the update
	// row was written: nothing of it, the event included, may remain.
	_, err := st.PostUpdate(context.Background(), actor, id, store.NewUpdate{Status: store.Fixed,
		Impacts: []store.SetImpact{{ComponentID: api.ID, Status: ""}, {ComponentID: 999, Status: store.MajorOutage}}})
	if err == nil {
		t.Fatal("update with an unknown component succeeded")
	}
	if after := outbox(t, st); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Fatalf("a failed write left events: %v → %v", before, after)
	}
}

func TestClaimsLeaseAndOrder(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	w := addWebhook(t, st, false, store.KindIncident)
	id := open(t, st, "One", store.Public)
	post(t, st, id, store.Identified)
	post(t, st, id, store.Fixed)
	now := time.Now().Add(time.Second)

	a, err := st.ClaimDeliveries(ctx, "a", now, time.Minute, 2, 0)
	if err != nil || len(a) != 2 || a[0].Delivery.ID > a[1].Delivery.ID || a[0].Endpoint.ID != w.ID {
		t.Fatalf("first claim: %+v, %v", a, err)
	}
	if b, _ := st.ClaimDeliveries(ctx, "b", now, time.Minute, 10, 0); len(b) != 0 {
		t.Fatalf("a second sender claimed while the head was leased: %+v", b)
	}
	// a delivers the first, gives back the second; b may then take the rest, in order.
	if err := st.FinishDeliveries(ctx, "a", []store.Outcome{{DeliveryID: a[0].Delivery.ID, At: now, Status: 200, Delivered: true}}); err != nil {
		t.Fatal(err)
	}
	if err := st.ReleaseDeliveries(ctx, "a", []int64{a[1].Delivery.ID}); err != nil {
		t.Fatal(err)
	}
	b, _ := st.ClaimDeliveries(ctx, "b", now, time.Minute, 10, 0)
	if len(b) != 2 || b[0].Delivery.ID != a[1].Delivery.ID {
		t.Fatalf("b's claim: %+v", b)
	}
	// b dies; once its lease runs out c takes over, and b's late outcome is dropped.
	later := now.Add(time.Minute + time.Second)
	c, _ := st.ClaimDeliveries(ctx, "c", later, time.Minute, 10, 0)
	if len(c) != 2 {
		t.Fatalf("after the lease ran out: %+v", c)
	}
	if err := st.FinishDeliveries(ctx, "b", []store.Outcome{{DeliveryID: b[0].Delivery.ID, At: later, Status: 500, NextAt: later.Add(time.Hour)}}); err != nil {
		t.Fatal(err)
	}
	ds, _ := st.Deliveries(ctx, store.DeliveryQuery{})
	for _, d := range ds {
		if d.Attempts != 0 && d.ID != a[0].Delivery.ID {
			t.Errorf("a stale lease holder's outcome was recorded: %+v", d)
		}
	}
	holders, _ := st.LeaseHolders(ctx, later)
	if fmt.Sprint(holders) != "[c]" {
		t.Errorf("lease holders %v", holders)
	}
	if err := st.BreakLeases(ctx, "c"); err != nil {
		t.Fatal(err)
	}
	if next, ok, _ := st.NextDelivery(ctx); !ok || next.After(later) {
		t.Errorf("after breaking c's leases the next delivery is due at %s, ok %v", next, ok)
	}
}

func TestWebhookValidation(t *testing.T) {
	st := openTemp(t)
	for _, in := range []store.NewWebhook{
		{URL: "ftp://x.example/", Secret: "whsec_a"},
		{URL: "https://x.example/", Secret: "nope"},
		{URL: "https://x.example/", Format: "xml", Secret: "whsec_a"},
		{URL: "https://x.example/", Events: []string{"deploy"}, Secret: "whsec_a"},
		{URL: "https://u:p@x.example/", Secret: "whsec_a"},
	} {
		if _, err := st.AddWebhook(context.Background(), actor, in); err == nil {
			t.Errorf("accepted %+v", in)
		}
	}
}

func TestMigrationSetsPublicStatus(t *testing.T) {
	st := openTemp(t)
	api := addComponent(t, st, "API")
	open(t, st, "Quiet", store.Internal, api.ID, store.MajorOutage)
	addWebhook(t, st, false, store.KindComponent)
	// The internal outage must not count as a public move when the incident is fixed.
	post(t, st, 1, store.Fixed)
	if got := outbox(t, st); len(got) != 0 {
		t.Fatalf("fixing an internal incident made public events: %v", got)
	}
}

func TestMaintenanceEventsReachTheOutbox(t *testing.T) {
	ctx := context.Background()
	st, c := clocked(t)
	api := addComponent(t, st, "API")
	addWebhook(t, st, false)                       // 1: public, every kind
	addWebhook(t, st, true, store.KindMaintenance) // 2: internal, maintenance only
	addWebhook(t, st, false, store.KindIncident)   // 3: public, incidents only
	seen := 0
	step := func(name string, want ...string) {
		t.Helper()
		all := outbox(t, st)
		if got := all[seen:]; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: outbox got %v, want %v", name, got, want)
		}
		seen = len(all)
	}
	at := func(d time.Duration) {
		c.set(t0.Add(d))
		if _, err := st.RecordBoundaries(ctx); err != nil {
			t.Fatal(err)
		}
	}
	pub := schedule(t, st, store.NewMaintenance{StartsAt: t0.Add(2 * time.Hour), EndsAt: t0.Add(3 * time.Hour), Components: []int64{api.ID}})
	step("scheduled", "1:maintenance.scheduled", "2:maintenance.scheduled")
	at(time.Hour + time.Minute)
	step("reminder", "1:maintenance.reminder", "2:maintenance.reminder")
	at(2*time.Hour + time.Minute)
	step("started", "1:component.status_changed", "1:maintenance.started", "2:maintenance.started")
	at(3*time.Hour + time.Minute)
	step("completed", "1:component.status_changed", "1:maintenance.completed", "2:maintenance.completed")

	inner := schedule(t, st, store.NewMaintenance{Visibility: store.Internal, StartsAt: t0.Add(5 * time.Hour), EndsAt: t0.Add(6 * time.Hour), Components: []int64{api.ID}})
	step("internal scheduled", "2:maintenance.scheduled")
	if err := st.CancelMaintenance(ctx, actor, inner.ID, "Not needed."); err != nil {
		t.Fatal(err)
	}
	step("internal cancelled", "2:maintenance.cancelled")

	ds, err := st.Deliveries(ctx, store.DeliveryQuery{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.EventType == store.EventMaintenanceStarted {
			ev, err := st.Event(ctx, d.EventID)
			if err != nil {
				t.Fatal(err)
			}
			if ev.Maintenance == nil || ev.Maintenance.ID != pub.ID || ev.MaintenanceState() != store.MaintenanceInProgress || len(ev.Maintenance.Updates) != 2 {
				t.Errorf("started event: %+v", ev.Maintenance)
			}
		}
	}
}

func deliveries(t testing.TB, st *store.Store, q store.DeliveryQuery) []store.Delivery {
	t.Helper()
	ds, err := st.Deliveries(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}
