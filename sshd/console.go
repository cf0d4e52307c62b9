package sshd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/muesli/termenv"

	"beacon/glance"
	"beacon/store"
	"beacon/theme"
	"beacon/tui"
	"beacon/tui/shared"
)

// frameRate caps each console's redraws a second. Bubble Tea's renderer wakes this often and
// writes only when the view changed; with every console's frames aligned (alignFrames) 100 idle
// sessions cost about 2% of a core, and typing echoes within a frame (33 ms).
const frameRate = 30

// alignFrames waits for the next frame boundary of a clock shared by every session, so all
// consoles' renderers tick at the same instants: the process then wakes frameRate times a
// second for all of them, instead of frameRate times a second for each, which is most of what
// idle sessions cost.
func alignFrames() {
	frame := time.Second / frameRate
	now := time.Now()
	time.Sleep(now.Truncate(frame).Add(frame).Sub(now))
}

// Why a console ended, when the server ended it.
type endReason int

const (
	endByUser endReason = iota
	endShutdown
	endIdle
	endFlood
)

// console is one running console session, registered so Shutdown can reach it.
type console struct {
	p      *tea.Program
	mu     sync.Mutex
	reason endReason
}

// stop asks the console's program to quit, remembering why. Quit blocks until the program
// runs, so it is sent from a goroutine.
func (c *console) stop(why endReason) {
	c.mu.Lock()
	if c.reason == endByUser {
		c.reason = why
	}
	c.mu.Unlock()
	go c.p.Quit()
}

func (c *console) why() endReason {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reason
}

// runConsole runs the console for one session until the responder quits, the connection
// drops, the session idles out or the server shuts down.
func (s *Server) runConsole(sess ssh.Session, id identity) {
	pty, winch, _ := sess.Pty()
	in := newInput(sess)
	defer in.close()

	r := s.renderer(sess, pty.Term, in)
	ctx, cancel := context.WithCancel(s.base)
	shuttingDown := false
	defer func() {
		if shuttingDown {
			// Shutdown cancels the base context once a write under way has finished.
			context.AfterFunc(s.base, cancel)
		} else {
			cancel()
		}
	}()
	c := shared.Common{
		Ctx:    ctx,
		Reader: s.reader(id),
		Writer: s.cfg.Store,
		Actor:  id.actor,
		Styles: theme.New(r),
		Now:    time.Now,
		Width:  pty.Window.Width,
		Height: pty.Window.Height,
	}
	if !id.anonymous {
		c.Notifications = s.cfg.Store // whether an incident's webhooks went out is not the public's business
	}
	con := &console{p: tea.NewProgram(s.cfg.Console(c),
		tea.WithInput(in),
		tea.WithOutput(sess),
		tea.WithContext(ctx),
		tea.WithEnvironment(sess.Environ()),
		tea.WithAltScreen(),
		tea.WithMouseCellMotion(), // as a local console has it; shift still selects text
		tea.WithoutSignalHandler(),
		tea.WithFPS(frameRate),
	)}

	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		refuse(sess, 1, "the server is shutting down; try again in a moment")
		return
	}
	s.consoles[con] = struct{}{}
	s.mu.Unlock()

	watchDone := make(chan struct{})
	go s.watch(sess, con, in, winch, watchDone)
	alignFrames()
	final, err := con.p.Run()
	close(watchDone)
	// A console the connection dropped under (or the server closed) may hold typing not yet
	// saved; the program is over, so its model is ours to save from.
	tui.FlushFinal(final)

	s.mu.Lock()
	delete(s.consoles, con)
	s.mu.Unlock()
	why := con.why()
	shuttingDown = why == endShutdown
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		s.log.Error("console failed", "actor", id.actor.Name, "err", err)
	} else if errors.Is(err, tea.ErrProgramPanic) {
		s.log.Error("console panicked", "actor", id.actor.Name, "err", err)
	}
	switch why {
	case endShutdown:
		fmt.Fprintln(sess.Stderr(), "beacon: the server is shutting down; reconnect in a moment")
	case endIdle:
		fmt.Fprintf(sess.Stderr(), "beacon: closed after %s without a keypress\n", s.cfg.IdleTimeout)
	case endFlood:
		fmt.Fprintln(sess.Stderr(), "beacon: closed: more input than anyone types (paste long text with your terminal's paste, which Beacon takes whole)")
	}
	_ = sess.Exit(0)
}

