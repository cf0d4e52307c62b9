package cli_test

import (
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// hookReceiver is a webhook endpoint on loopback that records the webhook-id of every
// request and answers with status (200 when 0).
type hookReceiver struct {
	*httptest.Server
	mu     sync.Mutex
	ids    []string
	bodies []string
	status int
	block  chan struct{} // when set, the first request waits for it to close
	first  chan struct{} // closed when the first request arrives
}

func newHookReceiver(t *testing.T) *hookReceiver {
	r := &hookReceiver{first: make(chan struct{})}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.ids = append(r.ids, req.Header.Get("webhook-id"))
		r.bodies = append(r.bodies, string(body))
		n, status, block := len(r.ids), r.status, r.block
		r.mu.Unlock()
		if n == 1 {
			close(r.first)
			if block != nil {
				<-block
			}
		}
		if status != 0 {
			w.WriteHeader(status)
		}
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *hookReceiver) got() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.ids...)
}

type deliveryRow struct {
	ID         int64  `json:"id"`
	WebhookID  int64  `json:"webhook_id"`
	EventType  string `json:"event_type"`
	MsgID      string `json:"webhook_message_id"`
	State      string `json:"state"`
	Attempts   int    `json:"attempts"`
	LastStatus int    `json:"last_status"`
	LastAnswer string `json:"last_answer"`
}

func TestWebhookRefusals(t *testing.T) {
	d := emptyDB(t)
	for _, tc := range []struct {
		name string
		args []string
		msg  string
	}{
		{"not http", []string{"ftp://example.com/x"}, `"ftp://example.com/x" is not an http or https URL`},
		{"no host", []string{"http:///x"}, "has no host"},
		{"credentials", []string{"https://user:pw@example.com/"}, "holds a user name or password"},
		{"loopback", []string{"http://127.0.0.1:8080/hook"}, "127.0.0.1 is a loopback address; webhooks go to public addresses unless the endpoint is added with --allow-private"},
		{"loopback v6", []string{"http://[::1]/hook"}, "::1 is a loopback address"},
		{"localhost by name", []string{"http://localhost/hook"}, "localhost resolves to"},
		{"private", []string{"http://10.1.2.3/hook"}, "10.1.2.3 is a private address"},
		{"private 192.168", []string{"https://192.168.1.20/hook"}, "192.168.1.20 is a private address"},
		{"link-local", []string{"http://169.254.10.10/"}, "169.254.10.10 is a link-local address"},
		{"metadata", []string{"http://169.254.169.254/latest/meta-data"}, "169.254.169.254 is a cloud metadata service"},
		{"metadata v6", []string{"http://[fd00:ec2::254]/"}, "is a cloud metadata service"},
		{"bad format", []string{"https://93.184.215.14/", "--format", "xml"}, `--format: unknown format "xml"; use statuspage, slack or json`},
		{"bad events", []string{"https://93.184.215.14/", "--events", "incident,deploys"}, `--events: unknown event kind "deploys"`},
		{"control character", []string{"https://93.184.215.14/a\x1b[2J"}, "control character"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := d.run(append([]string{"webhook", "add"}, tc.args...)...)
			if r.code != 2 || !strings.Contains(r.stderr, tc.msg) || strings.Count(r.stderr, "\n") != 1 {
				t.Errorf("want exit 2 and one line with %q, got %v", tc.msg, r)
			}
		})
	}
	var list []any
	d.json(&list, "webhook", "list", "--json")
	if len(list) != 0 {
		t.Fatalf("a refused endpoint was recorded: %v", list)
	}
	for _, args := range [][]string{{"webhook", "remove", "7"}, {"webhook", "test", "x"}, {"webhook", "retry", "9"}, {"webhook", "rotate-secret", "3"}} {
		if r := d.run(args...); r.code != 2 || !strings.Contains(r.stderr, "webhook") && !strings.Contains(r.stderr, "delivery") {
			t.Errorf("%v: %v", args, r)
		}
	}
}

