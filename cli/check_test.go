package cli_test

import (
	"database/sql"
	"os"
	"path/filepath"
	"regexp"
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

// statusLine and perfItem are how monitoring reads a plugin's first line: the state and
// summary, then performance data, each item label=value[UOM];[warn];[crit];[min];[max] (the
// regular expression PNP4Nagios and most graphers use).
var (
	statusLine = regexp.MustCompile(`^BEACON (OK|WARNING|CRITICAL|UNKNOWN) - ([^|\n]+?)(?: \| (.*))?$`)
	perfItem   = regexp.MustCompile(`^([^=]+)=([\d\.\-]+)([\w%]*);?([\d\.\-:~@]+)?;?([\d\.\-:~@]+)?;?([\d\.\-]+)?;?([\d\.\-]+)?$`)
)

// parseCheck checks a plugin output's form and returns its state, summary, performance data
// by label and detail lines.
func parseCheck(t *testing.T, out string) (state, summary string, perf map[string]string, details []string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	m := statusLine.FindStringSubmatch(lines[0])
	if m == nil || !strings.HasSuffix(out, "\n") {
		t.Fatalf("not a plugin status line: %q", out)
	}
	perf = map[string]string{}
	if m[3] != "" {
		for _, item := range strings.Split(m[3], " ") {
			p := perfItem.FindStringSubmatch(item)
			if p == nil {
				t.Fatalf("performance data %q does not parse", item)
			}
			perf[p[1]] = p[2]
		}
	}
	for _, l := range lines[1:] {
		if strings.Contains(l, "|") {
			t.Errorf("detail line %q holds a '|'", l)
		}
	}
	return m[1], m[2], perf, lines[1:]
}

func TestStatusCheck(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(t *testing.T, d *db)
		code    int
		state   string
		summary string
		perf    map[string]string // some of the items
		details []string
	}{
		{"empty", func(_ *testing.T, d *db) {}, 0, "OK", "no components",
			map[string]string{"operational": "0", "major_outage": "0", "unresolved_incidents": "0"}, nil},
		{"all operational", func(_ *testing.T, d *db) {}, 0, "OK", "all 3 components operational",
			map[string]string{"operational": "3", "unknown": "0", "under_maintenance": "0", "performance_issues": "0", "partial_outage": "0", "major_outage": "0"}, nil},
		{"performance issues", func(_ *testing.T, d *db) { d.must("component", "set", "Postgres", "performance_issues") }, 1, "WARNING",
			"1 with performance issues: Postgres", map[string]string{"operational": "2", "performance_issues": "1"}, []string{"Postgres: Performance issues"}},
		{"unknown", func(_ *testing.T, d *db) { d.must("component", "set", "Postgres", "unknown") }, 1, "WARNING",
			"1 unknown: Postgres", map[string]string{"unknown": "1"}, []string{"Postgres: Unknown"}},
		{"maintenance is OK, and said", func(_ *testing.T, d *db) { d.must("component", "set", "Postgres", "under_maintenance") }, 0, "OK",
			"1 under maintenance: Postgres", map[string]string{"under_maintenance": "1"}, []string{"Postgres: Under maintenance"}},
		{"partial outage", func(_ *testing.T, d *db) {
			d.must("incident", "open", "--message", "Investigating.", "--title", "Slow | pages", "--component", "Website=partial_outage")
		}, 1, "WARNING", "1 partial outage: Website; 1 unresolved incident", map[string]string{"partial_outage": "1", "unresolved_incidents": "1"},
			[]string{"Website: Partial outage", "#1 Slow ¦ pages: Investigating (public)"}},
		{"an unresolved incident with no impact", func(_ *testing.T, d *db) {
			d.must("incident", "open", "--message", "Investigating.", "--title", "Emails late", "--internal", "--component", "Website=performance_issues")
			d.must("incident", "update", "1", "--status", "identified", "--component", "Website=none", "--message", "Mail only.")
		}, 1, "WARNING", "all 3 components operational; 1 unresolved incident", map[string]string{"unresolved_incidents": "1"},
			[]string{"#1 Emails late: Identified (internal)"}},
		{"one major outage in five is critical", func(_ *testing.T, d *db) {
			d.must("component", "add", "Cache")
			d.must("component", "add", "Queue")
			d.must("component", "set", "API", "major_outage")
		}, 2, "CRITICAL", "1 major outage: API", map[string]string{"operational": "4", "major_outage": "1"}, []string{"API: Major outage"}},
		{"every problem, worst first", func(_ *testing.T, d *db) {
			for _, c := range []string{"A", "B", "C", "D", "E"} {
				d.must("component", "add", c)
				d.must("component", "set", c, "major_outage")
			}
			d.must("component", "set", "Postgres", "partial_outage")
			d.must("component", "set", "Website", "under_maintenance")
		}, 2, "CRITICAL", "5 major outages: A, B, C and 2 more; 1 partial outage: Postgres; 1 under maintenance: Website",
			map[string]string{"operational": "1", "major_outage": "5", "partial_outage": "1", "under_maintenance": "1"},
			[]string{"A: Major outage", "B: Major outage", "C: Major outage", "D: Major outage", "E: Major outage", "Postgres: Partial outage", "Website: Under maintenance"}},
		{"a disabled component does not count", func(t *testing.T, d *db) {
			d.must("component", "set", "API", "major_outage")
			sqlExec(t, d.path, "UPDATE components SET enabled = 0 WHERE name = 'API'")
		}, 0, "OK", "all 2 components operational", map[string]string{"operational": "2", "major_outage": "0"}, nil},
		{"resolving clears it", func(_ *testing.T, d *db) {
			d.must("incident", "open", "--message", "Investigating.", "--title", "x", "--component", "API=major_outage", "--component", "Website=major_outage")
			d.must("incident", "resolve", "1")
		}, 0, "OK", "all 3 components operational", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d *db
			if tt.name == "empty" {
				d = emptyDB(t)
			} else {
				d = fixture(t)
			}
			tt.setup(t, d)
			r := d.run("status", "--check")
			if r.code != tt.code || r.stderr != "" {
				t.Fatalf("exit %d, want %d\n%v", r.code, tt.code, r)
			}
			state, summary, perf, details := parseCheck(t, r.stdout)
			if state != tt.state || summary != tt.summary {
				t.Errorf("state %q, summary %q; want %q, %q", state, summary, tt.state, tt.summary)
			}
			if len(perf) != 7 {
				t.Errorf("performance data %v: want a count for each of six statuses and the incidents", perf)
			}
			for k, v := range tt.perf {
				if perf[k] != v {
					t.Errorf("%s=%s, want %s", k, perf[k], v)
				}
			}
			if strings.Join(details, "\n") != strings.Join(tt.details, "\n") {
				t.Errorf("details:\n%s\nwant:\n%s", strings.Join(details, "\n"), strings.Join(tt.details, "\n"))
			}
			if r := d.run("status", "--check", "--json"); r.code != tt.code || !strings.HasPrefix(r.stdout, "{") {
				t.Errorf("--json --check: exit %d, want %d, and JSON\n%v", r.code, tt.code, r)
			}
		})
	}
}

