package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/charmbracelet/log"
	"github.com/spf13/cobra"
	gossh "golang.org/x/crypto/ssh"

	"beacon/notify"
	"beacon/sshd"
	"beacon/store"
	"beacon/web"
)

// shutdownBudget is how long `beacon serve` takes at most to stop after SIGINT or SIGTERM.
const shutdownBudget = 4 * time.Second

type serveOptions struct {
	listen         string
	hostKey        string
	authorizedKeys string
	viewerKeys     string
	public         bool
	maxSessions    int
	idleTimeout    time.Duration
	loginGrace     time.Duration
	rate           float64
	http           string
	baseURL        string
	title          string
}

func newServeCommand(a *app) *cobra.Command {
	var o serveOptions
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the console over SSH, and the public status site over HTTP",
		Long: "Serve the console over SSH: everyone who connects gets their own console on this\n" +
			"database, and sees the others' changes live. With --http, serve the public status site\n" +
			"too (alone when there are no SSH keys and no --public): the page, the Statuspage API under\n" +
			"/api/v2/, feeds and a badge, showing public incidents only.\n\n" +
			"Keys are OpenSSH authorized_keys files; each key's comment is its holder's name (its\n" +
			"fingerprint when it has none), recorded as the author of their updates. Keys in\n" +
			"--authorized-keys may write, keys in --viewer-keys may only look, --public lets anyone look\n" +
			"without a key (there, key holders connect as the user \"key\": ssh key@HOST).\n" +
			"The options from=, no-pty, command= (a Beacon command), expiry-time= and restrict work as\n" +
			"in OpenSSH; a line with any other option, or that is not a key, is skipped and logged. The\n" +
			"files are re-read when they change (or on SIGHUP); one that cannot be read lets none of its\n" +
			"keys in.\n" +
			"Without a terminal (ssh -T, or ssh HOST status) a session prints the glance; ssh HOST\n" +
			"COMMAND runs Beacon's own commands in the server as the key's holder (never a shell).\n\n" +
			"The server also sends the webhooks (see 'beacon webhook').\n\n" +
			"Defaults beside the database: the host key beacon_host_ed25519 (created on first run),\n" +
			"and authorized_keys and viewer_keys when they exist.",
		Example: "  beacon serve --authorized-keys responders.keys\n" +
			"  beacon serve --listen 0.0.0.0:2222 --authorized-keys responders.keys --viewer-keys viewers.keys\n" +
			"  beacon serve --public --authorized-keys responders.keys --idle-timeout 0\n" +
			"  beacon serve --http 127.0.0.1:8080 --base-url https://status.example.com --title \"Example status\"",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runServe(cmd, a, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.listen, "listen", sshd.DefaultListen, "address to listen on")
	f.StringVar(&o.hostKey, "host-key", "", "host private key, created on first run (default beside the database: beacon_host_ed25519)")
	f.StringVar(&o.authorizedKeys, "authorized-keys", "", "responders' keys, who may write (default beside the database: authorized_keys, when it exists)")
	f.StringVar(&o.viewerKeys, "viewer-keys", "", "viewers' keys, who may only look (default beside the database: viewer_keys, when it exists)")
	f.BoolVar(&o.public, "public", false, "let anyone in as a viewer")
	f.IntVar(&o.maxSessions, "max-sessions", sshd.DefaultMaxSessions, "sessions at once; more are refused")
	f.DurationVar(&o.idleTimeout, "idle-timeout", sshd.DefaultIdleTimeout, "close a session after this long without a keypress (0: never)")
	f.DurationVar(&o.loginGrace, "login-grace", sshd.DefaultLoginGrace, "close a connection that has not authenticated and opened a session after this long")
	f.Float64Var(&o.rate, "rate-limit", sshd.DefaultRate, "new sessions a second from one address, in bursts of up to ten times that")
	f.StringVar(&o.http, "http", "", "serve the public status site on this address too, like 127.0.0.1:8080")
	f.StringVar(&o.baseURL, "base-url", "", "the site's public address, used in feeds and the API (with --http)")
	f.StringVar(&o.title, "title", web.DefaultTitle, "the status page's name (with --http)")
	return cmd
}

