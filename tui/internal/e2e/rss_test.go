package e2e

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"beacon/tui/internal/fixture"
)

// BenchmarkConsoleOnScale runs plain `beacon` (the console) in tmux on the full scale database
// (1,000 components, 100,000 incidents; built once and kept under the temporary directory) and
// reports the time from start to the first complete frame (tmux's own start, about 60–80 ms
// here, included) and the process's resident memory
// after a tour: components, the incident list paged through, the 1,000-update incident opened
// and scrolled to its end. It measures once, whatever b.N.
func BenchmarkConsoleOnScale(b *testing.B) {
	var first time.Duration
	var rss, peak float64
	b.Run("tour", func(b *testing.B) {
		if first == 0 { // the framework calls this more than once; the tour runs once
			first, rss, peak = tour(b)
		}
		b.ReportMetric(float64(first.Milliseconds()), "first-frame-ms")
		b.ReportMetric(rss, "rss-MB")
		b.ReportMetric(peak, "peak-rss-MB")
		for range b.N {
		}
	})
}

func tour(b *testing.B) (first time.Duration, rss, peak float64) {
	db := fixture.ScaleDB(b)
	began := time.Now()
	tm := run(b, 100, 30, console(db, "e2e"))
	tm.waitText(30*time.Second, "[1 Components]", "open incidents", "Operational")
	first = time.Since(began)
	pid := tm.pid()
	tm.press("2")
	tm.waitText(5*time.Second, "[2 Incidents]", "unresolved")
	tm.waitFor("a few pages of incidents", 10*time.Second, func(s string) bool {
		m := listed.FindStringSubmatch(s)
		n := 0
		if m != nil {
			n, _ = strconv.Atoi(m[1])
		}
		tm.press("G") // to the end of what is read, which reads the next page
		return n >= 500
	})
	tm.press("g", "Enter")
	tm.waitText(10*time.Second, fixture.LongTitle, "update 1 of 1000")
	tm.press("G")
	tm.waitText(10*time.Second, "First report.")
	rss, peak = memory(b, pid)
	tm.press("q")
	tm.gone(5 * time.Second)
	return first, rss, peak
}

// listed finds how many incidents the list holds, in its summary line.
var listed = regexp.MustCompile(`unresolved · \d+/(\d+)`)

// memory reads a process's resident and peak resident memory in MB.
func memory(tb testing.TB, pid string) (rss, peak float64) {
	tb.Helper()
	data, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		tb.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "VmRSS:":
			rss = kb / 1024
		case "VmHWM:":
			peak = kb / 1024
		}
	}
	return rss, peak
}
