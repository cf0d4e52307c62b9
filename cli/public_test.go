package cli_test

import (
	"strings"
	"testing"
)

// TestStatusPublic: `status --public` (text and --json) shows what the public sees: an
// internal incident leaves no trace, not its title, not a component's status, not the banner,
// not the time of any change: the public's JSON is the same byte for byte. Responders' `status` shows it all.
func TestStatusPublic(t *testing.T) {
	d := fixture(t)
	d.must("incident", "open", "--title", "Card payments delayed", "--component", "Website=performance_issues", "--message", "Slow.")
	type summary struct {
		Page struct {
			UpdatedAt string `json:"updated_at"`
		} `json:"page"`
		Status struct {
			Indicator string `json:"indicator"`
		} `json:"status"`
		Components []struct {
			Name, Status string
		} `json:"components"`
		Incidents []struct {
			Name string `json:"name"`
		} `json:"incidents"`
	}
	var before summary
	d.json(&before, "status", "--public", "--json")
	beforeText := d.must("status", "--public")
	beforeJSON := d.must("status", "--public", "--json")

	d.must("incident", "open", "--title", "Secret key rotation", "--internal", "--component", "API=major_outage",
		"--component", "Postgres=partial_outage", "--message", "Rotating.")
	d.must("incident", "update", "2", "--status", "identified", "--message", "Halfway.")

	text := d.must("status")
	for _, w := range []string{"Secret key rotation", "API ✖ Major outage", "✖ Some systems are experiencing major issues"} {
		if !strings.Contains(text, w) {
			t.Errorf("responders' status lacks %q:\n%s", w, text)
		}
	}
	public := d.must("status", "--public")
	if public != beforeText {
		t.Errorf("the public's status moved with an internal incident:\nbefore:\n%s\nafter:\n%s", beforeText, public)
	}
	raw := d.must("status", "--public", "--json")
	if raw != beforeJSON {
		t.Errorf("the public's JSON moved with an internal incident:\nbefore:\n%s\nafter:\n%s", beforeJSON, raw)
	}
	for _, w := range []string{"Secret", "internal", "major_outage", "partial_outage"} {
		if strings.Contains(raw, w) {
			t.Errorf("the public's JSON holds %q:\n%s", w, raw)
		}
	}
	var after summary
	d.json(&after, "status", "--public", "--json")
	if after.Status.Indicator != "minor" || before.Status.Indicator != "minor" {
		t.Errorf("public indicator %q, want minor", after.Status.Indicator)
	}
	if after.Page.UpdatedAt != before.Page.UpdatedAt {
		t.Errorf("the public page's updated_at moved with an internal incident: %s → %s", before.Page.UpdatedAt, after.Page.UpdatedAt)
	}
	if len(after.Incidents) != 1 || after.Incidents[0].Name != "Card payments delayed" {
		t.Errorf("public incidents %+v", after.Incidents)
	}
	for _, c := range after.Components {
		want := "operational"
		if c.Name == "Website" {
			want = "degraded_performance"
		}
		if c.Status != want {
			t.Errorf("public %s is %s, want %s", c.Name, c.Status, want)
		}
	}
}
