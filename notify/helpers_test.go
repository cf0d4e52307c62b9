package notify_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"beacon/notify"
	"beacon/publicid"
	"beacon/store"
)

var actor = store.Actor{Name: "tester"}

// clock is a test's injectable time: it moves only when the test says. It starts a minute
// ahead of the wall clock, which stamps the store's writes, so that what a test writes is
// already due.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock {
	return &clock{t: time.Now().UTC().Add(time.Minute).Truncate(time.Millisecond)}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// received is one request a receiver got.
type received struct {
	id, timestamp, signature string
	body                     []byte
}

// receiver is a webhook endpoint on loopback that records what it gets and answers with
// answer (200 when nil); n counts requests from 0.
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	got    []received
	answer func(n int, w http.ResponseWriter)
}

func newReceiver(t testing.TB, answer func(n int, w http.ResponseWriter)) *receiver {
	r := &receiver{answer: answer}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		n := len(r.got)
		r.got = append(r.got, received{req.Header.Get("webhook-id"), req.Header.Get("webhook-timestamp"), req.Header.Get("webhook-signature"), body})
		r.mu.Unlock()
		if r.answer != nil {
			r.answer(n, w)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) requests() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

func openStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "beacon.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// addEndpoint adds an endpoint at url that may be on loopback.
func addEndpoint(t testing.TB, st *store.Store, url, format string, internal bool, events ...string) store.Webhook {
	t.Helper()
	secret, err := notify.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	w, err := st.AddWebhook(context.Background(), actor, store.NewWebhook{URL: url, Format: format, Events: events,
		Internal: internal, AllowPrivate: true, Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func addComponent(t testing.TB, st *store.Store, name string) store.Component {
	t.Helper()
	c, err := st.AddComponent(context.Background(), actor, store.NewComponent{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func openIncident(t testing.TB, st *store.Store, title string, vis store.Visibility, impacts ...store.SetImpact) int64 {
	t.Helper()
	d, err := st.OpenIncident(context.Background(), actor, store.NewIncident{Title: title, Message: "Looking into it.", Visibility: vis, Impacts: impacts})
	if err != nil {
		t.Fatal(err)
	}
	return d.ID
}

func postUpdate(t testing.TB, st *store.Store, id int64, status store.IncidentStatus, msg string, impacts ...store.SetImpact) {
	t.Helper()
	if _, err := st.PostUpdate(context.Background(), actor, id, store.NewUpdate{Status: status, Message: msg, Impacts: impacts}); err != nil {
		t.Fatal(err)
	}
}

// sender is a sender on st with the test's clock and no jitter.
func sender(st *store.Store, c *clock) *notify.Sender {
	return &notify.Sender{Store: st, IDs: publicIDs(st), Now: c.Now, Jitter: func(d time.Duration) time.Duration { return d }}
}

// publicIDs is the codec of st's public ids; it panics when st has no key.
func publicIDs(st *store.Store) *publicid.Codec {
	ids, err := notify.PublicIDs(context.Background(), st)
	if err != nil {
		panic(err)
	}
	return ids
}

func drain(t testing.TB, s *notify.Sender) int {
	t.Helper()
	n, err := s.Drain(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func deliveries(t testing.TB, st *store.Store, q store.DeliveryQuery) []store.Delivery {
	t.Helper()
	ds, err := st.Deliveries(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}
