package notify_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/netip"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"beacon/notify"
	"beacon/store"
)

// verifyWithPython checks every request's signature with an independent verifier (Python's
// hmac) and returns its verdict.
func verifyWithPython(t *testing.T, secret string, reqs []received) (ok bool, out string) {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Fatal("python3 is needed to verify signatures independently; install it (.ci/run does)")
	}
	type req struct {
		ID        string `json:"id"`
		Timestamp string `json:"timestamp"`
		Signature string `json:"signature"`
		Body      string `json:"body_b64"`
	}
	var in []req
	for _, r := range reqs {
		in = append(in, req{r.id, r.timestamp, r.signature, base64.StdEncoding.EncodeToString(r.body)})
	}
	data, _ := json.Marshal(in)
	cmd := exec.Command(py, "testdata/verify.py", secret)
	cmd.Stdin = bytes.NewReader(data)
	b, err := cmd.CombinedOutput()
	if _, isExit := err.(*exec.ExitError); err != nil && !isExit {
		t.Fatal(err)
	}
	return err == nil, string(b)
}

func TestSignaturesVerifyIndependently(t *testing.T) {
	st := openStore(t)
	c := newClock()
	rcv := newReceiver(t, nil)
	api := addComponent(t, st, "API")
	ep := addEndpoint(t, st, rcv.URL, store.FormatStatuspage, false)
	id := openIncident(t, st, "API errors", store.Public, store.SetImpact{ComponentID: api.ID, Status: store.MajorOutage})
	postUpdate(t, st, id, store.Fixed, "Fixed with ünïcode & <html>.")
	s := sender(st, c)
	if n := drain(t, s); n != 4 {
		t.Fatalf("attempts = %d, want 4 (opened, component down, resolved, component up)", n)
	}
	got := rcv.requests()
	if ok, out := verifyWithPython(t, ep.Secret, got); !ok {
		t.Fatalf("signatures do not verify:\n%s", out)
	}
	for _, r := range got {
		ts, _ := strconv.ParseInt(r.timestamp, 10, 64)
		if ts != c.Now().Unix() {
			t.Errorf("webhook-timestamp %s, want the send time %d", r.timestamp, c.Now().Unix())
		}
		if !strings.HasPrefix(r.id, "msg_") {
			t.Errorf("webhook-id %q", r.id)
		}
	}
	other, _ := notify.NewSecret()
	if ok, _ := verifyWithPython(t, other, got); ok {
		t.Fatal("the verifier accepted signatures under another secret")
	}

	// A rotation: both secrets sign for 24 hours, then only the new one.
	next, _ := notify.NewSecret()
	if err := st.RotateWebhookSecret(context.Background(), actor, ep.ID, next); err != nil {
		t.Fatal(err)
	}
	postUpdate(t, st, id, store.Investigating, "Back again.")
	drain(t, s)
	during := rcv.requests()[len(got):]
	if len(during) == 0 || strings.Count(during[0].signature, "v1,") != 2 {
		t.Fatalf("during a rotation want two signatures, got %+v", during)
	}
	for _, secret := range []string{ep.Secret, next} {
		if ok, out := verifyWithPython(t, secret, during); !ok {
			t.Errorf("during the rotation, a signature by each secret must verify:\n%s", out)
		}
	}
	c.Add(store.SecretOverlap + time.Minute)
	postUpdate(t, st, id, store.Fixed, "Done.")
	drain(t, s)
	after := rcv.requests()[len(got)+len(during):]
	if ok, _ := verifyWithPython(t, ep.Secret, after); ok {
		t.Error("the old secret still signs 24 hours after the rotation")
	}
	if ok, out := verifyWithPython(t, next, after); !ok {
		t.Errorf("the new secret must sign:\n%s", out)
	}
}

