package cli_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestDidYouMean: a mistyped command gets cobra's suggestion, in the one-line error style.
func TestDidYouMean(t *testing.T) {
	d := fixture(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"stauts"}, `unknown command "stauts" for "beacon"; did you mean "status"?`},
		{[]string{"stauts", "--json"}, `unknown command "stauts" for "beacon"; did you mean "status"?`},
		{[]string{"incidents", "list"}, `unknown command "incidents" for "beacon"; did you mean "incident"?`},
		{[]string{"incident", "shwo", "1", "-o", "json"}, `unknown command "shwo" for "beacon incident"; did you mean "show"?`},
		{[]string{"incident", "close", "1"}, `did you mean "resolve"?`},
		{[]string{"component", "rm", "API"}, `did you mean "remove"?`},
		{[]string{"group", "ls"}, `did you mean "list"?`},
		{[]string{"frobnicate"}, `unknown command "frobnicate" for "beacon" (run 'beacon --help' for usage)`},
	}
	for _, tt := range tests {
		r := d.run(tt.args...)
		if r.code != 2 || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, tt.want) || !strings.HasPrefix(r.stderr, "beacon: ") {
			t.Errorf("%v: want exit 2 and one line with %q; got %v", tt.args, tt.want, r)
		}
		if !strings.Contains(r.stderr, "--help' for usage)") {
			t.Errorf("%v: the error does not point to --help: %s", tt.args, r.stderr)
		}
	}
}

// TestOutputJSON: -o json prints exactly what --json prints, on every read command.
func TestOutputJSON(t *testing.T) {
	d := fixture(t)
	d.must("incident", "open", "--title", "API errors", "--component", "API=major_outage", "--message", "Looking.")
	for _, args := range [][]string{
		{"status"}, {"component", "list"}, {"group", "list"}, {"incident", "list"}, {"incident", "list", "--all"}, {"incident", "show", "1"},
	} {
		want := d.must(append(args, "--json")...)
		if got := d.must(append(args, "-o", "json")...); got != want {
			t.Errorf("%v: -o json printed\n%s\n--json printed\n%s", args, got, want)
		}
		if !json.Valid([]byte(want)) {
			t.Errorf("%v --json is not JSON: %s", args, want)
		}
		if text := d.must(append(args, "-o", "text")...); json.Valid([]byte(text)) {
			t.Errorf("%v -o text printed JSON: %s", args, text)
		}
	}
	r := d.run("status", "-o", "yaml")
	if r.code != 2 || !strings.Contains(r.stderr, `invalid argument "yaml" for "-o, --output" flag: use json or text`) {
		t.Errorf("-o yaml: %v", r)
	}
	var inc struct{ ID int64 }
	d.json(&inc, "incident", "open", "-o", "json", "--title", "Slow", "--component", "Postgres=performance_issues", "--message", "Vacuum.")
	if inc.ID != 2 {
		t.Errorf("incident open -o json: %+v", inc)
	}
}

// complete runs cobra's hidden __complete command and returns the candidates (without their
// descriptions) and the directive line.
func (d *db) complete(args ...string) (names []string, directive string) {
	d.t.Helper()
	out := d.must(append([]string{"__complete"}, args...)...)
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if strings.HasPrefix(line, ":") {
			directive = line
			continue
		}
		name, _, _ := strings.Cut(line, "\t")
		names = append(names, name)
	}
	return names, directive
}

