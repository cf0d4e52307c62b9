package cli_test

import (
	"fmt"
	"strings"
	"testing"
)

// TestLookAlikeNames: the real binary refuses names with invisible characters, and names that
// are another's once normalised and case-folded; nine components can no longer all read
// "Website".
func TestLookAlikeNames(t *testing.T) {
	d := fixture(t)
	for _, name := range []string{"Web\u200bsite", "\ufeffWebsite", "Website\u200e", "Web\u061csite", "Web\u00adsite",
		"Web\u034fsite", "\u3164", "Website\U000E0041", "Web\u2060site"} {
		r := d.run("component", "add", name)
		if r.code != 2 || !strings.Contains(r.stderr, "invisible character") && !strings.Contains(r.stderr, "is required") {
			t.Errorf("component add %q: %v, want a refusal (exit 2)", name, r)
		}
		if r := d.run("group", "add", name); r.code != 2 {
			t.Errorf("group add %q: %v, want a refusal (exit 2)", name, r)
		}
	}
	d.must("component", "add", "Café")
	for _, name := range []string{"CAFÉ", "Cafe\u0301", "WEBSITE"} {
		r := d.run("component", "add", name)
		if r.code != 2 || !strings.Contains(r.stderr, "already exists") {
			t.Errorf("component add %q: %v, want it refused as an existing name", name, r)
		}
	}
	var list []struct{ Name string }
	d.json(&list, "component", "list", "--json")
	if len(list) != 4 {
		t.Errorf("components: %+v", list)
	}
}

// TestImpactsAndLinksValidated: one component named twice in one open or update is refused
// (not "last wins"), and a component's link must be an http or https address.
func TestImpactsAndLinksValidated(t *testing.T) {
	d := fixture(t)
	for _, args := range [][]string{
		{"incident", "open", "--message", "Investigating.", "--title", "x", "--component", "API=major_outage", "--component", "API=partial_outage"},
		{"incident", "open", "--message", "Investigating.", "--title", "x", "--component", "API=major_outage", "--component", "api=major_outage"},
	} {
		r := d.run(args...)
		if r.code != 2 || !strings.Contains(r.stderr, "both name API; give each component once") {
			t.Errorf("%v: %v, want exit 2 naming the component", args, r)
		}
	}
	d.must("incident", "open", "--title", "x", "--component", "API=major_outage", "--message", "m")
	r := d.run("incident", "update", "1", "--status", "identified", "--message", "m", "--component", "Website=major_outage", "--component", "website=none")
	if r.code != 2 || !strings.Contains(r.stderr, "both name Website") {
		t.Errorf("update naming Website twice: %v", r)
	}
	for _, link := range []string{"javascript:alert(1)", "data:text/html,<b>x</b>", "file:///etc/passwd", "ftp://example.com", "example.com", "https://"} {
		r := d.run("component", "add", "Docs", "--link", link)
		if r.code != 2 || !strings.Contains(r.stderr, "is not an http or https address") {
			t.Errorf("link %q: %v, want exit 2", link, r)
		}
	}
	for i, link := range []string{"https://docs.example.com/status", "http://10.0.0.1:8080/"} {
		d.must("component", "add", fmt.Sprintf("Docs %d", i), "--link", link)
	}
}

// TestExpectUpdate: `incident update --expect-update N` posts only while N is the incident's
// newest update; after someone else's resolve it is refused (exit 2), saying what came, and
// the incident stays resolved.
func TestExpectUpdate(t *testing.T) {
	d := fixture(t)
	d.must("incident", "open", "--title", "Errors", "--component", "API=major_outage", "--message", "m")
	var show struct {
		IncidentUpdates []struct{ ID int64 } `json:"incident_updates"`
	}
	d.json(&show, "incident", "show", "1", "--json")
	seen := fmt.Sprint(show.IncidentUpdates[0].ID)
	d.must("--actor", "bob", "incident", "resolve", "1", "--message", "Fixed.")
	r := d.run("incident", "update", "1", "--expect-update", seen, "--status", "identified", "--message", "Found it.")
	if r.code != 2 || !strings.Contains(r.stderr, "incident #1 changed while this update was written") || !strings.Contains(r.stderr, "Fixed, by bob") {
		t.Errorf("stale update: %v, want a refusal naming bob's fix", r)
	}
	d.json(&show, "incident", "show", "1", "--json")
	if len(show.IncidentUpdates) != 2 {
		t.Errorf("%d updates after the refused post, want 2", len(show.IncidentUpdates))
	}
	d.must("incident", "update", "1", "--expect-update", fmt.Sprint(show.IncidentUpdates[0].ID), "--status", "identified", "--message", "Back.")
}
