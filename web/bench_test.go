package web

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"beacon/demo"
	"beacon/store"
)

// The scale database is the store benchmarks' one (same name, same generator), built here
// when missing: $TMPDIR/beacon-bench-scale-v<schema>-1000c-100000i.db.
var (
	scaleOnce sync.Once
	scalePath string
	scaleErr  error
)

func scaleStore(b *testing.B) *store.Store {
	b.Helper()
	scaleOnce.Do(func() {
		sc := demo.FullScale
		scalePath = filepath.Join(os.TempDir(), fmt.Sprintf("beacon-bench-scale-v%d-%dc-%di.db", store.SchemaVersion(), sc.Components, sc.Incidents))
		if _, err := os.Stat(scalePath); err == nil {
			return
		}
		dir, err := os.MkdirTemp(os.TempDir(), "beacon-web-scale-")
		if err != nil {
			scaleErr = err
			return
		}
		defer os.RemoveAll(dir)
		tmp := filepath.Join(dir, "scale.db")
		st, err := store.Open(context.Background(), tmp)
		if err != nil {
			scaleErr = err
			return
		}
		err = demo.FillScale(context.Background(), st, store.Actor{Name: "bench"}, time.Now(), sc, nil)
		if cerr := st.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(tmp, scalePath)
		}
		scaleErr = err
	})
	if scaleErr != nil {
		b.Fatal(scaleErr)
	}
	st, err := store.Open(context.Background(), scalePath)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

// BenchmarkFirstRender renders a resource on the scale data with no earlier rendering of the
// same data to share: what the first reader after a change waits for. Uptime records are
// counted once an hour and kept; index-hour is the first page of an hour, which counts them.
// Target: 50 ms for / and summary.json.
func BenchmarkFirstRender(b *testing.B) {
	st := scaleStore(b)
	site, err := New(st, nil, Config{BaseURL: "https://status.example.com"})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for _, r := range []struct{ name, path string }{
		{"index", "/"}, {"index-hour", "/"}, {"summary", "/api/v2/summary.json"}, {"history", "/history"},
		{"atom", "/history.atom"}, {"incident", site.incidentPath(50000)},
	} {
		path := r.path
		b.Run(r.name, func(b *testing.B) {
			var times []time.Duration
			if _, err := site.newView(time.Now()).render(ctx, "/"); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if r.name == "index-hour" {
					site.uptimeCache.clock = time.Time{}
				}
				start := time.Now()
				resp, err := site.newView(time.Now()).render(ctx, path)
				if err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(start))
				if len(resp.Body) == 0 {
					b.Fatal("empty")
				}
			}
			sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "ms-median")
			b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "ms-p95")
		})
	}
}

// BenchmarkExport writes the whole site of the scale data: fresh, into a directory that does
// not exist, and again, over the previous export of the same data, whose unchanged pages it
// links. Target: 5 s.
func BenchmarkExport(b *testing.B) {
	st := scaleStore(b)
	site, err := New(st, nil, Config{BaseURL: "https://status.example.com"})
	if err != nil {
		b.Fatal(err)
	}
	for _, again := range []bool{false, true} {
		name := "fresh"
		if again {
			name = "again"
		}
		b.Run(name, func(b *testing.B) {
			dir := filepath.Join(b.TempDir(), "site")
			if again {
				if _, err := site.Export(context.Background(), dir, time.Now()); err != nil {
					b.Fatal(err)
				}
			}
			var stats ExportStats
			for b.Loop() {
				if !again {
					b.StopTimer()
					if err := os.RemoveAll(dir); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
				}
				if stats, err = site.Export(context.Background(), dir, time.Now()); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(stats.Files), "files")
			b.ReportMetric(float64(stats.Reused), "reused")
			b.ReportMetric(float64(stats.Bytes)/1e6, "MB")
		})
	}
}
