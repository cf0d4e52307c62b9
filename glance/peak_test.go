package glance

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"beacon/store"
)

// lowered went API major outage → partial outage; lifted went DNS major outage → no impact.
var (
	lowered = store.Impact{ComponentID: 1, ComponentName: "API", Status: store.PartialOutage, Worst: store.MajorOutage}
	lifted  = store.Impact{ComponentID: 2, ComponentName: "DNS", Status: store.MajorOutage, Worst: store.MajorOutage}
	steady  = store.Impact{ComponentID: 3, ComponentName: "Web", Status: store.PerformanceIssues, Worst: store.PerformanceIssues}
)

// TestIncidentJSONPeakAndStableKeys: an incident's JSON says its peak impact, each component's
// worst impact, and always has earlier_components, [] when there are none.
func TestIncidentJSONPeakAndStableKeys(t *testing.T) {
	for _, c := range []struct {
		name       string
		inc        store.Incident
		impact     string
		components string
		earlier    string
	}{
		{"nothing lifted", store.Incident{Impacts: []store.Impact{steady}}, "minor",
			`[{"id":3,"name":"Web","impact":"degraded_performance","worst_impact":"degraded_performance"}]`, `[]`},
		{"lowered", store.Incident{Impacts: []store.Impact{lowered}}, "critical",
			`[{"id":1,"name":"API","impact":"partial_outage","worst_impact":"major_outage"}]`, `[]`},
		{"all lifted", store.Incident{Lifted: []store.Impact{lifted}}, "critical",
			`[]`, `[{"id":2,"name":"DNS","impact":"major_outage","worst_impact":"major_outage"}]`},
		{"no components", store.Incident{}, "none", `[]`, `[]`},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.inc.ID, c.inc.Title, c.inc.Status, c.inc.Visibility = 4, "Errors", store.Fixed, store.Public
			c.inc.ResolvedAt = at
			data, err := json.Marshal(NewIncident(c.inc, nil))
			if err != nil {
				t.Fatal(err)
			}
			var doc map[string]json.RawMessage
			if err := json.Unmarshal(data, &doc); err != nil {
				t.Fatal(err)
			}
			if got := string(doc["impact"]); got != `"`+c.impact+`"` {
				t.Errorf("impact %s, want %q", got, c.impact)
			}
			if got := string(doc["components"]); got != c.components {
				t.Errorf("components %s, want %s", got, c.components)
			}
			got, ok := doc["earlier_components"]
			if !ok {
				t.Fatalf("no earlier_components key in %s", data)
			}
			if string(got) != c.earlier {
				t.Errorf("earlier_components %s, want %s", got, c.earlier)
			}
		})
	}
}

// TestIncidentImpactsText: a line in a list says a resolved incident's components at their
// worst, and an unresolved one's now, with what was worse earlier, lifted ones included.
func TestIncidentImpactsText(t *testing.T) {
	s := plain(t)
	resolved := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, c := range []struct {
		name string
		inc  store.Incident
		want string
	}{
		{"unresolved, lowered", store.Incident{Impacts: []store.Impact{lowered}},
			"API ◐ Partial outage (✖ Major outage earlier)"},
		{"unresolved, lowered and lifted", store.Incident{Impacts: []store.Impact{lowered, steady}, Lifted: []store.Impact{lifted}},
			"API ◐ Partial outage (✖ Major outage earlier), Web ▲ Performance issues, DNS (✖ Major outage earlier)"},
		{"unresolved, all lifted", store.Incident{Lifted: []store.Impact{lifted}}, "DNS (✖ Major outage earlier)"},
		{"resolved: each at its worst", store.Incident{ResolvedAt: resolved, Impacts: []store.Impact{lowered}, Lifted: []store.Impact{lifted}},
			"at worst API ✖ Major outage, DNS ✖ Major outage"},
		{"resolved, all lifted", store.Incident{ResolvedAt: resolved, Lifted: []store.Impact{lifted}}, "at worst DNS ✖ Major outage"},
		{"none", store.Incident{}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := IncidentImpacts(c.inc, s); got != c.want {
				t.Errorf("IncidentImpacts = %q, want %q", got, c.want)
			}
		})
	}
	if got := Impacts([]store.Impact{lowered}, s); !strings.Contains(got, "(✖ Major outage earlier)") {
		t.Errorf("the glance's impacts forget the worst: %q", got)
	}
}