func TestWebhookCommands(t *testing.T) {
	d := fixture(t)
	rcv := newHookReceiver(t)
	var added struct {
		ID     int64  `json:"id"`
		Secret string `json:"secret"`
		Format string `json:"format"`
	}
	d.json(&added, "webhook", "add", rcv.URL+"/hook", "--allow-private", "--format", "json", "--json")
	if added.ID != 1 || !strings.HasPrefix(added.Secret, "whsec_") || added.Format != "json" {
		t.Fatalf("add --json: %+v", added)
	}
	out := d.must("webhook", "add", rcv.URL+"/second", "--allow-private", "--events", "component", "--internal")
	if !strings.Contains(out, "Added webhook #2: "+rcv.URL+"/second (statuspage; component; public and internal events)") || !strings.Contains(out, "whsec_") {
		t.Errorf("add prints the id and the secret:\n%s", out)
	}
	for _, args := range [][]string{{"webhook", "list"}, {"webhook", "list", "--json"}} {
		if out := d.must(args...); strings.Contains(out, "whsec_") || !strings.Contains(out, rcv.URL+"/hook") {
			t.Errorf("%v shows a secret or misses the URL:\n%s", args, out)
		}
	}

	d.must("incident", "open", "--message", "Investigating.", "--title", "API errors", "--component", "API=major_outage")
	r := d.run("webhook", "deliver", "--once")
	if r.code != 0 || !strings.Contains(r.stdout, "Made 3 delivery attempt(s)") {
		t.Fatalf("deliver --once: %v", r)
	}
	if strings.Contains(r.stderr, added.Secret) || strings.Contains(r.stderr, "/hook") {
		t.Errorf("the sender logged a secret or a URL path:\n%s", r.stderr)
	}
	// The JSON body names the incident by the site's public id: the exported site has its page.
	var opened struct {
		Data struct {
			Incident struct {
				ID     string `json:"id"`
				Number *int64 `json:"number"`
			} `json:"incident"`
		} `json:"data"`
	}
	var first string
	rcv.mu.Lock()
	for _, b := range rcv.bodies {
		if strings.HasPrefix(b, `{"type":"incident.opened"`) {
			first = b
		}
	}
	rcv.mu.Unlock()
	if err := json.Unmarshal([]byte(first), &opened); err != nil {
		t.Fatalf("the JSON endpoint's incident.opened body %q: %v", first, err)
	}
	site := filepath.Join(t.TempDir(), "site")
	d.must("export", site)
	if id := opened.Data.Incident.ID; len(id) != 12 || opened.Data.Incident.Number != nil {
		t.Errorf("the public endpoint's incident: %s", first)
	} else if _, err := os.Stat(filepath.Join(site, "incidents", id+".html")); err != nil {
		t.Errorf("the webhook's incident id %s names no page of the site: %v", id, err)
	}

	var rows []deliveryRow
	d.json(&rows, "webhook", "deliveries", "--json")
	if len(rows) != 3 {
		t.Fatalf("deliveries: %+v", rows)
	}
	for _, row := range rows {
		if row.State != "delivered" || row.Attempts != 1 || row.LastStatus != 200 {
			t.Errorf("delivery %+v", row)
		}
	}
	d.json(&rows, "webhook", "deliveries", "--endpoint", "2", "--json")
	if len(rows) != 1 || rows[0].EventType != "component.status_changed" {
		t.Errorf("--endpoint 2: %+v", rows)
	}

	if out := d.must("webhook", "test", "1"); !strings.Contains(out, "webhook #1 answered: 200 OK") {
		t.Errorf("test: %s", out)
	}
	rot := d.must("webhook", "rotate-secret", "1")
	if !strings.Contains(rot, "whsec_") || strings.Contains(rot, added.Secret) || !strings.Contains(rot, "both secrets") {
		t.Errorf("rotate-secret:\n%s", rot)
	}
	if out := d.must("webhook", "list"); !strings.Contains(out, "old secret signs until") {
		t.Errorf("list during a rotation:\n%s", out)
	}

	// A receiver that is gone: 410 disables the endpoint, the delivery shows as failed.
	rcv.mu.Lock()
	rcv.status = http.StatusGone
	rcv.mu.Unlock()
	d.must("incident", "update", "1", "--status", "identified", "--message", "Found it.")
	d.must("webhook", "deliver", "--once")
	failed := d.must("webhook", "deliveries", "--failed")
	if !strings.Contains(failed, "incident.updated #1  failed") || !strings.Contains(failed, "410 Gone") {
		t.Errorf("deliveries --failed:\n%s", failed)
	}
	if out := d.must("webhook", "list"); !strings.Contains(out, "disabled: the receiver answered 410 Gone") {
		t.Errorf("list after a 410:\n%s", out)
	}
	if r := d.run("webhook", "test", "1"); r.code != 1 || !strings.Contains(r.stdout, "410 Gone") {
		t.Errorf("test against a gone receiver: %v", r)
	}
	d.json(&rows, "webhook", "deliveries", "--failed", "--json")
	rcv.mu.Lock()
	rcv.status = 0
	rcv.mu.Unlock()
	if out := d.must("webhook", "retry", "#"+jsonNumber(rows[0].ID)); !strings.Contains(out, "queued") {
		t.Errorf("retry: %s", out)
	}
	d.must("webhook", "deliver", "--once")
	if out := d.must("webhook", "deliveries", "--failed"); !strings.Contains(out, "No failed deliveries.") {
		t.Errorf("after retry:\n%s", out)
	}
	if out := d.must("webhook", "remove", "1"); out != "Removed webhook #1.\n" {
		t.Errorf("remove: %q", out)
	}
}

