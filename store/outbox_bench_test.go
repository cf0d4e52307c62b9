package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"beacon/store"
)

// BenchmarkPostUpdateWebhooks posts the same updates to two databases, one with no webhook
// endpoint and one with 20, alternating between them so that both see the same machine load.
// Each update moves a component's status, so with endpoints it records two events (the
// incident's and the component's) and 40 deliveries. It reports the median of each and their
// ratio. Target: the ratio within 1.20.
func BenchmarkPostUpdateWebhooks(b *testing.B) {
	ctx := context.Background()
	type db struct {
		st   *store.Store
		inc  int64
		comp int64
		took []time.Duration
	}
	setup := func(endpoints int) *db {
		st := openTemp(b)
		var comp int64
		for i := range 50 {
			c, err := st.AddComponent(ctx, benchUser, store.NewComponent{Name: fmt.Sprint("Component ", i)})
			if err != nil {
				b.Fatal(err)
			}
			comp = c.ID
		}
		for range endpoints {
			if _, err := st.AddWebhook(ctx, benchUser, store.NewWebhook{URL: "https://hooks.example.com/beacon", Secret: "whsec_dGVzdA=="}); err != nil {
				b.Fatal(err)
			}
		}
		inc, err := st.OpenIncident(ctx, benchUser, store.NewIncident{Title: "Errors", Impacts: []store.SetImpact{{ComponentID: comp, Status: store.MajorOutage}}})
		if err != nil {
			b.Fatal(err)
		}
		return &db{st: st, inc: inc.ID, comp: comp}
	}
	none, twenty := setup(0), setup(20)
	post := func(d *db, i int) {
		in := store.NewUpdate{
			Status:  []store.IncidentStatus{store.Identified, store.Watching}[i%2],
			Message: fmt.Sprintf("Update %d: the impact changed; we keep watching.", i),
			Impacts: []store.SetImpact{{ComponentID: d.comp, Status: store.Impacts[i%len(store.Impacts)]}},
		}
		start := time.Now()
		if _, err := d.st.PostUpdate(ctx, benchUser, d.inc, in); err != nil {
			b.Fatal(err)
		}
		d.took = append(d.took, time.Since(start))
	}
	b.ResetTimer()
	for i := range b.N {
		if i%2 == 0 {
			post(none, i)
			post(twenty, i)
		} else {
			post(twenty, i)
			post(none, i)
		}
	}
	b.StopTimer()
	n, err := twenty.st.Deliveries(ctx, store.DeliveryQuery{Limit: 1})
	if err != nil || len(n) == 0 {
		b.Fatalf("no deliveries recorded with 20 endpoints: %v", err)
	}
	median := func(d []time.Duration) time.Duration { slices.Sort(d); return d[len(d)/2] }
	m0, m20 := median(none.took), median(twenty.took)
	b.ReportMetric(float64(m0.Nanoseconds()), "median-ns/post-0-endpoints")
	b.ReportMetric(float64(m20.Nanoseconds()), "median-ns/post-20-endpoints")
	b.ReportMetric(float64(m20)/float64(m0), "ratio")
}

// BenchmarkIncidentNotifications reads one incident's delivery counts and failed deliveries
// (what the console's Incident view reads) from an outbox of 100,000 deliveries: 10,000 events
// for other incidents and 10 for this one, to 10 endpoints.
func BenchmarkIncidentNotifications(b *testing.B) {
	ctx := context.Background()
	st := openTemp(b)
	for range 10 {
		if _, err := st.AddWebhook(ctx, benchUser, store.NewWebhook{URL: "https://hooks.example.com/beacon", Secret: "whsec_dGVzdA=="}); err != nil {
			b.Fatal(err)
		}
	}
	var ids []int64
	for i := range 2 {
		inc, err := st.OpenIncident(ctx, benchUser, store.NewIncident{Title: fmt.Sprint("Incident ", i)})
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, inc.ID)
	}
	if err := store.FillOutbox(st, ids[0], 10000); err != nil {
		b.Fatal(err)
	}
	if err := store.FillOutbox(st, ids[1], 10); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		n, err := st.IncidentNotifications(ctx, ids[1])
		if err != nil || n.Total() != 110 {
			b.Fatalf("%+v, %v", n, err)
		}
		if _, err := st.Deliveries(ctx, store.DeliveryQuery{IncidentID: ids[1], Failed: true, Limit: 3}); err != nil {
			b.Fatal(err)
		}
	}
}
