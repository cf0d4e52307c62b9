package sshd

import (
	"net"
	"sync"
	"time"
)

// maxTrackedAddrs bounds the rate limiter's memory: past it, addresses whose bucket has
// refilled are forgotten (they would be allowed anyway).
const maxTrackedAddrs = 4096

// rateLimiter gives each source address a bucket of new sessions: a burst, refilled at a
// steady rate. It is safe for concurrent use.
type rateLimiter struct {
	rate  float64 // sessions a second
	burst float64
	now   func() time.Time

	mu    sync.Mutex
	addrs map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newRateLimiter(perSecond float64, burst int, now func() time.Time) *rateLimiter {
	return &rateLimiter{rate: perSecond, burst: float64(max(burst, 1)), now: now, addrs: map[string]*bucket{}}
}

// allow takes one session from addr's bucket, reporting whether there was one.
func (l *rateLimiter) allow(addr net.Addr) bool {
	key := addr.String()
	if tcp, ok := addr.(*net.TCPAddr); ok {
		key = tcp.IP.String()
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.addrs[key]
	if !ok {
		if len(l.addrs) >= maxTrackedAddrs {
			l.pruneLocked(now)
		}
		b = &bucket{tokens: l.burst, at: now}
		l.addrs[key] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.at).Seconds()*l.rate)
	b.at = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

func (l *rateLimiter) pruneLocked(now time.Time) {
	for k, b := range l.addrs {
		if b.tokens+now.Sub(b.at).Seconds()*l.rate >= l.burst {
			delete(l.addrs, k)
		}
	}
}
