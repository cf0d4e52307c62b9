package cli_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"beacon/demo"
	"beacon/store"
)

// statusSQL is what `beacon status --json` reads, as plain SELECTs for the sqlite3 tool:
// groups, components joined with their groups, the unresolved incidents, their impacts, and
// their timelines with each update's impact changes.
const statusSQL = `
SELECT id, name, position, collapse FROM groups ORDER BY position, id;
SELECT c.id, c.name, c.description, c.link, coalesce(c.group_id, 0), coalesce(g.name, ''), c.position, c.enabled,
       c.status, c.effective_status, c.updated_at
  FROM components c LEFT JOIN groups g ON g.id = c.group_id
 ORDER BY g.position IS NULL, g.position, g.id, c.position, c.id;
SELECT id, title, status, visibility, pinned, occurred_at, created_at, updated_at, coalesce(resolved_at, 0)
  FROM incidents WHERE resolved_at IS NULL ORDER BY pinned DESC, id DESC;
SELECT m.incident_id, m.component_id, c.name, m.status
  FROM impacts m JOIN components c ON c.id = m.component_id
 WHERE m.incident_id IN (SELECT id FROM incidents WHERE resolved_at IS NULL) ORDER BY c.name;
SELECT u.id, u.incident_id, u.status, u.message, u.author, u.created_at,
       coalesce(ch.component_id, 0), coalesce(c.name, ''), coalesce(ch.old_status, ''), coalesce(ch.new_status, '')
  FROM updates u LEFT JOIN update_impacts ch ON ch.update_id = u.id LEFT JOIN components c ON c.id = ch.component_id
 WHERE u.incident_id IN (SELECT id FROM incidents WHERE resolved_at IS NULL) ORDER BY u.incident_id, u.id DESC, c.name;
`

// BenchmarkStatusJSONProcess times `beacon --db SCALE status --json` as a whole process (start,
// open, read, print) on the full scale database, and the same reads done by the sqlite3 tool,
// and reports the median of each and their ratio. The database is built once (about a
// minute) and kept under os.TempDir for later runs. Run with e.g. -benchtime 50x.
func BenchmarkStatusJSONProcess(b *testing.B) {
	path := scaleDB(b)
	var doc struct {
		Components []json.RawMessage `json:"components"`
		Incidents  []json.RawMessage `json:"incidents"`
	}
	out, err := exec.Command(beaconBin, "--db", path, "status", "--json").Output()
	if err != nil || json.Unmarshal(out, &doc) != nil || len(doc.Components) != demo.FullScale.Components || len(doc.Incidents) != demo.FullScale.Unresolved {
		b.Fatalf("status --json on the scale database: %v, %d components, %d incidents", err, len(doc.Components), len(doc.Incidents))
	}
	sqlite3, err := exec.LookPath("sqlite3")
	if err != nil {
		b.Log("no sqlite3 tool; timing beacon alone")
	}

	var beaconTimes, sqliteTimes []time.Duration
	for b.Loop() {
		beaconTimes = append(beaconTimes, timeProcess(b, beaconBin, "--db", path, "status", "--json"))
		if sqlite3 != "" {
			sqliteTimes = append(sqliteTimes, timeProcess(b, sqlite3, "-readonly", "-json", path, statusSQL))
		}
	}
	beaconMedian := median(beaconTimes)
	b.ReportMetric(ms(beaconMedian), "beacon-median-ms")
	if sqlite3 != "" {
		sqliteMedian := median(sqliteTimes)
		b.ReportMetric(ms(sqliteMedian), "sqlite3-median-ms")
		b.ReportMetric(float64(beaconMedian)/float64(sqliteMedian), "beacon/sqlite3")
	}
}

func timeProcess(b *testing.B, name string, args ...string) time.Duration {
	cmd := exec.Command(name, args...)
	cmd.Stdout = io.Discard
	start := time.Now()
	if err := cmd.Run(); err != nil {
		b.Fatalf("%s: %v", name, err)
	}
	return time.Since(start)
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// scaleDB returns the shared full-scale database, building it when no complete one exists.
// It is the file store's benchmarks use too: one per schema version and scale.
func scaleDB(b *testing.B) string {
	b.Helper()
	sc := demo.FullScale
	path := filepath.Join(os.TempDir(), fmt.Sprintf("beacon-bench-scale-v%d-%dc-%di.db", store.SchemaVersion(), sc.Components, sc.Incidents))
	if scaleComplete(path) == nil {
		return path
	}
	b.Logf("building the scale database at %s (about a minute)", path)
	f, err := os.CreateTemp(filepath.Dir(path), "beacon-bench-build-*.db")
	if err != nil {
		b.Fatal(err)
	}
	tmp := f.Name()
	f.Close()
	defer os.Remove(tmp)
	st, err := store.Open(context.Background(), tmp)
	if err != nil {
		b.Fatal(err)
	}
	err = demo.FillScale(context.Background(), st, store.Actor{Name: "bench"}, time.Now(), sc, nil)
	if err = errors.Join(err, st.Close()); err != nil {
		b.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		os.Remove(p)
	}
	if err := os.Link(tmp, path); err != nil && !errors.Is(err, fs.ErrExist) {
		b.Fatal(err)
	}
	if err := scaleComplete(path); err != nil {
		b.Fatal(err)
	}
	return path
}

// scaleComplete checks that path holds the whole scale data set.
func scaleComplete(path string) error {
	if _, err := os.Stat(path); err != nil {
		return err
	}
	ctx := context.Background()
	st, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	defer st.Close()
	d, err := st.Dashboard(ctx)
	if err != nil {
		return err
	}
	page, err := st.ResolvedIncidents(ctx, store.IncidentQuery{Limit: 1})
	if err != nil {
		return err
	}
	sc := demo.FullScale
	if len(d.Components) != sc.Components || len(d.Unresolved) != sc.Unresolved || len(page) != 1 || page[0].ID != int64(sc.Incidents-sc.Unresolved) {
		return fmt.Errorf("%s does not hold the full scale data set", path)
	}
	return nil
}

// BenchmarkUptimeJSONProcess times `beacon uptime --json` (all 1,000 components over 90 days)
// and `beacon status --json` as whole processes on the full scale database, alternately in
// one run, and reports the median of each and their ratio (the target is at most 2).
func BenchmarkUptimeJSONProcess(b *testing.B) {
	path := scaleDB(b)
	var doc struct {
		Components []struct {
			Days []json.RawMessage `json:"days"`
		} `json:"components"`
	}
	out, err := exec.Command(beaconBin, "--db", path, "uptime", "--json").Output()
	if err != nil || json.Unmarshal(out, &doc) != nil || len(doc.Components) != demo.FullScale.Components || len(doc.Components[0].Days) != 90 {
		b.Fatalf("uptime --json on the scale database: %v, %d components", err, len(doc.Components))
	}
	var uptimeTimes, statusTimes []time.Duration
	for b.Loop() {
		uptimeTimes = append(uptimeTimes, timeProcess(b, beaconBin, "--db", path, "uptime", "--json"))
		statusTimes = append(statusTimes, timeProcess(b, beaconBin, "--db", path, "status", "--json"))
	}
	u, s := median(uptimeTimes), median(statusTimes)
	b.ReportMetric(ms(u), "uptime-median-ms")
	b.ReportMetric(ms(s), "status-median-ms")
	b.ReportMetric(float64(u)/float64(s), "uptime/status")
}
