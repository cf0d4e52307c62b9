package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"beacon/store"
)

// databaseAt makes a database file at schema version n, as an older Beacon left it (in WAL
// mode): the first n migrations applied by hand, then the given statements.
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
	all = append(all, fmt.Sprintf("PRAGMA user_version = %d", n), "PRAGMA journal_mode = WAL")
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

// migrationsBefore is how many migrations come before the one named NNNN_name.sql, whatever
// its number.
func migrationsBefore(t *testing.T, name string) int {
	t.Helper()
	files, err := filepath.Glob("migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	for i, f := range files {
		if strings.HasSuffix(f, "_"+name+".sql") {
			return i
		}
	}
	t.Fatalf("no %s migration", name)
	return 0
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

// TestMigrateRefusesUnknownValues: a database from before the CHECK constraints that holds a
// value Beacon does not know (here escape sequences planted as statuses) is reported, with
// the rows named, and left exactly as it was.
func TestMigrateRefusesUnknownValues(t *testing.T) {
	evil := "'x' || char(27) || ']0;pwned' || char(7)"
	path := databaseAt(t, 5,
		`INSERT INTO components (id, name, created_at, updated_at) VALUES (1, 'api', 1, 1)`,
		`INSERT INTO incidents (id, title, status, occurred_at, created_at, updated_at) VALUES (3, 'T', `+evil+`, 1, 1, 1)`,
		`INSERT INTO updates (id, incident_id, status, created_at) VALUES (7, 3, 'resolved', 1)`,
	)
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = store.Open(context.Background(), path)
	var uv *store.UnknownValuesError
	if !errors.As(err, &uv) {
		t.Fatalf("open: %v, want an UnknownValuesError", err)
	}
	for _, want := range []string{`incident #3 has status "x\x1b]0;pwned\a"`, `update 7 has status "resolved"`, "was left as it is", path} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the report lacks %q: %s", want, err)
		}
	}
	if strings.ContainsAny(err.Error(), "\x1b\a") {
		t.Errorf("the report carries control characters: %q", err)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("the database was changed")
	}
	if _, err := os.Stat(path + "-wal"); err == nil {
		if data, _ := os.ReadFile(path + "-wal"); len(data) > 0 {
			t.Error("the database was written to its log")
		}
	}
}

// TestCheckConstraints: once migrated, every enumerated column refuses a value Beacon does not
// know, whoever writes the file; a value planted with the constraints ignored reads as an
// error, never as text.
func TestCheckConstraints(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	api := addComponent(t, st, "api")
	id := open(t, st, "Trouble", store.Public, api.ID, store.MajorOutage)
	post(t, st, id, store.Identified, api.ID, store.PartialOutage)
	if _, err := st.AddGroup(ctx, actor, "Web"); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", st.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, u := range []struct{ table, column string }{
		{"groups", "collapse"}, {"components", "status"}, {"components", "effective_status"}, {"components", "public_status"},
		{"components", "enabled"}, {"incidents", "status"}, {"incidents", "visibility"}, {"incidents", "pinned"},
		{"impacts", "status"}, {"updates", "status"}, {"update_impacts", "old_status"}, {"update_impacts", "new_status"},
		{"status_changes", "old_status"}, {"status_changes", "new_status"}, {"status_changes", "cause"}, {"status_changes", "audience"},
	} {
		_, err := db.Exec(fmt.Sprintf("UPDATE %s SET %s = 'x' || char(27) || '[2J'", u.table, u.column))
		if err == nil || !strings.Contains(err.Error(), "CHECK constraint failed") {
			t.Errorf("%s.%s took an unknown value: %v", u.table, u.column, err)
		}
	}
	if _, err := db.Exec("PRAGMA ignore_check_constraints = ON"); err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, q := range []string{"PRAGMA ignore_check_constraints = ON", "UPDATE incidents SET status = 'x' || char(27) || '[2J'", "UPDATE components SET effective_status = 'x' || char(27) || '[2J'"} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	reads := map[string]func() error{
		"dashboard":  func() error { _, err := st.Dashboard(ctx); return err },
		"incident":   func() error { _, err := st.Incident(ctx, id); return err },
		"components": func() error { _, err := st.Components(ctx); return err },
		"unresolved": func() error { _, err := st.UnresolvedIncidents(ctx); return err },
	}
	for name, read := range reads {
		err := read()
		if err == nil || !strings.Contains(err.Error(), "is not a") || strings.ContainsRune(err.Error(), 27) {
			t.Errorf("%s read a planted status: %v", name, err)
		}
	}
}
