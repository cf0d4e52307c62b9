// Package sshd serves Beacon's console over SSH with wish. Keys in OpenSSH authorized_keys files
// decide who may connect and whether they may write; each session runs its own Bubble Tea
// program with its own renderer and styles, all on one store whose change feed keeps every
// session live; a session without a terminal gets the plain-text glance, and one that sends a
// command runs it (Config.Exec); and shutting down tells every session and lets a write under
// way finish.
package sshd

import (
	"cmp"
	"context"
	"errors"
	"io"
	"net"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/log"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	rm "github.com/charmbracelet/wish/recover"
	gossh "golang.org/x/crypto/ssh"

	"beacon/store"
	"beacon/tui"
	"beacon/tui/shared"
)

// Defaults: the address `beacon serve` listens on, and the zero values of Config.
const (
	DefaultListen      = "127.0.0.1:2222"
	DefaultMaxSessions = 100
	DefaultIdleTimeout = 30 * time.Minute
	DefaultRate        = 2  // new sessions a second from one address, sustained
	DefaultBurst       = 20 // new sessions at once from one address
)

// Config is what a Server needs.
type Config struct {
	Store          *store.Store
	Shared         *store.Snapshots // the process's shared reads, when it serves more than SSH; made from Store when nil
	HostKeyPath    string           // ed25519 private key, created 0600 when missing
	AuthorizedKeys string           // responders' keys: they may write; "" for none
	ViewerKeys     string           // viewers' keys: they may only look; "" for none
	Public         bool             // anyone else may look too
	MaxSessions    int              // sessions at once; DefaultMaxSessions when 0
	IdleTimeout    time.Duration    // a session without a keypress this long is closed; DefaultIdleTimeout when 0, never when negative
	Rate           float64          // new sessions a second per source address; DefaultRate when 0
	Burst          int              // new sessions at once per source address; DefaultBurst when 0
	Logger         *log.Logger      // where connections are logged; required

	// Connections that have not started a session yet (the handshake, authentication): each
	// has LoginGrace to open one, and at most MaxPendingPerAddr from one address and MaxPending
	// in all wait at once. The defaults (DefaultLoginGrace and so on) when 0.
	LoginGrace        time.Duration
	MaxPending        int
	MaxPendingPerAddr int

	// Console builds the console for one session; the real console unless a test sets it.
	Console func(shared.Common) tea.Model

	// Exec runs the commands a session sends other than the glance (ssh host incident list
	// --json); nil leaves status as the only command.
	Exec ExecFunc

	// CheckCommand says whether Exec runs a command line, for key lines whose command= names
	// one other than the glance; nil leaves status as the only command= there may be.
	CheckCommand CommandCheck
}

// ExecFunc runs one command line an SSH session sent, inside the server and as the session's
// key, and returns its exit status. beacon serve runs its own command tree (cli.RunRemote).
type ExecFunc func(ctx context.Context, req ExecRequest) int

// ExecRequest is a command line a session sent, who sent it, and the session's streams.
type ExecRequest struct {
	Args   []string    // as the client sent them, split as a shell would; never run by one
	Actor  store.Actor // the key's name; ReadOnly unless a responder
	Public bool        // an anonymous --public viewer, who sees only what the public may
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
}

// Server is the SSH server. Start it with Serve, stop it with Shutdown.
type Server struct {
	cfg     Config
	shared  *store.Snapshots // every session's change feed and reads, made once per change
	srv     *ssh.Server
	keys    *keyring
	limiter *rateLimiter
	gate    *gate
	log     *log.Logger
	host    gossh.PublicKey

	// base is the parent of every session's context; cancelled last when shutting down, so a
	// write a console started may finish first.
	base       context.Context
	cancelBase context.CancelFunc

	// queryTimeout bounds the wait for a terminal's background colour.
	queryTimeout time.Duration

	mu        sync.Mutex
	closing   bool
	listeners []net.Listener
	active    int                   // sessions being served
	consoles  map[*console]struct{} // the ones running a console
	handlers  sync.WaitGroup        // every session handler; Add only under mu while !closing
}

