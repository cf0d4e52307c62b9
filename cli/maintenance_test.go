package cli_test

import (
	"strings"
	"testing"
	"time"
)

// TestMaintenanceLifecycle drives the maintenance commands on the built binary: a window in
// progress holds its component, finishing it brings the component back, a scheduled one is
// listed and cancelled, and a window that is over refuses every change.
func TestMaintenanceLifecycle(t *testing.T) {
	d := fixture(t)
	id := strings.TrimSpace(d.must("maintenance", "add", "--title", "Database upgrade", "--start", "-1m", "--for", "1h",
		"--component", "API", "--component", "postgres", "--message", "Upgrading to 17."))
	if id != "1" {
		t.Fatalf("add printed %q, want the id 1", id)
	}
	if got := d.effective(); got["API"] != "under_maintenance" || got["Postgres"] != "under_maintenance" || got["Website"] != "operational" {
		t.Errorf("during the window: %v", got)
	}
	steps := []struct {
		name string
		args []string
		want []string
	}{
		{"status", []string{"status"}, []string{"◆ Some systems are under maintenance", "API       ◆ Under maintenance",
			"Maintenance in progress\n  #1 Database upgrade · ◆ in progress until ", " · API, Postgres\n"}},
		{"list", []string{"maintenance", "list"}, []string{"#1  ◆ In progress  ", "Database upgrade · API, Postgres"}},
		{"update", []string{"maintenance", "update", "1", "--message", "Halfway there."}, []string{"Maintenance #1 Database upgrade: ◆ In progress"}},
		{"show", []string{"maintenance", "show", "#1"}, []string{"#1 Database upgrade\n◆ In progress · ", "Components: API, Postgres",
			"In progress · tester\n  Halfway there.", "In progress · Beacon\n  The maintenance has started.", "Scheduled · "}},
	}
	for _, s := range steps {
		out := d.must(append([]string{"--actor", "tester"}, s.args...)...)
		for _, w := range s.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: missing %q in:\n%s", s.name, w, out)
			}
		}
	}
	var sum struct {
		Status struct{ Indicator string }
		Maint  []struct {
			ID             int64
			Status         string
			ScheduledFor   string `json:"scheduled_for"`
			ScheduledUntil string `json:"scheduled_until"`
			Components     []struct{ Name string }
			Updates        []struct{ Body string } `json:"incident_updates"`
		} `json:"scheduled_maintenances"`
	}
	d.json(&sum, "status", "--json")
	if sum.Status.Indicator != "maintenance" || len(sum.Maint) != 1 || sum.Maint[0].Status != "in_progress" ||
		len(sum.Maint[0].Components) != 2 || len(sum.Maint[0].Updates) != 3 || sum.Maint[0].Updates[0].Body != "Halfway there." {
		t.Errorf("status --json: %+v", sum)
	}
	if r := d.run("status", "--check"); r.code != 0 || !strings.Contains(r.stdout, "BEACON OK - 2 under maintenance: API, Postgres") {
		t.Errorf("status --check during maintenance: %v", r)
	}

	out := d.must("maintenance", "finish", "1")
	if !strings.Contains(out, "Maintenance #1 Database upgrade: ◇ Finished early") {
		t.Errorf("finish printed %q", out)
	}
	if got := d.effective(); got["API"] != "operational" || got["Postgres"] != "operational" {
		t.Errorf("after finishing: %v", got)
	}

	d.must("maintenance", "add", "--title", "Switch swap", "--start", "+2h", "--end", "+3h", "--component", "Website", "--internal")
	d.must("maintenance", "add", "--title", "Weekly patching", "--start", "+1d", "--for", "30m", "--component", "API", "--every", "weekly", "--count", "4")
	out = d.must("maintenance", "list")
	for _, w := range []string{"#2  ◇ Scheduled", "Switch swap · Website · internal", "#3  ◇ Scheduled", "Weekly patching · API · weekly, #1 of the series"} {
		if !strings.Contains(out, w) {
			t.Errorf("list: missing %q in:\n%s", w, out)
		}
	}
	if strings.Contains(out, "#1  ") {
		t.Errorf("list shows the finished window:\n%s", out)
	}
	if out := d.must("status", "--public"); strings.Contains(out, "Switch swap") || !strings.Contains(out, "Weekly patching") {
		t.Errorf("the public glance shows the internal window or hides the public one:\n%s", out)
	}
	if out := d.must("maintenance", "cancel", "2", "--message", "Postponed."); !strings.Contains(out, "◇ Cancelled") {
		t.Errorf("cancel printed %q", out)
	}
	out = d.must("maintenance", "list", "--all")
	if !strings.Contains(out, "◇ Cancelled") || !strings.Contains(out, "◇ Finished early") {
		t.Errorf("list --all:\n%s", out)
	}
	var listed []struct {
		ID     int64
		Status string
	}
	d.json(&listed, "maintenance", "list", "--all", "--json")
	if len(listed) != 3 || listed[0].ID != 3 || listed[0].Status != "scheduled" {
		t.Errorf("list --all --json: %+v", listed)
	}
}

