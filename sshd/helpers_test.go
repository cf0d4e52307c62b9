package sshd

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/log"
	"github.com/charmbracelet/wish/testsession"
	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"beacon/store"
	"beacon/tui/shared"
)

// env is a server on a loopback port with a seeded store and three keys: a responder's
// ("Ada Lovelace"), a viewer's ("Grace Hopper") and a stranger's, in none of the files.
type env struct {
	t                              *testing.T
	dir                            string
	st                             *store.Store
	srv                            *Server
	addr                           string
	responder, viewer, stranger    gossh.Signer
	authorizedPath, viewerKeysPath string
	api                            store.Component
	logs                           *syncBuffer
}

const (
	responderName = "Ada Lovelace"
	viewerName    = "Grace Hopper"
)

func newEnv(t *testing.T, configure ...func(*Config)) *env {
	t.Helper()
	e := &env{t: t, dir: t.TempDir(), logs: &syncBuffer{}}
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(e.dir, "beacon.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e.st = st
	admin := store.Actor{Name: "setup"}
	if e.api, err = st.AddComponent(ctx, admin, store.NewComponent{Name: "API"}); err != nil {
		t.Fatal(err)
	}
	if _, err = st.AddComponent(ctx, admin, store.NewComponent{Name: "Website"}); err != nil {
		t.Fatal(err)
	}

	e.responder, e.viewer, e.stranger = newSigner(t), newSigner(t), newSigner(t)
	e.authorizedPath = filepath.Join(e.dir, "authorized_keys")
	e.viewerKeysPath = filepath.Join(e.dir, "viewer_keys")
	writeKeyFile(t, e.authorizedPath, keyLine(e.responder, responderName))
	writeKeyFile(t, e.viewerKeysPath, keyLine(e.viewer, viewerName))

	cfg := Config{
		Store:          st,
		HostKeyPath:    filepath.Join(e.dir, "host_ed25519"),
		AuthorizedKeys: e.authorizedPath,
		ViewerKeys:     e.viewerKeysPath,
		Rate:           1000,
		Burst:          1000,
		Logger:         log.New(e.logs),
	}
	for _, f := range configure {
		f(&cfg)
	}
	e.srv, err = New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.srv.queryTimeout = 2 * time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.addr = l.Addr().String()
	served := make(chan error, 1)
	go func() { served <- e.srv.Serve(l) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = e.srv.Shutdown(ctx)
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return e
}

func newSigner(t testing.TB) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// keyLine is an authorized_keys line for s with a comment.
func keyLine(s gossh.Signer, comment string) string {
	return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(s.PublicKey()))) + " " + comment
}

func writeKeyFile(t testing.TB, path string, lines ...string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

// clientConfig authenticates as user with the given keys (none: keyboard-interactive only).
func clientConfig(user string, keys ...gossh.Signer) *gossh.ClientConfig {
	auth := []gossh.AuthMethod{gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) { return nil, nil })}
	if len(keys) > 0 {
		auth = append([]gossh.AuthMethod{gossh.PublicKeys(keys...)}, auth...)
	}
	return &gossh.ClientConfig{User: user, Auth: auth, HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second}
}

// session opens an SSH session with key, as KeyUser (so a public server asks for it); with no
// key, as "someone".
func (e *env) session(key gossh.Signer) (*gossh.Session, error) {
	e.t.Helper()
	if key == nil {
		return testsession.NewClientSession(e.t, e.addr, clientConfig("someone"))
	}
	return testsession.NewClientSession(e.t, e.addr, clientConfig(KeyUser, key))
}

// terminal is a client session with a pty, standing in for a terminal emulator: it keeps
// everything the server drew and answers the background and device-attribute queries.
type terminal struct {
	t      *testing.T
	sess   *gossh.Session
	stdin  io.WriteCloser
	out    syncBuffer
	stderr syncBuffer
	exit   chan error
	drawn  chan struct{} // a value after new output
}

// openTerminal connects with key, asks for a w×h xterm pty and a shell.
func (e *env) openTerminal(key gossh.Signer, w, h int) *terminal {
	e.t.Helper()
	sess, err := e.session(key)
	if err != nil {
		e.t.Fatal(err)
	}
	return startTerminal(e.t, sess, w, h)
}

func startTerminal(t *testing.T, sess *gossh.Session, w, h int) *terminal {
	t.Helper()
	return startTerminalWithTerm(t, sess, "xterm-256color", w, h)
}

