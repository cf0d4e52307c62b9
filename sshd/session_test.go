package sshd

import (
	"context"
	"errors"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/wish/testsession"
	gossh "golang.org/x/crypto/ssh"

	"beacon/store"
	"beacon/tui/shared"
)

func withStandIn(c *Config) { c.Console = standInConsole(nil) }

func TestConsoleSessionGetsItsIdentitySizeAndLiveData(t *testing.T) {
	e := newEnv(t, withStandIn)
	tm := e.openTerminal(e.responder, 100, 30)
	tm.waitFor("stand-in for "+responderName, 2*time.Second)
	tm.waitFor("size 100x30", time.Second)
	tm.waitFor("All systems are operational", time.Second)
	if !strings.Contains(tm.out.String(), "\x1b[?1049h") {
		t.Error("the console did not enter the alternate screen")
	}

	if err := tm.sess.WindowChange(40, 120); err != nil {
		t.Fatal(err)
	}
	tm.waitFor("size 120x40", time.Second)

	tm.typeKeys("q")
	if code := tm.wait(2 * time.Second); code != 0 {
		t.Errorf("quitting the console exited %d, want 0", code)
	}
}

func TestRoles(t *testing.T) {
	tests := []struct {
		name     string
		public   bool
		key      func(e *env) []gossh.Signer
		user     string // the SSH user name; KeyUser with a key, else "someone"
		wantName string
		readOnly bool
		refused  bool
	}{
		{name: "responder key writes as its comment", key: func(e *env) []gossh.Signer { return []gossh.Signer{e.responder} }, wantName: responderName},
		{name: "viewer key only looks", key: func(e *env) []gossh.Signer { return []gossh.Signer{e.viewer} }, wantName: viewerName, readOnly: true},
		{name: "unknown key is refused", key: func(e *env) []gossh.Signer { return []gossh.Signer{e.stranger} }, refused: true},
		{name: "no key is refused", key: func(*env) []gossh.Signer { return nil }, refused: true},
		{name: "public: unknown key as another user looks anonymously", public: true, user: "someone", key: func(e *env) []gossh.Signer { return []gossh.Signer{e.stranger} }, wantName: "anonymous", readOnly: true},
		{name: "public: responder key as another user looks anonymously", public: true, user: "ada", key: func(e *env) []gossh.Signer { return []gossh.Signer{e.responder} }, wantName: "anonymous", readOnly: true},
		{name: "public: unknown key as the key user is refused", public: true, key: func(e *env) []gossh.Signer { return []gossh.Signer{e.stranger} }, refused: true},
		{name: "public: no key looks anonymously", public: true, key: func(*env) []gossh.Signer { return nil }, wantName: "anonymous", readOnly: true},
		{name: "public: responder key still writes", public: true, key: func(e *env) []gossh.Signer { return []gossh.Signer{e.stranger, e.responder} }, wantName: responderName},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, withStandIn, func(c *Config) { c.Public = tt.public })
			user := "someone"
			if len(tt.key(e)) > 0 {
				user = KeyUser
			}
			if tt.user != "" {
				user = tt.user
			}
			cfg := clientConfig(user, tt.key(e)...)
			sess, err := testsession.NewClientSession(t, e.addr, cfg)
			if tt.refused {
				if err == nil || !strings.Contains(err.Error(), "handshake failed") {
					t.Fatalf("want the handshake refused, got %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tm := startTerminal(t, sess, 80, 24)
			tm.waitFor("stand-in for "+tt.wantName, 2*time.Second)
			tm.waitFor("All systems are operational", time.Second)
			if got := strings.Contains(tm.text(), "n declare"); got == tt.readOnly {
				t.Errorf("footer offers declaring: %v, want %v", got, !tt.readOnly)
			}
			tm.typeKeys("x")
			if tt.readOnly {
				tm.waitFor("error: read-only", 2*time.Second)
			} else {
				tm.waitFor("writes 1", 2*time.Second)
			}
		})
	}
}

