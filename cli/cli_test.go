package cli_test

import (
	"encoding/json"
	"os/user"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestCommands walks every command's happy path on one database, in order.
func TestCommands(t *testing.T) {
	d := fixture(t)
	steps := []struct {
		name string
		args []string
		want []string // substrings of stdout
	}{
		{"group list", []string{"group", "list"}, []string{"POS  NAME  COLLAPSE                 COMPONENTS", "1    Web   collapsed_unless_issues  2", "2    Data"}},
		{"component list", []string{"component", "list"}, []string{"API       Web    ● Operational", "Postgres  Data   ● Operational"}},
		{"component list --json", []string{"component", "list", "--json"}, []string{`"name":"API","status":"operational","group_id":1,"group_name":"Web","position":1,"description":"Public REST API",`,
			`"own_status":"operational","link":"https://example.com/api","enabled":true}`}},
		{"component set", []string{"component", "set", "Postgres", "performance issues"},
			[]string{"Postgres: own status ● Operational → ▲ Performance issues", "Postgres is now ▲ Performance issues"}},
		{"status", []string{"status"}, []string{"▲ Some systems are experiencing issues", "Web\n  API", "Postgres  ▲ Performance issues", "No open incidents"}},
		{"open", []string{"incident", "open", "--title", "API errors", "--component", "API=major_outage", "--message", "Looking."}, []string{"1\n"}},
		{"component set held by an incident", []string{"component", "set", "API", "partial_outage"},
			[]string{"API: own status ● Operational → ◐ Partial outage", "API stays ✖ Major outage: held by incident #1 API errors (Major outage)"}},
		{"incident list", []string{"incident", "list"}, []string{"#1      Investigating API errors · API ✖ Major outage · since "}},
		{"status with an incident", []string{"status"}, []string{"1 open incident\n  #1 API errors · Investigating\n    API ✖ Major outage"}},
		{"update", []string{"incident", "update", "1", "--status", "identified", "--message", "Bad deploy.", "--component", "Website=partial_outage"},
			[]string{"Incident #1 API errors: Investigating → Identified", "Website ● Operational → ◐ Partial outage"}},
		{"show", []string{"incident", "show", "#1"}, []string{"#1 API errors\nIdentified · public · critical impact · started ", "Affects: API ✖ Major outage, Website ◐ Partial outage",
			"Identified  by ", "  Bad deploy.\n  Website: no impact → ◐ Partial outage", "Investigating  by ", "  Looking.\n  API: no impact → ✖ Major outage"}},
		{"resolve", []string{"incident", "resolve", "1"},
			[]string{"Incident #1 API errors: Identified → Fixed", "API ✖ Major outage → ◐ Partial outage", "Website ◐ Partial outage → ● Operational"}},
		{"list has nothing open", []string{"incident", "list"}, []string{"No open incidents; --all lists resolved ones too."}},
		{"list --all", []string{"incident", "list", "--all"}, []string{"#1      Fixed         API errors · at worst API ✖ Major outage, Website ◐ Partial outage · "}},
		{"component remove", []string{"component", "remove", "Website"}, []string{"Removed component Website."}},
		{"group remove", []string{"group", "remove", "Data"}, []string{"Removed group Data."}},
		{"ungrouped components", []string{"status"}, []string{"Web\n  API", "Other components\n  Postgres"}},
		{"plain beacon prints the glance", nil, []string{"◐ Some systems are experiencing issues\n", "Web\n  API"}},
		{"--no-mouse is the console's flag", []string{"--no-mouse"}, []string{"◐ Some systems are experiencing issues\n"}},
	}
	for _, s := range steps {
		out := d.must(s.args...)
		for _, w := range s.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: missing %q in:\n%s", s.name, w, out)
			}
		}
	}
	var show struct {
		Status          string `json:"status"`
		IncidentUpdates []struct {
			Body string `json:"body"`
		} `json:"incident_updates"`
	}
	d.json(&show, "incident", "show", "1", "--json")
	if show.Status != "resolved" || len(show.IncidentUpdates) != 3 || show.IncidentUpdates[0].Body != "This incident has been resolved." {
		t.Errorf("show --json after resolve: %+v", show)
	}
}