func TestFailThenRetryAfterThenGone(t *testing.T) {
	st := openStore(t)
	c := newClock()
	rcv := newReceiver(t, func(n int, w http.ResponseWriter) {
		switch n {
		case 0:
			w.WriteHeader(http.StatusInternalServerError)
			w.Write([]byte("database on fire"))
		case 1:
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(http.StatusServiceUnavailable)
		default:
			w.WriteHeader(http.StatusGone)
		}
	})
	api := addComponent(t, st, "API")
	ep := addEndpoint(t, st, rcv.URL, store.FormatJSON, false, store.KindIncident)
	id := openIncident(t, st, "API errors", store.Public, store.SetImpact{ComponentID: api.ID, Status: store.MajorOutage})
	postUpdate(t, st, id, store.Identified, "Found it.")
	s := sender(st, c)
	start := c.Now()

	if n := drain(t, s); n != 1 {
		t.Fatalf("first pass made %d attempts, want 1 (the second event waits behind the first)", n)
	}
	d := deliveries(t, st, store.DeliveryQuery{EndpointID: ep.ID})[1]
	if d.State != store.DeliveryPending || d.Attempts != 1 || d.LastStatus != 500 || !strings.Contains(d.LastAnswer, "database on fire") {
		t.Fatalf("after a 500: %+v", d)
	}
	if want := start.Add(notify.Schedule[0]); !d.NextAt.Equal(want) {
		t.Fatalf("next attempt at %s, want %s (5 s later)", d.NextAt, want)
	}
	if n := drain(t, s); n != 0 {
		t.Fatalf("an attempt before the retry was due")
	}

	c.Add(notify.Schedule[0])
	drain(t, s)
	d = deliveries(t, st, store.DeliveryQuery{EndpointID: ep.ID})[1]
	if d.Attempts != 2 || d.LastStatus != 503 {
		t.Fatalf("after a 503: %+v", d)
	}
	if want := c.Now().Add(time.Hour); !d.NextAt.Equal(want) {
		t.Fatalf("Retry-After 3600 not honoured: next attempt %s, want %s", d.NextAt, want)
	}
	c.Add(59 * time.Minute)
	if n := drain(t, s); n != 0 {
		t.Fatal("retried before Retry-After ran out")
	}
	c.Add(time.Minute)
	drain(t, s)

	w, err := st.Webhook(context.Background(), ep.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !w.Disabled() || !strings.Contains(w.DisabledReason, "410") {
		t.Fatalf("a 410 must disable the endpoint: %+v", w)
	}
	failed := deliveries(t, st, store.DeliveryQuery{EndpointID: ep.ID, Failed: true})
	if len(failed) != 2 {
		t.Fatalf("after a 410 both deliveries have failed, got %+v", failed)
	}
	got := rcv.requests()
	if len(got) != 3 || got[0].id != got[1].id || got[1].id != got[2].id {
		t.Fatalf("want three attempts with one webhook-id, got %+v", got)
	}
	postUpdate(t, st, id, store.Fixed, "Fixed.")
	if ds := deliveries(t, st, store.DeliveryQuery{EndpointID: ep.ID}); len(ds) != 2 {
		t.Fatalf("a disabled endpoint got a new delivery: %+v", ds)
	}

	// Retrying by hand enables the endpoint again and sends at once.
	rcv.answer = nil
	if err := st.RetryDelivery(context.Background(), actor, failed[1].ID); err != nil {
		t.Fatal(err)
	}
	drain(t, s)
	if d := deliveries(t, st, store.DeliveryQuery{EndpointID: ep.ID})[1]; d.State != store.DeliveryDelivered {
		t.Fatalf("retried delivery: %+v", d)
	}
}

func TestGivesUpAfterThreeDays(t *testing.T) {
	st := openStore(t)
	c := newClock()
	rcv := newReceiver(t, func(_ int, w http.ResponseWriter) { w.WriteHeader(http.StatusBadGateway) })
	addEndpoint(t, st, rcv.URL, store.FormatJSON, false)
	openIncident(t, st, "Slow", store.Public)
	s := sender(st, c)
	start := c.Now()
	var gaps []time.Duration
	last := c.Now()
	for range 40 {
		if drain(t, s) > 0 {
			gaps = append(gaps, c.Now().Sub(last))
			last = c.Now()
		}
		d := deliveries(t, st, store.DeliveryQuery{})[0]
		if d.State == store.DeliveryFailed {
			break
		}
		c.Add(d.NextAt.Sub(c.Now()))
	}
	d := deliveries(t, st, store.DeliveryQuery{Failed: true})
	if len(d) != 1 {
		t.Fatalf("the delivery never failed; attempts at %v", gaps)
	}
	want := []time.Duration{0}
	want = append(want, notify.Schedule...)
	for total := time.Duration(0); ; {
		total = 0
		for _, g := range want {
			total += g
		}
		if total+notify.RetryEvery > notify.GiveUpAfter {
			break
		}
		want = append(want, notify.RetryEvery)
	}
	if fmt.Sprint(gaps) != fmt.Sprint(want) {
		t.Errorf("attempts came after %v, want %v", gaps, want)
	}
	if c.Now().Sub(start) > notify.GiveUpAfter {
		t.Errorf("last attempt %s after the event, past three days", c.Now().Sub(start))
	}
	if d[0].Attempts != len(want) || len(rcv.requests()) != len(want) {
		t.Errorf("attempts = %d, receiver saw %d, want %d", d[0].Attempts, len(rcv.requests()), len(want))
	}
}

func TestNextAttemptJitterAndRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 200 {
		d := notify.Jitter(5 * time.Minute)
		if d < 270*time.Second || d > 330*time.Second {
			t.Fatalf("jitter #%d moved 5m to %s, more than a tenth", i, d)
		}
	}
	next, ok := notify.NextAttempt(1, now, now, 0, nil)
	if !ok || next.Sub(now) != 5*time.Second {
		t.Errorf("first retry after %s", next.Sub(now))
	}
	next, _ = notify.NextAttempt(1, now, now, 10*time.Minute, nil)
	if next.Sub(now) != 10*time.Minute {
		t.Errorf("Retry-After 10m gave %s", next.Sub(now))
	}
	if _, ok := notify.NextAttempt(9, now, now.Add(70*time.Hour), 0, nil); ok {
		t.Error("a retry past three days was scheduled")
	}
}