func TestAuthorOfAWriteIsTheKeysName(t *testing.T) {
	e := newEnv(t, withStandIn)
	tm := e.openTerminal(e.responder, 80, 24)
	tm.waitFor("All systems are operational", 2*time.Second)
	tm.typeKeys("x")
	tm.waitFor("writes 1", 2*time.Second)
	entries, err := e.st.Audit(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Actor != responderName {
		t.Fatalf("newest audit entry %+v, want one by %q", entries, responderName)
	}
}

func TestTwoSessionsSeeOneWrite(t *testing.T) {
	e := newEnv(t, withStandIn)
	a := e.openTerminal(e.responder, 80, 24)
	b := e.openTerminal(e.viewer, 80, 24)
	a.waitFor("Operational", 2*time.Second)
	b.waitFor("Operational", 2*time.Second)

	start := time.Now()
	a.typeKeys("x")
	b.waitFor("Major outage", time.Second)
	a.waitFor("Major outage", time.Second)
	t.Logf("a write in one session reached the other in %s", time.Since(start))

	// A write by another process (as the command line makes) reaches both through the poll.
	other, err := store.Open(context.Background(), e.st.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := other.SetComponentStatus(context.Background(), store.Actor{Name: "cli"}, e.api.ID, store.PartialOutage); err != nil {
		t.Fatal(err)
	}
	a.waitFor("Partial outage", 1500*time.Millisecond)
	b.waitFor("Partial outage", 1500*time.Millisecond)
}

func TestDisconnectEndsTheSubscription(t *testing.T) {
	e := newEnv(t, withStandIn)
	_, cancel := e.st.Subscribe() // starts the store's poller, which outlives its subscribers
	cancel()
	baseline := settledGoroutines()
	const n = 5
	clients := make([]*gossh.Client, n)
	for i := range clients {
		c, err := gossh.Dial("tcp", e.addr, clientConfig("someone", e.responder))
		if err != nil {
			t.Fatal(err)
		}
		clients[i] = c
		sess, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		startTerminal(t, sess, 80, 24).waitFor("Operational", 2*time.Second)
	}
	// Every console subscribes through the server's snapshots, which hold one subscription
	// to the store for all of them.
	if got, up := e.srv.shared.Subscribers(), e.st.Subscribers(); got != n || up != 1 {
		t.Fatalf("%d subscribers (%d to the store) with %d sessions open", got, up, n)
	}

	// Closing a session's channel ends its console even while the connection stays up.
	sess, err := clients[0].NewSession()
	if err != nil {
		t.Fatal(err)
	}
	startTerminal(t, sess, 80, 24).waitFor("Operational", 2*time.Second)
	sess.Close()
	if !poll(2*time.Second, func() bool { return e.srv.shared.Subscribers() == n }) {
		t.Fatalf("a closed channel left %d subscribers, want %d", e.srv.shared.Subscribers(), n)
	}

	for _, c := range clients {
		c.Close()
	}
	if !poll(2*time.Second, func() bool {
		return e.srv.shared.Subscribers() == 0 && e.st.Subscribers() == 0 && e.srv.Sessions() == 0
	}) {
		t.Fatalf("after every client left: %d subscribers (%d to the store), %d sessions",
			e.srv.shared.Subscribers(), e.st.Subscribers(), e.srv.Sessions())
	}
	if !poll(2*time.Second, func() bool { return settledGoroutines() <= baseline }) {
		buf := make([]byte, 1<<20)
		t.Fatalf("%d goroutines, %d before the sessions:\n%s", runtime.NumGoroutine(), baseline, buf[:runtime.Stack(buf, true)])
	}
}

func TestSlowSessionNeverBlocksAWriterOrTheOthers(t *testing.T) {
	hold := make(chan struct{})
	e := newEnv(t, func(c *Config) {
		stuck, fine := standInConsole(hold), standInConsole(nil)
		c.Console = func(c shared.Common) tea.Model {
			if c.Actor.ReadOnly {
				return stuck(c) // the viewer's console stops reading changes
			}
			return fine(c)
		}
	})
	slow := e.openTerminal(e.viewer, 80, 24)
	other := e.openTerminal(e.responder, 80, 24)
	slow.waitFor("Operational", 2*time.Second)
	other.waitFor("Operational", 2*time.Second)

	ctx := context.Background()
	writer := store.Actor{Name: "writer"}
	statuses := []store.Status{store.MajorOutage, store.Operational}
	for i := range 51 {
		start := time.Now()
		if err := e.st.SetComponentStatus(ctx, writer, e.api.ID, statuses[i%2]); err != nil {
			t.Fatal(err)
		}
		// A write held up by the stuck session would wait for it for ever; seconds of margin
		// keep a loaded machine from looking like one.
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("write %d took %s while a session was stuck", i, d)
		}
		if i == 0 {
			other.waitFor("Major outage", time.Second)
		}
	}
	if strings.Contains(slow.text(), "Major outage") {
		t.Fatal("the stuck session drew a change: it was not stuck")
	}
	close(hold) // the stuck session catches up, with the changes coalesced
	slow.waitFor("Major outage", time.Second)
}

func TestGlanceWithoutATerminal(t *testing.T) {
	tests := []struct {
		name    string
		command string
		want    string
		code    int
	}{
		{name: "ssh -T host", command: "", want: "All systems are operational", code: 0},
		{name: "ssh host status", command: "status", want: "API", code: 0},
		{name: "ssh host status --all", command: "status --all", want: "Website", code: 0},
		{name: "unknown command", command: "rm -rf /", code: 2},
		{name: "status with a bad flag", command: "status --json", code: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			sess, err := e.session(e.viewer)
			if err != nil {
				t.Fatal(err)
			}
			var stderr syncBuffer
			sess.Stderr = &stderr
			var out []byte
			if tt.command == "" {
				var stdout syncBuffer
				sess.Stdout = &stdout
				if err = sess.Shell(); err == nil {
					err = sess.Wait()
				}
				out = []byte(stdout.String())
			} else {
				out, err = sess.Output(tt.command)
			}
			if code := exitStatus(t, err); code != tt.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.code, stderr.String())
			}
			if tt.code != 0 {
				if !strings.HasPrefix(stderr.String(), "beacon: ") || strings.Count(stderr.String(), "\n") != 1 {
					t.Errorf("want one line on stderr, got %q", stderr.String())
				}
				return
			}
			if !strings.Contains(string(out), tt.want) {
				t.Errorf("glance has no %q:\n%s", tt.want, out)
			}
			if strings.Contains(string(out), "\x1b") {
				t.Errorf("the glance without a terminal has escape sequences:\n%q", out)
			}
		})
	}
}

