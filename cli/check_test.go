package cli_test

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

// sqlExec runs statements on a database file directly, as another tool would.
func sqlExec(t *testing.T, path string, stmts ...string) {
	t.Helper()
	conn, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, s := range stmts {
		if _, err := conn.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func TestStatusCheck(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(t *testing.T, d *db)
		code   int
		banner string // the first line of stdout
	}{
		{"empty", func(_ *testing.T, d *db) { d.must("status") }, 0, "● All systems are operational"},
		{"all operational", func(_ *testing.T, d *db) {}, 0, "● All systems are operational"},
		{"performance issues", func(_ *testing.T, d *db) { d.must("component", "set", "Postgres", "performance_issues") }, 1, "▲ Some systems are experiencing issues"},
		{"unknown", func(_ *testing.T, d *db) { d.must("component", "set", "Postgres", "unknown") }, 1, "▲ Some systems are experiencing issues"},
		{"maintenance", func(_ *testing.T, d *db) { d.must("component", "set", "Postgres", "under_maintenance") }, 1, "◆ Some systems are under maintenance"},
		{"partial outage", func(_ *testing.T, d *db) {
			d.must("incident", "open", "--title", "x", "--component", "Website=partial_outage")
		}, 1, "◐ Some systems are experiencing issues"},
		{"one major outage in five", func(_ *testing.T, d *db) {
			d.must("component", "add", "Cache")
			d.must("component", "add", "Queue")
			d.must("component", "set", "API", "major_outage")
		}, 1, "◐ Some systems are experiencing issues"},
		{"one major outage in three is critical", func(_ *testing.T, d *db) { d.must("component", "set", "API", "major_outage") }, 2, "✖ Some systems are experiencing major issues"},
		{"resolving clears it", func(_ *testing.T, d *db) {
			d.must("incident", "open", "--title", "x", "--component", "API=major_outage", "--component", "Website=major_outage")
			d.must("incident", "resolve", "1")
		}, 0, "● All systems are operational"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d *db
			if tt.name == "empty" {
				d = newDB(t)
			} else {
				d = fixture(t)
			}
			tt.setup(t, d)
			r := d.run("status", "--check")
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\n%v", r.code, tt.code, r)
			}
			if first, _, _ := strings.Cut(r.stdout, "\n"); first != tt.banner {
				t.Errorf("first line %q, want %q", first, tt.banner)
			}
			if r.stderr != "" {
				t.Errorf("stderr: %s", r.stderr)
			}
			if r := d.run("status", "--check", "--json"); r.code != tt.code {
				t.Errorf("--json --check: exit %d, want %d", r.code, tt.code)
			}
		})
	}
}

func TestStatusCheckUnreadable(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(garbage, []byte(strings.Repeat("this is not a database\n", 200)), 0o600); err != nil {
		t.Fatal(err)
	}
	newer := newDB(t)
	newer.must("component", "add", "API")
	sqlExec(t, newer.path, "PRAGMA user_version = 99")
	tests := []struct {
		name, path, msg string
	}{
		{"not a database", garbage, "is not a Beacon database"},
		{"from a newer Beacon", newer.path, "was written by a newer Beacon (schema 99"},
		{"a directory", dir, "is not a Beacon database"},
		{"a missing file", filepath.Join(dir, "typo.db"), "no database at " + filepath.Join(dir, "typo.db") + "; status --check never creates one"},
	}
	for _, tt := range tests {
		for _, args := range [][]string{{"status", "--check"}, {"status", "--check", "--json"}} {
			r := beacon(t, nil, append([]string{"--db", tt.path}, args...)...)
			if r.code != 3 || !strings.HasPrefix(r.stderr, "beacon: ") || !strings.Contains(r.stderr, tt.msg) || strings.Count(r.stderr, "\n") != 1 {
				t.Errorf("%s %v: want exit 3 and one line saying %q, got %v", tt.name, args, tt.msg, r)
			}
		}
		if _, err := os.Stat(tt.path); err != nil {
			continue
		}
		if r := beacon(t, nil, "--db", tt.path, "status"); r.code != 1 {
			t.Errorf("%s: plain status exits %d, want 1", tt.name, r.code)
		}
	}
}

// TestSanitised writes escape sequences straight into the file and checks that no command
// lets one reach the terminal.
func TestSanitised(t *testing.T) {
	d := fixture(t)
	d.must("incident", "open", "--title", "x", "--component", "API=major_outage", "--message", "m")
	evil := "'evil' || char(27) || ']0;pwned' || char(7) || char(27) || '[2J' || char(155) || '31m'"
	sqlExec(t, d.path,
		"UPDATE components SET name = "+evil+" WHERE name = 'API'",
		"UPDATE groups SET name = "+evil+" WHERE name = 'Web'",
		"UPDATE incidents SET title = "+evil,
		"UPDATE updates SET message = "+evil+" || char(10) || 'line two', author = "+evil,
	)
	for _, args := range [][]string{
		{"status"}, {"status", "--json"}, {"component", "list"}, {"component", "list", "--json"}, {"group", "list"},
		{"incident", "list"}, {"incident", "list", "--json"}, {"incident", "show", "1"}, {"incident", "show", "1", "--json"},
		{"incident", "update", "1", "--status", "identified", "--message", "ok"},
		{"component", "set", "Website", "operational"}, {"incident", "resolve", "1"},
	} {
		out := d.must(args...)
		if strings.ContainsAny(out, "\x1b\x07\u009b") {
			t.Errorf("%v let a control character through:\n%q", args, out)
		}
		if !strings.Contains(args[len(args)-1], "json") && len(args) < 4 && !strings.Contains(out, "evil␛]0;pwned␇␛[2J") {
			t.Errorf("%v does not show the name as inert text:\n%s", args, out)
		}
	}
}