// TestCompletion drives cobra's dynamic completion as the shell scripts do.
func TestCompletion(t *testing.T) {
	d := fixture(t)
	d.must("incident", "open", "--title", "Resolved one", "--component", "Website=partial_outage", "--message", "x")
	d.must("incident", "resolve", "1")
	d.must("incident", "open", "--title", "Open one", "--component", "API=major_outage", "--message", "x")
	const noFiles, noSpace = ":4", ":6" // cobra's ShellCompDirective values
	tests := []struct {
		name      string
		args      []string
		want      []string
		directive string
	}{
		{"subcommands", []string{"inc"}, []string{"incident"}, noFiles},
		{"component names", []string{"component", "set", ""}, []string{"API", "Website", "Postgres"}, noFiles},
		{"then statuses", []string{"component", "set", "API", ""}, []string{"operational", "unknown", "under_maintenance", "performance_issues", "partial_outage", "major_outage"}, noFiles},
		{"nothing after the status", []string{"component", "set", "API", "operational", ""}, nil, noFiles},
		{"component to remove", []string{"component", "remove", ""}, []string{"API", "Website", "Postgres"}, noFiles},
		{"group names for --group", []string{"component", "add", "Cache", "--group", ""}, []string{"Web", "Data"}, noFiles},
		{"group to remove", []string{"group", "remove", ""}, []string{"Web", "Data"}, noFiles},
		{"open incidents to update", []string{"incident", "update", ""}, []string{"2"}, noFiles},
		{"open incidents to resolve", []string{"incident", "resolve", ""}, []string{"2"}, noFiles},
		{"resolved incidents to reopen", []string{"incident", "reopen", ""}, []string{"1"}, noFiles},
		{"any recent incident to show", []string{"incident", "show", ""}, []string{"2", "1"}, noFiles},
		{"incident statuses for update", []string{"incident", "update", "2", "--status", ""}, []string{"investigating", "identified", "watching", "fixed"}, noFiles},
		{"a new incident's statuses", []string{"incident", "open", "--status", ""}, []string{"investigating", "identified"}, noFiles},
		{"impacts name a component first", []string{"incident", "open", "--component", ""}, []string{"API=", "Website=", "Postgres="}, noSpace},
		{"then the impact", []string{"incident", "open", "--component", "API="}, []string{"API=performance_issues", "API=partial_outage", "API=major_outage"}, noFiles},
		{"an update may end an impact", []string{"incident", "update", "2", "--component", "API="}, []string{"API=performance_issues", "API=partial_outage", "API=major_outage", "API=none"}, noFiles},
		{"output formats", []string{"status", "-o", ""}, []string{"text", "json"}, noFiles},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, directive := d.complete(tt.args...)
			if !slices.Equal(got, tt.want) || directive != tt.directive {
				t.Errorf("__complete %q = %q %s, want %q %s", tt.args, got, directive, tt.want, tt.directive)
			}
		})
	}

	out := d.must("__complete", "component", "set", "")
	if !strings.Contains(out, "Postgres\tData · Operational\n") {
		t.Errorf("component completions lack their group and status:\n%s", out)
	}

	// With no database there is nothing to offer, and none is created.
	missing := filepath.Join(t.TempDir(), "none.db")
	r := beacon(t, nil, "--db", missing, "__complete", "component", "set", "")
	if r.code != 0 || strings.TrimSpace(r.stdout) != noFiles {
		t.Errorf("completing without a database: %v", r)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Errorf("completion created %s", missing)
	}
}

// TestTimesCarryTheirZone: text output names the zone of its times; --json is RFC 3339.
func TestTimesCarryTheirZone(t *testing.T) {
	if _, err := time.LoadLocation("America/New_York"); err != nil {
		t.Skip("no time zone database:", err)
	}
	d := fixture(t)
	d.must("incident", "open", "--title", "API errors", "--component", "API=major_outage", "--message", "Looking.")
	d.must("incident", "resolve", "1")
	var inc struct {
		CreatedAt  string `json:"created_at"`
		ResolvedAt string `json:"resolved_at"`
	}
	d.json(&inc, "incident", "show", "1", "--json")
	created, err := time.Parse(time.RFC3339, inc.CreatedAt)
	if err != nil {
		t.Fatalf("created_at %q is not RFC 3339: %v", inc.CreatedAt, err)
	}
	if _, err := time.Parse(time.RFC3339, inc.ResolvedAt); err != nil {
		t.Errorf("resolved_at %q is not RFC 3339: %v", inc.ResolvedAt, err)
	}
	ny, _ := time.LoadLocation("America/New_York")
	wantNY := created.In(ny).Format("2006-01-02 15:04 MST")
	for _, tz := range []struct{ env, want string }{
		{"TZ=America/New_York", wantNY},
		{"TZ=UTC", created.UTC().Format("2006-01-02 15:04") + " UTC"},
	} {
		for _, args := range [][]string{{"incident", "show", "1"}, {"incident", "list", "--all"}} {
			r := beacon(t, []string{tz.env}, append([]string{"--db", d.path}, args...)...)
			if r.code != 0 || !strings.Contains(r.stdout, tz.want) {
				t.Errorf("%s %v: want %q in\n%v", tz.env, args, tz.want, r)
			}
		}
	}
}

// TestRelativeXDGDataHome: a relative XDG_DATA_HOME is ignored, as the XDG spec says.
func TestRelativeXDGDataHome(t *testing.T) {
	home, cwd := t.TempDir(), t.TempDir()
	cmd := exec.Command(beaconBin, "group", "add", "Web")
	cmd.Dir = cwd
	cmd.Env = append(cleanEnv(), "HOME="+home, "XDG_DATA_HOME=relative/data")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if _, err := os.Stat(filepath.Join(home, ".local", "share", "beacon", "beacon.db")); err != nil {
		t.Errorf("the database is not in the home directory's default place: %v", err)
	}
	if entries, _ := os.ReadDir(cwd); len(entries) != 0 {
		t.Errorf("a relative XDG_DATA_HOME was used: %s holds %v", cwd, entries)
	}
}

// runIn runs beacon on d with stdin.
func (d *db) runIn(stdin string, args ...string) result {
	d.t.Helper()
	return beaconIn(d.t, nil, stdin, append([]string{"--db", d.path}, args...)...)
}

