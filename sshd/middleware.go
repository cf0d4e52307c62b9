package sshd

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/ssh"

	"beacon/sanitize"
	"beacon/store"
)

// identity is who a connection is: the actor its writes are recorded as, and its role.
// anonymous is a viewer let in by --public with no known key: the public, who see no
// internal incident.
type identity struct {
	actor     store.Actor
	role      Role
	anonymous bool
}

type identityKey struct{}

// allowKey is the public key check: a key in either file gets in. Unknown keys are refused
// even on a public server, so that a responder whose client offers another key first is still
// recognised by the right one; keyless clients then get in by keyboard-interactive.
func (s *Server) allowKey(_ ssh.Context, key ssh.PublicKey) bool {
	return s.keys.lookup(key).role != Refused
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
// here: the key files may have changed since), falling back to a viewer on a public server.
func (s *Server) identify(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		e := s.keys.lookup(sess.PublicKey())
		anonymous := false
		if e.role == Refused {
			if !s.cfg.Public {
				refuse(sess, 1, "your key is not authorized on this server")
				return
			}
			e.role, anonymous = Viewer, true
		}
		name := e.name
		if name == "" {
			name = userName(sess.User())
		}
		id := identity{actor: store.Actor{Name: name, ReadOnly: e.role != Responder}, role: e.role, anonymous: anonymous}
		sess.Context().SetValue(identityKey{}, id)
		next(sess)
	}
}

// userName makes the SSH user name into an actor name, for keys without a comment.
func userName(u string) string {
	name, err := store.CleanName("name", strings.TrimSpace(sanitize.Line(u)))
	if err != nil || name == "" {
		return "anonymous"
	}
	return name
}

// serve runs the console for a session with a terminal and no command, and answers every
// other session with the glance (the only command there is).
func (s *Server) serve(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		id := sess.Context().Value(identityKey{}).(identity)
		_, _, hasPty := sess.Pty()
		switch cmd := sess.Command(); {
		case len(cmd) == 0 && hasPty:
			s.runConsole(sess, id)
		case len(cmd) == 0, cmd[0] == "status":
			s.runGlance(sess, id, cmd)
		default:
			refuse(sess, 2, "unknown command %q; connect without one for the console, or run status for the glance", sanitize.Line(cmd[0]))
			return
		}
		next(sess)
	}
}