func runServe(cmd *cobra.Command, a *app, o serveOptions) error {
	if o.maxSessions < 1 {
		return invalidError("--max-sessions must be at least 1, got %d", o.maxSessions)
	}
	if o.loginGrace <= 0 {
		return invalidError("--login-grace must be above 0, got %s", o.loginGrace)
	}
	if o.idleTimeout < 0 {
		return invalidError("--idle-timeout must not be negative, got %s", o.idleTimeout)
	}
	if o.rate <= 0 {
		return invalidError("--rate-limit must be above 0, got %g", o.rate)
	}
	dbPath, err := a.dbPath()
	if err != nil {
		return err
	}
	dir := filepath.Dir(dbPath)
	o.hostKey = orDefault(o.hostKey, filepath.Join(dir, "beacon_host_ed25519"), true)
	o.authorizedKeys = orDefault(o.authorizedKeys, filepath.Join(dir, "authorized_keys"), false)
	o.viewerKeys = orDefault(o.viewerKeys, filepath.Join(dir, "viewer_keys"), false)
	withSSH := o.authorizedKeys != "" || o.public
	if !withSSH && o.http == "" {
		return invalidError("%v (or --http ADDR to serve only the public status site)", sshd.ErrNoKeys)
	}
	if o.http == "" && (cmd.Flags().Changed("base-url") || cmd.Flags().Changed("title")) {
		return usageError("--base-url and --title are for the status site: add --http ADDR")
	}
	// Refused before the store is opened, so a mistyped flag leaves no database behind.
	if o.http != "" {
		if err := checkListenAddr(o.http); err != nil {
			return invalidError("--http %q: %v; give a host and port to listen on, like 127.0.0.1:8080 or :8080", o.http, err)
		}
		if err := web.CheckBaseURL(o.baseURL); err != nil {
			return invalidError("--base-url: %v", err)
		}
	}

	ctx := cmd.Context()
	st, err := a.creatingStore(ctx)
	if err != nil {
		return err
	}
	logger := log.NewWithOptions(cmd.ErrOrStderr(), log.Options{ReportTimestamp: true, TimeFormat: "2006-01-02 15:04:05.000"})
	ids, err := notify.PublicIDs(ctx, st)
	if err != nil {
		return err
	}
	// The webhook sender runs beside the servers and stops with them.
	sendCtx, stopSending := context.WithCancel(context.WithoutCancel(ctx))
	sent := make(chan struct{})
	go func() {
		defer close(sent)
		s := &notify.Sender{Store: st, IDs: ids, Logger: logger, Page: notify.Page{Name: o.title, URL: o.baseURL}}
		_ = s.Run(sendCtx)
	}()
	defer func() { stopSending(); <-sent }()
	shared := st.NewSnapshots()
	var site *httpSite
	if o.http != "" {
		if site, err = startSite(ctx, st, shared, o, logger); err != nil {
			return err
		}
		defer site.stop(logger)
	}
	if !withSSH {
		logger.Info("serving the status site only (no SSH keys and no --public)")
		select {
		case <-ctx.Done():
			return nil
		case err := <-site.served:
			return err
		}
	}
	idle := o.idleTimeout
	if idle == 0 {
		idle = -1
	}
	srv, err := sshd.New(sshd.Config{
		Store:          st,
		Shared:         shared,
		HostKeyPath:    o.hostKey,
		AuthorizedKeys: o.authorizedKeys,
		ViewerKeys:     o.viewerKeys,
		Public:         o.public,
		MaxSessions:    o.maxSessions,
		IdleTimeout:    idle,
		LoginGrace:     o.loginGrace,
		Rate:           o.rate,
		Burst:          max(1, int(o.rate*10)),
		Logger:         logger,
		CheckCommand:   checkKeyCommand,
		Exec: func(ctx context.Context, r sshd.ExecRequest) int {
			return RunRemote(ctx, Remote{Store: st, Actor: r.Actor, Public: r.Public}, r.Args, r.Stdin, r.Stdout, r.Stderr)
		},
	})
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", o.listen)
	if err != nil {
		return err
	}
	responders, viewers := srv.KeyCounts()
	logger.Info("serving", "listen", l.Addr().String(), "db", dbPath,
		"host-key", gossh.FingerprintSHA256(srv.HostKey()),
		"responders", responders, "viewers", viewers, "public", o.public)

	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()
	var siteServed <-chan error
	if site != nil {
		siteServed = site.served
	}
	for {
		select {
		case err := <-served:
			return err
		case err := <-siteServed:
			sctx, cancel := context.WithTimeout(context.Background(), shutdownBudget)
			_ = srv.Shutdown(sctx)
			cancel()
			<-served
			return err
		case <-hup:
			if err := srv.ReloadKeys(); err != nil {
				logger.Error("reloading keys", "err", err)
			} else {
				responders, viewers := srv.KeyCounts()
				logger.Info("keys reloaded", "responders", responders, "viewers", viewers)
			}
		case <-ctx.Done():
			logger.Info("shutting down", "sessions", srv.Sessions())
			sctx, cancel := context.WithTimeout(context.Background(), shutdownBudget)
			err := srv.Shutdown(sctx)
			cancel()
			<-served
			if err != nil {
				logger.Warn("shutdown was not clean", "err", err)
			}
			return nil
		}
	}
}