func TestInOrderPerEndpoint(t *testing.T) {
	st := openStore(t)
	c := newClock()
	rcv := newReceiver(t, func(n int, w http.ResponseWriter) {
		if n == 0 {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	addEndpoint(t, st, rcv.URL, store.FormatJSON, false, store.KindIncident)
	id := openIncident(t, st, "Order", store.Public)
	for _, st2 := range []store.IncidentStatus{store.Identified, store.Watching, store.Fixed} {
		postUpdate(t, st, id, st2, string(st2))
	}
	s := sender(st, c)
	drain(t, s)
	c.Add(time.Minute)
	drain(t, s)
	var types []string
	for _, r := range rcv.requests() {
		var ev struct{ Type string }
		if err := json.Unmarshal(r.body, &ev); err != nil {
			t.Fatal(err)
		}
		types = append(types, ev.Type)
	}
	want := "[incident.opened incident.opened incident.updated incident.updated incident.resolved]"
	if fmt.Sprint(types) != want {
		t.Fatalf("receiver saw %v, want %s", types, want)
	}
}

func TestTwoSendersDeliverEachAttemptOnce(t *testing.T) {
	st := openStore(t)
	var mu sync.Mutex
	seen := map[string]int{}
	rcv := newReceiver(t, func(int, http.ResponseWriter) {})
	rcv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.Header.Get("webhook-id")]++
		mu.Unlock()
	})
	for range 3 {
		addEndpoint(t, st, rcv.URL, store.FormatJSON, false, store.KindIncident)
	}
	id := openIncident(t, st, "Busy", store.Public)
	for i := range 60 {
		postUpdate(t, st, id, store.Investigating, fmt.Sprint("update ", i))
	}
	// A second handle on the same file stands for a second process.
	st2, err := store.Open(context.Background(), st.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	a := &notify.Sender{Store: st, IDs: publicIDs(st), Batch: 7}
	b := &notify.Sender{Store: st2, IDs: publicIDs(st2), Batch: 5}
	var wg sync.WaitGroup
	for _, s := range []*notify.Sender{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				if n, err := s.Drain(context.Background()); err != nil {
					t.Error(err)
					return
				} else if n == 0 {
					ds, _ := st.Deliveries(context.Background(), store.DeliveryQuery{Limit: 1000})
					done := true
					for _, d := range ds {
						done = done && d.State == store.DeliveryDelivered
					}
					if done {
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	if len(seen) != 3*61 {
		t.Fatalf("%d distinct deliveries arrived, want %d", len(seen), 3*61)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s arrived %d times", id, n)
		}
	}
}

func TestInternalNeverReachesPublic(t *testing.T) {
	st := openStore(t)
	c := newClock()
	pub := newReceiver(t, nil)
	inner := newReceiver(t, nil)
	api := addComponent(t, st, "API")
	addEndpoint(t, st, pub.URL, store.FormatStatuspage, false)
	addEndpoint(t, st, inner.URL, store.FormatJSON, true)
	id := openIncident(t, st, "Secret database trouble", store.Internal, store.SetImpact{ComponentID: api.ID, Status: store.MajorOutage})
	postUpdate(t, st, id, store.Fixed, "Fixed quietly.")
	if err := st.SetComponentStatus(context.Background(), actor, api.ID, store.PerformanceIssues); err != nil {
		t.Fatal(err)
	}
	drain(t, sender(st, c))
	for _, r := range pub.requests() {
		if bytes.Contains(r.body, []byte("Secret")) || bytes.Contains(r.body, []byte(`"incident"`)) || bytes.Contains(r.body, []byte("major_outage")) {
			t.Errorf("a public endpoint got something of an internal incident: %s", r.body)
		}
	}
	if n := len(pub.requests()); n != 1 {
		t.Errorf("the public endpoint got %d requests, want 1 (the component set by hand)", n)
	}
	var types []string
	for _, r := range inner.requests() {
		var ev struct{ Type string }
		json.Unmarshal(r.body, &ev)
		types = append(types, ev.Type)
	}
	if want := "[incident.opened incident.resolved component.status_changed]"; fmt.Sprint(types) != want {
		t.Errorf("the internal endpoint got %v, want %s", types, want)
	}
	// The page status a public endpoint sees leaves internal incidents out.
	id2 := openIncident(t, st, "Hidden outage", store.Internal, store.SetImpact{ComponentID: api.ID, Status: store.MajorOutage})
	_ = id2
	if err := st.SetComponentStatus(context.Background(), actor, api.ID, store.Operational); err != nil {
		t.Fatal(err)
	}
	c.Add(2 * time.Second)
	drain(t, sender(st, c))
	last := pub.requests()[len(pub.requests())-1]
	var body struct {
		Page struct {
			StatusIndicator string `json:"status_indicator"`
		} `json:"page"`
	}
	json.Unmarshal(last.body, &body)
	if body.Page.StatusIndicator != "none" {
		t.Errorf("public page status %q while only an internal incident is open, want none", body.Page.StatusIndicator)
	}
}

func TestRefusedAtConnectTime(t *testing.T) {
	st := openStore(t)
	c := newClock()
	rcv := newReceiver(t, nil)
	secret, _ := notify.NewSecret()
	// Added without --allow-private: as if the name had resolved to a public address then.
	if _, err := st.AddWebhook(context.Background(), actor, store.NewWebhook{URL: rcv.URL, Secret: secret}); err != nil {
		t.Fatal(err)
	}
	openIncident(t, st, "Rebind", store.Public)
	drain(t, sender(st, c))
	if n := len(rcv.requests()); n != 0 {
		t.Fatalf("a loopback endpoint got %d requests", n)
	}
	d := deliveries(t, st, store.DeliveryQuery{})[0]
	if d.State != store.DeliveryPending || !strings.Contains(d.LastAnswer, "refused") || !strings.Contains(d.LastAnswer, "loopback") {
		t.Fatalf("delivery after a refused connection: %+v", d)
	}
}

func TestBlocked(t *testing.T) {
	for _, tc := range []struct {
		addr, why string
	}{
		{"127.0.0.1", "loopback"}, {"::1", "loopback"}, {"10.1.2.3", "private"}, {"172.16.0.1", "private"},
		{"192.168.1.1", "private"}, {"fd00::1", "private"}, {"169.254.1.1", "link-local"}, {"fe80::1", "link-local"},
		{"169.254.169.254", "metadata"}, {"fd00:ec2::254", "metadata"}, {"100.100.100.200", "metadata"},
		{"0.0.0.0", "unspecified"}, {"::ffff:127.0.0.1", "loopback"}, {"100.64.0.1", "shared"}, {"239.1.2.3", "multicast"},
		{"93.184.215.14", ""}, {"2606:2800:21f:cb07:6820:80da:af6b:8b2c", ""}, {"8.8.8.8", ""},
	} {
		got := notify.Blocked(netip.MustParseAddr(tc.addr))
		if (tc.why == "") != (got == "") || !strings.Contains(got, tc.why) {
			t.Errorf("Blocked(%s) = %q, want it to say %q", tc.addr, got, tc.why)
		}
	}
}

func TestAnswerReadUpTo64KB(t *testing.T) {
	st := openStore(t)
	c := newClock()
	big := bytes.Repeat([]byte("x"), 10<<20)
	rcv := newReceiver(t, func(_ int, w http.ResponseWriter) {
		w.WriteHeader(http.StatusBadRequest)
		w.Write(big)
	})
	addEndpoint(t, st, rcv.URL, store.FormatJSON, false)
	openIncident(t, st, "Chatty receiver", store.Public)
	drain(t, sender(st, c))
	d := deliveries(t, st, store.DeliveryQuery{})[0]
	if d.LastStatus != 400 || len(d.LastAnswer) > 1024 || !strings.HasPrefix(d.LastAnswer, "400 Bad Request: xxx") {
		t.Fatalf("answer kept: status %d, %d bytes: %.40q", d.LastStatus, len(d.LastAnswer), d.LastAnswer)
	}
}

func TestSlackFormat(t *testing.T) {
	st := openStore(t)
	c := newClock()
	rcv := newReceiver(t, nil)
	api := addComponent(t, st, "API <core>")
	addEndpoint(t, st, rcv.URL, store.FormatSlack, false, store.KindIncident)
	id := openIncident(t, st, "Errors & timeouts", store.Public, store.SetImpact{ComponentID: api.ID, Status: store.PartialOutage})
	postUpdate(t, st, id, store.Identified, "Bad *deploy* <rolled back>.")
	drain(t, sender(st, c))
	got := rcv.requests()
	if len(got) != 2 {
		t.Fatalf("got %d messages", len(got))
	}
	var msg struct {
		Text   string `json:"text"`
		Blocks []struct {
			Type   string `json:"type"`
			Text   *struct{ Type, Text string }
			Fields []struct{ Type, Text string }
		} `json:"blocks"`
	}
	if err := json.Unmarshal(got[1].body, &msg); err != nil {
		t.Fatal(err)
	}
	if msg.Text != "Beacon: Incident update: Errors & timeouts (Identified)" {
		t.Errorf("text %q", msg.Text)
	}
	var all []string
	for _, b := range msg.Blocks {
		if b.Text != nil {
			all = append(all, b.Type+":"+b.Text.Text)
		}
		for _, f := range b.Fields {
			all = append(all, "field:"+f.Text)
		}
	}
	want := []string{
		"header:Incident update: Errors & timeouts",
		"field:*Status*\nIdentified",
		"field:*Components*\nAPI &lt;core&gt; ◐ Partial outage",
		"section:Bad *deploy* &lt;rolled back&gt;.",
	}
	if fmt.Sprint(all) != fmt.Sprint(want) {
		t.Errorf("blocks:\n%q\nwant\n%q", all, want)
	}
}
