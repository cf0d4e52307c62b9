package composer

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"beacon/store"
	"beacon/tui/shared"
)

// TestValidationInPlace: invalid input keeps the composer on its step and says why next to
// the field; nothing reaches the store.
func TestValidationInPlace(t *testing.T) {
	long := strings.Repeat("x", store.MaxTitleLen+1)
	cases := []struct {
		name      string
		preselect string
		keys      []string
		text      string
		after     []string
		wantStep  stepKind
		want      string
	}{
		{"no component", "", []string{"tab"}, "", nil, kindAffected, "Pick at least one component"},
		{"no component, enter", "", []string{"enter"}, "", nil, kindAffected, "Pick at least one component"},
		{"deselected", "API", []string{"space", "tab"}, "", nil, kindAffected, "Pick at least one component"},
		{"empty title", "API", []string{"tab"}, "", []string{"enter"}, kindTitle, "✖ Title is required"},
		{"blank title", "API", []string{"tab"}, "   ", []string{"tab"}, kindTitle, "✖ Title is required"},
		{"too-long title", "API", []string{"tab"}, long, nil, kindTitle, "✖ Title is 201 characters; the limit is 200"},
		{"too-long title, enter", "API", []string{"tab"}, long, []string{"enter"}, kindTitle, "201/200"},
		{"empty message", "API", []string{"tab"}, "T", []string{"enter", "tab"}, kindMessage, "✖ Message is required"},
		{"ctrl+s goes to the first invalid step", "API", []string{"ctrl+s"}, "", nil, kindTitle, "✖ Title is required"},
		{"ctrl+s with nothing", "", []string{"ctrl+s"}, "", nil, kindAffected, "Pick at least one component"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			d := drive(t, NewDeclare(e.c, e.comps[tc.preselect]), 80, 23)
			d.press(tc.keys...)
			d.typeText(tc.text)
			d.press(tc.after...)
			if d.m.kind() != tc.wantStep {
				t.Fatalf("on step %d, want %d:\n%s", d.m.kind(), tc.wantStep, d.view())
			}
			d.mustShow(tc.want)
			if len(d.emitted) != 0 {
				t.Fatalf("emitted %v", d.emitted)
			}
			list, err := e.st.UnresolvedIncidents(context.Background())
			if err != nil || len(list) != 0 {
				t.Fatalf("store holds %v (%v)", list, err)
			}
		})
	}
}

// TestStoreErrorInPlace: an error from the store (the incident vanished) is shown in place
// and the composer stays, with what was typed.
func TestStoreErrorInPlace(t *testing.T) {
	e := newEnv(t)
	inc, err := e.st.OpenIncident(context.Background(), alice, store.NewIncident{Title: "Gone soon", Message: "x"})
	if err != nil {
		t.Fatal(err)
	}
	u := drive(t, NewUpdate(e.c, inc.ID), 80, 23)
	u.press("enter", "tab")
	u.typeText("Still looking.")
	u.m.incidentID = 999 // as if the incident had been removed under us
	u.press("ctrl+s")
	u.mustShow("Not posted: Incident #999 not found")
	if len(u.emitted) != 0 || u.m.message.Value() != "Still looking." {
		t.Fatalf("emitted %v, message %q", u.emitted, u.m.message.Value())
	}
}