// TestMaintenanceRefusals checks every refusal: exit 2, one line that says what to do, and
// nothing written.
func TestMaintenanceRefusals(t *testing.T) {
	d := fixture(t)
	d.must("maintenance", "add", "--title", "Done", "--start", "-1h", "--for", "30m", "--component", "API")
	d.must("maintenance", "add", "--title", "Finished", "--start", "-1m", "--for", "1h", "--component", "API")
	d.must("maintenance", "finish", "2")
	d.must("maintenance", "add", "--title", "Called off", "--start", "+1h", "--for", "1h", "--component", "API")
	d.must("maintenance", "cancel", "3")
	before := d.must("maintenance", "list", "--all", "--json")
	add := func(extra ...string) []string {
		return append([]string{"maintenance", "add", "--title", "Upgrade"}, extra...)
	}
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"end before start", add("--start", "+2h", "--end", "+1h", "--component", "API"), "is not after --start"},
		{"end at start", add("--start", "2030-01-01 10:00", "--end", "2030-01-01 10:00", "--component", "API"), "is not after --start"},
		{"zero duration", add("--start", "+1h", "--for", "0s", "--component", "API"), "must be more than zero"},
		{"negative duration", add("--start", "+1h", "--for=-5m", "--component", "API"), "is not a duration"},
		{"unknown component", add("--start", "+1h", "--for", "1h", "--component", "Nope"), `unknown component "Nope"; run 'beacon component list'`},
		{"no component", add("--start", "+1h", "--for", "1h"), "--component is required"},
		{"more than a year ahead", add("--start", "+400d", "--for", "1h", "--component", "API"), "more than a year ahead"},
		{"bad start", add("--start", "tomorrow", "--for", "1h", "--component", "API"), `--start: "tomorrow" is not a time; use RFC 3339`},
		{"no start", add("--for", "1h", "--component", "API"), "--start is required"},
		{"no end", add("--start", "+1h", "--component", "API"), "give --end TIME or --for DURATION"},
		{"end and for", add("--start", "+1h", "--end", "+2h", "--for", "1h", "--component", "API"), "not both"},
		{"no title", []string{"maintenance", "add", "--start", "+1h", "--for", "1h", "--component", "API"}, "--title is required"},
		{"bad recurrence", add("--start", "+1h", "--for", "1h", "--component", "API", "--every", "fortnightly"), "use daily, weekly or monthly"},
		{"until without every", add("--start", "+1h", "--for", "1h", "--component", "API", "--until", "2030-01-01"), "need --every"},
		{"zero count", add("--start", "+1h", "--for", "1h", "--component", "API", "--every", "daily", "--count", "0"), "at least one occurrence"},
		// The refused value is named as the flag only when the user typed that flag.
		{"daily window of two days", add("--start", "+1h", "--for", "2d", "--component", "API", "--every", "daily"), "beacon: end: a daily window must be shorter than a day"},
		{"daily window ending two days on", add("--start", "+1h", "--end", "+49h", "--component", "API", "--every", "daily"), "beacon: --end: a daily window must be shorter than a day"},
		{"finish a completed one", []string{"maintenance", "finish", "1"}, "maintenance #1 is completed; it cannot be finished"},
		{"update a finished one", []string{"maintenance", "update", "2", "--message", "More."}, "maintenance #2 was finished; it cannot be updated"},
		{"cancel a finished one", []string{"maintenance", "cancel", "2"}, "maintenance #2 was finished"},
		{"finish a cancelled one", []string{"maintenance", "finish", "3"}, "maintenance #3 was cancelled"},
		{"cancel a cancelled one", []string{"maintenance", "cancel", "3"}, "maintenance #3 was cancelled"},
		{"update without a message", []string{"maintenance", "update", "3"}, "--message is required"},
		{"unknown id", []string{"maintenance", "show", "99"}, "no maintenance #99; run 'beacon maintenance list --all'"},
		{"bad id", []string{"maintenance", "cancel", "x"}, `"x" is not a maintenance id`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := d.run(tt.args...)
			if r.code != 2 {
				t.Fatalf("exit %d, want 2: %v", r.code, r)
			}
			line := strings.TrimSuffix(r.stderr, "\n")
			if strings.Contains(line, "\n") || !strings.Contains(line, tt.msg) {
				t.Errorf("stderr %q, want one line with %q", r.stderr, tt.msg)
			}
		})
	}
	if after := d.must("maintenance", "list", "--all", "--json"); after != before {
		t.Errorf("a refused command changed the windows:\nbefore %s\nafter  %s", before, after)
	}
}

