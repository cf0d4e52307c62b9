package e2e

import (
	"path/filepath"
	"testing"
	"time"
)

// TestComponentPageAfterTheFact writes an outage after the fact with the command line, then
// opens the component's page in the real console: the outage shows in its strip and its
// percentage, the incident in its list, and enter opens it.
func TestComponentPageAfterTheFact(t *testing.T) {
	db := filepath.Join(t.TempDir(), "beacon.db")
	created := time.Now().UTC().Add(-48 * time.Hour).Truncate(time.Minute)
	at := func(d time.Duration) string { return created.Add(d).Format(time.RFC3339) }
	cli(t, "--db", db, "component", "add", "API", "--group", "Web", "--description", "Public REST API", "--at", at(0))
	cli(t, "--db", db, "incident", "open", "--title", "API down", "--component", "API=major_outage", "--message", "Down.", "--at", at(time.Hour))
	cli(t, "--db", db, "incident", "resolve", "1", "--at", at(2*time.Hour))

	tm := run(t, 120, 40, console(db, "ada"))
	tm.waitText(10*time.Second, "[1 Components]", "Web (1)")
	tm.press("Space")                                          // the group is folded while all is well
	tm.waitLine(5*time.Second, "API", "97.9", "● Operational") // one hour down in 48
	tm.press("j", "Enter")
	tm.waitText(5*time.Second, "Public REST API", "90 days", "✖", "#1", "API down")
	tm.waitLine(5*time.Second, "Why", "nothing holds it")
	tm.press("Enter")
	tm.waitText(5*time.Second, "[3 Incident]", "Timeline, newest first")
	tm.press("Escape")
	tm.waitText(5*time.Second, "90 days", "API down")
	tm.press("Escape")
	tm.waitText(5*time.Second, "▾ Web", "▌   API")
	tm.press("q")
	tm.gone(5 * time.Second)
}