func TestExitCodes(t *testing.T) {
	d := fixture(t)
	d.must("incident", "open", "--message", "Investigating.", "--title", "API errors", "--component", "API=major_outage")
	tests := []struct {
		name  string
		args  []string
		code  int
		msg   string // in the first line of stderr
		usage bool   // the message points to the command's --help
	}{
		{"bad status word lists the valid ones", []string{"component", "set", "API", "sideways"}, 2,
			`unknown status "sideways"; use one of operational, unknown, under_maintenance, performance_issues, partial_outage, major_outage`, false},
		{"unknown component", []string{"component", "set", "api-gw", "operational"}, 2,
			`unknown component "api-gw"; run 'beacon component list' to see the names`, false},
		{"unknown component in an impact", []string{"incident", "open", "--message", "Investigating.", "--title", "x", "--component", "Nope=major_outage"}, 2, `unknown component "Nope"`, false},
		{"bad impact", []string{"incident", "open", "--message", "Investigating.", "--title", "x", "--component", "API=broken"}, 2,
			`unknown impact "broken"; use one of performance_issues, partial_outage, major_outage or none`, false},
		{"impact without a name", []string{"incident", "open", "--message", "Investigating.", "--title", "x", "--component", "major_outage"}, 2, "use NAME=IMPACT", false},
		{"bad id", []string{"incident", "show", "abc"}, 2, `"abc" is not an incident id`, false},
		{"blank component name", []string{"component", "add", ""}, 2, "beacon component add needs NAME, not a blank one (run 'beacon component add --help' for usage)", true},
		{"blank group name", []string{"group", "add", "  "}, 2, "beacon group add needs NAME, not a blank one", true},
		{"blank status", []string{"component", "set", "API", ""}, 2, "beacon component set needs STATUS, not a blank one", true},
		{"blank id", []string{"incident", "show", " "}, 2, "beacon incident show needs ID, not a blank one", true},
		{"unknown id", []string{"incident", "update", "99", "--status", "fixed", "--message", "x"}, 2, "no incident #99; run 'beacon incident list --all'", false},
		{"missing --title", []string{"incident", "open", "--message", "Investigating.", "--component", "API=major_outage"}, 2, "--title is required", true},
		{"missing --status", []string{"incident", "update", "1", "--message", "x"}, 2, "--status is required", true},
		{"missing --message on open", []string{"incident", "open", "--title", "x", "--component", "API=major_outage"}, 2, "--message is required", true},
		{"blank --message on open", []string{"incident", "open", "--title", "x", "--component", "API=major_outage", "--message", "  "}, 2, "--message is required", true},
		{"bad incident status", []string{"incident", "update", "1", "--status", "done", "--message", "x"}, 2, `unknown incident status "done"`, false},
		{"new incident cannot be watching", []string{"incident", "open", "--message", "Investigating.", "--title", "x", "--component", "API=major_outage", "--status", "watching"}, 2, "a new incident is investigating or identified", false},
		{"unknown flag", []string{"status", "--frob"}, 2, "unknown flag: --frob", true},
		{"a mistyped flag", []string{"serve", "--htpp", "127.0.0.1:0"}, 2, "unknown flag: --htpp; did you mean --http?", true},
		{"a flag cut short", []string{"export", "site", "--base", "https://x.example"}, 2, "did you mean --base-url?", true},
		{"unknown command", []string{"frob"}, 2, `unknown command "frob" for "beacon"`, true},
		{"unknown subcommand", []string{"component", "frob"}, 2, `unknown command "frob" for "beacon component"`, true},
		{"missing argument", []string{"component", "set", "API"}, 2, "beacon component set needs STATUS", true},
		{"duplicate name", []string{"component", "add", "api"}, 2, `a component named "api" already exists`, false},
		{"removing an affected component", []string{"component", "remove", "API"}, 2, `affected by unresolved incident #1 "API errors"`, false},
		{"title too long", []string{"incident", "open", "--message", "Investigating.", "--title", strings.Repeat("x", 201), "--component", "API=major_outage"}, 2, "title: is 201 characters; the limit is 200", false},
		{"unknown group", []string{"group", "remove", "Nope"}, 2, `unknown group "Nope"; run 'beacon group list'`, false},
		{"resolving twice", []string{"incident", "resolve", "1"}, 0, "", false},
		{"resolved already", []string{"incident", "resolve", "1"}, 2, "incident #1 is already resolved", false},
		{"runtime error", []string{"--db", t.TempDir(), "status"}, 1, "is not a Beacon database", false},
		{"help is no error", []string{"incident", "--help"}, 0, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := d.run(tt.args...)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\n%v", r.code, tt.code, r)
			}
			if tt.code == 0 {
				return
			}
			first, rest, _ := strings.Cut(r.stderr, "\n")
			if !strings.HasPrefix(first, "beacon: ") || !strings.Contains(first, tt.msg) {
				t.Errorf("first line of stderr = %q, want \"beacon: …%s…\"", first, tt.msg)
			}
			if pointsToHelp := strings.Contains(first, "--help"); pointsToHelp != tt.usage {
				t.Errorf("points to --help = %v, want %v\n%s", pointsToHelp, tt.usage, r.stderr)
			}
			if rest != "" {
				t.Errorf("error is more than one line:\n%s", r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("an error also printed to stdout: %q", r.stdout)
			}
		})
	}
}

