package notify

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/log"

	"beacon/publicid"
	"beacon/store"
)

// PublicIDs is the codec of the site's public ids under st's key, for Sender.IDs.
func PublicIDs(ctx context.Context, st *store.Store) (*publicid.Codec, error) {
	key, err := st.PublicIDKey(ctx)
	if err != nil {
		return nil, err
	}
	return publicid.New(key)
}

// Delivery limits.
const (
	Timeout         = 10 * time.Second // one POST, connection included
	MaxResponseBody = 64 << 10         // bytes of an answer read; the rest is dropped
	DefaultLease    = 2 * time.Minute  // how long a claim keeps other senders off
	DefaultBatch    = 100              // deliveries of one endpoint claimed at once
	maxParallel     = 16               // endpoints served at once
)

// Schedule is the delay after each failed attempt (before jitter); after the last one, an
// attempt every RetryEvery until GiveUpAfter has passed since the event.
var Schedule = []time.Duration{5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 5 * time.Hour, 10 * time.Hour}

// Retry limits.
const (
	RetryEvery  = 12 * time.Hour
	GiveUpAfter = 72 * time.Hour
)

// NextAttempt is when to try again after the attempts-th failed attempt (1 for the first) of
// a delivery created at created, failed at now: the schedule's delay with jitter applied, or
// longer when the receiver asked for it with Retry-After. ok is false when that would be past
// GiveUpAfter: the delivery has failed.
func NextAttempt(attempts int, created, now time.Time, retryAfter time.Duration, jitter func(time.Duration) time.Duration) (next time.Time, ok bool) {
	delay := RetryEvery
	if attempts >= 1 && attempts <= len(Schedule) {
		delay = Schedule[attempts-1]
	}
	if jitter != nil {
		delay = jitter(delay)
	}
	delay = max(delay, retryAfter)
	next = now.Add(delay)
	if next.Sub(created) > GiveUpAfter {
		return time.Time{}, false
	}
	return next, true
}

// Jitter spreads a delay by up to a tenth either way, so that endpoints that failed together
// are not all retried at the same instant.
func Jitter(d time.Duration) time.Duration {
	spread := int64(d) / 10
	if spread <= 0 {
		return d
	}
	return d + time.Duration(mrand.Int64N(2*spread+1)-spread)
}

// Sender drains the outbox: it claims due deliveries with a lease, POSTs them signed, and
// records what each attempt came to. Several senders (processes or goroutines) may run on one
// database; a delivery is attempted by one at a time. The zero value needs Store and IDs.
type Sender struct {
	Store  *store.Store
	IDs    *publicid.Codec                      // the site's public ids, under Store's key (PublicIDs)
	Page   Page                                 // the page's identity; its status is read per event
	Logger *log.Logger                          // nil logs nothing; URLs and secrets are never logged
	Now    func() time.Time                     // the clock; time.Now when nil
	Jitter func(time.Duration) time.Duration    // Jitter when nil
	Lease  time.Duration                        // DefaultLease when 0
	Batch  int                                  // DefaultBatch when 0
	Owner  string                               // names this sender's leases; made up when empty
	Dial   func(allowPrivate bool) *http.Client // the clients; guarded ones by default (tests swap them)

	once    sync.Once
	guarded *http.Client
	open    *http.Client

	mu     sync.Mutex
	events map[int64]store.Event
	pages  map[bool]cachedPage
}

type cachedPage struct {
	page Page
	at   time.Time
}

func (s *Sender) init() {
	s.once.Do(func() {
		if s.Now == nil {
			s.Now = time.Now
		}
		if s.Jitter == nil {
			s.Jitter = Jitter
		}
		if s.Lease <= 0 {
			s.Lease = DefaultLease
		}
		if s.Batch <= 0 {
			s.Batch = DefaultBatch
		}
		if s.Owner == "" {
			host, _ := os.Hostname()
			b := make([]byte, 4)
			_, _ = rand.Read(b)
			s.Owner = fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b))
		}
		if s.Dial != nil {
			s.guarded, s.open = s.Dial(false), s.Dial(true)
		} else {
			s.guarded, s.open = NewClient(false), NewClient(true)
		}
		s.events = map[int64]store.Event{}
		s.pages = map[bool]cachedPage{}
	})
}

