package composer

import (
	"context"
	"sort"
	"strings"
	"testing"

	"beacon/store"
)

// TestSeedWorkflow walks the seed's steps through the composer, as a responder would, and
// checks after every post what the store holds: declare (two components, different impacts)
// → identified → watching → not fixed: back to identified → watching → fixed, with a second
// incident holding one component when the first is fixed.
func TestSeedWorkflow(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()

	// Declare with API (under the cursor) pre-selected; add Database at major outage.
	d := drive(t, NewDeclare(e.c, e.comps["API"]), 80, 23)
	d.mustShow("Set the components that are affected, and how badly.", "[x] API", "◐ Partial outage")
	d.press("down", "space", "3")
	d.mustShow("2 selected: API ◐, Database ✖")
	d.press("tab")
	d.mustShow("Name the problem in one line")
	d.typeText("Database failover")
	d.press("enter")
	d.mustShow("Be clear about what happens.", "Status  Investigating")
	d.typeText("Writes fail on the primary.\nWe are looking into it.")
	d.press("tab")
	d.mustShow("Database failover", "API       ● Operational → ◐ Partial outage",
		"Database  ● Operational → ✖ Major outage", "● All systems are operational", "→ ◐ Some systems are experiencing issues")
	d.press("enter")
	id := d.posted()

	inc := e.incident(id)
	if inc.Status != store.Investigating || inc.Title != "Database failover" || inc.Visibility != store.Public {
		t.Fatalf("declared %+v", inc.Incident)
	}
	if got := inc.Updates[0].Message; got != "Writes fail on the primary.\nWe are looking into it." {
		t.Fatalf("message %q", got)
	}
	checkStatuses(t, e, map[string]store.Status{"API": store.PartialOutage, "Database": store.MajorOutage, "Web app": store.Operational})
	if _, ok, _ := e.st.LoadDraft(ctx, alice, "new"); ok {
		t.Fatal("the draft outlived the post")
	}

	steps := []struct {
		actor    store.Actor
		choose   []string // keys on the status step before enter
		option   string   // the label the status step shows for the choice
		want     store.IncidentStatus
		message  string
		statuses map[string]store.Status
	}{
		{alice, nil, "Identified", store.Identified, "The primary's disk is full.",
			map[string]store.Status{"API": store.PartialOutage, "Database": store.MajorOutage}},
		{bob, nil, "Watching", store.Watching, "Disk grown; writes recover. Watching.",
			map[string]store.Status{"API": store.PartialOutage, "Database": store.MajorOutage}},
		{alice, []string{"down"}, "Not fixed: back to identified", store.Identified, "Errors are back: a second disk fills.",
			map[string]store.Status{"API": store.PartialOutage, "Database": store.MajorOutage}},
		{bob, nil, "Watching", store.Watching, "Both disks grown. Watching.",
			map[string]store.Status{"API": store.PartialOutage, "Database": store.MajorOutage}},
	}
	for i, st := range steps {
		u := drive(t, NewUpdate(e.as(st.actor), id), 80, 23)
		u.mustShow("Update #")
		u.press(st.choose...)
		u.mustShow("› "+st.option, st.want.Guidance())
		u.press("enter", "tab")
		u.mustShow(st.want.Guidance())
		u.typeText(st.message)
		u.press("ctrl+s")
		if got := u.posted(); got != id {
			t.Fatalf("step %d posted to #%d", i, got)
		}
		inc := e.incident(id)
		if inc.Status != st.want || inc.Updates[0].Author != st.actor.Name || inc.Updates[0].Message != st.message {
			t.Fatalf("step %d: status %s, newest update %+v", i, inc.Status, inc.Updates[0])
		}
		checkStatuses(t, e, st.statuses)
	}

	// A second incident holds Database at performance issues while the first is fixed.
	d2 := drive(t, NewDeclare(e.as(bob), e.comps["Database"]), 80, 23)
	d2.press("1", "tab")
	d2.typeText("Slow queries")
	d2.press("enter")
	d2.typeText("Reports run slowly.")
	d2.press("ctrl+s")
	second := d2.posted()
	checkStatuses(t, e, map[string]store.Status{"API": store.PartialOutage, "Database": store.MajorOutage})

	// From watching the composer proposes fixed; the review shows each component coming back.
	u := drive(t, NewUpdate(e.c, id), 80, 23)
	u.mustShow("› Fixed", "Not fixed: back to identified", store.Fixed.Guidance())
	u.press("enter")
	u.mustShow("Fixed ends every impact", "ends ◐ Partial outage")
	u.press("space", "3") // impacts are locked at fixed
	u.press("tab")
	u.typeText("Fixed for good: disks alert at 70%.")
	u.press("tab")
	u.mustShow("API       ◐ Partial outage → ● Operational", "Database  ✖ Major outage   → ▲ Performance issues")
	u.press("enter")
	u.posted()
	inc = e.incident(id)
	if inc.Status != store.Fixed || !inc.Resolved() || inc.Updates[0].Author != "alice" {
		t.Fatalf("after fixed: %+v", inc.Incident)
	}
	checkStatuses(t, e, map[string]store.Status{"API": store.Operational, "Database": store.PerformanceIssues})

	var authors []string
	for _, up := range inc.Updates {
		authors = append(authors, up.Author+":"+string(up.Status))
	}
	want := "alice:fixed bob:watching alice:identified bob:watching alice:identified alice:investigating"
	if got := strings.Join(authors, " "); got != want {
		t.Fatalf("timeline (newest first) %s, want %s", got, want)
	}

	// Resolving the second incident straight at fixed brings Database back to operational.
	r := drive(t, NewResolve(e.as(bob), second), 80, 23)
	r.mustShow("Resolve #", store.Fixed.Guidance())
	r.typeText("Index added.")
	r.press("ctrl+s")
	r.posted()
	checkStatuses(t, e, map[string]store.Status{"API": store.Operational, "Database": store.Operational})
}

