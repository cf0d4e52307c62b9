package e2e

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// step is how long one screen may take to follow a key.
const step = 5 * time.Second

// The texts typed in the walk.
const (
	flowTitle    = "Card payments failing at checkout"
	flowDeclare  = "Card payments fail with timeouts.\nWe are looking into it."
	flowIdentify = "A bad deploy of the payment service. Rolling back."
	flowWatch    = "The rollback is out; error rates are back to normal. Watching."
	flowNotFixed = "Errors are back on 3% of payments. Still digging."
	flowWatch2   = "Second fix deployed, errors gone again."
	flowFixed    = "Fixed: a connection pool limit, raised and alerted on."
	flowActor    = "dana"
)

// incidentJSON is the part of `beacon incident show ID --json` the walk checks.
type incidentJSON struct {
	ID         int64   `json:"id"`
	Name       string  `json:"name"`
	Status     string  `json:"status"`
	ResolvedAt *string `json:"resolved_at"`
	Updates    []struct {
		Status   string `json:"status"`
		Body     string `json:"body"`
		Author   string `json:"author"`
		Affected []struct {
			Name      string `json:"name"`
			OldStatus string `json:"old_status"`
			NewStatus string `json:"new_status"`
		} `json:"affected_components"`
	} `json:"incident_updates"`
	Components []struct {
		Name   string `json:"name"`
		Impact string `json:"impact"`
	} `json:"components"`
}

// TestGuidedFlow walks an incident through the console as a responder would, keys only:
// declare it on the component under the cursor plus a second one picked in the composer,
// identified, watching, "not fixed: back to identified", watching again, and resolve with r;
// after each post the incident view must show the new status. The command line then checks
// what the database holds: every update in order with its author and text, the impacts the
// declaration set, and both components operational again.
func TestGuidedFlow(t *testing.T) {
	db := demoDB(t)
	var before summary
	cliJSON(t, &before, "--db", db, "status", "--json")
	operational := map[string]bool{}
	for _, c := range before.Components {
		operational[c.Name] = c.Status == "operational"
	}

	tm := run(t, 100, 30, console(db, flowActor))
	tm.waitText(10*time.Second, "[1 Components]", flowActor)
	first := tm.cursorTo("▌", operational)

	// Declare: the component under the cursor is selected; make it a major outage, then
	// select the next operational one and give it performance issues.
	tm.press("n")
	tm.waitText(step, "Declare an incident", "▸ 1 Affected", "Set the components that are affected")
	tm.waitLine(step, "›", "[x] "+first, "impact ◐ Partial outage")
	tm.press("Right")
	tm.waitLine(step, "›", "[x] "+first, "impact ✖ Major outage")
	others := map[string]bool{}
	for name, ok := range operational {
		others[name] = ok && name != first
	}
	second := tm.cursorTo("› [", others)
	tm.press("Space")
	tm.waitLine(step, "›", "[x] "+second, "impact ◐ Partial outage")
	tm.press("1")
	tm.waitLine(step, "›", "[x] "+second, "impact ▲ Performance issues")
	tm.waitText(step, "2 selected")

	tm.press("Tab")
	tm.waitText(step, "▸ 2 Title", "0/200")
	tm.typeText(flowTitle)
	tm.waitText(step, flowTitle, fmt.Sprintf("%d/200", len(flowTitle)))
	tm.press("Enter")
	tm.waitText(step, "▸ 3 Message", "Status  Investigating")
	tm.typeText(flowDeclare)
	tm.waitText(step, "We are looking into it.")
	tm.press("Tab")
	s := tm.waitText(step, "▸ 4 Review", flowTitle, "Investigating · public")
	for _, want := range [][]string{{first, "● Operational", "→ ✖ Major outage"}, {second, "● Operational", "→ ▲ Performance issues"}} {
		if lineWith(s, want...) == "" {
			t.Fatalf("the review does not show %s; the screen:\n%s", strings.Join(want, " "), s)
		}
	}
	tm.press("Enter")
	tm.posted("Investigating")

	id := incidentID(t, db, flowTitle)
	tm.waitLine(step, fmt.Sprintf("#%d", id), flowTitle)

	// u proposes the next status each time; from watching, the second choice goes back.
	tm.update(id, "Identified", 0, flowIdentify, "enter")
	tm.update(id, "Watching", 0, flowWatch, "ctrl+s")
	tm.update(id, "Not fixed: back to identified", 1, flowNotFixed, "enter")
	tm.update(id, "Watching", 0, flowWatch2, "enter")

	// r opens the composer at fixed, on the message step; the review shows the impacts end.
	tm.press("r")
	tm.waitText(step, fmt.Sprintf("Resolve #%d", id), "▸ 3 Message", "Status  Fixed", "Markdown · tab: review")
	tm.typeText(flowFixed)
	tm.waitText(step, "raised and alerted on.")
	tm.press("Tab")
	s = tm.waitText(step, "▸ 4 Review", "Fixed · public")
	for _, want := range [][]string{{first, "✖ Major outage", "→ ● Operational"}, {second, "▲ Performance issues", "→ ● Operational"}} {
		if lineWith(s, want...) == "" {
			t.Fatalf("the review does not show %s; the screen:\n%s", strings.Join(want, " "), s)
		}
	}
	tm.press("C-s")
	tm.posted("Fixed")
	tm.waitLine(step, "Fixed · started", "lasted")
	tm.press("q")
	tm.gone(step)

	var inc incidentJSON
	cliJSON(t, &inc, "--db", db, "incident", "show", fmt.Sprint(id), "--json")
	if inc.Status != "resolved" || inc.ResolvedAt == nil || inc.Name != flowTitle {
		t.Errorf("incident #%d: name %q, status %q, resolved_at %v; want %q, resolved", id, inc.Name, inc.Status, inc.ResolvedAt, flowTitle)
	}
	want := []struct{ status, body string }{ // newest first, in Statuspage's words
		{"resolved", flowFixed},
		{"monitoring", flowWatch2},
		{"identified", flowNotFixed},
		{"monitoring", flowWatch},
		{"identified", flowIdentify},
		{"investigating", flowDeclare},
	}
	if len(inc.Updates) != len(want) {
		t.Fatalf("incident #%d has %d updates, want %d: %+v", id, len(inc.Updates), len(want), inc.Updates)
	}
	for i, u := range inc.Updates {
		if u.Status != want[i].status || u.Body != want[i].body || u.Author != flowActor {
			t.Errorf("update %d (newest first): %s by %q: %q; want %s by %q: %q", i+1, u.Status, u.Author, u.Body, want[i].status, flowActor, want[i].body)
		}
	}
	declared := inc.Updates[len(inc.Updates)-1].Affected
	var got []string
	for _, a := range declared {
		got = append(got, a.Name+" "+a.OldStatus+"→"+a.NewStatus)
	}
	slices.Sort(got)
	exp := []string{first + " operational→major_outage", second + " operational→degraded_performance"}
	slices.Sort(exp)
	if !slices.Equal(got, exp) {
		t.Errorf("the declaration changed %v, want %v", got, exp)
	}

	var after summary
	cliJSON(t, &after, "--db", db, "status", "--json")
	for _, c := range after.Components {
		if (c.Name == first || c.Name == second) && c.Status != "operational" {
			t.Errorf("%s is %s after the fix, want operational", c.Name, c.Status)
		}
	}
	for _, i := range after.Incidents {
		if i.ID == id {
			t.Errorf("incident #%d is still listed as unresolved", id)
		}
	}
}