// TestResolveResolved: a fixed incident cannot be fixed again; the status step says so and
// offers reopening instead.
func TestResolveResolved(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	inc, err := e.st.OpenIncident(ctx, alice, store.NewIncident{Title: "T", Message: "M"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.PostUpdate(ctx, alice, inc.ID, store.NewUpdate{Status: store.Fixed, Message: "done"}); err != nil {
		t.Fatal(err)
	}
	r := drive(t, NewResolve(e.c, inc.ID), 80, 23)
	r.typeText("again")
	r.press("ctrl+s")
	r.mustShow("already fixed: reopen it", "Reopen: investigating")
	r.press("down", "enter", "tab", "tab", "enter")
	r.posted()
	if got := e.incident(inc.ID); got.Status != store.Investigating || got.Resolved() {
		t.Fatalf("after reopening: %+v", got.Incident)
	}
}

// TestDrafts: what is typed is saved as a draft, offered back by the next composer, restored
// to the same step; x discards it and deletes it from the store.
func TestDrafts(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	d := drive(t, NewDeclare(e.c, e.comps["API"]), 80, 23)
	d.press("down", "space", "tab")
	d.typeText("Half a title")
	if d.closed() {
		t.Fatal("closed")
	}
	dr, ok, err := e.st.LoadDraft(ctx, alice, "new")
	if err != nil || !ok || !strings.Contains(string(dr.State), "Half a title") {
		t.Fatalf("draft %q ok=%v err=%v", dr.State, ok, err)
	}
	if _, ok, _ := e.st.LoadDraft(ctx, bob, "new"); ok {
		t.Fatal("drafts are per responder")
	}

	// Reopen: the draft is offered, then restored with its step, title and components.
	r := drive(t, NewDeclare(e.c, e.comps["DNS"]), 80, 23)
	r.mustShow("Draft from 12m ago — enter: restore · x: discard", "Title    Half a title", "Affects  2 components")
	r.press("enter")
	if r.m.kind() != kindTitle || r.m.title.Value() != "Half a title" {
		t.Fatalf("restored to step %d with %q", r.m.kind(), r.m.title.Value())
	}
	r.typeText(", whole")
	r.press("enter")
	r.typeText("Body.")
	r.press("tab")
	r.mustShow("Half a title, whole", "API ", "Database ")
	if strings.Contains(r.view(), "DNS") {
		t.Fatalf("the draft's components replace the preselection:\n%s", r.view())
	}

	// A third composer discards it.
	x := drive(t, NewDeclare(e.c, 0), 80, 23)
	x.mustShow("Draft from")
	x.press("x")
	x.mustShow("Set the components that are affected")
	if _, ok, _ := e.st.LoadDraft(ctx, alice, "new"); ok {
		t.Fatal("discarded draft still stored")
	}

	// Update drafts are per incident.
	inc, err := e.st.OpenIncident(ctx, alice, store.NewIncident{Title: "T", Message: "M"})
	if err != nil {
		t.Fatal(err)
	}
	u := drive(t, NewUpdate(e.c, inc.ID), 80, 23)
	u.press("down", "enter", "tab")
	u.typeText("Watching it.")
	u2 := drive(t, NewUpdate(e.c, inc.ID), 80, 23)
	u2.mustShow("Draft from", "Message  Watching it.", "Status   Watching")
	u2.press("enter")
	if u2.m.status != store.Watching || u2.m.kind() != kindMessage {
		t.Fatalf("restored status %s step %d", u2.m.status, u2.m.kind())
	}
}

// TestDraftDebounce: typing fast schedules one tick; its save carries everything typed;
// a tick from before a post is ignored.
func TestDraftDebounce(t *testing.T) {
	e := newEnv(t)
	m := NewDeclare(e.c, e.comps["API"])
	d := drive(t, m, 80, 23)
	m.debounce = time.Hour
	d.press("tab")
	var ticks int
	for _, r := range "abcdef" {
		_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		if cmd != nil {
			ticks++
		}
	}
	if ticks != 1 {
		t.Fatalf("%d ticks scheduled for six keys, want 1", ticks)
	}
	_, save := m.Update(draftTickMsg{m, m.gen})
	if save == nil {
		t.Fatal("the tick did not save")
	}
	d.run(save)
	dr, ok, _ := e.st.LoadDraft(context.Background(), alice, "new")
	if !ok || !strings.Contains(string(dr.State), `"title":"abcdef"`) {
		t.Fatalf("draft %s", dr.State)
	}
	if _, again := m.Update(draftTickMsg{m, m.gen}); again != nil {
		t.Fatal("a tick with nothing new saved again")
	}
	if _, stale := m.Update(draftTickMsg{m, m.gen - 1}); stale != nil {
		t.Fatal("a stale tick saved")
	}
}

// TestLeaving: esc on the first step or q off a text field leaves at once when nothing was
// typed, and otherwise asks: keep draft, discard or stay.
func TestLeaving(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name      string
		keys      []string
		closed    bool
		wantDraft bool
	}{
		{"untouched esc", []string{"esc"}, true, false},
		{"untouched q", []string{"q"}, true, false},
		{"touched, stay", []string{"space", "esc", "esc"}, false, true},
		{"touched, keep", []string{"space", "esc", "enter"}, true, true},
		{"touched, keep with k", []string{"space", "q", "k"}, true, true},
		{"touched, discard", []string{"space", "esc", "x"}, true, false},
		{"from the title, esc walks back first", []string{"space", "space", "tab", "esc", "esc", "x"}, true, false},
		{"q types in the title", []string{"space", "space", "tab", "q"}, false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			d := drive(t, NewDeclare(e.c, e.comps["API"]), 80, 23)
			d.press(tc.keys[:len(tc.keys)-1]...)
			if strings.Contains(tc.name, "touched,") {
				d.mustShow("Leave the composer?", "enter: keep the draft for later · x: discard it · esc: stay")
			}
			d.press(tc.keys[len(tc.keys)-1])
			if d.closed() != tc.closed {
				t.Fatalf("closed=%v, want %v:\n%s", d.closed(), tc.closed, d.view())
			}
			_, ok, _ := e.st.LoadDraft(ctx, alice, "new")
			if ok != tc.wantDraft {
				t.Fatalf("draft stored=%v, want %v", ok, tc.wantDraft)
			}
		})
	}
}

