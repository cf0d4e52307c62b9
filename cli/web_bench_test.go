package cli_test

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkSiteVsNginx measures `beacon serve --http` against nginx serving `beacon export`
// of the same scale data, side by side: wrk with 100 connections on / and on
// /api/v2/summary.json, plain (wrk asks for no compression) and with Accept-Encoding: gzip as
// every browser sends it (Beacon sends its compressed copy; nginx the .gz file the export
// wrote beside the page, gzip_static), each server in turn, Beacon first. It reports requests
// a second, the 99th-percentile latency, and the CPU time each server spent per request
// (user and system, from /proc), and how long the export took. Targets: Beacon at least half
// of nginx's throughput, p99 at most 10 ms. wrk runs with two threads (its default); the
// compressed routes are measured again with one, since wrk shares the machine's cores with
// the servers and its threads' share of them moves the tail. Needs wrk and nginx (Debian
// packages).
func BenchmarkSiteVsNginx(b *testing.B) {
	for _, tool := range []string{"wrk", "nginx"} {
		if _, err := exec.LookPath(tool); err != nil {
			b.Skipf("no %s on this machine: apt-get install wrk nginx", tool)
		}
	}
	dir := b.TempDir()
	src, err := os.ReadFile(scaleDB(b))
	if err != nil {
		b.Fatal(err)
	}
	d := &db{t: b, path: filepath.Join(dir, "scale.db")}
	if err := os.WriteFile(d.path, src, 0o600); err != nil {
		b.Fatal(err)
	}
	site := filepath.Join(dir, "site")
	start := time.Now()
	d.must("export", site)
	b.ReportMetric(time.Since(start).Seconds(), "s-export")

	beacon, beaconProc := serveSiteProcess(b, d)
	nginx, nginxMaster := startNginx(b, dir, site)
	paths := []string{"/", "/api/v2/summary.json"}
	// Warm both (the first request to Beacon renders), and check that both compress.
	for _, base := range []string{beacon, nginx} {
		for _, p := range paths {
			if out, err := exec.Command("wrk", "-t1", "-c1", "-d1s", base+p).CombinedOutput(); err != nil {
				b.Fatalf("wrk: %v\n%s", err, out)
			}
			req, _ := http.NewRequest("GET", base+p, nil)
			req.Header.Set("Accept-Encoding", "gzip")
			resp, err := http.DefaultTransport.RoundTrip(req)
			if err != nil {
				b.Fatal(err)
			}
			resp.Body.Close()
			if resp.Header.Get("Content-Encoding") != "gzip" {
				b.Fatalf("%s%s is not sent compressed to a reader that takes gzip", base, p)
			}
		}
	}
	b.Logf("load average before: %s", loadAverage())
	for range b.N {
		for _, p := range paths {
			name := strings.Trim(strings.ReplaceAll(p, "/", "_"), "_")
			if name == "" {
				name = "index"
			}
			for _, run := range []struct {
				gzip    bool
				threads int
			}{{false, 2}, {true, 2}, {true, 1}} {
				suffix := name
				if run.gzip {
					suffix += "-gzip"
				}
				if run.threads != 2 {
					suffix += fmt.Sprintf("-t%d", run.threads)
				}
				servers := []struct {
					name, base string
					pids       func() []int
				}{
					{"beacon", beacon, func() []int { return []int{beaconProc.Pid} }},
					{"nginx", nginx, func() []int { return childPIDs(nginxMaster) }},
				}
				for _, s := range servers {
					pids := s.pids()
					cpu := cpuTime(pids)
					rps, p99, n := runWrk(b, s.base+p, run.gzip, run.threads)
					b.ReportMetric(rps, fmt.Sprintf("req/s-%s-%s", s.name, suffix))
					b.ReportMetric(p99, fmt.Sprintf("ms-p99-%s-%s", s.name, suffix))
					b.ReportMetric(float64((cpuTime(pids)-cpu).Microseconds())/float64(n), fmt.Sprintf("us-cpu/req-%s-%s", s.name, suffix))
				}
			}
		}
	}
	b.Logf("load average after: %s", loadAverage())
}