func TestSessionLimit(t *testing.T) {
	e := newEnv(t, withStandIn, func(c *Config) { c.MaxSessions = 2 })
	for range 2 {
		e.openTerminal(e.responder, 80, 24).waitFor("Operational", 2*time.Second)
	}
	third := e.openTerminal(e.responder, 80, 24)
	if code := third.wait(2 * time.Second); code != 1 {
		t.Errorf("the third session exited %d, want 1", code)
	}
	if got := third.stderr.String(); got != "beacon: the server is full (2 sessions); try again later\r\n" {
		t.Errorf("the third session was told %q", got)
	}
}

func TestRateLimitPerAddress(t *testing.T) {
	e := newEnv(t, withStandIn, func(c *Config) { c.Rate, c.Burst = 0.001, 2 })
	for range 2 {
		sess, err := e.session(e.viewer)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sess.Output("status"); err != nil {
			t.Fatal(err)
		}
	}
	sess, err := e.session(e.viewer)
	if err != nil {
		t.Fatal(err)
	}
	var stderr syncBuffer
	sess.Stderr = &stderr
	_, err = sess.Output("status")
	if code := exitStatus(t, err); code != 1 || !strings.Contains(stderr.String(), "too many new sessions") {
		t.Errorf("third session in a burst of 2: exit %d, stderr %q", code, stderr.String())
	}
}

func TestIdleTimeoutClosesOnlySilentSessions(t *testing.T) {
	const idle = 300 * time.Millisecond
	e := newEnv(t, withStandIn, func(c *Config) { c.IdleTimeout = idle })
	tm := e.openTerminal(e.responder, 80, 24)
	tm.waitFor("Operational", 2*time.Second)
	typingUntil := time.Now().Add(3 * idle)
	for time.Now().Before(typingUntil) {
		tm.typeKeys("j")
		select {
		case err := <-tm.exit:
			t.Fatalf("a session being typed in was closed: %v, %q", err, tm.stderr.String())
		case <-time.After(idle / 4):
		}
	}
	if code := tm.wait(3 * idle); code != 0 {
		t.Errorf("idle session exited %d", code)
	}
	if !strings.Contains(tm.stderr.String(), "without a keypress") {
		t.Errorf("idle session was told %q", tm.stderr.String())
	}
}

func TestKeyFilesAreReReadWhenTheyChange(t *testing.T) {
	e := newEnv(t, withStandIn)
	if _, err := e.session(e.stranger); err == nil {
		t.Fatal("stranger got in before being added")
	}
	writeKeyFile(t, e.authorizedPath, keyLine(e.responder, responderName), keyLine(e.stranger, "Newcomer"))
	tm := e.openTerminal(e.stranger, 80, 24)
	tm.waitFor("stand-in for Newcomer", 2*time.Second)

	writeKeyFile(t, e.authorizedPath, keyLine(e.stranger, "Newcomer"))
	if _, err := e.session(e.responder); err == nil {
		t.Fatal("a removed key still gets in")
	}
}

