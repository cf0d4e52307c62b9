package e2e

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"beacon/store"
)

// manyComponents makes a database with 120 components in six groups, the last of them
// "Payments gateway", and returns its path.
func manyComponents(t testing.TB) string {
	t.Helper()
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "beacon.db")
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	actor := store.Actor{Name: "seed"}
	for g := range 6 {
		grp, err := st.AddGroup(ctx, actor, fmt.Sprintf("Region %d", g+1))
		if err != nil {
			t.Fatal(err)
		}
		for c := range 20 {
			name := fmt.Sprintf("Service %d-%02d", g+1, c+1)
			if g == 5 && c == 19 {
				name = "Payments gateway"
			}
			if _, err := st.AddComponent(ctx, actor, store.NewComponent{Name: name, GroupID: grp.ID}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return db
}

// TestDeclareByFilteringComponents declares an incident on one component among 120 by typing
// a filter in the composer, at the console's smallest size: the filter is typed in one burst
// with a space in it (never a list key), the selection made while narrowed stays when the
// filter is cleared, and the command line finds the incident on that component alone.
func TestDeclareByFilteringComponents(t *testing.T) {
	db := manyComponents(t)
	tm := run(t, 60, 15, console(db, "erin"))
	tm.waitText(10*time.Second, "Region 1")
	tm.press("n")
	tm.waitText(step, "▸ 1 Affected", "Nothing selected.")

	tm.typeText("/ments gat")
	tm.waitText(step, "/ ments gat")
	tm.press("Enter")
	s := tm.waitText(step, "/ ments gat  (esc clears)", "Region 6")
	if strings.Contains(s, "Service") {
		t.Fatalf("the filter shows other components; the screen:\n%s", s)
	}
	tm.press("Space")
	tm.waitLine(step, "› [x] Payments gateway")
	tm.waitText(step, "1 selected: Payments gateway ◐")

	tm.press("Escape")
	s = tm.waitText(step, "Service 6-19", "› [x] Payments gateway", "1 selected: Payments gateway ◐")
	if strings.Contains(s, "esc clears") {
		t.Fatalf("esc left the filter on; the screen:\n%s", s)
	}

	tm.press("Tab")
	tm.waitText(step, "▸ 2 Title")
	tm.typeText("Payments fail")
	tm.press("Enter")
	tm.waitText(step, "▸ 3 Message")
	tm.typeText("Card payments time out.")
	tm.waitText(step, "time out.")
	tm.press("Tab")
	tm.waitText(step, "▸ 4 Review")
	tm.press("Enter")
	tm.waitText(step, "[3 Incident]", "Payments fail")

	var inc incidentJSON
	cliJSON(t, &inc, "--db", db, "incident", "show", fmt.Sprint(incidentID(t, db, "Payments fail")), "--json")
	if len(inc.Components) != 1 || inc.Components[0].Name != "Payments gateway" || inc.Components[0].Impact != "partial_outage" {
		t.Fatalf("the incident affects %+v, want Payments gateway alone at partial_outage", inc.Components)
	}
	tm.press("q")
	tm.gone(step)
}
