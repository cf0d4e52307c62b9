package incidents

import (
	"strings"
	"testing"

	"beacon/store"
	"beacon/tui/internal/fixture"
	"beacon/tui/keys"
	"beacon/tui/shared"
)

// TestRowsLineUp: the title starts in one column on every row, however long the ids and
// statuses on screen are, and at 60 columns a title gets the most of the row.
func TestRowsLineUp(t *testing.T) {
	st := fixture.Open(t)
	at := fixture.Now.Add(-40 * 60e9)
	unresolved := []store.Incident{
		{ID: 100000, Title: "Increased latency on the admin dashboard", Status: store.Investigating, Visibility: store.Internal, OccurredAt: at},
		{ID: 7, Title: "Checkout errors", Status: store.Identified, Visibility: store.Public, OccurredAt: at},
	}
	for _, width := range []int{80, 60} {
		m := New(fixture.Common(t, st, width, 12), keys.New(false))
		m.SetSize(width, 12)
		m.Update(shared.DashboardMsg{Dashboard: store.Dashboard{Unresolved: unresolved}})
		v := m.View()
		lines := strings.Split(v, "\n")
		if len(lines) < 3 {
			t.Fatalf("at %d columns:\n%s", width, v)
		}
		a, b := strings.Index(lines[1], "internal Increased"), strings.Index(lines[2], "Checkout errors")
		if a < 0 || b < 0 || len([]rune(lines[1][:a])) != len([]rune(lines[2][:b])) {
			t.Errorf("at %d columns the titles do not line up:\n%s", width, v)
		}
		if !strings.Contains(lines[1], "#100000 internal") {
			t.Errorf("at %d columns the id runs into the title:\n%s", width, v)
		}
		if width == 60 && !strings.Contains(lines[1], "internal Increased latenc") {
			t.Errorf("at 60 columns the title is cut short:\n%s", v)
		}
	}
}

// TestRowSaysThePeakImpact: an unresolved incident's row says its peak impact, the worst it
// did at any time, as the site and the API do: not the milder impact it was lowered to.
func TestRowSaysThePeakImpact(t *testing.T) {
	st := fixture.Open(t)
	at := fixture.Now.Add(-40 * 60e9)
	unresolved := []store.Incident{
		{ID: 7, Title: "Checkout errors", Status: store.Identified, Visibility: store.Public, OccurredAt: at,
			Impacts: []store.Impact{{ComponentID: 1, ComponentName: "API", Status: store.PartialOutage, Worst: store.MajorOutage}}},
		{ID: 8, Title: "Resolver down", Status: store.Watching, Visibility: store.Public, OccurredAt: at,
			Lifted: []store.Impact{{ComponentID: 2, ComponentName: "DNS", Status: store.PartialOutage, Worst: store.PartialOutage}}},
	}
	m := New(fixture.Common(t, st, 100, 12), keys.New(false))
	m.SetSize(100, 12)
	m.Update(shared.DashboardMsg{Dashboard: store.Dashboard{Unresolved: unresolved}})
	v := m.View()
	for _, want := range []string{"Checkout errors", "✖ Major outage", "Resolver down", "◐ Partial outage"} {
		if !strings.Contains(v, want) {
			t.Errorf("the rows do not say %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "no impact") {
		t.Errorf("a lifted impact reads as none:\n%s", v)
	}
}