// TestStatusCheckUnknown: a check that cannot check is UNKNOWN (3) with its reason on
// stdout, whether the database cannot be read or the command line is wrong.
func TestStatusCheckUnknown(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(garbage, []byte(strings.Repeat("this is not a database\n", 200)), 0o600); err != nil {
		t.Fatal(err)
	}
	newer := newDB(t)
	newer.must("component", "add", "API")
	sqlExec(t, newer.path, "PRAGMA user_version = 99")
	good := fixture(t)
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"not a database", []string{"--db", garbage, "status", "--check"}, "is not a Beacon database"},
		{"from a newer Beacon", []string{"--db", newer.path, "status", "--check"}, "was written by a newer Beacon (schema 99"},
		{"a directory", []string{"--db", dir, "status", "--check"}, "is not a Beacon database"},
		{"a missing file", []string{"--db", filepath.Join(dir, "typo.db"), "status", "--check"}, "no database at " + filepath.Join(dir, "typo.db") + ": check --db or $BEACON_DB"},
		{"with --json too", []string{"--db", garbage, "status", "--check", "--json"}, "is not a Beacon database"},
		{"an unknown flag", []string{"--db", good.path, "status", "--check", "--warning=5"}, "unknown flag: --warning"},
		{"an unknown flag before --check", []string{"--db", good.path, "status", "-w", "5", "--check"}, "unknown shorthand flag: 'w'"},
		{"an argument", []string{"--db", good.path, "status", "--check", "extra"}, `takes no arguments, got "extra"`},
		{"a mistyped command", []string{"--db", good.path, "stauts", "--check"}, `unknown command "stauts"`},
		{"a bad value for --check", []string{"--db", good.path, "status", "--check=maybe"}, `invalid argument "maybe"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := beacon(t, nil, tt.args...)
			if r.code != 3 || r.stderr != "" || !strings.Contains(r.stdout, tt.msg) {
				t.Fatalf("want exit 3 and stdout saying %q, got %v", tt.msg, r)
			}
			if state, _, _, details := parseCheck(t, r.stdout); state != "UNKNOWN" || len(details) != 0 {
				t.Errorf("state %s, details %q", state, details)
			}
		})
	}
	for _, path := range []string{garbage, newer.path} {
		if r := beacon(t, nil, "--db", path, "status"); r.code != 1 || !strings.HasPrefix(r.stderr, "beacon: ") {
			t.Errorf("%s: plain status: %v, want exit 1 and the error on stderr", path, r)
		}
	}
	if r := beacon(t, nil, "--db", good.path, "status", "--bogus"); r.code != 2 || r.stdout != "" {
		t.Errorf("a bad flag without --check: %v, want exit 2", r)
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

// TestPlantedStatuses: statuses are enumerations the file itself guards. Another program
// cannot store an unknown one (CHECK constraints); one planted with the constraints ignored
// reads as an error, so no command prints it: no escape sequence reaches the terminal.
func TestPlantedStatuses(t *testing.T) {
	d := fixture(t)
	d.must("incident", "open", "--title", "x", "--component", "API=major_outage", "--message", "m")
	evil := "'x' || char(27) || ']0;pwned' || char(7) || char(27) || ']52;c;cHduZWQ=' || char(7)"
	db, err := sql.Open("sqlite", d.path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("UPDATE incidents SET status = " + evil); err == nil || !strings.Contains(err.Error(), "CHECK constraint failed") {
		t.Fatalf("an unknown incident status was stored: %v", err)
	}
	sqlExec(t, d.path, "PRAGMA ignore_check_constraints = ON; UPDATE incidents SET status = "+evil+"; UPDATE updates SET status = "+evil+
		"; UPDATE components SET effective_status = "+evil+" WHERE name = 'Website'")
	for _, args := range [][]string{
		{"status"}, {"status", "--json"}, {"status", "--public"}, {"component", "list"}, {"component", "list", "--json"},
		{"incident", "list"}, {"incident", "list", "--json"}, {"incident", "show", "1"}, {"incident", "show", "1", "--json"},
	} {
		r := d.run(args...)
		if strings.ContainsAny(r.stdout+r.stderr, "\x1b\x07") {
			t.Errorf("%v let a planted status through:\n%q", args, r.stdout+r.stderr)
		}
		if r.code == 0 || !strings.Contains(r.stderr, "is not a") {
			t.Errorf("%v: want a one-line error about the stored value, got %v", args, r)
		}
	}
	if r := d.run("status", "--check"); r.code != 3 || strings.ContainsAny(r.stdout, "\x1b\x07") {
		t.Errorf("status --check: %v, want UNKNOWN", r)
	}
}