// TestChangedKeepsTyping: a change elsewhere reloads the components while the title, the
// step and the selection stay.
func TestChangedKeepsTyping(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	d := drive(t, NewDeclare(e.c, e.comps["API"]), 80, 23)
	d.press("down", "3", "tab")
	d.typeText("Half typed")
	if _, err := e.st.AddComponent(ctx, bob, store.NewComponent{Name: "Queue"}); err != nil {
		t.Fatal(err)
	}
	if err := e.st.SetComponentStatus(ctx, bob, e.comps["API"], store.UnderMaintenance); err != nil {
		t.Fatal(err)
	}
	d.send(shared.ChangedMsg{})
	if d.m.kind() != kindTitle || d.m.title.Value() != "Half typed" {
		t.Fatalf("after reload: step %d, title %q", d.m.kind(), d.m.title.Value())
	}
	d.press("shift+tab")
	d.mustShow("  [x] API       ◆ Under maintenance", "› [x] Database", "Other", "Queue")

	// An update composer follows the incident's new status until the responder picks one.
	inc, err := e.st.OpenIncident(ctx, alice, store.NewIncident{Title: "T", Message: "M"})
	if err != nil {
		t.Fatal(err)
	}
	u := drive(t, NewUpdate(e.c, inc.ID), 80, 23)
	u.mustShow("› Identified")
	if _, err := e.st.PostUpdate(ctx, bob, inc.ID, store.NewUpdate{Status: store.Identified, Message: "found"}); err != nil {
		t.Fatal(err)
	}
	u.send(shared.ChangedMsg{})
	u.mustShow("now Identified", "› Watching", "found — bob")
	u.press("down", "enter", "tab")
	u.typeText("kept")
	u.send(shared.ChangedMsg{})
	if u.m.status != store.Fixed || u.m.message.Value() != "kept" || u.m.kind() != kindMessage {
		t.Fatalf("after reload: %s %q step %d", u.m.status, u.m.message.Value(), u.m.kind())
	}
}

// TestReadOnly: a viewer sees "read-only" and nothing is posted or saved.
func TestReadOnly(t *testing.T) {
	e := newEnv(t)
	d := drive(t, NewDeclare(e.as(store.Actor{Name: "eve", ReadOnly: true}), e.comps["API"]), 80, 23)
	d.mustShow("Read-only")
	d.typeText("x q")
	d.press("tab", "ctrl+s", "enter")
	list, _ := e.st.UnresolvedIncidents(context.Background())
	if len(list) != 0 {
		t.Fatal("a viewer posted")
	}
	d.press("esc")
	if !d.closed() {
		t.Fatal("esc does not leave")
	}
}

