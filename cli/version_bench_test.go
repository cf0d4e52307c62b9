package cli_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkVersionProcess times `beacon --version` as a whole process (start, every package's
// initialisation, print, exit) beside a Go hello-world binary built here the same way, and
// reports the median of each and their ratio: what any start of beacon costs before it reads
// a byte. Run with e.g. -benchtime 200x.
func BenchmarkVersionProcess(b *testing.B) {
	dir := b.TempDir()
	src := filepath.Join(dir, "main.go")
	if err := os.WriteFile(src, []byte("package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello\") }\n"), 0o600); err != nil {
		b.Fatal(err)
	}
	hello := filepath.Join(dir, "hello")
	build := exec.Command("go", "build", "-o", hello, src)
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GO111MODULE=off")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("build hello: %v\n%s", err, out)
	}
	var beaconTimes, helloTimes []time.Duration
	for b.Loop() {
		beaconTimes = append(beaconTimes, timeProcess(b, beaconBin, "--version"))
		helloTimes = append(helloTimes, timeProcess(b, hello))
	}
	bm, hm := median(beaconTimes), median(helloTimes)
	b.ReportMetric(ms(bm), "beacon-median-ms")
	b.ReportMetric(ms(hm), "hello-median-ms")
	b.ReportMetric(float64(bm)/float64(hm), "beacon/hello")
}