// cursorTo moves the cursor (the row marked with mark) down until it is on a component that
// ok holds for, and returns that component's name. Rows are read from the screen, so headings
// and folded groups need no knowledge of the layout.
func (tm *term) cursorTo(mark string, ok map[string]bool) string {
	tm.t.Helper()
	for range 40 {
		s := tm.screen()
		row := lineWith(s, mark)
		if name := rowName(row, mark); ok[name] {
			return name
		}
		tm.press("Down")
		tm.waitFor("the cursor to move from "+strings.TrimSpace(row), step, func(s string) bool {
			return lineWith(s, mark) != row
		})
	}
	tm.t.Fatalf("no row the cursor reached is one of %v; the screen:\n%s", ok, tm.screen())
	return ""
}

// rowName is the component named on a cursor row: what follows the mark (and the rest of
// the picker's check box) up to the two spaces that end a name.
func rowName(row, mark string) string {
	_, rest, _ := strings.Cut(row, mark)
	if strings.HasSuffix(mark, "[") {
		_, rest, _ = strings.Cut(rest, "] ")
	}
	name, _, _ := strings.Cut(strings.TrimSpace(rest), "  ")
	return name
}

// incidentID finds the unresolved incident titled title through the command line.
func incidentID(t testing.TB, db, title string) int64 {
	t.Helper()
	var list []struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	}
	cliJSON(t, &list, "--db", db, "incident", "list", "--json")
	for _, i := range list {
		if i.Name == title {
			return i.ID
		}
	}
	t.Fatalf("beacon incident list shows no %q: %+v", title, list)
	return 0
}

// update walks the update composer from the incident view: u, the choice down from the
// proposed status, the components step left as it is, the message, the review, and the post
// with enter or ctrl+s. choice is the status option's label on the status step; status is the
// incident's status after the post (its label, the same word but for "not fixed").
func (tm *term) update(id int64, choice string, downs int, message, post string) {
	tm.t.Helper()
	status := choice
	if strings.HasPrefix(choice, "Not fixed") {
		status = "Identified"
	}
	tm.press("u")
	tm.waitText(step, fmt.Sprintf("Update #%d", id), "▸ 1 Status", "Now  ", "Latest  ") // loaded: keys act
	for range downs {
		tm.press("Down")
	}
	tm.waitLine(step, "› "+choice)
	tm.press("Enter")
	tm.waitText(step, "▸ 2 Components")
	tm.press("Tab")
	tm.waitText(step, "▸ 3 Message", "Status  "+status)
	tm.typeText(message)
	tm.waitText(step, lastWords(message))
	tm.press("Tab")
	tm.waitText(step, "▸ 4 Review", status+" · public")
	switch post {
	case "ctrl+s":
		tm.press("C-s")
	default:
		tm.press("Enter")
	}
	tm.posted(status)
}

// posted waits for the incident view the composer opens after a post, showing status in its
// header and as the newest update, by the actor.
func (tm *term) posted(status string) {
	tm.t.Helper()
	tm.waitFor("the incident view at "+status, step, func(s string) bool {
		lines := strings.Split(s, "\n")
		i := slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, "Timeline, newest first") })
		return strings.Contains(s, "[3 Incident]") && lineWith(s, status+" · started") != "" &&
			i >= 0 && i+1 < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[i+1]), status+" · "+flowActor+" ·")
	})
}

// lastWords is the end of text's last line, enough to tell that all of it has been typed.
func lastWords(text string) string {
	lines := strings.Split(text, "\n")
	last := lines[len(lines)-1]
	return last[max(0, len(last)-20):]
}
