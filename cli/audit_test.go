package cli_test

import (
	"strings"
	"testing"
	"time"
)

// TestAudit: beacon audit lists writes newest first, filtered by actor and time.
func TestAudit(t *testing.T) {
	d := newDB(t)
	d.must("--actor", "ada", "group", "add", "Web")
	d.must("--actor", "ada", "component", "add", "API", "--group", "Web")
	d.must("--actor", "Bob Jones", "incident", "open", "--title", "API errors", "--component", "API=major_outage", "--message", "x")
	d.must("--actor", "ada", "incident", "resolve", "1")

	type entry struct {
		ID                                 int64
		At, Actor, Action, Subject, Detail string
	}
	var all []entry
	d.json(&all, "audit", "--json")
	var got []string
	for _, e := range all {
		got = append(got, e.Actor+" "+e.Action)
		if _, err := time.Parse(time.RFC3339, e.At); err != nil {
			t.Errorf("at %q is not RFC 3339: %v", e.At, err)
		}
	}
	want := "ada incident.resolve|Bob Jones incident.open|ada component.add|ada group.add"
	if strings.Join(got, "|") != want {
		t.Fatalf("audit = %q, want %q", strings.Join(got, "|"), want)
	}

	for _, actor := range []string{"bob jones", "bob", "JONES"} {
		var bob []entry
		d.json(&bob, "audit", "--actor", actor, "-o", "json")
		if len(bob) != 1 || bob[0].Action != "incident.open" || bob[0].Subject != "incident #1" {
			t.Errorf("--actor %q = %+v", actor, bob)
		}
	}
	if out := d.must("audit", "--actor", "bob"); !strings.Contains(out, "Bob Jones  incident.open") {
		t.Errorf("--actor bob:\n%s", out)
	}
	for _, since := range []string{"1h", "-1h", time.Now().Add(-time.Hour).UTC().Format(time.RFC3339), time.Now().Add(-time.Hour).Format("2006-01-02 15:04")} {
		var recent []entry
		d.json(&recent, "audit", "--since", since, "--json")
		if len(recent) != 4 {
			t.Errorf("--since %s: %d entries, want 4", since, len(recent))
		}
	}
	newest, _ := time.Parse(time.RFC3339, all[0].At)
	var last []entry
	d.json(&last, "audit", "--since", newest.Format(time.RFC3339Nano), "--json")
	if len(last) != 1 || last[0].ID != all[0].ID {
		t.Errorf("--since the newest entry's time: %+v", last)
	}

	out := d.must("audit", "--limit", "2")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "TIME") || !strings.Contains(lines[1], "ada        incident.resolve") ||
		!strings.Contains(lines[2], "Bob Jones  incident.open") || !strings.Contains(lines[3], "--limit 0 lists every one") {
		t.Errorf("audit --limit 2:\n%s", out)
	}
	if !strings.Contains(lines[1], " UTC ") && !strings.Contains(lines[1], time.Now().Format("MST")) {
		t.Errorf("the time has no zone: %s", lines[1])
	}
	if out := d.must("audit", "--actor", "nobody"); out != "No audit entries match.\n" {
		t.Errorf("no match: %q", out)
	}

	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{"audit", "--since", "yesterday"}, `--since: "yesterday" is not a time`},
		{[]string{"audit", "--since", "+2h"}, `--since: "+2h" is in the future; for a time ago, use -2h`},
		{[]string{"audit", "--limit", "-1"}, "--limit must be 0"},
	} {
		if r := d.run(tt.args...); r.code != 2 || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, tt.msg) {
			t.Errorf("%v: want exit 2 with %q, got %v", tt.args, tt.msg, r)
		}
	}
}
