package cli_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestPeakImpactEverywhere: an incident lowered from a major outage to a partial one, and one
// whose major outage was lifted before the fix, are critical incidents in `incident list
// --json`, `incident show --json`, `incident show`, the API and the page; the text list names
// the lifted component; the JSON always has earlier_components.
func TestPeakImpactEverywhere(t *testing.T) {
	d := fixture(t)
	d.must("incident", "open", "--title", "t1", "--component", "API=major_outage", "--message", "Down.")
	d.must("incident", "update", "1", "--status", "identified", "--component", "API=partial_outage", "--message", "Better.")
	d.must("incident", "resolve", "1")
	d.must("incident", "open", "--title", "t2", "--component", "Website=major_outage", "--message", "Down.")
	d.must("incident", "update", "2", "--status", "identified", "--component", "Website=none", "--message", "Back.")
	d.must("incident", "resolve", "2")

	type incident struct {
		ID      int64           `json:"id"`
		Name    string          `json:"name"`
		Impact  string          `json:"impact"`
		Earlier json.RawMessage `json:"earlier_components"`
	}
	var list []incident
	d.json(&list, "incident", "list", "--all", "--json")
	if len(list) != 2 {
		t.Fatalf("incident list --all --json: %d incidents, want 2", len(list))
	}
	for _, inc := range list {
		var one incident
		d.json(&one, "incident", "show", strings.TrimPrefix(inc.Name, "t"), "--json")
		for how, got := range map[string]incident{"list --json": inc, "show --json": one} {
			if got.Impact != "critical" {
				t.Errorf("%s %s: impact %q, want critical", how, inc.Name, got.Impact)
			}
			if got.Earlier == nil {
				t.Errorf("%s %s: no earlier_components key", how, inc.Name)
			}
		}
	}
	if got := string(list[1].Earlier); list[1].Name != "t1" || got != "[]" {
		t.Errorf("t1's earlier_components = %s, want []", got)
	}

	text := d.must("incident", "list", "--all")
	for _, want := range []string{"t1 · at worst API ✖ Major outage · ", "t2 · at worst Website ✖ Major outage · "} {
		if !strings.Contains(text, want) {
			t.Errorf("incident list --all: missing %q in:\n%s", want, text)
		}
	}
	show := d.must("incident", "show", "1")
	for _, want := range []string{"Fixed · public · critical impact · started ", "\nAt worst: API ✖ Major outage\n"} {
		if !strings.Contains(show, want) {
			t.Errorf("incident show 1: missing %q in:\n%s", want, show)
		}
	}

	base := serveSite(t, d)
	fetch := func(path string) string {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %v", path, resp.StatusCode, err)
		}
		return string(body)
	}
	var api struct {
		Incidents []struct{ Name, Impact, Shortlink string } `json:"incidents"`
	}
	if err := json.Unmarshal([]byte(fetch("/api/v2/incidents.json")), &api); err != nil {
		t.Fatal(err)
	}
	if len(api.Incidents) != 2 {
		t.Fatalf("API incidents: %+v", api.Incidents)
	}
	for _, inc := range api.Incidents {
		if inc.Impact != "critical" {
			t.Errorf("API %s: impact %q, want critical", inc.Name, inc.Impact)
		}
		_, path, _ := strings.Cut(inc.Shortlink, "/incidents/")
		page := fetch("/incidents/" + path)
		if !strings.Contains(page, "Critical impact") || !strings.Contains(page, "At worst during the incident: ") ||
			strings.Contains(page, "Partial outage") {
			t.Errorf("%s's page does not say a critical impact and the major outage alone:\n%s", inc.Name, page)
		}
	}
}