// watch forwards window size changes to the console and ends it when the session's channel or
// its connection closes, or nobody typed for the idle timeout. It uses a timer, not a ticker:
// an idle session costs nothing here.
func (s *Server) watch(sess ssh.Session, con *console, in *input, winch <-chan ssh.Window, done <-chan struct{}) {
	var timer *time.Timer
	var idle <-chan time.Time
	if s.cfg.IdleTimeout > 0 {
		timer = time.NewTimer(s.cfg.IdleTimeout)
		defer timer.Stop()
		idle = timer.C
	}
	for {
		select {
		case <-done:
			return
		case <-sess.Context().Done():
			con.p.Kill()
			return
		case w, ok := <-winch:
			if !ok { // the client closed the session's channel
				con.p.Kill()
				return
			}
			con.p.Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
		case <-in.flooded:
			s.log.Warn("closed: input flood", "remote", sess.RemoteAddr().String())
			con.stop(endFlood)
			return
		case <-idle:
			if since := in.idleFor(time.Now()); since < s.cfg.IdleTimeout {
				timer.Reset(s.cfg.IdleTimeout - since)
				continue
			}
			s.log.Info("idle timeout", "remote", sess.RemoteAddr().String())
			con.stop(endIdle)
			return
		}
	}
}

// runGlance writes the plain-text glance, as `beacon status` prints it, and exits 0: for
// `ssh -T host` and `ssh host status`. It is coloured only when the session has a terminal.
func (s *Server) runGlance(sess ssh.Session, id identity, cmd []string) {
	opts := glance.Options{}
	for _, a := range cmd[min(1, len(cmd)):] {
		if a != "--all" {
			refuse(sess, 2, "status takes only --all, got %q", a)
			return
		}
		opts.All = true
	}
	pty, _, hasPty := sess.Pty()
	r := lipgloss.NewRenderer(sess, termenv.WithProfile(termenv.Ascii))
	if hasPty {
		r = s.renderer(sess, pty.Term, nil)
	}
	d, err := s.reader(id).Dashboard(sess.Context())
	if err != nil {
		s.log.Error("glance failed", "err", err)
		refuse(sess, 1, "cannot read the status: %v", err)
		return
	}
	if _, err := io.WriteString(sess, glance.Text(d, theme.New(r), opts)); err != nil {
		return
	}
	_ = sess.Exit(0)
}

// reader is what a session reads through: the server's shared snapshots, narrowed to what the
// public sees for an anonymous viewer.
func (s *Server) reader(id identity) store.Reader {
	if id.anonymous {
		return store.PublicOnly(s.shared)
	}
	return s.shared
}

// renderer builds the session's own lipgloss renderer: colours for the client's terminal (its
// TERM and COLORTERM), and its light or dark background when in is given and the terminal
// answers the question. A missing or dumb terminal, or NO_COLOR sent by the client, gets no
// colour.
func (s *Server) renderer(sess ssh.Session, term string, in *input) *lipgloss.Renderer {
	env := environ(append(sess.Environ(), "TERM="+term))
	if term == "" || term == "dumb" || env.Getenv("NO_COLOR") != "" {
		return lipgloss.NewRenderer(sess, termenv.WithProfile(termenv.Ascii))
	}
	r := lipgloss.NewRenderer(sess, termenv.WithEnvironment(env), termenv.WithUnsafe(), termenv.WithColorCache(true))
	if dark, known, _ := theme.KnownBackground("", env.Getenv); known {
		r.SetHasDarkBackground(dark) // the client sent BEACON_THEME or COLORFGBG: no need to ask
	} else if in != nil {
		if dark, ok := in.queryBackground(sess, s.queryTimeout); ok {
			r.SetHasDarkBackground(dark)
		}
	}
	return r
}

// environ is a session's environment as termenv reads it.
type environ []string

func (e environ) Environ() []string { return e }

func (e environ) Getenv(key string) string {
	for i := len(e) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(e[i], key+"="); ok {
			return v
		}
	}
	return ""
}