func TestShutdownTellsSessionsAndKeepsWrites(t *testing.T) {
	e := newEnv(t, withStandIn)
	terms := []*terminal{e.openTerminal(e.responder, 80, 24), e.openTerminal(e.viewer, 80, 24)}
	for _, tm := range terms {
		tm.waitFor("Operational", 2*time.Second)
	}
	terms[0].typeKeys("x")
	terms[0].waitFor("writes 1", 2*time.Second)

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	if err := e.srv.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("shutdown took %s", d)
	}
	for _, tm := range terms {
		tm.wait(time.Second)
		if !strings.Contains(tm.stderr.String(), "server is shutting down") {
			t.Errorf("a session was told %q", tm.stderr.String())
		}
	}
	if _, err := e.session(e.responder); err == nil {
		t.Error("a new connection was accepted after shutdown")
	}
	if err := e.st.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	api, err := e.st.Component(context.Background(), e.api.ID)
	if err != nil || api.Status != store.MajorOutage {
		t.Fatalf("the write made before shutdown: %+v, %v", api.Status, err)
	}
}

func TestNewRefusesWithoutKeys(t *testing.T) {
	e := newEnv(t)
	_, err := New(Config{Store: e.st, Logger: e.srv.log, HostKeyPath: e.dir + "/k"})
	if !errors.Is(err, ErrNoKeys) {
		t.Fatalf("no keys and not public: %v", err)
	}
	if strings.Count(err.Error(), "\n") != 0 || !strings.Contains(err.Error(), "--authorized-keys") || !strings.Contains(err.Error(), "--public") {
		t.Errorf("the error does not say what to pass on one line: %q", err)
	}
}

// settledGoroutines counts goroutines once the count stops moving, so goroutines that were
// just started are counted.
func settledGoroutines() int {
	n := runtime.NumGoroutine()
	for range 100 {
		time.Sleep(10 * time.Millisecond)
		m := runtime.NumGoroutine()
		if m == n {
			return n
		}
		n = m
	}
	return n
}

// panicky panics in View after its first frame.
type panicky struct{ frames int }

func (p *panicky) Init() tea.Cmd                       { return nil }
func (p *panicky) Update(tea.Msg) (tea.Model, tea.Cmd) { return p, nil }
func (p *panicky) View() string {
	if p.frames++; p.frames > 1 {
		panic("boom in View")
	}
	return "fine so far"
}

func TestAPanicEndsOnlyItsSession(t *testing.T) {
	tests := []struct {
		name    string
		console func(shared.Common) tea.Model
	}{
		{"building the console", func(shared.Common) tea.Model { panic("boom in New") }},
		{"drawing the console", func(shared.Common) tea.Model { return &panicky{} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fine := standInConsole(nil)
			e := newEnv(t, func(c *Config) {
				c.Console = func(cc shared.Common) tea.Model {
					if cc.Actor.ReadOnly {
						return tt.console(cc)
					}
					return fine(cc)
				}
			})
			doomed := e.openTerminal(e.viewer, 80, 24)
			doomed.typeKeys("x")
			doomed.wait(3 * time.Second)
			if !poll(time.Second, func() bool { return strings.Contains(e.logs.String(), "panic") }) {
				t.Errorf("the panic was not logged:\n%s", e.logs.String())
			}
			e.openTerminal(e.responder, 80, 24).waitFor("stand-in for "+responderName, 2*time.Second)
			if !poll(time.Second, func() bool { return e.srv.Sessions() == 1 }) {
				t.Errorf("%d sessions counted, want 1", e.srv.Sessions())
			}
		})
	}
}

func TestColourFollowsTheClientsTerminal(t *testing.T) {
	tests := []struct {
		name   string
		env    map[string]string
		term   string
		colour bool
	}{
		{name: "xterm-256color", term: "xterm-256color", colour: true},
		{name: "NO_COLOR sent by the client", term: "xterm-256color", env: map[string]string{"NO_COLOR": "1"}},
		{name: "dumb terminal", term: "dumb"},
	}
	if v, ok := os.LookupEnv("NO_COLOR"); ok { // the server's own NO_COLOR would hide the client's terminal
		os.Unsetenv("NO_COLOR")
		t.Cleanup(func() { os.Setenv("NO_COLOR", v) })
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, withStandIn)
			sess, err := e.session(e.responder)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.env {
				if err := sess.Setenv(k, v); err != nil {
					t.Fatal(err)
				}
			}
			tm := startTerminalWithTerm(t, sess, tt.term, 80, 24)
			tm.waitFor("Operational", 3*time.Second)
			if got := strings.Contains(tm.out.String(), "\x1b[38;5;"); got != tt.colour {
				t.Errorf("coloured: %v, want %v", got, tt.colour)
			}
		})
	}
}
