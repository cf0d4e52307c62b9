package cli_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestTimeAdviceFitsTheFlag: a flag for a time already gone (--at, audit --since) advises
// going back (-90m); one for a time to come (maintenance --start) advises going forward.
func TestTimeAdviceFitsTheFlag(t *testing.T) {
	d := fixture(t)
	tests := []struct {
		name string
		args []string
		want string
		not  string
	}{
		{"--at ahead", []string{"component", "set", "API", "major_outage", "--at", "+90m"}, `--at: "+90m" is in the future; for a time ago, use -90m`, ""},
		{"--at not a time", []string{"component", "set", "API", "major_outage", "--at", "yesterday"}, "-DURATION (-90m, -2h, -1d)", "+"},
		{"incident open --at not a time", []string{"incident", "open", "--title", "x", "--component", "API=major_outage", "--message", "m", "--at", "yesterday"}, "-DURATION (-90m", "+DURATION"},
		{"--at a date ahead", []string{"component", "add", "Cache", "--at", "2999-01-01 10:00"}, `--at: "2999-01-01 10:00" is in the future; use a time already gone: `, "+DURATION"},
		{"audit --since ahead", []string{"audit", "--since", "+2h"}, "for a time ago, use -2h", ""},
		{"maintenance --start not a time", []string{"maintenance", "add", "--title", "Work", "--start", "yesterday", "--for", "1h", "--component", "API"}, "+DURATION (+90m, +2h, +1d)", "-DURATION"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := d.run(tt.args...)
			if r.code != 2 || !strings.Contains(r.stderr, tt.want) || strings.Count(r.stderr, "\n") != 1 {
				t.Fatalf("want exit 2 and one line with %q, got %v", tt.want, r)
			}
			if tt.not != "" && strings.Contains(r.stderr, tt.not) {
				t.Errorf("the advice has %q, which points the wrong way: %s", tt.not, r.stderr)
			}
		})
	}
	for _, cmd := range [][]string{{"component", "set"}, {"component", "add"}, {"incident", "open"}, {"incident", "update"}, {"incident", "resolve"}, {"incident", "reopen"}} {
		help := d.must(append(cmd, "--help")...)
		if !strings.Contains(help, "-DURATION (-90m") || strings.Contains(help, "+DURATION") {
			t.Errorf("%v --help advises a time to come for --at:\n%s", cmd, help)
		}
	}
}

// TestTimeOfDayOnTheCommandLine: HH:MM is the next such time for a maintenance start and the
// latest one for --at.
func TestTimeOfDayOnTheCommandLine(t *testing.T) {
	d := fixture(t)
	utc := []string{"TZ=UTC"}
	now := time.Now().UTC()
	ahead := now.Add(3 * time.Hour).Truncate(time.Minute)
	r := beacon(t, utc, "--db", d.path, "maintenance", "add", "--title", "Tonight's work", "--start", ahead.Format("15:04"), "--for", "1h", "--component", "API", "--json")
	if r.code != 0 {
		t.Fatalf("maintenance add --start %s: %v", ahead.Format("15:04"), r)
	}
	var m struct {
		ScheduledFor time.Time `json:"scheduled_for"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &m); err != nil {
		t.Fatal(err)
	}
	if !m.ScheduledFor.Equal(ahead) {
		t.Errorf("--start %s: scheduled for %v, want the next such time %v", ahead.Format("15:04"), m.ScheduledFor, ahead)
	}

	// An hour ago on the clock is the latest such time (yesterday's, just after midnight).
	back := now.Add(-time.Hour).Truncate(time.Minute)
	r = beacon(t, utc, "--db", d.path, "component", "add", "Cache", "--at", back.Format("15:04"))
	if want := "Recorded at " + back.Format("2006-01-02 15:04") + " UTC"; r.code != 0 || !strings.Contains(r.stdout, want) {
		t.Errorf("component add --at %s: want %q, got %v", back.Format("15:04"), want, r)
	}
}
