package cli_test

import (
	"strings"
	"testing"
	"time"
)

// uptimeDoc is `beacon uptime --json`.
type uptimeDoc struct {
	From, To      string
	TimeZone      string  `json:"time_zone"`
	Days          int     `json:"days"`
	PartialWeight float64 `json:"partial_weight"`
	Components    []uptimeRecord
	Groups        []uptimeRecord
}

type uptimeRecord struct {
	Name            string
	Kind            string
	UptimePercent   *float64 `json:"uptime_percent"`
	ObservedMinutes float64  `json:"observed_minutes"`
	DowntimeMinutes float64  `json:"downtime_minutes"`
	Days            []struct {
		Date           string
		MajorMinutes   float64 `json:"major_minutes"`
		PartialMinutes float64 `json:"partial_minutes"`
		WorstStatus    *string `json:"worst_status"`
	}
}

// TestUptimeCommand writes an outage after the fact and reads it back as uptime, in text and
// JSON, for responders and the public, and checks --at's refusals end to end.
func TestUptimeCommand(t *testing.T) {
	d := newDB(t)
	utc := time.Now().UTC()
	created := utc.Add(-26 * time.Hour).Truncate(time.Minute)
	at := func(t time.Time) string { return t.Format(time.RFC3339) }
	d.must("group", "add", "Web")
	d.must("component", "add", "API", "--group", "Web", "--at", at(created))
	d.must("component", "add", "Website", "--group", "Web", "--at", at(created))
	opened := created.Add(2 * time.Hour)
	id := strings.TrimSpace(d.must("incident", "open", "--message", "Investigating.", "--title", "API down", "--component", "API=major_outage", "--at", at(opened)))
	d.must("incident", "update", id, "--status", "identified", "--message", "Partly back.", "--component", "API=partial_outage",
		"--component", "Website=partial_outage", "--at", at(opened.Add(20*time.Minute)))
	out := d.must("incident", "resolve", id, "--at", at(opened.Add(60*time.Minute)))
	if !strings.Contains(out, "Recorded at ") || !strings.Contains(out, "backdated") {
		t.Errorf("resolve --at does not say when it was recorded:\n%s", out)
	}
	internal := strings.TrimSpace(d.must("incident", "open", "--message", "Investigating.", "--title", "Quiet", "--internal", "--component", "Website=major_outage",
		"--at", at(opened.Add(2*time.Hour))))
	d.must("incident", "resolve", internal, "--at", at(opened.Add(150*time.Minute)))

	var doc uptimeDoc
	d.json(&doc, "uptime", "--days", "3", "--tz", "UTC", "--json")
	if doc.Days != 3 || doc.TimeZone != "UTC" || doc.PartialWeight != 0.3 || len(doc.Components) != 2 || len(doc.Groups) != 1 {
		t.Fatalf("uptime --json: %+v", doc)
	}
	api, site, web := doc.Components[0], doc.Components[1], doc.Groups[0]
	// API: 20 minutes major, 40 partial → 20 + 0.3 × 40 = 32 minutes down.
	if api.Name != "API" || api.DowntimeMinutes != 32 || api.ObservedMinutes < float64(utc.Sub(created).Milliseconds())/60000 || api.ObservedMinutes > 27*60 {
		t.Errorf("API: down %v observed %v", api.DowntimeMinutes, api.ObservedMinutes)
	}
	if api.Days[0].WorstStatus != nil || api.Days[0].MajorMinutes != 0 {
		t.Errorf("API existed the day before yesterday: %+v", api.Days[0])
	}
	// Website: 40 minutes partial, then 30 minutes of internal major outage.
	if site.DowntimeMinutes != 12+30 {
		t.Errorf("Website: down %v, want 42", site.DowntimeMinutes)
	}
	// The group is its worst member: API's 20 major, then 40 partial, then Website's 30 major.
	if web.Kind != "group" || web.DowntimeMinutes != 20+12+30 {
		t.Errorf("group Web: %+v", web)
	}
	var pub uptimeDoc
	d.json(&pub, "uptime", "--days", "3", "--tz", "UTC", "--json", "--public", "--partial-weight", "0.5")
	if got := pub.Components[1].DowntimeMinutes; got != 20 {
		t.Errorf("public Website: down %v, want 20 (the internal incident never shows)", got)
	}

	text := d.must("uptime", "--days", "3", "--component", "API")
	for _, w := range []string{"Uptime over 3 days", "API", "%  ·", "✖", "no data"} {
		if !strings.Contains(text, w) {
			t.Errorf("uptime text lacks %q:\n%s", w, text)
		}
	}

	refusals := []struct {
		name string
		args []string
		msg  string
	}{
		{"future", []string{"component", "set", "API", "major_outage", "--at", "+1h"}, "is in the future"},
		{"before the newest history", []string{"component", "set", "API", "major_outage", "--at", at(opened)},
			`--at: ` + at(opened) + ` is earlier than the newest history of component "API"; the earliest allowed time is ` + at(opened.Add(60*time.Minute))},
		{"update before the incident's newest update", []string{"incident", "update", internal, "--status", "investigating",
			"--message", "Back.", "--at", at(opened.Add(100 * time.Minute))}, "beacon: --at: "},
		{"not a time", []string{"incident", "open", "--message", "Investigating.", "--title", "x", "--component", "API=major_outage", "--at", "yesterday"}, `--at: "yesterday" is not a time`},
		{"bad zone", []string{"uptime", "--tz", "Mars/Olympus"}, `--tz "Mars/Olympus" is not a time zone`},
		{"bad weight", []string{"uptime", "--partial-weight", "2"}, "--partial-weight 2 is out of range"},
		{"bad days", []string{"uptime", "--days", "0"}, "--days 0 is out of range"},
		{"unknown group", []string{"uptime", "--group", "Nope"}, `unknown group "Nope"`},
	}
	for _, r := range refusals {
		res := d.run(r.args...)
		if res.code != 2 || !strings.Contains(res.stderr, r.msg) || strings.Count(res.stderr, "\n") != 1 {
			t.Errorf("%s: %v\nwant exit 2 and one line with %q", r.name, res, r.msg)
		}
	}
	// Refused writes left nothing behind.
	var again uptimeDoc
	d.json(&again, "uptime", "--days", "3", "--tz", "UTC", "--json")
	if again.Components[0].DowntimeMinutes != 32 || d.effective()["API"] != "operational" {
		t.Errorf("a refused write changed the record: %+v", again.Components[0])
	}
}