func jsonNumber(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// TestSenderKilledMidDelivery kills a sender with SIGKILL while its POST is in flight; the
// next sender delivers the same message again, with the same webhook-id.
func TestSenderKilledMidDelivery(t *testing.T) {
	d := fixture(t)
	rcv := newHookReceiver(t)
	rcv.block = make(chan struct{})
	d.must("webhook", "add", rcv.URL, "--allow-private", "--events", "incident")
	d.must("incident", "open", "--message", "Investigating.", "--title", "API errors", "--component", "API=major_outage")

	cmd := exec.Command(beaconBin, "--db", d.path, "webhook", "deliver")
	cmd.Env = cleanEnv()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-rcv.first:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("the sender never sent")
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	close(rcv.block)

	var rows []deliveryRow
	d.json(&rows, "webhook", "deliveries", "--json")
	if len(rows) != 1 || rows[0].State != "pending" {
		t.Fatalf("after the kill: %+v", rows)
	}
	d.must("webhook", "deliver", "--once")
	d.json(&rows, "webhook", "deliveries", "--json")
	got := rcv.got()
	if len(got) != 2 || got[0] != got[1] || got[0] != rows[0].MsgID || rows[0].State != "delivered" {
		t.Fatalf("want the same webhook-id delivered again after the restart: ids %v, deliveries %+v", got, rows)
	}
}

// TestRunningSendersDeliverNewEvents runs the sender as `beacon serve` and as `beacon webhook
// deliver` do, and writes from another process: each new event reaches the receiver without
// anyone asking (the sender hears of the write through the database), and both stop on SIGINT.
func TestRunningSendersDeliverNewEvents(t *testing.T) {
	for _, tc := range []struct {
		name  string
		start func(t *testing.T, d *db)
	}{
		{"serve", func(t *testing.T, d *db) { serveSite(t, d) }},
		{"webhook deliver", func(t *testing.T, d *db) {
			cmd := exec.Command(beaconBin, "--db", d.path, "webhook", "deliver")
			cmd.Env = cleanEnv()
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				cmd.Process.Signal(os.Interrupt)
				done := make(chan error, 1)
				go func() { done <- cmd.Wait() }()
				select {
				case err := <-done:
					if err != nil {
						t.Errorf("webhook deliver after SIGINT: %v", err)
					}
				case <-time.After(10 * time.Second):
					cmd.Process.Kill()
					<-done
					t.Error("webhook deliver did not stop within 10 s of SIGINT")
				}
			})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := fixture(t)
			rcv := newHookReceiver(t)
			d.must("webhook", "add", rcv.URL, "--allow-private", "--events", "incident")
			tc.start(t, d)
			d.must("incident", "open", "--message", "Investigating.", "--title", "API errors", "--component", "API=major_outage")
			deadline := time.Now().Add(30 * time.Second)
			for len(rcv.got()) == 0 && time.Now().Before(deadline) {
				time.Sleep(50 * time.Millisecond) // polling a condition, with a generous deadline
			}
			if len(rcv.got()) != 1 {
				t.Fatalf("the receiver got %d requests within 30 s, want 1", len(rcv.got()))
			}
		})
	}
}

// TestWebhookUnresolvableHost: a name the resolver says does not exist is most likely
// mistyped, so the hint is the name, never the switch that turns the address check off.
func TestWebhookUnresolvableHost(t *testing.T) {
	const host = "hooks.nonexistent.invalid"
	var dnsErr *net.DNSError
	if _, err := net.DefaultResolver.LookupHost(t.Context(), host); !errors.As(err, &dnsErr) || !dnsErr.IsNotFound {
		t.Skipf("this machine's resolver does not say that %s does not exist (%v)", host, err)
	}
	r := emptyDB(t).run("webhook", "add", "https://"+host+"/beacon")
	if r.code != 2 || !strings.Contains(r.stderr, "; check the host name in the URL") || strings.Contains(r.stderr, "--allow-private") {
		t.Errorf("want exit 2 and the host name named: %v", r)
	}
}
