package notify_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"beacon/notify"
	"beacon/store"
)

// BenchmarkDeliver1000Events sends 1,000 events (updates to 100 incidents, ten each) to 10
// endpoints on loopback in Statuspage's format: 10,000 signed POSTs, each endpoint's in order.
// One op is the whole drain. Target: 10 s.
func BenchmarkDeliver1000Events(b *testing.B) {
	ctx := context.Background()
	var got atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		got.Add(1)
	}))
	defer srv.Close()
	for range b.N {
		b.StopTimer()
		st := openStore(b)
		api := addComponent(b, st, "API")
		for i := range 10 {
			addEndpoint(b, st, fmt.Sprintf("%s/hook/%d", srv.URL, i), store.FormatStatuspage, false, store.KindIncident)
		}
		for i := range 100 {
			id := openIncident(b, st, fmt.Sprint("Incident ", i), store.Public, store.SetImpact{ComponentID: api.ID, Status: store.PartialOutage})
			for j := range 9 {
				postUpdate(b, st, id, []store.IncidentStatus{store.Identified, store.Watching, store.Fixed}[j%3], fmt.Sprintf("Update %d of incident %d.", j, i))
			}
		}
		got.Store(0)
		s := &notify.Sender{Store: st, IDs: publicIDs(st)}
		b.StartTimer()
		start := time.Now()
		n, err := s.Drain(ctx)
		took := time.Since(start)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		if n != 10000 || got.Load() != 10000 {
			b.Fatalf("made %d attempts, receiver got %d; want 10000", n, got.Load())
		}
		b.ReportMetric(took.Seconds(), "s/10k-deliveries")
		st.Close()
	}
}
