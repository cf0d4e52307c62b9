package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"beacon/store"
)

// databaseAt makes a database file at schema version n, as an older Beacon left it: the first
// n migrations applied by hand, then the given statements.
func databaseAt(t *testing.T, n int, stmts ...string) string {
	t.Helper()
	files, err := filepath.Glob("migrations/*.sql")
	if err != nil || len(files) < n {
		t.Fatalf("migrations: %v, %d files", err, len(files))
	}
	sort.Strings(files)
	var all []string
	for _, f := range files[:n] {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, string(body))
	}
	all = append(all, stmts...)
	all = append(all, fmt.Sprintf("PRAGMA user_version = %d", n))
	path := filepath.Join(t.TempDir(), "beacon.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range all {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%.60s: %v", s, err)
		}
	}
	return path
}

// TestMigratePublicStatus: a database from before the public status was kept gets each
// component's public status (own status and public incidents only) and the public's history
// (every move not caused by an internal incident).
func TestMigratePublicStatus(t *testing.T) {
	ctx := context.Background()
	path := databaseAt(t, 2,
		`INSERT INTO components (id, name, status, effective_status, created_at, updated_at) VALUES
			(1, 'api', 'operational', 'major_outage', 1000, 3000),
			(2, 'db', 'operational', 'partial_outage', 1000, 2000)`,
		`INSERT INTO incidents (id, title, status, visibility, occurred_at, created_at, updated_at) VALUES
			(1, 'Internal', 'investigating', 'internal', 3000, 3000, 3000),
			(2, 'Public', 'investigating', 'public', 2000, 2000, 2000)`,
		`INSERT INTO updates (id, incident_id, status, created_at) VALUES (1, 1, 'investigating', 3000), (2, 2, 'investigating', 2000)`,
		`INSERT INTO impacts (incident_id, component_id, status) VALUES (1, 1, 'major_outage'), (2, 2, 'partial_outage')`,
		`INSERT INTO status_changes (component_id, at, old_status, new_status, cause, incident_id, update_id) VALUES
			(1, 1500, 'operational', 'unknown', 'manual', NULL, NULL),
			(1, 1600, 'unknown', 'operational', 'manual', NULL, NULL),
			(2, 2000, 'operational', 'partial_outage', 'incident', 2, 2),
			(1, 3000, 'operational', 'major_outage', 'incident', 1, 1)`,
	)
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	moves := func(a store.Audience, id int64) []string {
		t.Helper()
		list, err := st.StatusChangesFor(ctx, a, id, time.UnixMilli(0))
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range list {
			out = append(out, fmt.Sprintf("%s→%s", c.Old, c.New))
		}
		return out
	}
	want := map[string][]string{
		"api responders": {"operational→unknown", "unknown→operational", "operational→major_outage"},
		"api public":     {"operational→unknown", "unknown→operational"},
		"db responders":  {"operational→partial_outage"},
		"db public":      {"operational→partial_outage"},
	}
	for id, name := range map[int64]string{1: "api", 2: "db"} {
		for _, a := range []store.Audience{store.Responders, store.ThePublic} {
			key := name + " " + a.String()
			if got := fmt.Sprint(moves(a, id)); got != fmt.Sprint(want[key]) {
				t.Errorf("%s history %s, want %s", key, got, want[key])
			}
		}
	}
	// The public status was kept as operational for api: fixing the internal incident moves
	// the responders' status only.
	post(t, st, 1, store.Fixed)
	if got := moves(store.ThePublic, 1); len(got) != 2 {
		t.Errorf("fixing an internal incident moved the public's api: %v", got)
	}
	if got := moves(store.Responders, 1); len(got) != 4 {
		t.Errorf("fixing it did not move the responders' api: %v", got)
	}
	p := dashboard(t, st).PublicOnly()
	if p.Components[0].UpdatedAt.UnixMilli() != 3000 || p.Components[1].UpdatedAt.UnixMilli() != 2000 {
		t.Errorf("public times %v, %v", p.Components[0].UpdatedAt, p.Components[1].UpdatedAt)
	}
}
