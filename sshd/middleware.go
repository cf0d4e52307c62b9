package sshd

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"

	"beacon/sanitize"
	"beacon/store"
)

// identity is who a connection is: the actor its writes are recorded as, its role, and what its
// key line restricts. anonymous is a viewer let in by --public with no known key: the public,
// who see no internal incident.
type identity struct {
	actor     store.Actor
	role      Role
	anonymous bool
	opts      keyOptions
}

type identityKey struct{}

// allowKey is the public key check: a key in either file gets in, when its line's from= and
// expiry-time= allow it. Unknown keys are refused even on a public server, so that a
// responder whose client offers another key first is still recognised by the right one;
// keyless clients then get in by keyboard-interactive.
func (s *Server) allowKey(ctx ssh.Context, key ssh.PublicKey) bool {
	e, refusal := s.keys.authorize(key, ctx.RemoteAddr(), time.Now())
	if refusal != "" {
		s.log.Warn("key refused", "remote", ctx.RemoteAddr().String(), "key", gossh.FingerprintSHA256(key), "why", refusal)
	}
	return e.role != Refused
}

// allowPty refuses a terminal to a key whose line says no-pty (or restrict): its sessions get
// the glance, as they would without a terminal.
func (s *Server) allowPty(ctx ssh.Context, _ ssh.Pty) bool {
	key, _ := ctx.Value(ssh.ContextKeyPublicKey).(ssh.PublicKey)
	e, _ := s.keys.authorize(key, ctx.RemoteAddr(), time.Now())
	return !e.opts.noPty
}

// refuse ends a session with a one-line reason on its stderr and an exit status.
func refuse(sess ssh.Session, code int, format string, args ...any) {
	fmt.Fprintf(sess.Stderr(), "beacon: "+format+"\n", args...)
	_ = sess.Exit(code)
}

// logSessions logs each session's start and end to the server's logger.
func (s *Server) logSessions(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		start := time.Now()
		pty, _, hasPty := sess.Pty()
		remote := sess.RemoteAddr().String()
		user := sanitize.Line(sess.User())
		s.log.Info("session start", "user", user, "remote", remote, "pty", hasPty,
			"term", sanitize.Line(pty.Term), "width", pty.Window.Width, "height", pty.Window.Height,
			"command", sanitize.Line(sess.RawCommand()))
		next(sess)
		id, _ := sess.Context().Value(identityKey{}).(identity)
		s.log.Info("session end", "user", user, "actor", id.actor.Name, "role", id.role, "remote", remote,
			"duration", time.Since(start).Round(time.Millisecond))
	}
}

// limitRate refuses a session when its source address opens them faster than the limit.
func (s *Server) limitRate(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		if !s.limiter.allow(sess.RemoteAddr()) {
			s.log.Warn("refused: rate limit", "remote", sess.RemoteAddr().String())
			refuse(sess, 1, "too many new sessions from your address; wait a few seconds and try again")
			return
		}
		next(sess)
	}
}

// limitSessions refuses a session beyond MaxSessions or once the server is shutting down, and
// counts the ones it lets through so Shutdown can wait for them.
func (s *Server) limitSessions(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		s.mu.Lock()
		switch {
		case s.closing:
			s.mu.Unlock()
			refuse(sess, 1, "the server is shutting down; try again in a moment")
			return
		case s.active >= s.cfg.MaxSessions:
			s.mu.Unlock()
			s.log.Warn("refused: server full", "remote", sess.RemoteAddr().String(), "max", s.cfg.MaxSessions)
			refuse(sess, 1, "the server is full (%d sessions); try again later", s.cfg.MaxSessions)
			return
		}
		s.active++
		s.handlers.Add(1)
		s.mu.Unlock()
		defer func() {
			s.mu.Lock()
			s.active--
			s.mu.Unlock()
			s.handlers.Done()
		}()
		next(sess)
	}
}

// identify decides who the session is from the key it authenticated with (looked up again
// here: the key files may have changed since), falling back to an anonymous viewer on a public
// server. The name comes from the key file only, never from the client.
func (s *Server) identify(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		e, _ := s.keys.authorize(sess.PublicKey(), sess.RemoteAddr(), time.Now())
		id := identity{role: e.role, opts: e.opts, actor: store.Actor{Name: e.name, Key: e.fingerprint}}
		if e.role == Refused {
			if !s.cfg.Public {
				refuse(sess, 1, "your key is not authorized on this server")
				return
			}
			id = identity{role: Viewer, anonymous: true, actor: store.Actor{Name: anonymousName}}
		}
		id.actor.ReadOnly = id.role != Responder
		sess.Context().SetValue(identityKey{}, id)
		next(sess)
	}
}

// anonymousName is what a --public viewer without a known key is called.
const anonymousName = "anonymous"

// serve runs the console for a session with a terminal and no command, the glance for one
// with neither (or `status [--all]`), and any other command through Config.Exec. A key line's
// command= replaces whatever the client asked for, and its no-pty leaves no console.
func (s *Server) serve(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		id := sess.Context().Value(identityKey{}).(identity)
		_, _, hasPty := sess.Pty()
		hasPty = hasPty && !id.opts.noPty
		cmd := sess.Command()
		if id.opts.command != nil {
			cmd = id.opts.command
		}
		switch {
		case len(cmd) == 0 && hasPty:
			s.runConsole(sess, id)
		case len(cmd) == 0, isGlance(cmd), s.cfg.Exec == nil && cmd[0] == "status":
			s.runGlance(sess, id, cmd)
		case s.cfg.Exec != nil:
			s.runCommand(sess, id, cmd)
		default:
			refuse(sess, 2, "unknown command %q; connect without one for the console, or run status for the glance", sanitize.Line(cmd[0]))
			return
		}
		next(sess)
	}
}

// isGlance reports whether cmd is `status` or `status --all`, which the glance answers from the
// shared snapshots, in colour on a terminal.
func isGlance(cmd []string) bool {
	if cmd[0] != "status" {
		return false
	}
	for _, a := range cmd[1:] {
		if a != "--all" {
			return false
		}
	}
	return true
}

// runCommand runs a command line through Config.Exec as the session's key, with the session's
// streams, and exits with its status. It never reaches a shell.
func (s *Server) runCommand(sess ssh.Session, id identity, cmd []string) {
	code := s.cfg.Exec(sess.Context(), ExecRequest{
		Args: cmd, Actor: id.actor, Public: id.anonymous,
		Stdin: sess, Stdout: sess, Stderr: sess.Stderr(),
	})
	s.log.Info("command", "actor", id.actor.Name, "role", id.role, "command", sanitize.Line(strings.Join(cmd, " ")), "exit", code)
	_ = sess.Exit(code)
}