// NewClient is the HTTP client deliveries use: a 10 s timeout, no proxy, no redirects
// followed (a 3xx is a failure), and unless allowPrivate a dialer that refuses loopback,
// private, link-local and metadata addresses at connect time.
func NewClient(allowPrivate bool) *http.Client {
	d := &net.Dialer{Timeout: Timeout, KeepAlive: 30 * time.Second}
	if !allowPrivate {
		d.Control = guardControl
	}
	tr := &http.Transport{
		Proxy:                 nil,
		DialContext:           d.DialContext,
		TLSHandshakeTimeout:   Timeout,
		ResponseHeaderTimeout: Timeout,
		MaxIdleConnsPerHost:   maxParallel,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	return &http.Client{
		Transport:     tr,
		Timeout:       Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// Run delivers until ctx ends: whatever is due, then it waits for the next due delivery or a
// change to the data, whichever comes first.
func (s *Sender) Run(ctx context.Context) error {
	s.init()
	changes, cancel := s.Store.Subscribe()
	defer cancel()
	for {
		n, err := s.RunOnce(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil && s.Logger != nil {
			s.Logger.Error("webhook sender", "err", err)
		}
		if n > 0 && err == nil {
			continue
		}
		wait := 30 * time.Second
		if err != nil {
			wait = 5 * time.Second
		} else if next, ok, err := s.Store.NextDelivery(ctx); err == nil && ok {
			wait = min(wait, max(next.Sub(s.Now())+10*time.Millisecond, 10*time.Millisecond))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case _, ok := <-changes:
			t.Stop()
			if !ok {
				return nil
			}
		case <-t.C:
		}
	}
}

// Drain delivers until nothing is due now, and returns how many attempts it made.
func (s *Sender) Drain(ctx context.Context) (int, error) {
	total := 0
	for {
		n, err := s.RunOnce(ctx)
		total += n
		if err != nil || n == 0 || ctx.Err() != nil {
			return total, err
		}
	}
}

// RunOnce delivers what is due now: each endpoint with something due gets a worker (up to 16
// at once) that claims a batch of its deliveries, sends them in order, records the outcomes,
// and claims again until nothing of its own is due. It returns how many attempts it made.
func (s *Sender) RunOnce(ctx context.Context) (int, error) {
	s.init()
	if s.IDs == nil {
		return 0, errors.New("the webhook sender has no public ids (Sender.IDs)")
	}
	if err := s.breakDeadLeases(ctx, s.Now()); err != nil {
		return 0, err
	}
	due, err := s.Store.DueEndpoints(ctx, s.Now())
	if err != nil || len(due) == 0 {
		return 0, err
	}
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		attempts int
		errs     []error
		sem      = make(chan struct{}, maxParallel)
	)
	for _, endpoint := range due {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			n, err := s.serve(ctx, endpoint)
			mu.Lock()
			attempts += n
			if err != nil {
				errs = append(errs, err)
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	return attempts, errors.Join(errs...)
}

// serve delivers one endpoint's due deliveries, a batch at a time, until none is due or one
// is not delivered.
func (s *Sender) serve(ctx context.Context, endpoint int64) (int, error) {
	total := 0
	for ctx.Err() == nil {
		claimedAt := s.Now()
		run, err := s.Store.ClaimDeliveries(ctx, s.Owner, claimedAt, s.Lease, s.Batch, endpoint)
		if err != nil || len(run) == 0 {
			return total, err
		}
		outcomes, unsent := s.deliverRun(ctx, claimedAt, run)
		// Recorded even when ctx has ended: what was sent must not be sent again needlessly.
		rctx := context.WithoutCancel(ctx)
		err = errors.Join(s.Store.FinishDeliveries(rctx, s.Owner, outcomes), s.Store.ReleaseDeliveries(rctx, s.Owner, unsent))
		total += len(outcomes)
		if err != nil || len(unsent) > 0 || len(outcomes) == 0 || !outcomes[len(outcomes)-1].Delivered {
			return total, err
		}
	}
	return total, nil
}

// breakDeadLeases releases the leases of senders on this machine whose process is gone (one
// killed mid-delivery), so that their deliveries go out now rather than when the leases end.
func (s *Sender) breakDeadLeases(ctx context.Context, now time.Time) error {
	owners, err := s.Store.LeaseHolders(ctx, now)
	if err != nil {
		return err
	}
	host, _ := os.Hostname()
	for _, o := range owners {
		h, pid, ok := parseOwner(o)
		if !ok || h != host || pid == os.Getpid() || processAlive(pid) {
			continue
		}
		if err := s.Store.BreakLeases(ctx, o); err != nil {
			return err
		}
	}
	return nil
}

// parseOwner reads the host and process id from an owner name made by init.
func parseOwner(owner string) (host string, pid int, ok bool) {
	rest, _, found := cutLast(owner, ":")
	if !found {
		return "", 0, false
	}
	host, p, found := cutLast(rest, ":")
	if !found {
		return "", 0, false
	}
	pid, err := strconv.Atoi(p)
	return host, pid, err == nil && pid > 0
}

func cutLast(s, sep string) (before, after string, found bool) {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[:i], s[i+len(sep):], true
	}
	return s, "", false
}

// processAlive reports whether a process with this id exists.
func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}

// deliverRun attempts one endpoint's claimed deliveries in order, stopping at the first that
// is not delivered (the rest wait behind it) or when the lease could end before another
// attempt finishes.
func (s *Sender) deliverRun(ctx context.Context, claimedAt time.Time, run []store.Claim) (outcomes []store.Outcome, unsent []int64) {
	for i, c := range run {
		if ctx.Err() != nil || s.Now().Sub(claimedAt) > s.Lease-Timeout-5*time.Second {
			for _, rest := range run[i:] {
				unsent = append(unsent, rest.Delivery.ID)
			}
			return outcomes, unsent
		}
		o := s.attempt(ctx, c)
		outcomes = append(outcomes, o)
		if !o.Delivered {
			for _, rest := range run[i+1:] {
				unsent = append(unsent, rest.Delivery.ID)
			}
			return outcomes, unsent
		}
	}
	return outcomes, nil
}

// attempt POSTs one claimed delivery and says what came of it.
func (s *Sender) attempt(ctx context.Context, c store.Claim) store.Outcome {
	d, w := c.Delivery, c.Endpoint
	ev, err := s.event(ctx, d.EventID)
	var body []byte
	if err == nil {
		body, err = Render(w.Format, ev, s.page(ctx, w.Internal), s.Now())
	}
	if err != nil {
		// The event cannot be rendered (its data is gone): no attempt will do better.
		return store.Outcome{DeliveryID: d.ID, At: s.Now(), Answer: "not sent: " + err.Error(), Failed: true}
	}
	res := s.post(ctx, w, d.MsgID, body)
	o := store.Outcome{DeliveryID: d.ID, At: s.Now(), Status: res.status, Answer: res.answer()}
	switch {
	case res.status >= 200 && res.status < 300:
		o.Delivered = true
	case res.status == http.StatusGone:
		o.Gone = true
		s.log("webhook endpoint disabled: the receiver answered 410 Gone", w, d)
	default:
		since := d.CreatedAt
		if d.Attempts == 0 {
			since = o.At // the retry window starts at the first attempt, even for a backdated event
		}
		next, ok := NextAttempt(d.Attempts+1, since, o.At, res.retryAfter, s.Jitter)
		o.NextAt, o.Failed = next, !ok
		s.log("webhook delivery failed", w, d, "answer", oneLine(o.Answer, 200), "attempt", d.Attempts+1, "gave_up", !ok)
	}
	return o
}

func (s *Sender) log(msg string, w store.Webhook, d store.Delivery, kv ...any) {
	if s.Logger == nil {
		return
	}
	host := ""
	if u, err := url.Parse(w.URL); err == nil {
		host = u.Host
	}
	s.Logger.Warn(msg, append([]any{"webhook", w.ID, "host", host, "delivery", d.ID, "event", d.EventType}, kv...)...)
}

// result is what one POST came back with.
type result struct {
	status     int
	body       []byte
	err        error
	retryAfter time.Duration
}

func (r result) answer() string {
	if r.err != nil {
		return r.err.Error()
	}
	a := fmt.Sprintf("%d %s", r.status, http.StatusText(r.status))
	if b := strings.TrimSpace(strings.ToValidUTF8(string(r.body), "")); b != "" {
		a += ": " + b
	}
	return a
}

// post sends body to the endpoint, signed with its secrets, and reads at most
// MaxResponseBody of the answer.
func (s *Sender) post(ctx context.Context, w store.Webhook, msgID string, body []byte) result {
	now := s.Now()
	ts := now.Unix()
	sig, err := SignatureHeader(w.Secrets(now), msgID, ts, body)
	if err != nil {
		return result{err: err}
	}
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return result{err: errors.New("bad endpoint URL")}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Beacon-Webhooks/1")
	req.Header.Set("webhook-id", msgID)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("webhook-signature", sig)
	client := s.guarded
	if w.AllowPrivate {
		client = s.open
	}
	resp, err := client.Do(req)
	if err != nil {
		return result{err: cleanError(err)}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBody))
	return result{status: resp.StatusCode, body: b, retryAfter: retryAfter(resp.Header.Get("Retry-After"), now)}
}

// cleanError drops the URL from a client error (it may hold a token, as Slack's do) and keeps
// what went wrong.
func cleanError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var pe *PrivateAddressError
	if errors.As(err, &pe) {
		return fmt.Errorf("refused: %v", pe)
	}
	if errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "Client.Timeout") {
		return fmt.Errorf("no answer within %s", Timeout)
	}
	return err
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 {
		return min(time.Duration(n)*time.Second, GiveUpAfter)
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return min(t.Sub(now), GiveUpAfter)
	}
	return 0
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		s = s[:n]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
		s += "…"
	}
	return s
}