// KeyUser is the user name that, on a public server, signs in by key: every other name gets
// in anonymously at once, without the client offering its keys (OpenSSH clients ask to get in
// without authenticating before they offer a key, and a server cannot tell who has one).
const KeyUser = "key"

// allowNone lets a client in without authenticating, unless it connects as KeyUser.
func allowNone(conn gossh.ConnMetadata) (*gossh.Permissions, error) {
	if conn.User() == KeyUser {
		return nil, errors.New("sign in with a key")
	}
	return &gossh.Permissions{}, nil
}

// ErrNoKeys is returned by New when nobody could ever connect.
var ErrNoKeys = errors.New("no authorized keys: pass --authorized-keys PATH (an OpenSSH authorized_keys file; each key's comment names a responder) or --public to let anyone look")

// New checks the configuration, reads the key files and the host key (creating it when
// missing), and builds the server.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil || cfg.Logger == nil {
		return nil, errors.New("sshd: Config needs a Store and a Logger")
	}
	if cfg.AuthorizedKeys == "" && !cfg.Public {
		return nil, ErrNoKeys
	}
	if cfg.HostKeyPath == "" {
		return nil, errors.New("sshd: Config needs a HostKeyPath")
	}
	cfg.MaxSessions = cmp.Or(cfg.MaxSessions, DefaultMaxSessions)
	cfg.IdleTimeout = cmp.Or(cfg.IdleTimeout, DefaultIdleTimeout)
	cfg.Rate = cmp.Or(cfg.Rate, DefaultRate)
	cfg.Burst = cmp.Or(cfg.Burst, DefaultBurst)
	cfg.LoginGrace = cmp.Or(cfg.LoginGrace, DefaultLoginGrace)
	cfg.MaxPending = cmp.Or(cfg.MaxPending, DefaultMaxPending)
	cfg.MaxPendingPerAddr = cmp.Or(cfg.MaxPendingPerAddr, DefaultMaxPendingPerAddr)
	if cfg.Console == nil {
		cfg.Console = tui.New
	}

	s := &Server{
		cfg:          cfg,
		shared:       cmp.Or(cfg.Shared, cfg.Store.NewSnapshots()),
		log:          cfg.Logger,
		limiter:      newRateLimiter(cfg.Rate, cfg.Burst, time.Now),
		gate:         newGate(cfg.LoginGrace, cfg.MaxPending, cfg.MaxPendingPerAddr, cfg.Logger),
		consoles:     map[*console]struct{}{},
		queryTimeout: time.Second,
	}
	var err error
	s.keys, err = newKeyring(cfg.AuthorizedKeys, cfg.ViewerKeys, cfg.CheckCommand, s.log.Warn)
	if err != nil {
		return nil, err
	}
	signer, err := hostKey(cfg.HostKeyPath)
	if err != nil {
		return nil, err
	}
	s.host = signer.PublicKey()
	s.base, s.cancelBase = context.WithCancel(context.Background())

	opts := []ssh.Option{
		wish.WithVersion("Beacon"),
		func(srv *ssh.Server) error { srv.AddHostKey(signer); return nil }, // before wish makes one up
		ssh.PublicKeyAuth(s.allowKey),
		func(srv *ssh.Server) error { srv.PtyCallback = s.allowPty; return nil },
		ssh.WrapConn(s.gate.admit),
		func(srv *ssh.Server) error {
			srv.ChannelHandlers = map[string]ssh.ChannelHandler{"session": s.gate.sessionHandler}
			return nil
		},
		wish.WithMiddleware(s.middleware()...),
	}
	if cfg.Public {
		// Anyone gets in as an anonymous viewer without a key (OpenSSH's first request, "none",
		// succeeds; keyboard-interactive too, for other clients), so scripts in batch mode can
		// read the glance. A client that connects as KeyUser is asked for its key instead, and
		// refused when none of its keys is known.
		opts = append(opts,
			func(srv *ssh.Server) error {
				srv.ServerConfigCallback = func(ssh.Context) *gossh.ServerConfig {
					return &gossh.ServerConfig{NoClientAuth: true, NoClientAuthCallback: allowNone}
				}
				return nil
			},
			ssh.KeyboardInteractiveAuth(func(ctx ssh.Context, _ gossh.KeyboardInteractiveChallenge) bool { return ctx.User() != KeyUser }))
	}
	if cfg.IdleTimeout > 0 {
		// A backstop for connections that never open a session; sessions close themselves
		// earlier, with a message, when nobody types.
		opts = append(opts, wish.WithIdleTimeout(cfg.IdleTimeout+time.Minute))
	}
	s.srv, err = wish.NewServer(opts...)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// middleware is every session's path through the server, composed in this one place. wish
