package composer

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"beacon/store"
	"beacon/tui/shared"
)

// TestConflict walks an update that meets another responder's resolve, made by a second store
// on the same file while the first responder writes: the post is refused and says who resolved
// it and when, the draft is kept, and the responder chooses. Posting anyway reopens the
// incident, as the notice says; rebasing starts again from the new state with the message and
// the status chosen (enter on the proposed one) kept, and says that this reopens the incident.
func TestConflict(t *testing.T) {
	for _, choice := range []string{"post anyway", "rebase"} {
		t.Run(choice, func(t *testing.T) {
			e := newEnv(t)
			ctx := context.Background()
			inc := checkoutErrors(t, e)
			d := drive(t, NewUpdate(e.c, inc.ID), 100, 30)
			d.mustShow("› Identified")
			d.press("enter", "tab")
			d.typeText("A bad deploy.")

			postElsewhere(t, e, inc.ID, store.NewUpdate{Status: store.Fixed, Message: "Rolled back."})

			d.press("ctrl+s")
			if len(d.emitted) != 0 {
				t.Fatalf("posted over bob's resolve: %v", d.emitted)
			}
			view := strings.Join(strings.Fields(d.view()), " ")
			for _, want := range []string{"was resolved by bob 12m ago", "your draft is kept",
				"ctrl+s posts yours anyway, reopening #", "as Identified", "ctrl+r rebases it on the new state"} {
				if !strings.Contains(view, want) {
					t.Errorf("the composer does not say %q:\n%s", want, d.view())
				}
			}
			if got := e.incident(inc.ID); !got.Resolved() || len(got.Updates) != 2 {
				t.Fatalf("after the refused post: resolved %v, %d updates", got.Resolved(), len(got.Updates))
			}
			if _, ok, _ := e.st.LoadDraft(ctx, alice, d.m.target); !ok {
				t.Error("the draft was not kept")
			}

			if choice == "post anyway" {
				d.press("ctrl+s")
				if d.posted() != inc.ID {
					t.Fatal("not posted")
				}
				got := e.incident(inc.ID)
				if got.Resolved() || got.Status != store.Identified || got.Updates[0].Message != "A bad deploy." || e.effective("API") != store.MajorOutage {
					t.Errorf("posted anyway: %s, resolved %v, API %s", got.Status, got.Resolved(), e.effective("API"))
				}
				return
			}
			// Enter on the proposed Identified chose it: the rebase keeps it, and says it reopens.
			d.press("ctrl+r")
			if len(d.emitted) != 0 {
				t.Fatal("rebasing posted")
			}
			if d.m.status != store.Identified || d.m.message.Value() != "A bad deploy." || d.m.stale != nil {
				t.Errorf("rebased: status %s, message %q", d.m.status, d.m.message.Value())
			}
			view = strings.Join(strings.Fields(d.view()), " ")
			if want := fmt.Sprintf("Your Identified is kept: this reopens #%d.", inc.ID); !strings.Contains(view, want) {
				t.Errorf("the composer does not say %q:\n%s", want, d.view())
			}
			d.press("ctrl+s")
			if d.posted() != inc.ID {
				t.Fatalf("not posted after rebasing:\n%s", d.view())
			}
			if got := e.incident(inc.ID); got.Status != store.Identified || len(got.Updates) != 3 {
				t.Errorf("after the rebase: %s, %d updates", got.Status, len(got.Updates))
			}
		})
	}
}

// TestRebaseKeepsTheChosenStatus: a status the responder picked survives a rebase on another
// responder's update, and the composer says what the rebase did.
func TestRebaseKeepsTheChosenStatus(t *testing.T) {
	e := newEnv(t)
	inc := checkoutErrors(t, e)
	d := drive(t, NewUpdate(e.c, inc.ID), 100, 30)
	d.mustShow("› Identified")
	d.press("down", "down")
	d.mustShow("› Fixed")
	d.press("enter", "tab")
	d.typeText("Rolled back; errors gone.")

	postElsewhere(t, e, inc.ID, store.NewUpdate{Status: store.Identified, Message: "A bad deploy."})
	d.press("ctrl+s")
	d.mustShow("ctrl+r rebases it")
	d.press("ctrl+r")
	if d.m.status != store.Fixed || d.m.message.Value() != "Rolled back; errors gone." {
		t.Fatalf("rebased: status %s, message %q", d.m.status, d.m.message.Value())
	}
	view := strings.Join(strings.Fields(d.view()), " ")
	if !strings.Contains(view, "Rebased on bob's update (Identified). Your Fixed is kept.") {
		t.Errorf("the composer does not say what the rebase did:\n%s", d.view())
	}
	d.press("ctrl+s")
	if d.posted() != inc.ID {
		t.Fatalf("not posted after rebasing:\n%s", d.view())
	}
	if got := e.incident(inc.ID); got.Status != store.Fixed || !got.Resolved() {
		t.Errorf("after the rebase: %s, resolved %v", got.Status, got.Resolved())
	}
}

