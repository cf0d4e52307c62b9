package sshd

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"
)

// TestPerformance measures `beacon serve` with 100 concurrent console sessions from
// in-process SSH clients on loopback: connect to first frame, resident memory per session,
// idle CPU and how fast one change reaches every session. It takes about half a minute, so it
// runs only with BEACON_PERF=1:
//
//	BEACON_PERF=1 CGO_ENABLED=0 go test ./sshd -run TestPerformance -v
func TestPerformance(t *testing.T) {
	if os.Getenv("BEACON_PERF") == "" {
		t.Skip("set BEACON_PERF=1 to measure the server")
	}
	needTools(t)
	const sessions = 100
	e := &e2e{t: t, dir: t.TempDir()}
	e.db = filepath.Join(e.dir, "beacon.db")
	e.beacon("demo")
	key := newSigner(t)
	writeKeyFile(t, filepath.Join(e.dir, "authorized_keys"), keyLine(key, "Perf"))
	e.serve("--authorized-keys", filepath.Join(e.dir, "authorized_keys"), "--rate-limit", "1000", "--max-sessions", "200")
	addr := "127.0.0.1:" + e.port
	pid := e.proc.Process.Pid

	connect := func() (*terminal, *gossh.Client, time.Duration) {
		start := time.Now()
		client, err := gossh.Dial("tcp", addr, clientConfig("perf", key))
		if err != nil {
			t.Fatal(err)
		}
		sess, err := client.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		tm := startTerminal(t, sess, 100, 30)
		tm.waitFor("q quit", 5*time.Second) // the footer: the whole first frame is drawn
		return tm, client, time.Since(start)
	}

	// One session first, so the store's poller and the lazily built parts are counted in the
	// baseline rather than against the first of the hundred.
	warm, warmClient, _ := connect()
	warm.typeKeys("q")
	warm.wait(2 * time.Second)
	warmClient.Close()
	if !poll(2*time.Second, func() bool { return strings.Count(e.log.String(), "session end") == 1 }) {
		t.Fatal("the warm-up session did not end")
	}
	rssBefore := rss(t, pid)

	terms := make([]*terminal, sessions)
	clients := make([]*gossh.Client, sessions)
	firstFrame := make([]time.Duration, sessions)
	for i := range sessions {
		terms[i], clients[i], firstFrame[i] = connect()
	}
	defer func() {
		for _, c := range clients {
			c.Close()
		}
	}()
	// Let the sessions' first reloads (the poller sees their own subscribe-time reads) settle.
	settle(terms)
	rssAfter := rss(t, pid)

	cpuBefore, wallBefore := cpuTicks(t, pid), time.Now()
	time.Sleep(10 * time.Second)
	cpuAfter, wall := cpuTicks(t, pid), time.Since(wallBefore)
	idleCPU := float64(cpuAfter-cpuBefore) / ticksPerSecond / wall.Seconds()

	// One change, made in session 0: Website's own status to major outage.
	terms[0].press("j", "▌")
	terms[0].press("s", "Own status of Website")
	for range 5 {
		terms[0].press("j", "▌")
	}
	marks := make([]int, sessions)
	for i, tm := range terms {
		marks[i] = tm.out.Len()
	}
	start := time.Now()
	terms[0].typeKeys("\r")
	inSession := reachAll(t, terms[1:], marks[1:], "✖ Major outage", start)

	// One change from another process (`beacon component set`), seen through the poll.
	for i, tm := range terms {
		marks[i] = tm.out.Len()
	}
	start = time.Now()
	e.beacon("--actor", "cli", "component", "set", "CDN", "partial_outage")
	fromCLI := reachAll(t, terms, marks, "CDN", start)

	slices.Sort(firstFrame)
	report := fmt.Sprintf(`%d concurrent console sessions on loopback (in-process x/crypto clients, 100×30 xterm-256color):
  connect to first complete frame: median %s, p95 %s, max %s (limit 300ms)
  server RSS: %.1f MB before, %.1f MB with %d sessions: %.0f KB a session (limit 1024 KB)
  idle CPU with %d sessions over %s: %.2f%% of one core (limit 5%%)
  a change made in one session reached the other %d: all within %s, median %s (limit 500ms)
  a change made by another process reached all %d: all within %s, median %s (poll every 500ms)`,
		sessions, firstFrame[sessions/2].Round(time.Millisecond), firstFrame[sessions*95/100-1].Round(time.Millisecond), firstFrame[sessions-1].Round(time.Millisecond),
		float64(rssBefore)/1024, float64(rssAfter)/1024, sessions, float64(rssAfter-rssBefore)/sessions,
		sessions, wall.Round(time.Millisecond), idleCPU*100,
		sessions-1, inSession[len(inSession)-1].Round(time.Millisecond), inSession[len(inSession)/2].Round(time.Millisecond),
		sessions, fromCLI[len(fromCLI)-1].Round(time.Millisecond), fromCLI[len(fromCLI)/2].Round(time.Millisecond))
	t.Log("\n" + report)

	if p95 := firstFrame[sessions*95/100-1]; p95 > 300*time.Millisecond {
		t.Errorf("connect to first frame p95 %s > 300ms", p95)
	}
	if per := float64(rssAfter-rssBefore) / sessions; per > 1024 {
		t.Errorf("RSS grows %.0f KB a session > 1 MB", per)
	}
	if idleCPU > 0.05 {
		t.Errorf("idle CPU %.2f%% > 5%%", idleCPU*100)
	}
	if worst := inSession[len(inSession)-1]; worst > 500*time.Millisecond {
		t.Errorf("a change took %s to reach every session > 500ms", worst)
	}
}

// reachAll waits until every terminal drew want after its mark and returns the delays, sorted.
func reachAll(t *testing.T, terms []*terminal, marks []int, want string, start time.Time) []time.Duration {
	t.Helper()
	delays := make([]time.Duration, len(terms))
	var wg sync.WaitGroup
	for i, tm := range terms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			timeout := time.After(5 * time.Second)
			for !strings.Contains(ansi.Strip(tm.out.Since(marks[i])), want) {
				select {
				case <-tm.drawn:
				case <-timeout:
					delays[i] = time.Hour
					return
				}
			}
			delays[i] = time.Since(start)
		}()
	}
	wg.Wait()
	slices.Sort(delays)
	if delays[len(delays)-1] == time.Hour {
		t.Fatalf("some sessions never drew %q", want)
	}
	return delays
}

// settle waits until no terminal has received output for half a second.
func settle(terms []*terminal) {
	total := func() int {
		n := 0
		for _, tm := range terms {
			n += tm.out.Len()
		}
		return n
	}
	last, since := total(), time.Now()
	for time.Since(since) < 500*time.Millisecond {
		time.Sleep(50 * time.Millisecond)
		if n := total(); n != last {
			last, since = n, time.Now()
		}
	}
}

// rss is a process's resident memory in KB.
func rss(t *testing.T, pid int) int64 {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(data)) {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb
		}
	}
	t.Fatal("no VmRSS")
	return 0
}

// ticksPerSecond is the kernel's USER_HZ, 100 on Linux.
const ticksPerSecond = 100

// cpuTicks is a process's user plus system time, in clock ticks (/proc/PID/stat fields 14, 15).
func cpuTicks(t *testing.T, pid int) int64 {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Fatal(err)
	}
	// The command name (field 2) may hold spaces; the fields after its closing parenthesis
	// start at field 3.
	fields := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+1:]))
	utime, _ := strconv.ParseInt(fields[14-3], 10, 64)
	stime, _ := strconv.ParseInt(fields[15-3], 10, 64)
	return utime + stime
}
