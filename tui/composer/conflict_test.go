package composer

import (
	"context"
	"strings"
	"testing"

	"beacon/store"
)

// TestConflict walks an update that meets another responder's resolve, made by a second store
// on the same file while the first responder writes: the post is refused and says who resolved
// it and when, the draft is kept, and the responder chooses. Posting anyway reopens the
// incident, as the notice says; rebasing starts again from the new state with the message kept.
func TestConflict(t *testing.T) {
	for _, choice := range []string{"post anyway", "rebase"} {
		t.Run(choice, func(t *testing.T) {
			e := newEnv(t)
			ctx := context.Background()
			inc, err := e.st.OpenIncident(ctx, bob, store.NewIncident{Title: "Checkout errors", Message: "Looking.",
				Impacts: []store.SetImpact{{ComponentID: e.comps["API"], Status: store.MajorOutage}}})
			if err != nil {
				t.Fatal(err)
			}
			d := drive(t, NewUpdate(e.c, inc.ID), 100, 30)
			d.mustShow("› Identified")
			d.press("enter", "tab")
			d.typeText("A bad deploy.")

			other, err := store.Open(ctx, e.st.Path())
			if err != nil {
				t.Fatal(err)
			}
			defer other.Close()
			if _, err := other.PostUpdate(ctx, bob, inc.ID, store.NewUpdate{Status: store.Fixed, Message: "Rolled back."}); err != nil {
				t.Fatal(err)
			}

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
			d.press("ctrl+r")
			if len(d.emitted) != 0 {
				t.Fatal("rebasing posted")
			}
			if d.m.status != store.Investigating || d.m.message.Value() != "A bad deploy." || d.m.stale != nil {
				t.Errorf("rebased: status %s, message %q", d.m.status, d.m.message.Value())
			}
			d.press("ctrl+s")
			if d.posted() != inc.ID {
				t.Fatalf("not posted after rebasing:\n%s", d.view())
			}
			if got := e.incident(inc.ID); got.Status != store.Investigating || len(got.Updates) != 3 {
				t.Errorf("after the rebase: %s, %d updates", got.Status, len(got.Updates))
			}
		})
	}
}