func startTerminalWithTerm(t *testing.T, sess *gossh.Session, term string, w, h int) *terminal {
	t.Helper()
	tm := &terminal{t: t, sess: sess, exit: make(chan error, 1), drawn: make(chan struct{}, 1)}
	if err := sess.RequestPty(term, h, w, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	var err error
	if tm.stdin, err = sess.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	stdout, err := sess.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	sess.Stderr = &tm.stderr
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	go tm.read(stdout)
	go func() { tm.exit <- sess.Wait() }()
	return tm
}

// read keeps the output and answers the terminal queries in it, as a terminal would.
func (tm *terminal) read(r io.Reader) {
	buf := make([]byte, 32*1024)
	var seen []byte
	for {
		n, err := r.Read(buf)
		if n > 0 {
			tm.out.Write(buf[:n])
			select {
			case tm.drawn <- struct{}{}:
			default:
			}
			seen = append(seen, buf[:n]...)
			if i := bytes.Index(seen, []byte("\x1b]11;?\x07")); i >= 0 {
				io.WriteString(tm.stdin, "\x1b]11;rgb:1e1e/1e1e/2e2e\x1b\\")
				seen = seen[i+1:]
			}
			if i := bytes.Index(seen, []byte("\x1b[c")); i >= 0 {
				io.WriteString(tm.stdin, "\x1b[?62;22c")
				seen = seen[i+1:]
			}
			if len(seen) > 64 {
				seen = seen[len(seen)-64:]
			}
		}
		if err != nil {
			return
		}
	}
}

// text is everything drawn so far, without escape sequences.
func (tm *terminal) text() string { return ansi.Strip(tm.out.String()) }

// waitFor waits until the drawn text contains want.
func (tm *terminal) waitFor(want string, within time.Duration) {
	tm.t.Helper()
	if !poll(within, func() bool { return strings.Contains(tm.text(), want) }) {
		tm.t.Fatalf("after %s the screen has no %q; it shows:\n%s", within, want, tail(tm.text(), 2000))
	}
}

// typeKeys sends keys as the terminal would.
func (tm *terminal) typeKeys(keys string) {
	tm.t.Helper()
	if _, err := io.WriteString(tm.stdin, keys); err != nil {
		tm.t.Fatal(err)
	}
}

// wait waits for the session to end and returns its exit status.
func (tm *terminal) wait(within time.Duration) int {
	tm.t.Helper()
	select {
	case err := <-tm.exit:
		return exitStatus(tm.t, err)
	case <-time.After(within):
		tm.t.Fatalf("session still running after %s", within)
	}
	return -1
}

func exitStatus(t *testing.T, err error) int {
	t.Helper()
	if err == nil {
		return 0
	}
	if ee, ok := err.(*gossh.ExitError); ok {
		return ee.ExitStatus()
	}
	t.Fatalf("session ended without an exit status: %v", err)
	return -1
}

// poll calls cond until it holds or within passes.
func poll(within time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(within)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// syncBuffer is a bytes.Buffer safe for one writer and concurrent readers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// Len is how many bytes were written.
func (b *syncBuffer) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Len()
}

// Since is what was written after the first mark bytes.
func (b *syncBuffer) Since(mark int) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.b.Bytes()[mark:])
}

// standIn is a minimal console for tests that need to look inside a session: it shows who it
// is, the banner, the API component's status, the window size and its write count; `x`
// toggles API between operational and major outage, `q` quits. It subscribes to the change
// feed through the session's context, as the real console does.
type standIn struct {
	c       shared.Common
	changes <-chan struct{}
	d       store.Dashboard
	width   int
	height  int
	writes  int
	err     error
	hold    chan struct{} // when set, a change waits for it before reloading: a slow session
}

type loadedMsg struct{ d store.Dashboard }
type wroteMsg struct{ err error }

func standInConsole(hold chan struct{}) func(shared.Common) tea.Model {
	return func(c shared.Common) tea.Model {
		ch, cancel := c.Reader.Subscribe()
		context.AfterFunc(c.Ctx, cancel)
		return &standIn{c: c, changes: ch, width: c.Width, height: c.Height, hold: hold}
	}
}

func (m *standIn) load() tea.Msg {
	d, err := m.c.Reader.Dashboard(m.c.Ctx)
	if err != nil {
		return wroteMsg{err}
	}
	return loadedMsg{d}
}

func (m *standIn) next() tea.Msg {
	if _, ok := <-m.changes; !ok {
		return nil
	}
	return shared.ChangedMsg{}
}

func (m *standIn) Init() tea.Cmd { return tea.Batch(m.load, m.next) }

func (m *standIn) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case loadedMsg:
		m.d = msg.d
	case shared.ChangedMsg:
		if m.hold != nil {
			<-m.hold
		}
		return m, tea.Batch(m.load, m.next)
	case wroteMsg:
		m.err = msg.err
		if msg.err == nil {
			m.writes++
		}
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
	case tea.KeyMsg:
		switch msg.String() {
		case "q":
			return m, tea.Quit
		case "x":
			return m, m.toggle
		}
	}
	return m, nil
}

func (m *standIn) toggle() tea.Msg {
	d, err := m.c.Reader.Dashboard(m.c.Ctx)
	if err != nil {
		return wroteMsg{err}
	}
	var api store.Component
	for _, c := range d.Components {
		if c.Name == "API" {
			api = c
		}
	}
	next := store.MajorOutage
	if api.Status == store.MajorOutage {
		next = store.Operational
	}
	return wroteMsg{m.c.Writer.SetComponentStatus(m.c.Ctx, m.c.Actor, api.ID, next)}
}

func (m *standIn) View() string {
	api := "?"
	for _, c := range m.d.Components {
		if c.Name == "API" {
			api = m.c.Styles.StatusText(c.Effective)
		}
	}
	footer := "q quit"
	if !m.c.Actor.ReadOnly {
		footer = "n declare • x toggle API • " + footer
	}
	errText := ""
	if m.err != nil {
		errText = " error: " + m.err.Error()
	}
	return fmt.Sprintf("stand-in for %s\nbanner: %s\nAPI: %s\nsize %dx%d writes %d%s\n%s",
		m.c.Actor.Name, m.d.Banner.Description, api, m.width, m.height, m.writes, errText, footer)
}

// press types keys and waits until the output drawn after them contains want.
func (tm *terminal) press(keys, want string) {
	tm.t.Helper()
	mark := tm.out.Len()
	tm.typeKeys(keys)
	tm.waitForAfter(mark, want, 2*time.Second)
}

// waitForAfter waits until the output drawn after the first mark bytes contains want.
func (tm *terminal) waitForAfter(mark int, want string, within time.Duration) {
	tm.t.Helper()
	if !poll(within, func() bool { return strings.Contains(ansi.Strip(tm.out.Since(mark)), want) }) {
		tm.t.Fatalf("after %s nothing new on the screen has %q; it shows:\n%s", within, want, tail(tm.text(), 2000))
	}
}