// TestMessagesFromAnotherComposer are ignored: the root forwards everything to whichever
// composer is open.
func TestMessagesFromAnotherComposer(t *testing.T) {
	e := newEnv(t)
	old := NewDeclare(e.c, 0)
	d := drive(t, NewDeclare(e.c, e.comps["API"]), 80, 23)
	d.send(dashboardMsg{owner: old, err: context.Canceled})
	d.send(postDoneMsg{owner: old, id: 7})
	d.send(closeMsg{owner: old})
	if len(d.emitted) != 0 || d.m.fatal != "" {
		t.Fatalf("took another composer's messages: %v %q", d.emitted, d.m.fatal)
	}
}

// TestSanitised: titles, authors, group and component names with escape sequences are
// drawn inert (as if written straight into the file, past the store's checks).
func TestSanitised(t *testing.T) {
	e := newEnv(t)
	inc, err := e.st.OpenIncident(context.Background(), alice, store.NewIncident{Title: "T", Message: "M"})
	if err != nil {
		t.Fatal(err)
	}
	u := drive(t, NewUpdate(e.c, inc.ID), 80, 23)
	u.m.inc.Title = "evil\x1b]2;pwned\x07"
	u.m.inc.Updates[0].Author = "\x1b[31mred"
	u.m.dash.Components[0].Name = "API\x1b[2J"
	u.m.dash.Components[0].GroupName = "Core\x9b1m"
	u.m.rebuildPicker()
	seen := ""
	for _, step := range []string{"", "enter", "tab", "m", "tab"} {
		u.press(step)
		v := u.view()
		if strings.ContainsAny(v, "\x1b\x07\u009b") {
			t.Fatalf("escape reached the view: %q", v)
		}
		seen += v
	}
	for _, want := range []string{"evil␛]2;pwned␇", "␛[31mred", "API␛[2J", "Core\ufffd1m"} {
		if !strings.Contains(seen, want) {
			t.Errorf("no %q in the views:\n%s", want, seen)
		}
	}
}

// TestComponentsStepStartsOnAffected: the components step of an update puts the cursor on the
// first component the incident affects; a burst of keys ("jj" over SSH) moves it twice.
func TestComponentsStepStartsOnAffected(t *testing.T) {
	e := newEnv(t)
	inc, err := e.st.OpenIncident(context.Background(), alice, store.NewIncident{Title: "Edge down", Message: "M",
		Impacts: []store.SetImpact{{ComponentID: e.comps["DNS"], Status: store.MajorOutage}, {ComponentID: e.comps["CDN"], Status: store.PartialOutage}}})
	if err != nil {
		t.Fatal(err)
	}
	d := drive(t, NewUpdate(e.c, inc.ID), 80, 23)
	d.press("enter")
	if got := d.m.picker.current(); got != e.comps["CDN"] {
		t.Fatalf("the cursor is on component %d, want CDN (%d):\n%s", got, e.comps["CDN"], d.view())
	}
	d.press("kk")
	if got := d.m.picker.current(); got != e.comps["Database"] {
		t.Fatalf("after the burst kk the cursor is on component %d, want Database (%d):\n%s", got, e.comps["Database"], d.view())
	}
}

// TestReviewWrapsTitle: the review shows the whole title, wrapped, never cut.
func TestReviewWrapsTitle(t *testing.T) {
	e := newEnv(t)
	title := strings.Repeat("checkout ", 14) + "ends here"
	d := drive(t, NewDeclare(e.c, e.comps["API"]), 80, 23)
	d.press("tab")
	d.typeText(title)
	d.press("tab")
	d.typeText("M")
	d.press("tab")
	d.mustShow("Check what readers", "ends here")
	if strings.Contains(d.view(), "checkout…") {
		t.Fatalf("the title is cut:\n%s", d.view())
	}
}
