package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadsRefuseAMissingDatabase: a mistyped --db must not read as an empty, healthy system.
// Every command that only reads refuses a path where there is no file, in one line that names
// the path, and leaves no file or directory behind.
func TestReadsRefuseAMissingDatabase(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"status", []string{"status"}, 2},
		{"status --json", []string{"status", "--json"}, 2},
		{"status --public", []string{"status", "--public"}, 2},
		{"status --check", []string{"status", "--check"}, 3},
		{"plain beacon off a terminal", nil, 2},
		{"incident list", []string{"incident", "list"}, 2},
		{"incident show", []string{"incident", "show", "1"}, 2},
		{"component list", []string{"component", "list"}, 2},
		{"group list", []string{"group", "list"}, 2},
		{"uptime", []string{"uptime"}, 2},
		{"audit", []string{"audit"}, 2},
		{"maintenance list", []string{"maintenance", "list"}, 2},
		{"maintenance show", []string{"maintenance", "show", "1"}, 2},
		{"webhook list", []string{"webhook", "list"}, 2},
		{"webhook deliveries", []string{"webhook", "deliveries"}, 2},
		{"webhook deliver --once", []string{"webhook", "deliver", "--once"}, 2},
		{"export", []string{"export", filepath.Join(os.TempDir(), "beacon-never-written")}, 2},
		{"incident open, which needs components", []string{"incident", "open", "--title", "Slow", "--component", "API=major_outage", "--message", "Looking."}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "typo", "beacon.db")
			r := beacon(t, nil, append([]string{"--db", path}, tt.args...)...)
			out := r.stderr
			if tt.code == 3 {
				out = r.stdout // a monitoring plugin says why on stdout
			}
			want := "no database at " + path + ": check --db or $BEACON_DB, or create one with 'beacon demo' or 'beacon component add NAME'"
			if r.code != tt.code || !strings.Contains(out, want) || strings.Count(out, "\n") != 1 {
				t.Errorf("want exit %d and one line %q, got %v", tt.code, want, r)
			}
			if _, err := os.Stat(filepath.Dir(path)); !os.IsNotExist(err) {
				t.Errorf("the read left %s behind (%v)", filepath.Dir(path), err)
			}
			if strings.Contains(r.stdout, "operational") {
				t.Errorf("a missing database read as healthy: %v", r)
			}
		})
	}
	t.Run("from $BEACON_DB", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "typo.db")
		r := beacon(t, []string{"BEACON_DB=" + path}, "incident", "list")
		if r.code != 2 || !strings.Contains(r.stderr, "no database at "+path+":") {
			t.Errorf("want exit 2 naming %s, got %v", path, r)
		}
	})
}

// TestWritesCreateTheDatabase: a command that writes still starts a database from nothing,
// its directory included, and then the reads see it.
func TestWritesCreateTheDatabase(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"component add", []string{"component", "add", "API"}},
		{"group add", []string{"group", "add", "Web"}},
		{"demo", []string{"demo"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "new", "beacon.db")
			if r := beacon(t, nil, append([]string{"--db", path}, tt.args...)...); r.code != 0 {
				t.Fatalf("%v", r)
			}
			if r := beacon(t, nil, "--db", path, "status"); r.code != 0 {
				t.Errorf("status after %s: %v", tt.name, r)
			}
		})
	}
}