// loadAverage is the system's, as uptime shows it.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}

// runWrk runs wrk with 100 connections for 10 s and gives requests a second, the p99 latency in
// milliseconds and how many requests were answered.
func runWrk(b *testing.B, url string, gzip bool, threads int) (rps, p99ms float64, n int) {
	b.Helper()
	args := []string{fmt.Sprintf("-t%d", threads), "-c100", "-d10s", "--latency"}
	if gzip {
		args = append(args, "-H", "Accept-Encoding: gzip")
	}
	out, err := exec.Command("wrk", append(args, url)...).CombinedOutput()
	if err != nil {
		b.Fatalf("wrk %s: %v\n%s", url, err, out)
	}
	if m := regexp.MustCompile(`Requests/sec:\s+([\d.]+)`).FindSubmatch(out); m != nil {
		rps, _ = strconv.ParseFloat(string(m[1]), 64)
	}
	if m := regexp.MustCompile(`\s99%\s+([\d.]+)(us|ms|s)`).FindSubmatch(out); m != nil {
		v, _ := strconv.ParseFloat(string(m[1]), 64)
		switch string(m[2]) {
		case "us":
			v /= 1000
		case "s":
			v *= 1000
		}
		p99ms = v
	}
	if m := regexp.MustCompile(`(\d+) requests in`).FindSubmatch(out); m != nil {
		n, _ = strconv.Atoi(string(m[1]))
	}
	if rps == 0 || n == 0 || strings.Contains(string(out), "Non-2xx") {
		b.Fatalf("wrk %s:\n%s", url, out)
	}
	b.Logf("%s (gzip %v, %d wrk threads): %.0f req/s, p99 %.2f ms", url, gzip, threads, rps, p99ms)
	return rps, p99ms, n
}

// cpuTime is the user and system CPU time the processes have used, from /proc.
func cpuTime(pids []int) time.Duration {
	var ticks int64
	for _, pid := range pids {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		// Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
		f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
		for _, v := range f[11:13] {
			t, _ := strconv.ParseInt(v, 10, 64)
			ticks += t
		}
	}
	return time.Duration(ticks) * time.Second / 100 // USER_HZ is 100 on Linux
}

// childPIDs are the processes p started: nginx's workers.
func childPIDs(p *os.Process) []int {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", p.Pid, p.Pid))
	var pids []int
	for _, f := range strings.Fields(string(b)) {
		if pid, err := strconv.Atoi(f); err == nil {
			pids = append(pids, pid)
		}
	}
	return pids
}

// startNginx serves root on a free loopback port the way the README shows, until the
// benchmark ends, and gives its address and master process.
func startNginx(b *testing.B, dir, root string) (string, *os.Process) {
	b.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	conf := filepath.Join(dir, "nginx.conf")
	err = os.WriteFile(conf, []byte(fmt.Sprintf(`daemon off;
user root;
worker_processes 2;
pid %[1]s/nginx.pid;
error_log %[1]s/nginx-error.log;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path %[1]s/nginx-body;
    proxy_temp_path %[1]s/nginx-proxy;
    fastcgi_temp_path %[1]s/nginx-fastcgi;
    uwsgi_temp_path %[1]s/nginx-uwsgi;
    scgi_temp_path %[1]s/nginx-scgi;
    server {
        listen %[2]s;
        root %[3]s;
        location / {
            try_files $uri $uri.html $uri/index.html =404;
            add_header Cache-Control "public, max-age=30" always;
            add_header Content-Security-Policy "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'" always;
            add_header X-Content-Type-Options nosniff always;
            add_header Referrer-Policy no-referrer always;
        }
        error_page 404 /404.html;
        gzip_static on;
        gzip on;
        gzip_types application/json application/atom+xml application/rss+xml image/svg+xml text/css text/javascript;
    }
}
`, dir, addr, root)), 0o644)
	if err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command("nginx", "-c", conf, "-p", dir)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return "http://" + addr, cmd.Process
		}
		if time.Now().After(deadline) {
			b.Fatal("nginx did not start")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
