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
	tm.waitText(5*time.Second, "Remove group Web?", "API stays, in no group.")
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
	tm.waitLine(5*time.Second, "ada", "group.remove", "Web")
	tm.press("q")
	tm.gone(5 * time.Second)
}

// TestCatalogueFormsFromTheConsole adds a group and a component in it from the console, edits
// both, and checks each step with the command line.
func TestCatalogueFormsFromTheConsole(t *testing.T) {
	db := filepath.Join(t.TempDir(), "beacon.db")
	cli(t, "--db", db, "component", "add", "API", "--group", "Web")
	tm := run(t, 80, 24, console(db, "ada"))
	tm.waitText(10*time.Second, "[1 Components]", "Web (1)")

	tm.press("A")
	tm.waitText(5*time.Second, "Add a group", "collapsed unless issues")
	tm.typeText("Queues")
	tm.press("Tab")
	tm.waitText(5*time.Second, "◂ collapsed unless issues ▸")
	tm.press("Right")
	tm.waitText(5*time.Second, "◂ expanded ▸")
	tm.press("Enter")
	tm.waitText(5*time.Second, "Added group Queues.")
	tm.waitLine(5*time.Second, "▌", "Queues (0)")

	tm.press("a")
	tm.waitText(5*time.Second, "Add a component", "Group        Queues")
	tm.typeText("Kafka")
	tm.press("Enter")
	tm.waitText(5*time.Second, "Added Kafka in Queues.")
	tm.waitLine(5*time.Second, "▌", "Kafka")

	var comps []struct {
		Name      string `json:"name"`
		GroupName string `json:"group_name"`
		Enabled   bool   `json:"enabled"`
	}
	var groups []struct{ Name, Collapse string }
	cliJSON(t, &comps, "--db", db, "component", "list", "--json")
	cliJSON(t, &groups, "--db", db, "group", "list", "--json")
	if len(comps) != 2 || comps[1].Name != "Kafka" || comps[1].GroupName != "Queues" || !comps[1].Enabled {
		t.Fatalf("component list after adding from the console: %+v", comps)
	}
	if len(groups) != 2 || groups[1].Name != "Queues" || groups[1].Collapse != "expanded" {
		t.Fatalf("group list after adding from the console: %+v", groups)
	}

	// Edit the component: a new name, and disabled.
	tm.press("e")
	tm.waitText(5*time.Second, "Edit component Kafka", "Enabled      yes")
	tm.press("C-u")
	tm.waitLine(5*time.Second, "Name", "e.g. Payments API")
	tm.typeText("Kafka brokers")
	tm.press("BTab")
	tm.waitText(5*time.Second, "◂ yes ▸")
	tm.press("Right")
	tm.waitText(5*time.Second, "◂ no: not counted in the banner ▸")
	tm.press("Enter")
	tm.waitText(5*time.Second, "Saved Kafka brokers.")
	tm.waitLine(5*time.Second, "Kafka brokers (disabled)")
	cliJSON(t, &comps, "--db", db, "component", "list", "--json")
	if len(comps) != 2 || comps[1].Name != "Kafka brokers" || comps[1].GroupName != "Queues" || comps[1].Enabled {
		t.Fatalf("component list after editing from the console: %+v", comps)
	}

	// Rename the group; a name already taken is refused in the form, keeping what was typed.
	tm.press("Up")
	tm.waitLine(5*time.Second, "▌", "Queues (1)")
	tm.press("e")
	tm.waitText(5*time.Second, "Edit group Queues")
	tm.press("C-u")
	tm.waitLine(5*time.Second, "Name", "e.g. Web services")
	tm.typeText("web")
	tm.press("Enter")
	tm.waitText(5*time.Second, `Name: a group named "web" already exists (as "Web")`)
	tm.press("C-u")
	tm.waitLine(5*time.Second, "Name", "e.g. Web services")
	tm.typeText("Streams")
	tm.press("Enter")
	tm.waitText(5*time.Second, "Saved group Streams.", "Streams (1)")
	cliJSON(t, &groups, "--db", db, "group", "list", "--json")
	if len(groups) != 2 || groups[1].Name != "Streams" || groups[1].Collapse != "expanded" {
		t.Fatalf("group list after renaming from the console: %+v", groups)
	}

	// Every write is in the audit trail under the console's actor.
	tm.press("2")
	tm.waitText(5*time.Second, "[2 Incidents]")
	tm.press("A")
	tm.waitText(5*time.Second, "Audit trail", "group.rename")
	tm.waitLine(5*time.Second, "ada", "component.disable", "Kafka")
	tm.press("q")
	tm.gone(5 * time.Second)
}
