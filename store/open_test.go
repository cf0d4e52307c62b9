package store_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"beacon/store"
)

// TestMain lets the test binary act as a separate writer process for the multi-process tests.
func TestMain(m *testing.M) {
	if role := os.Getenv("BEACON_TEST_WRITER"); role != "" {
		os.Exit(writerProcess(role))
	}
	os.Exit(m.Run())
}

// writerProcess opens BEACON_TEST_DB and opens incidents, printing each committed id.
// role "N" writes N incidents; "forever" writes until killed.
func writerProcess(role string) int {
	ctx := context.Background()
	st, err := store.Open(ctx, os.Getenv("BEACON_TEST_DB"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer st.Close()
	n, _ := strconv.Atoi(role)
	comp, err := st.ComponentByName(ctx, "api")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	who := store.Actor{Name: "proc" + os.Getenv("BEACON_TEST_ID")}
	for i := 0; role == "forever" || i < n; i++ {
		inc, err := st.OpenIncident(ctx, who, store.NewIncident{
			Title:   fmt.Sprintf("%s #%d", who.Name, i),
			Message: strings.Repeat("x", 500),
			Impacts: []store.SetImpact{{ComponentID: comp.ID, Status: store.PerformanceIssues}},
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		if _, err := st.PostUpdate(ctx, who, inc.ID, store.NewUpdate{Status: store.Fixed, Message: "ok"}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Printf("committed %d\n", inc.ID)
	}
	return 0
}

func writerCmd(t *testing.T, path, role string, id int) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "BEACON_TEST_WRITER="+role, "BEACON_TEST_DB="+path, "BEACON_TEST_ID="+strconv.Itoa(id))
	return cmd
}

func TestOpenCreatesPrivateFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "beacon")
	path := filepath.Join(dir, "beacon.db")
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	for p, want := range map[string]os.FileMode{dir: 0o700, path: 0o600} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s mode = %o, want %o", p, got, want)
		}
	}
}

func TestMigrations(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "beacon.db")
	for i := 0; i < 3; i++ { // fresh, then repeated opens
		st, err := store.Open(ctx, path)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		if i == 0 {
			addComponent(t, st, "api")
		}
		if c, err := st.ComponentByName(ctx, "api"); err != nil || c.Name != "api" {
			t.Fatalf("open %d lost data: %v", i, err)
		}
		st.Close()
	}
	if got := userVersion(t, path); got != store.SchemaVersion() {
		t.Errorf("user_version = %d, want %d", got, store.SchemaVersion())
	}
}

func TestNewerDatabaseRefusedUntouched(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "beacon.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	addComponent(t, st, "api")
	st.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	// Leave the file in rollback-journal mode, as a future Beacon might, so that any write
	// (even switching to WAL) would show in the checksum.
	for _, q := range []string{"PRAGMA journal_mode=DELETE", fmt.Sprintf("PRAGMA user_version=%d", store.SchemaVersion()+1)} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	before := checksum(t, path)
	_, err = store.Open(ctx, path)
	if err == nil || !strings.Contains(err.Error(), "newer Beacon") {
		t.Fatalf("open of a newer database: %v", err)
	}
	if after := checksum(t, path); after != before {
		t.Error("refusing a newer database changed the file")
	}
	if _, err := os.Stat(path + "-wal"); err == nil {
		t.Error("refusing a newer database created a WAL file")
	}
}

func TestNotADatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(path, []byte(strings.Repeat("hello, this is not sqlite\n", 200)), 0o600); err != nil {
		t.Fatal(err)
	}
	before := checksum(t, path)
	if _, err := store.Open(context.Background(), path); err == nil || !strings.Contains(err.Error(), "not a Beacon database") {
		t.Fatalf("err = %v", err)
	}
	if checksum(t, path) != before {
		t.Error("file changed")
	}
}

func TestOtherSQLiteFileRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "places.sqlite")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE moz_places (url TEXT)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before := checksum(t, path)
	if _, err := store.Open(context.Background(), path); err == nil || !strings.Contains(err.Error(), "not a Beacon database") {
		t.Fatalf("err = %v", err)
	}
	if checksum(t, path) != before {
		t.Error("refusing another program's database changed it")
	}
}

