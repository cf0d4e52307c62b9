package sshd

import (
	"net"
	"testing"
	"time"
)

func TestRateLimiter(t *testing.T) {
	now := time.Unix(1000, 0)
	l := newRateLimiter(2, 3, func() time.Time { return now })
	a := &net.TCPAddr{IP: net.ParseIP("192.0.2.1"), Port: 1111}
	aOtherPort := &net.TCPAddr{IP: net.ParseIP("192.0.2.1"), Port: 2222}
	b := &net.TCPAddr{IP: net.ParseIP("192.0.2.2"), Port: 1111}
	steps := []struct {
		advance time.Duration
		addr    net.Addr
		want    bool
	}{
		{0, a, true}, {0, a, true}, {0, aOtherPort, true}, // the burst of 3, across ports
		{0, a, false},                     // exhausted
		{0, b, true},                      // another address has its own bucket
		{500 * time.Millisecond, a, true}, // one more after half a second at 2/s
		{0, a, false},
		{time.Hour, a, true}, {0, a, true}, {0, a, true}, {0, a, false}, // refilled to the burst, no more
	}
	for i, s := range steps {
		now = now.Add(s.advance)
		if got := l.allow(s.addr); got != s.want {
			t.Fatalf("step %d (%s): allowed %v, want %v", i, s.addr, got, s.want)
		}
	}
}

func TestRateLimiterForgetsRefilledAddresses(t *testing.T) {
	now := time.Unix(1000, 0)
	l := newRateLimiter(1, 1, func() time.Time { return now })
	for i := range maxTrackedAddrs {
		l.allow(&net.TCPAddr{IP: net.IPv4(10, byte(i>>16), byte(i>>8), byte(i))})
	}
	now = now.Add(time.Minute)
	l.allow(&net.TCPAddr{IP: net.ParseIP("192.0.2.9")})
	if len(l.addrs) != 1 {
		t.Fatalf("tracking %d addresses after the others refilled", len(l.addrs))
	}
}