// TestMaintenanceStartAlreadyPassed: a start already past is accepted (the window starts at
// once, never earlier) with a note on stderr, so a mistyped sign is seen; the timeline entries
// the clock writes name Beacon as their author. A window wholly past is recorded after the
// fact: one completed entry by whoever recorded it, with the times given.
func TestMaintenanceStartAlreadyPassed(t *testing.T) {
	tests := []struct {
		name     string
		start    string
		length   string
		note     string // on stderr; "" for none
		statuses []string
		clock    int  // how many entries Beacon wrote
		fromNow  bool // the window starts when it was scheduled
	}{
		{"an hour ago, for two hours", "-1h", "2h", "is in progress from now (", []string{"in_progress", "scheduled"}, 1, true},
		{"wholly past", "-2h", "30m", "and so had its end (", []string{"completed"}, 0, false},
		{"now", "now", "1h", "", []string{"in_progress", "scheduled"}, 1, true},
		{"to come", "+1h", "1h", "", []string{"scheduled"}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := fixture(t)
			before := time.Now().Add(-time.Second)
			r := d.run("maintenance", "add", "--title", "Work", "--start", tt.start, "--for", tt.length, "--component", "API")
			after := time.Now()
			if r.code != 0 || r.stdout != "1\n" {
				t.Fatalf("want exit 0 and the id, got %v", r)
			}
			if tt.note == "" && r.stderr != "" || tt.note != "" && (!strings.Contains(r.stderr, tt.note) || strings.Count(r.stderr, "\n") != 1) {
				t.Errorf("stderr %q, want %q", r.stderr, tt.note)
			}
			var m struct {
				ScheduledFor time.Time                         `json:"scheduled_for"`
				CreatedAt    time.Time                         `json:"created_at"`
				Updates      []struct{ Status, Author string } `json:"incident_updates"`
			}
			d.json(&m, "maintenance", "show", "1", "--json")
			var statuses []string
			clock := 0
			for _, u := range m.Updates {
				statuses = append(statuses, u.Status)
				if u.Author == "Beacon" {
					clock++
				}
			}
			if strings.Join(statuses, ",") != strings.Join(tt.statuses, ",") || clock != tt.clock {
				t.Errorf("timeline %v with %d entries by Beacon, want %v with %d", statuses, clock, tt.statuses, tt.clock)
			}
			if fromNow := !m.ScheduledFor.Before(before) && !m.ScheduledFor.After(after); fromNow != tt.fromNow {
				t.Errorf("scheduled for %v (recorded %v), want from now: %v", m.ScheduledFor, m.CreatedAt, tt.fromNow)
			}
		})
	}
}

// TestMaintenanceShowTellsWhatHappened: `maintenance show` says that a window was posted
// after it had ended (with one entry, by whoever posted it), keeps a cancelled window's
// announced end, and gives an entry that scheduled a window without a message its words; a
// series may not begin with a window already over.
func TestMaintenanceShowTellsWhatHappened(t *testing.T) {
	d := fixture(t)
	d.must("maintenance", "add", "--title", "Past", "--start", "-3h", "--for", "1h", "--component", "API")
	out := d.must("maintenance", "show", "1")
	for _, want := range []string{"◇ Completed", "Posted after it had ended, at ", "Completed · ", "This maintenance was posted after it had ended."} {
		if !strings.Contains(out, want) {
			t.Errorf("show of a window posted after it ended lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "In progress") || strings.Contains(out, "Scheduled") || strings.Contains(out, "Beacon") {
		t.Errorf("a window posted after it ended claims a start or a schedule:\n%s", out)
	}

	d.must("maintenance", "add", "--title", "Later", "--start", "+1h", "--for", "2h", "--component", "API")
	var m struct {
		ScheduledFor   time.Time `json:"scheduled_for"`
		ScheduledUntil time.Time `json:"scheduled_until"`
	}
	d.json(&m, "maintenance", "show", "2", "--json")
	d.must("maintenance", "cancel", "2")
	out = d.must("maintenance", "show", "2")
	end := m.ScheduledUntil.Local().Format("15:04")
	for _, want := range []string{"◇ Cancelled", "→ " + end, "Cancelled at ", "This maintenance is scheduled."} {
		if !strings.Contains(out, want) {
			t.Errorf("show of a cancelled window lacks %q:\n%s", want, out)
		}
	}

	r := d.run("maintenance", "add", "--title", "Patching", "--start", "-3h", "--for", "1h", "--component", "API", "--every", "daily")
	if r.code != 2 || !strings.Contains(r.stderr, "start the series at an occurrence still to come") {
		t.Errorf("a series beginning with a window already over: %v", r)
	}
}
