package tui

import (
	"context"
	"encoding/json"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"beacon/tui/internal/fixture"
)

// TestQuitSavesTheDraft: ctrl+c right after typing in the composer, long before the draft's
// next save would have come, quits with every character in the stored draft.
func TestQuitSavesTheDraft(t *testing.T) {
	st := fixture.Open(t)
	fixture.Fill(t, st)
	d, m := start(t, st, 100, 30)
	d.Keys("j", "n")
	d.WaitFor("the composer", func() bool { return m.composer != nil })
	d.Keys("tab")
	d.Type("Checkout is down")
	d.Keys("ctrl+c")
	d.WaitFor("quitting", func() bool { return d.Quit })

	dr, ok, err := st.LoadDraft(context.Background(), fixture.Actor, "new")
	if err != nil || !ok {
		t.Fatalf("no draft after quitting (ok=%v, err=%v)", ok, err)
	}
	var state struct{ Title string }
	if err := json.Unmarshal(dr.State, &state); err != nil {
		t.Fatal(err)
	}
	if state.Title != "Checkout is down" {
		t.Fatalf("the draft's title is %q, want every character typed", state.Title)
	}
}

// TestRunsOfRunesAreTextInFields: a run of typed runes that spells a key's name is text in the
// composer's title and in the incidents filter, not the key: "down" does not move, "ctrl+c"
// does not quit.
func TestRunsOfRunesAreTextInFields(t *testing.T) {
	st := fixture.Open(t)
	fixture.Fill(t, st)
	runes := func(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

	d, m := start(t, st, 100, 30)
	d.Keys("2", "/")
	d.Send(runes("down"))
	d.Send(runes("ctrl+c"))
	if d.Quit || m.incidents.Capturing() == false {
		t.Fatalf("typing in the filter quit (%v) or left it", d.Quit)
	}
	d.WaitView("/ downctrl+c")

	d, m = start(t, st, 100, 30)
	d.Keys("j", "n")
	d.WaitFor("the composer", func() bool { return m.composer != nil })
	d.Keys("tab")
	for _, s := range []string{"Checkout", " ", "is", " ", "down", " ", "ctrl+c"} {
		d.Send(runes(s))
	}
	if d.Quit || m.active != composerView {
		t.Fatalf("typing in the title quit (%v) or left the composer (view %d)", d.Quit, m.active)
	}
	d.WaitView("Checkout is down ctrl+c")
}

// TestRemovalQuestionHoldsTheKeys: while the removal question is open, q and the view keys
// answer nothing (the console neither quits nor moves away), ? shows the help, and n keeps.
func TestRemovalQuestionHoldsTheKeys(t *testing.T) {
	st := fixture.Open(t)
	fixture.Fill(t, st)
	d, m := start(t, st, 100, 30)
	d.WaitView("Status page")
	d.Keys("j", "j", "j", "x")
	d.WaitView("Remove component Auth")
	d.Keys("q", "2", "tab")
	if d.Quit || m.active != componentsView {
		t.Fatalf("a key under the removal question quit (%v) or changed the view (%d)", d.Quit, m.active)
	}
	d.Keys("?")
	d.WaitFor("the full help", func() bool { return m.help.ShowAll })
	d.Keys("n")
	d.WaitFor("the question to close", func() bool { return !m.capturing() })
	d.Keys("q")
	d.WaitFor("quitting", func() bool { return d.Quit })
}