// checkoutErrors is an incident bob declared, a major outage of API.
func checkoutErrors(t *testing.T, e *env) store.IncidentDetail {
	t.Helper()
	inc, err := e.st.OpenIncident(context.Background(), bob, store.NewIncident{Title: "Checkout errors", Message: "Looking.",
		Impacts: []store.SetImpact{{ComponentID: e.comps["API"], Status: store.MajorOutage}}})
	if err != nil {
		t.Fatal(err)
	}
	return inc
}

// postElsewhere posts an update as bob from a second store on the same file, as another
// process would.
func postElsewhere(t *testing.T, e *env, id int64, u store.NewUpdate) {
	t.Helper()
	ctx := context.Background()
	other, err := store.Open(ctx, e.st.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.PostUpdate(ctx, bob, id, u); err != nil {
		t.Fatal(err)
	}
}

// TestConflictWithAFix: a responder writes an update to an incident in watching while bob
// fixes it from another process. A status accepted with enter counts as chosen, the proposed
// Fixed too: the composer sees the fix as a conflict, and no way on turns the responder's
// resolve into a reopen. A Fixed kept on the fixed incident only adds a note, and says so; a
// status that reopens it says "this reopens #N" in the notice and on the review.
func TestConflictWithAFix(t *testing.T) {
	for _, tc := range []struct {
		name     string
		keys     []string // on the status step, which proposes Fixed
		then     string   // ctrl+r rebases, ctrl+s posts anyway
		want     store.IncidentStatus
		says     string   // the notice after the rebase; %d is the incident
		review   []string // on the review; %d is the incident
		resolved bool     // the incident after posting
	}{
		{name: "enter on the proposed Fixed, rebase", keys: []string{"enter"}, then: "ctrl+r", want: store.Fixed,
			says:   "Rebased on bob's update (Fixed). #%d is already fixed, so yours changes nothing: ctrl+s adds your message to it as a note.",
			review: []string{"Fixed · public · a note on fixed #%d", "API       ● Operational  unchanged", "Banner      ● All systems are operational  unchanged"}, resolved: true},
		{name: "enter on the proposed Fixed, post anyway", keys: []string{"enter"}, then: "ctrl+s", want: store.Fixed, resolved: true},
		{name: "Watching picked, rebase", keys: []string{"down", "down", "enter"}, then: "ctrl+r", want: store.Watching,
			says:   "Rebased on bob's update (Fixed). Your Watching is kept: this reopens #%d.",
			review: []string{"Watching · public · reopens #%d", "API       ● Operational → ◐ Partial outage"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			id := watchingIncident(e)
			d := drive(t, NewUpdate(e.c, id), 80, 23)
			d.mustShow("› Fixed")
			d.press(tc.keys...)
			d.press("enter")
			d.typeText("My draft: still watching.")

			postElsewhere(t, e, id, store.NewUpdate{Status: store.Fixed, Message: "Fixed by other."})
			d.send(shared.ChangedMsg{})
			d.mustShow("was resolved by bob")
			d.press(tc.then)
			if tc.then == "ctrl+r" {
				if d.m.status != tc.want || d.m.message.Value() != "My draft: still watching." {
					t.Fatalf("rebased: status %s, message %q", d.m.status, d.m.message.Value())
				}
				if view := strings.Join(strings.Fields(d.view()), " "); !strings.Contains(view, fmt.Sprintf(tc.says, id)) {
					t.Errorf("the notice does not say %q:\n%s", fmt.Sprintf(tc.says, id), d.view())
				}
				if tc.want == store.Fixed {
					d.press("shift+tab", "shift+tab")
					d.mustShow("› Still fixed: add a note", "Reopen: investigating")
					d.press("enter", "enter")
				}
				d.press("tab")
				for _, want := range tc.review {
					d.mustShow(strings.ReplaceAll(want, "%d", fmt.Sprint(id)))
				}
				d.press("enter")
			}
			if d.posted() != id {
				t.Fatal("not posted")
			}
			got := e.incident(id)
			if got.Status != tc.want || got.Resolved() != tc.resolved || len(got.Updates) != 5 || got.Updates[0].Message != "My draft: still watching." {
				t.Errorf("posted: %s, resolved %v, %d updates, newest %q", got.Status, got.Resolved(), len(got.Updates), got.Updates[0].Message)
			}
			if want := store.Operational; tc.resolved && e.effective("API") != want {
				t.Errorf("API is %s after the note, want %s", e.effective("API"), want)
			}
		})
	}
}
