package e2e

import (
	"strings"
	"testing"
	"time"
)

// TestConsoleFollowsMaintenanceByTheClock schedules a window two seconds ahead from another
// process and watches the console, with no key pressed: the component is marked as having
// work ahead, goes under maintenance at the start and comes back at the end.
func TestConsoleFollowsMaintenanceByTheClock(t *testing.T) {
	db := demoDB(t)
	var comps []component
	cliJSON(t, &comps, "--db", db, "component", "list", "--json")
	name := ""
	for _, c := range comps {
		if c.Status == "operational" {
			name = c.Name
			break
		}
	}
	tm := run(t, 100, 30, console(db, "e2e"))
	tm.waitText(10*time.Second, "[1 Components]", name)
	cli(t, "--db", db, "--actor", "other", "maintenance", "add", "--title", "Quick restart", "--start", "+2s", "--for", "3s",
		"--component", name)
	tm.waitLine(10*time.Second, name, "◆ in ", "● Operational")
	s := tm.waitLine(15*time.Second, name, "◆ Under maintenance")
	if strings.Contains(lineWith(s, name), "◆ in ") {
		t.Errorf("the component still shows work ahead once it began:\n%s", s)
	}
	tm.waitLine(15*time.Second, name, "● Operational")
	tm.press("q")
	tm.gone(5 * time.Second)
}