func checkStatuses(t *testing.T, e *env, want map[string]store.Status) {
	t.Helper()
	for name, st := range want {
		if got := e.effective(name); got != st {
			t.Errorf("%s is %s, want %s", name, got, st)
		}
	}
}

// TestUpdateImpacts: the components step adds a component, changes an impact and ends one,
// and the post sends exactly those changes.
func TestUpdateImpacts(t *testing.T) {
	e := newEnv(t)
	inc, err := e.st.OpenIncident(context.Background(), alice, store.NewIncident{
		Title: "Slow", Message: "Slow.", Impacts: []store.SetImpact{
			{ComponentID: e.comps["API"], Status: store.PerformanceIssues},
			{ComponentID: e.comps["Database"], Status: store.PartialOutage},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	u := drive(t, NewUpdate(e.c, inc.ID), 80, 23)
	u.press("enter")             // identified
	u.press("right", "right")    // API: performance → partial → major
	u.press("down", "space")     // Database: impact ends
	u.press("down", "down", "2") // CDN: added at partial outage
	u.mustShow("2 selected: API ✖, CDN ◐")
	u.press("tab")
	u.typeText("Spreading to the edge.")
	u.press("tab")
	u.mustShow("Database  ◐ Partial outage     → ● Operational", "CDN       ● Operational        → ◐ Partial outage")
	u.press("enter")
	u.posted()
	got := e.incident(inc.ID)
	var changes []string
	for _, ch := range got.Updates[0].Changes {
		changes = append(changes, ch.ComponentName+":"+string(ch.Old)+">"+string(ch.New))
	}
	sort.Strings(changes)
	want := "API:performance_issues>major_outage CDN:>partial_outage Database:partial_outage>"
	if strings.Join(changes, " ") != want {
		t.Fatalf("changes %v, want %s", changes, want)
	}
	checkStatuses(t, e, map[string]store.Status{"API": store.MajorOutage, "Database": store.Operational, "CDN": store.PartialOutage})
}

// TestDeclareIdentifiedInternal: ctrl+t picks identified, v makes the incident internal, and
// the banner preview follows (an internal incident alone does not make the page minor).
func TestDeclareIdentifiedInternal(t *testing.T) {
	e := newEnv(t)
	d := drive(t, NewDeclare(e.c, e.comps["DNS"]), 80, 23)
	d.press("1", "tab")
	d.typeText("Slow lookups")
	d.press("enter", "ctrl+t")
	d.mustShow("Status  Identified", store.Identified.Guidance())
	d.typeText("A resolver is overloaded.")
	d.press("tab", "v")
	d.mustShow("Identified · internal", "→ ▲ Some systems are experiencing issues")
	d.press("ctrl+s")
	inc := e.incident(d.posted())
	if inc.Status != store.Identified || inc.Visibility != store.Internal {
		t.Fatalf("declared %+v", inc.Incident)
	}
}