// TestMessageInputs: --message - reads standard input, --message-file a file.
func TestMessageInputs(t *testing.T) {
	d := fixture(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "note.md")
	if err := os.WriteFile(file, []byte("Rolled back.\r\n\r\n- error rate normal\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := d.runIn("We are looking into it.\n", "incident", "open", "--title", "Errors", "--component", "API=major_outage", "--message", "-"); r.code != 0 {
		t.Fatal(r)
	}
	if r := d.runIn("A bad deploy.\n", "incident", "update", "1", "--status", "identified", "--message", "-"); r.code != 0 {
		t.Fatal(r)
	}
	d.must("incident", "resolve", "1", "--message-file", file)
	if r := d.runIn("It is back.", "incident", "reopen", "1", "--message", "-"); r.code != 0 {
		t.Fatal(r)
	}
	var inc struct {
		IncidentUpdates []struct{ Body string } `json:"incident_updates"`
	}
	d.json(&inc, "incident", "show", "1", "--json")
	var bodies []string
	for _, u := range inc.IncidentUpdates {
		bodies = append(bodies, u.Body)
	}
	want := []string{"It is back.", "Rolled back.\n\n- error rate normal", "A bad deploy.", "We are looking into it."}
	if !slices.Equal(bodies, want) {
		t.Errorf("timeline bodies = %q, want %q", bodies, want)
	}

	tests := []struct {
		name  string
		stdin string
		args  []string
		msg   string
	}{
		{"a missing file is named", "", []string{"incident", "update", "1", "--status", "watching", "--message-file", filepath.Join(dir, "nope.md")},
			"--message-file " + filepath.Join(dir, "nope.md") + ": no such file"},
		{"both spellings", "", []string{"incident", "update", "1", "--status", "watching", "--message", "x", "--message-file", file}, "give --message or --message-file, not both"},
		{"empty standard input", "", []string{"incident", "update", "1", "--status", "watching", "--message", "-"}, "--message is required"},
		{"too long on standard input", strings.Repeat("x", 20001), []string{"incident", "update", "1", "--status", "watching", "--message", "-"}, "the limit is"},
	}
	for _, tt := range tests {
		r := d.runIn(tt.stdin, tt.args...)
		if r.code != 2 || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, tt.msg) {
			t.Errorf("%s: want exit 2 and one line with %q; got %v", tt.name, tt.msg, r)
		}
	}
}

// TestReopen: incident reopen brings a resolved incident's impacts back.
func TestReopen(t *testing.T) {
	d := fixture(t)
	d.must("incident", "open", "--title", "API errors", "--component", "API=major_outage", "--message", "x")
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{"incident", "reopen", "1", "--message", "again"}, "incident #1 is still open (Investigating); post an update to it with 'beacon incident update 1'"},
	} {
		if r := d.run(tt.args...); r.code != 2 || !strings.Contains(r.stderr, tt.msg) {
			t.Errorf("%v: %v", tt.args, r)
		}
	}
	d.must("incident", "resolve", "1")
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{"incident", "reopen", "1"}, "--message is required: say why it is reopened"},
		{[]string{"incident", "reopen", "1", "--message", "x", "--status", "fixed"}, "--status fixed would not reopen it"},
		{[]string{"incident", "reopen", "7", "--message", "x"}, "no incident #7"},
	} {
		if r := d.run(tt.args...); r.code != 2 || !strings.Contains(r.stderr, tt.msg) {
			t.Errorf("%v: %v", tt.args, r)
		}
	}
	out := d.must("--actor", "ada", "incident", "reopen", "1", "--message", "Errors are back.", "--status", "identified")
	if !strings.Contains(out, "Incident #1 API errors: Fixed → Identified") || !strings.Contains(out, "API ● Operational → ✖ Major outage") {
		t.Errorf("reopen said:\n%s", out)
	}
	if got := d.effective()["API"]; got != "major_outage" {
		t.Errorf("API after reopen = %s", got)
	}
	var inc struct {
		Status          string
		IncidentUpdates []struct{ Author, Status string } `json:"incident_updates"`
	}
	d.json(&inc, "incident", "show", "1", "--json")
	if inc.Status != "identified" || inc.IncidentUpdates[0].Author != "ada" {
		t.Errorf("after reopen: %+v", inc)
	}
}

// TestComponentAddMakesItsGroup: --group names an existing group in any case, or makes it.
func TestComponentAddMakesItsGroup(t *testing.T) {
	d := newDB(t)
	if out := d.must("component", "add", "Postgres", "--group", "Data"); !strings.Contains(out, "Added component Postgres in Data (a new group)") {
		t.Errorf("first add said: %s", out)
	}
	if out := d.must("component", "add", "Redis", "--group", "data"); !strings.Contains(out, "Added component Redis in Data:") {
		t.Errorf("second add said: %s", out)
	}
	if r := d.run("component", "add", "postgres", "--group", "Cache"); r.code != 2 || !strings.Contains(r.stderr, "already exists") {
		t.Errorf("duplicate component: %v", r)
	}
	var groups []struct {
		Name       string
		Components int
	}
	d.json(&groups, "group", "list", "--json")
	if len(groups) != 1 || groups[0].Name != "Data" || groups[0].Components != 2 {
		t.Errorf("groups = %+v; want only Data with 2 (a refused add makes no group)", groups)
	}
}