// TestIncidentLifecycle follows components' effective statuses through open → update →
// resolve, with two incidents on one component and the actor recorded as author.
func TestIncidentLifecycle(t *testing.T) {
	d := fixture(t)
	steps := []struct {
		args []string
		want map[string]string
	}{
		{[]string{"--actor", "alice", "incident", "open", "--message", "Investigating.", "--title", "API errors", "--component", "API=partial_outage", "--component", "Postgres=performance_issues"},
			map[string]string{"API": "partial_outage", "Postgres": "degraded_performance", "Website": "operational"}},
		{[]string{"--actor", "bob", "incident", "open", "--message", "Investigating.", "--title", "Site down", "--component", "API=major_outage", "--component", "Website=major_outage", "--internal"},
			map[string]string{"API": "major_outage", "Postgres": "degraded_performance", "Website": "major_outage"}},
		{[]string{"--actor", "carol", "incident", "update", "1", "--status", "watching", "--message", "Better.", "--component", "Postgres=none"},
			map[string]string{"API": "major_outage", "Postgres": "operational", "Website": "major_outage"}},
		{[]string{"--actor", "dave", "incident", "resolve", "2", "--message", "Rolled back."},
			map[string]string{"API": "partial_outage", "Postgres": "operational", "Website": "operational"}},
		{[]string{"incident", "resolve", "1"},
			map[string]string{"API": "operational", "Postgres": "operational", "Website": "operational"}},
		{[]string{"--actor", "erin", "incident", "update", "1", "--status", "identified", "--message", "It is back."},
			map[string]string{"API": "partial_outage", "Postgres": "operational", "Website": "operational"}},
	}
	for _, s := range steps {
		d.must(s.args...)
		if got := d.effective(); !reflect.DeepEqual(got, s.want) {
			t.Fatalf("after %v: effective %v, want %v", s.args, got, s.want)
		}
	}

	type incident struct {
		Status, Impact, Visibility string
		ResolvedAt                 *string `json:"resolved_at"`
		IncidentUpdates            []struct {
			Status, Body, Author string
		} `json:"incident_updates"`
	}
	var one, two incident
	d.json(&one, "incident", "show", "1", "--json")
	d.json(&two, "incident", "show", "2", "--json")
	me, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	authors := func(inc incident) []string {
		var out []string
		for _, u := range inc.IncidentUpdates {
			out = append(out, u.Status+" by "+u.Author)
		}
		return out
	}
	want1 := []string{"identified by erin", "resolved by " + me.Username, "monitoring by carol", "investigating by alice"}
	if got := authors(one); !reflect.DeepEqual(got, want1) {
		t.Errorf("incident 1 timeline = %v, want %v", got, want1)
	}
	if got, want := authors(two), []string{"resolved by dave", "investigating by bob"}; !reflect.DeepEqual(got, want) {
		t.Errorf("incident 2 timeline = %v, want %v", got, want)
	}
	if one.ResolvedAt != nil || one.Status != "identified" || one.Impact != "major" {
		t.Errorf("reopened incident 1: %+v", one)
	}
	if two.ResolvedAt == nil || two.Visibility != "internal" || two.Impact != "critical" || two.IncidentUpdates[0].Body != "Rolled back." {
		t.Errorf("resolved incident 2: %+v", two)
	}
}