// event reads an event once for every endpoint that receives it.
func (s *Sender) event(ctx context.Context, id int64) (store.Event, error) {
	s.mu.Lock()
	ev, ok := s.events[id]
	s.mu.Unlock()
	if ok {
		return ev, nil
	}
	ev, err := s.Store.Event(ctx, id)
	if err != nil {
		return ev, err
	}
	s.mu.Lock()
	if len(s.events) >= 4096 {
		clear(s.events)
	}
	s.events[id] = ev
	s.mu.Unlock()
	return ev, nil
}

// page is the page with its overall status as an endpoint's audience sees it now (internal
// endpoints see what responders see), read at most once a second.
func (s *Sender) page(ctx context.Context, internal bool) Page {
	now := s.Now()
	s.mu.Lock()
	c, ok := s.pages[internal]
	s.mu.Unlock()
	if ok && now.Sub(c.at) >= 0 && now.Sub(c.at) < time.Second {
		return c.page
	}
	p := s.Page
	p.IDs, p.Internal = s.IDs, internal
	d, err := s.Store.Dashboard(ctx)
	if err == nil {
		if !internal {
			d = d.PublicOnly()
		}
		p.Indicator, p.Description = d.Banner.Indicator, d.Banner.Description
	}
	s.mu.Lock()
	s.pages[internal] = cachedPage{page: p, at: now}
	s.mu.Unlock()
	return p
}

// SendTest sends a test event to w now, outside the outbox, and returns the HTTP status and
// what came back (status 0 and the reason when nothing did).
func (s *Sender) SendTest(ctx context.Context, w store.Webhook) (status int, answer string) {
	s.init()
	body, err := Render(w.Format, NewTestEvent(s.Now()), s.page(ctx, w.Internal), s.Now())
	if err != nil {
		return 0, err.Error()
	}
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	res := s.post(ctx, w, "msg_test_"+hex.EncodeToString(b), body)
	return res.status, res.answer()
}
