package sshd

import (
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/charmbracelet/log"
	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// Defaults for connections that have not started a session yet.
const (
	DefaultLoginGrace        = 20 * time.Second // to authenticate and open a session
	DefaultMaxPending        = 100              // such connections at once, in all
	DefaultMaxPendingPerAddr = 10               // such connections at once, from one address
)

// gate bounds the connections that have not yet started a session, which cost the server
// without anyone being known: each gets a grace period to authenticate and open a session and
// is closed when it runs out, and only so many may wait at once from one address and in all;
// more are closed as they arrive. Sessions themselves are bounded elsewhere (MaxSessions, the
// idle timeout), so a quiet console is never cut by these bounds.
type gate struct {
	grace            time.Duration
	maxAll, maxAddrs int
	log              *log.Logger

	mu                 sync.Mutex
	total              int
	perAddr            map[netip.Addr]int
	refusals, expiries logThrottle // each kind of warning is let through once in a while
}

type pendingKey struct{}

func newGate(grace time.Duration, maxAll, maxPerAddr int, logger *log.Logger) *gate {
	return &gate{grace: grace, maxAll: maxAll, maxAddrs: maxPerAddr, log: logger, perAddr: map[netip.Addr]int{}}
}

// admit is the server's ConnCallback: it lets c wait for its session, or closes it (nil) when
// its address, or the server, has too many waiting already.
func (g *gate) admit(ctx ssh.Context, c net.Conn) net.Conn {
	ip, _ := remoteIP(c.RemoteAddr())
	g.mu.Lock()
	if g.total >= g.maxAll || g.perAddr[ip] >= g.maxAddrs {
		total, fromIP := g.total, g.perAddr[ip]
		g.mu.Unlock()
		if n, ok := g.refusals.allow(time.Now()); ok {
			g.log.Warn("refused: too many connections without a session", "remote", ip.String(),
				"from-address", fromIP, "all", total, "refused-since-last-said", n)
		}
		return nil
	}
	g.total++
	g.perAddr[ip]++
	g.mu.Unlock()

	p := &pendingConn{Conn: c, gate: g, ip: ip}
	p.timer = time.AfterFunc(g.grace, func() {
		if p.release() {
			if n, ok := g.expiries.allow(time.Now()); ok {
				g.log.Warn("closed: no session within the login grace", "remote", ip.String(), "grace", g.grace, "closed-since-last-said", n)
			}
			_ = c.Close()
		}
	})
	ctx.SetValue(pendingKey{}, p)
	return p
}

// sessionStarted marks the connection behind ctx as having a session: it no longer counts as
// waiting, and its grace period no longer applies.
func (g *gate) sessionStarted(ctx ssh.Context) {
	if p, ok := ctx.Value(pendingKey{}).(*pendingConn); ok {
		p.release()
	}
}

// sessionHandler is the server's handler for session channels: the default one, after marking
// the connection as having a session.
func (g *gate) sessionHandler(srv *ssh.Server, conn *gossh.ServerConn, ch gossh.NewChannel, ctx ssh.Context) {
	g.sessionStarted(ctx)
	ssh.DefaultSessionHandler(srv, conn, ch, ctx)
}

// pending is how many connections wait for a session, in all.
func (g *gate) pending() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.total
}

// pendingConn is a connection counted by its gate until it starts a session or closes.
type pendingConn struct {
	net.Conn
	gate  *gate
	ip    netip.Addr
	timer *time.Timer
	once  sync.Once
}

// release stops counting the connection; it reports whether it was still counted.
func (p *pendingConn) release() (was bool) {
	p.once.Do(func() {
		was = true
		if p.timer != nil {
			p.timer.Stop()
		}
		g := p.gate
		g.mu.Lock()
		g.total--
		if g.perAddr[p.ip]--; g.perAddr[p.ip] <= 0 {
			delete(g.perAddr, p.ip)
		}
		g.mu.Unlock()
	})
	return was
}

func (p *pendingConn) Close() error {
	p.release()
	return p.Conn.Close()
}

// logThrottle lets a flood of the same warning through once every logEvery, counting the rest.
type logThrottle struct {
	mu         sync.Mutex
	last       time.Time
	suppressed int
}

const logEvery = 10 * time.Second

// allow reports whether to log now, and how many were held back since the last one logged.
func (l *logThrottle) allow(now time.Time) (held int, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.last.IsZero() && now.Sub(l.last) < logEvery {
		l.suppressed++
		return 0, false
	}
	held, l.suppressed, l.last = l.suppressed, 0, now
	return held, true
}