// runs the last middleware first, so read this list bottom up: panics are recovered around
// everything; then each session is logged; refused when its address opens sessions too fast or
// when the server is full or shutting down; given its responder or viewer identity; and served
// the console, or the glance when it has no terminal.
func (s *Server) middleware() []wish.Middleware {
	return []wish.Middleware{
		rm.MiddlewareWithLogger(s.log,
			s.serve,
			s.identify,
			s.limitSessions,
			s.limitRate,
			s.logSessions,
		),
	}
}

// Serve accepts connections on l until Shutdown; it returns nil after a shutdown.
func (s *Server) Serve(l net.Listener) error {
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		return l.Close()
	}
	s.listeners = append(s.listeners, l)
	s.mu.Unlock()
	err := s.srv.Serve(l)
	s.mu.Lock()
	closing := s.closing
	s.mu.Unlock()
	if errors.Is(err, ssh.ErrServerClosed) || closing && errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

// HostKey is the server's public host key, for the fingerprint clients will be shown.
func (s *Server) HostKey() gossh.PublicKey { return s.host }

// ReloadKeys re-reads the key files now (they are also re-read whenever they change). A file
// that cannot be read keeps the keys it had, and its error is returned.
func (s *Server) ReloadKeys() error { return s.keys.reload() }

// KeyCounts reports how many responder and viewer keys are loaded.
func (s *Server) KeyCounts() (responders, viewers int) { return s.keys.counts() }

// Sessions is the number of sessions being served.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.active
}

// Shutdown stops accepting connections, tells every console that the server is shutting down
// and closes it, lets a write under way finish, then closes every connection. It returns when
// all is closed or ctx is done; it leaves the store open for its owner to close.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	consoles := make([]*console, 0, len(s.consoles))
	for c := range s.consoles {
		consoles = append(consoles, c)
	}
	listeners := s.listeners
	s.mu.Unlock()

	for _, l := range listeners {
		_ = l.Close()
	}
	for _, c := range consoles {
		c.stop(endShutdown)
	}

	handlersDone := make(chan struct{})
	go func() { s.handlers.Wait(); close(handlersDone) }()
	quitBy := time.NewTimer(consoleQuitGrace)
	defer quitBy.Stop()
	select {
	case <-handlersDone:
	case <-quitBy.C:
	case <-ctx.Done():
	}
	s.waitForWrites(ctx)
	s.cancelBase()
	err := s.srv.Close()
	if errors.Is(err, net.ErrClosed) {
		err = nil // the listeners were closed first, on purpose
	}
	select {
	case <-handlersDone:
	case <-ctx.Done():
		return ctx.Err()
	}
	return err
}

// How long shutting down waits for consoles to close and for a write under way.
const (
	consoleQuitGrace = 2 * time.Second
	writeGrace       = time.Second
)

func (s *Server) waitForWrites(ctx context.Context) {
	deadline := time.Now().Add(writeGrace)
	for s.cfg.Store.Writing() && time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(5 * time.Millisecond)
	}
}
