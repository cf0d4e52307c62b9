package e2e

import (
	"path/filepath"
	"testing"
	"time"
)

// TestCatalogueFromTheConsole adds a component in a new group from the console, then removes
// another, and checks both with the command line.
func TestCatalogueFromTheConsole(t *testing.T) {
	db := filepath.Join(t.TempDir(), "beacon.db")
	cli(t, "--db", db, "component", "add", "API", "--group", "Web")
	tm := run(t, 80, 24, console(db, "ada"))
	tm.waitText(10*time.Second, "[1 Components]", "Web (1)")

	tm.press("a")
	tm.waitText(5*time.Second, "Add a component", "Group        Web")
	tm.typeText("Redis")
	tm.press("Tab", "C-u")
	tm.waitLine(5*time.Second, "Group", "none, or a new or existing group")
	tm.typeText("Data")
	tm.press("Tab")
	tm.typeText("Session store")
	tm.press("Enter")
	tm.waitText(5*time.Second, "Added Redis in Data.", "▾ Data (1)")

	var comps []struct {
		Name      string `json:"name"`
		GroupName string `json:"group_name"`
	}
	cliJSON(t, &comps, "--db", db, "component", "list", "--json")
	if len(comps) != 2 || comps[1].Name != "Redis" || comps[1].GroupName != "Data" {
		t.Fatalf("component list after adding from the console: %+v", comps)
	}
	var groups []struct{ Name string }
	cliJSON(t, &groups, "--db", db, "group", "list", "--json")
	if len(groups) != 2 || groups[1].Name != "Data" {
		t.Fatalf("group list after adding from the console: %+v", groups)
	}

	tm.press("g")
	tm.waitLine(5*time.Second, "▌", "Web")
	tm.press("x")
	tm.waitText(5*time.Second, "Remove group Web?", "Its 1 component(s) stay, in no group.")
	tm.press("y")
	tm.waitText(5*time.Second, "Removed group Web.")
	cliJSON(t, &groups, "--db", db, "group", "list", "--json")
	if len(groups) != 1 || groups[0].Name != "Data" {
		t.Fatalf("group list after removing Web from the console: %+v", groups)
	}

	// The audit trail, a page of Incidents, shows both writes under the console's actor.
	tm.press("2")
	tm.waitText(5*time.Second, "[2 Incidents]")
	tm.press("A")
	tm.waitText(5*time.Second, "Audit trail", "group.remove", "component.add")
	tm.waitLine(5*time.Second, "ada", "group.remove", "group Web")
	tm.press("q")
	tm.gone(5 * time.Second)
}