func userVersion(t *testing.T, path string) int {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v int
	if err := db.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func checksum(t *testing.T, path string) [32]byte {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func TestConcurrentGoroutines(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	api := addComponent(t, st, "api")
	const workers, each = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			who := store.Actor{Name: fmt.Sprintf("g%d", w)}
			for i := 0; i < each; i++ {
				inc, err := st.OpenIncident(ctx, who, store.NewIncident{Title: fmt.Sprintf("g%d-%d", w, i),
					Impacts: []store.SetImpact{{ComponentID: api.ID, Status: store.PartialOutage}}})
				if err != nil {
					errs <- err
					continue
				}
				if _, err := st.PostUpdate(ctx, who, inc.ID, store.NewUpdate{Status: store.Fixed}); err != nil {
					errs <- err
				}
				if _, err := st.Dashboard(ctx); err != nil {
					errs <- err
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	countResolved(t, st, workers*each)
	if effective(t, st, api.ID) != store.Operational {
		t.Error("api should be operational after every incident was fixed")
	}
}

func countResolved(t *testing.T, st *store.Store, want int) map[int64]bool {
	t.Helper()
	seen := map[int64]bool{}
	var before int64
	for {
		page, err := st.ResolvedIncidents(context.Background(), store.IncidentQuery{Before: before, Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, inc := range page {
			seen[inc.ID] = true
		}
		before = page[len(page)-1].ID
	}
	if want >= 0 && len(seen) != want {
		t.Errorf("%d resolved incidents, want %d", len(seen), want)
	}
	return seen
}

func TestConcurrentProcesses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "beacon.db")
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	addComponent(t, st, "api")
	const procs, each = 4, 30
	var wg sync.WaitGroup
	for p := 0; p < procs; p++ {
		cmd := writerCmd(t, path, strconv.Itoa(each), p)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := cmd.Run(); err != nil {
				t.Errorf("writer process: %v: %s", err, stderr.String())
			}
			if strings.Contains(stderr.String(), "locked") {
				t.Errorf("a writer saw a lock error: %s", stderr.String())
			}
		}()
	}
	// Write from this process at the same time.
	for i := 0; i < each; i++ {
		open(t, st, fmt.Sprintf("parent %d", i), store.Public)
	}
	wg.Wait()
	countResolved(t, st, procs*each)
	if err := st.Check(context.Background()); err != nil {
		t.Error(err)
	}
	st.Close()
}

func TestCrashSafety(t *testing.T) {
	path := filepath.Join(t.TempDir(), "beacon.db")
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	addComponent(t, st, "api")
	st.Close()

	cmd := writerCmd(t, path, "forever", 1)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var committed []int64
	sc := bufio.NewScanner(out)
	for sc.Scan() && len(committed) < 150 {
		id, err := strconv.ParseInt(strings.TrimPrefix(sc.Text(), "committed "), 10, 64)
		if err != nil {
			t.Fatalf("writer said %q", sc.Text())
		}
		committed = append(committed, id)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Fatalf("writer was not killed: %v", err)
	}
	if len(committed) < 150 {
		t.Fatalf("writer reported only %d commits", len(committed))
	}

	st, err = store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	seen := countResolved(t, st, -1)
	for _, id := range committed {
		if !seen[id] {
			t.Errorf("incident %d was reported committed but is missing", id)
		}
	}
}

func TestChangeFeed(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "beacon.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	other, err := store.Open(ctx, path) // another connection pool, as another process would have
	if err != nil {
		t.Fatal(err)
	}
	changes, cancel := st.Subscribe()
	defer cancel()

	// A write by another connection right after subscribing is seen, not taken as the baseline.
	addComponent(t, other, "db")
	other.Close()
	waitChange(t, changes, "a write by another connection")

	drain(changes)
	addComponent(t, st, "api")
	waitChange(t, changes, "a write in this process")

	// A draft saved by another process is private scratch: no console should reload for it.
	other, err = store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	drain(changes)
	if err := other.SaveDraft(ctx, actor, "new", []byte("{}")); err != nil {
		t.Fatal(err)
	}
	other.Close()
	select {
	case <-changes:
		t.Error("a draft saved elsewhere was announced as a change")
	case <-time.After(3 * store.PollInterval):
	}

	cancel()
	if _, ok := <-changes; ok {
		// A value may still be buffered; after it the channel must be closed.
		if _, ok := <-changes; ok {
			t.Error("channel still open after cancel")
		}
	}
}

func waitChange(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(5 * time.Second):
		t.Fatalf("no change notice after %s", what)
	}
}

func drain(ch <-chan struct{}) {
	for {
		select {
		case <-ch:
		default:
			return
		}
	}
}