// orDefault is flag when set, else def: always when create is set (the file is made on first
// run), otherwise only when def exists.
func orDefault(flag, def string, create bool) string {
	if flag != "" || create {
		return cmp.Or(flag, def)
	}
	if _, err := os.Stat(def); errors.Is(err, fs.ErrNotExist) {
		return ""
	}
	return def
}

// httpSite is the public status site while `beacon serve` runs it.
type httpSite struct {
	srv    *http.Server
	served chan error // the listener's end; nil error once shut down
	cancel func()
}

// startSite listens on --http and serves the site from the shared reads.
func startSite(ctx context.Context, st *store.Store, shared *store.Snapshots, o serveOptions, logger *log.Logger) (*httpSite, error) {
	site, err := web.New(st, shared, web.Config{Title: o.title, BaseURL: o.baseURL})
	if err != nil {
		return nil, invalidError("--base-url: %v", err)
	}
	ws, err := web.NewServer(site)
	if err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", o.http)
	if err != nil {
		return nil, fmt.Errorf("--http: %w", err)
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	go ws.Run(runCtx)
	hs := ws.HTTPServer()
	hs.ErrorLog = logger.StandardLog(log.StandardLogOptions{ForceLevel: log.WarnLevel})
	h := &httpSite{srv: hs, served: make(chan error, 1), cancel: cancel}
	go func() {
		err := hs.Serve(l)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		h.served <- err
	}()
	base := o.baseURL
	if base == "" {
		base = "http://" + l.Addr().String()
	}
	logger.Info("serving the status site", "http", l.Addr().String(), "url", base)
	if o.baseURL == "" {
		logger.Warn(noBaseURL)
	}
	return h, nil
}

// stop shuts the site down within the shutdown budget.
func (h *httpSite) stop(logger *log.Logger) {
	sctx, cancel := context.WithTimeout(context.Background(), shutdownBudget)
	defer cancel()
	if err := h.srv.Shutdown(sctx); err != nil {
		logger.Warn("the status site did not stop cleanly", "err", err)
	}
	h.cancel()
}

// checkKeyCommand says whether a key line's command= names a command an SSH session may run:
// one in the command tree, marked for SSH, whose flags parse and name no file.
func checkKeyCommand(args []string) error {
	root := newCommand(&app{})
	cmd, _, err := root.Find(args)
	switch {
	case err != nil || cmd == root.Command:
		return fmt.Errorf("%s is not a Beacon command", args[0])
	case cmd.HasSubCommands():
		return fmt.Errorf("%s needs a subcommand", cmd.CommandPath())
	}
	if err := cmd.ParseFlags(args); err != nil {
		return err
	}
	r := Remote{}
	return r.allow(cmd)
}

// noBaseURL warns of a site without --base-url, whose feeds feed readers cannot follow.
const noBaseURL = "no --base-url: the feeds' links and the API's page url are relative, and feed readers need absolute ones; give the address readers use, like --base-url https://status.example.com"

// checkListenAddr refuses an address net.Listen would, before anything starts: no port, or
// a port out of range.
func checkListenAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return errors.New("not a host:port address")
	}
	if _, err := net.LookupPort("tcp", port); err != nil {
		return fmt.Errorf("no such port %q", port)
	}
	return nil
}