func TestOpenJSON(t *testing.T) {
	d := fixture(t)
	var inc struct {
		ID              int64
		Name            string
		Status          string
		IncidentUpdates []struct{ Body, Author, Status string } `json:"incident_updates"`
		Components      []struct{ Name, Impact string }
	}
	d.json(&inc, "--actor", "zoe", "incident", "open", "--json", "--title", "Slow", "--status", "identified",
		"--component", "Postgres=performance_issues", "--message", "Vacuum running.")
	if inc.ID != 1 || inc.Name != "Slow" || inc.Status != "identified" || len(inc.IncidentUpdates) != 1 ||
		inc.IncidentUpdates[0].Author != "zoe" || inc.IncidentUpdates[0].Body != "Vacuum running." ||
		len(inc.Components) != 1 || inc.Components[0].Impact != "degraded_performance" {
		t.Errorf("open --json = %+v", inc)
	}
}

func TestStatusJSON(t *testing.T) {
	d := newDB(t)
	d.must("demo")
	var doc map[string]json.RawMessage
	d.json(&doc, "status", "--json")
	var page struct {
		Name      string  `json:"name"`
		UpdatedAt *string `json:"updated_at"`
	}
	var status struct{ Indicator, Description string }
	var comps []map[string]any
	var incs []map[string]any
	for key, v := range map[string]any{"page": &page, "status": &status, "components": &comps, "incidents": &incs} {
		if err := json.Unmarshal(doc[key], v); err != nil {
			t.Fatalf("%s: %v", key, err)
		}
	}
	if page.Name != "Beacon" || page.UpdatedAt == nil || !strings.HasSuffix(*page.UpdatedAt, "Z") {
		t.Errorf("page = %+v", page)
	}
	if status.Indicator != "major" || status.Description == "" {
		t.Errorf("status = %+v", status)
	}
	if len(comps) != 13 || len(incs) != 1 {
		t.Fatalf("%d components, %d incidents; want 13 and the demo's one open incident", len(comps), len(incs))
	}
	for _, k := range []string{"id", "name", "status", "group_id", "group_name", "position", "description", "updated_at"} {
		if _, ok := comps[0][k]; !ok {
			t.Errorf("component lacks %q: %v", k, comps[0])
		}
	}
	for _, k := range []string{"id", "name", "status", "impact", "visibility", "created_at", "updated_at", "resolved_at", "incident_updates", "components"} {
		if _, ok := incs[0][k]; !ok {
			t.Errorf("incident lacks %q: %v", k, incs[0])
		}
	}
	if ups := incs[0]["incident_updates"].([]any); len(ups) < 2 {
		t.Errorf("the open incident's timeline is missing: %v", ups)
	}
}

func TestDemo(t *testing.T) {
	d := newDB(t)
	out := d.must("demo")
	if !strings.Contains(out, "Filled "+d.path+" with demo data: 4 groups, 13 components, ") {
		t.Errorf("demo said: %s", out)
	}
	if st := d.must("status"); !strings.Contains(st, "1 open incident") {
		t.Errorf("status after demo:\n%s", st)
	}
	r := d.run("demo")
	if r.code != 2 || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "already holds data") {
		t.Errorf("demo on a non-empty database: %v", r)
	}
}

func TestDatabasePath(t *testing.T) {
	home := t.TempDir()
	tests := []struct {
		name string
		env  []string
		args []string
		want string
	}{
		{"the flag wins", []string{"BEACON_DB=" + filepath.Join(home, "env.db")}, []string{"--db", filepath.Join(home, "flag.db")}, "flag.db"},
		{"then the BEACON_DB variable", []string{"BEACON_DB=" + filepath.Join(home, "env.db"), "XDG_DATA_HOME=" + filepath.Join(home, "xdg")}, nil, "env.db"},
		{"then the XDG data home", []string{"XDG_DATA_HOME=" + filepath.Join(home, "xdg")}, nil, "xdg/beacon/beacon.db"},
		{"then the home directory", []string{"HOME=" + home}, nil, ".local/share/beacon/beacon.db"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := beacon(t, tt.env, append(tt.args, "group", "add", tt.name)...)
			if r.code != 0 {
				t.Fatal(r)
			}
			check := beacon(t, nil, "--db", filepath.Join(home, tt.want), "group", "list")
			if !strings.Contains(check.stdout, tt.name) {
				t.Errorf("the group is not in %s: %v", tt.want, check)
			}
		})
	}
}
