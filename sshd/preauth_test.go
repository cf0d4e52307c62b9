package sshd

import (
	"errors"
	"io"
	"net"
	"testing"
	"time"
)

// dialFrom opens a TCP connection to addr from the loopback address local (127.0.0.x).
func dialFrom(t *testing.T, local, addr string) net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}, Timeout: 5 * time.Second}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// closedByServer reports whether the server closed c (a read ends) within d.
func closedByServer(c net.Conn, d time.Duration) bool {
	_ = c.SetReadDeadline(time.Now().Add(d))
	_, err := io.Copy(io.Discard, c) // the server's version line, then its close
	var ne net.Error
	return err == nil || !(errors.As(err, &ne) && ne.Timeout())
}

// TestPendingConnectionsAreBounded: connections that never start a session are capped per
// address and in all, and closed after the login grace; a client that authenticates and opens
// a session is not affected by them.
func TestPendingConnectionsAreBounded(t *testing.T) {
	e := newEnv(t, withStandIn, func(c *Config) {
		c.LoginGrace, c.MaxPending, c.MaxPendingPerAddr = 2*time.Second, 6, 3
		c.Public, c.IdleTimeout = true, -1
	})
	// Three from 127.0.0.2 wait; a fourth is closed at once.
	var waiting []net.Conn
	for range 3 {
		waiting = append(waiting, dialFrom(t, "127.0.0.2", e.addr))
	}
	if !poll(5*time.Second, func() bool { return e.srv.gate.pending() == 3 }) {
		t.Fatalf("%d connections wait, want 3", e.srv.gate.pending())
	}
	if !closedByServer(dialFrom(t, "127.0.0.2", e.addr), 5*time.Second) {
		t.Fatal("a fourth silent connection from one address was kept")
	}
	// Three more from 127.0.0.3 fill the server; one from 127.0.0.4 is then closed at once.
	for range 3 {
		waiting = append(waiting, dialFrom(t, "127.0.0.3", e.addr))
	}
	if !poll(5*time.Second, func() bool { return e.srv.gate.pending() == 6 }) {
		t.Fatalf("%d connections wait, want 6", e.srv.gate.pending())
	}
	if !closedByServer(dialFrom(t, "127.0.0.4", e.addr), 5*time.Second) {
		t.Fatal("a silent connection beyond the server's cap was kept")
	}
	// The grace runs out for every one of them.
	for i, c := range waiting {
		if !closedByServer(c, 15*time.Second) {
			t.Fatalf("silent connection %d still open well after the login grace", i)
		}
	}
	if !poll(5*time.Second, func() bool { return e.srv.gate.pending() == 0 }) {
		t.Fatalf("%d connections still counted", e.srv.gate.pending())
	}
	// A session outlives the grace: it is bounded by the idle timeout (here none), not by it.
	tm := e.openTerminal(e.responder, 80, 24)
	tm.waitFor("stand-in for "+responderName, 3*time.Second)
	if e.srv.gate.pending() != 0 {
		t.Errorf("a connection with a session is counted as waiting")
	}
	time.Sleep(3 * time.Second) // longer than the grace: the session must still be there
	tm.press("x", "writes 1")
}

func TestLogThrottle(t *testing.T) {
	var l logThrottle
	now := time.Now()
	if _, ok := l.allow(now); !ok {
		t.Fatal("the first warning is held back")
	}
	for i := range 5 {
		if _, ok := l.allow(now.Add(time.Duration(i) * time.Second)); ok {
			t.Fatal("a warning within the period is let through")
		}
	}
	if held, ok := l.allow(now.Add(logEvery)); !ok || held != 5 {
		t.Fatalf("after the period: %d held, %v; want 5, true", held, ok)
	}
}

// TestE2ESilentConnectionsLockNobodyOut: with the real binary on a public server without an
// idle timeout, fifty connections that never speak SSH from one address neither stay open past
// the login grace nor keep a responder on another address out.
func TestE2ESilentConnectionsLockNobodyOut(t *testing.T) {
	e := startE2E(t, "--public", "--idle-timeout", "0", "--login-grace", "2s")
	addr := "127.0.0.1:" + e.port
	var silent []net.Conn
	for range 50 {
		silent = append(silent, dialFrom(t, "127.0.0.2", addr))
	}
	if out, stderr, code := e.sshWith("ada", []string{"-l", KeyUser}, "status"); code != 0 {
		t.Fatalf("a responder while fifty silent connections are open: exit %d\n%s%s", code, out, stderr)
	}
	for i, c := range silent {
		if !closedByServer(c, 20*time.Second) {
			t.Fatalf("silent connection %d still open well after the 2 s login grace", i)
		}
	}
	e.waitLog("refused: too many connections without a session", 1)
	e.waitLog("closed: no session within the login grace", 1)
}
