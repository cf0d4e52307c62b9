package composer

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// draftTitle is the title of alice's stored declaration draft, "" when there is none.
func (e *env) draftTitle() string {
	e.t.Helper()
	d, ok, err := e.st.LoadDraft(context.Background(), alice, "new")
	if err != nil {
		e.t.Fatal(err)
	}
	if !ok {
		return ""
	}
	st, err := parseDraft(d.State)
	if err != nil {
		e.t.Fatal(err)
	}
	return st.Title
}

// TestFlushSavesWhatTheTickHasNot: with the debounce far away, Flush saves everything typed at
// once, even when the session's context has ended; with nothing unsaved it has nothing to do.
func TestFlushSavesWhatTheTickHasNot(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	c := e.c
	c.Ctx = ctx
	m := NewDeclare(c, e.comps["API"])
	d := drive(t, m, 80, 23)
	m.debounce = time.Hour
	d.press("tab")
	for _, r := range "Checkout is down" {
		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}}) // the tick it schedules never fires
	}
	if got := e.draftTitle(); got != "" {
		t.Fatalf("saved before the flush: %q", got)
	}
	cancel() // the session is over
	save := m.Flush()
	if save == nil {
		t.Fatal("Flush has nothing to save with typing unsaved")
	}
	d.run(save)
	if got := e.draftTitle(); got != "Checkout is down" {
		t.Fatalf("draft title after Flush %q, want every character", got)
	}
	if again := m.Flush(); again != nil {
		t.Fatal("Flush saves again with nothing new")
	}
}

// TestOlderSaveNeverOverwritesFlush: a debounced save still in flight when the flush lands is
// dropped, so the draft keeps the newest text.
func TestOlderSaveNeverOverwritesFlush(t *testing.T) {
	e := newEnv(t)
	m := NewDeclare(e.c, e.comps["API"])
	d := drive(t, m, 80, 23)
	m.debounce = time.Hour
	d.press("tab")
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("Half")})
	_, older := m.Update(draftTickMsg{m, m.gen}) // made, not yet run
	if older == nil {
		t.Fatal("the tick did not save")
	}
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(" and whole")})
	flush := m.Flush()
	if flush == nil {
		t.Fatal("nothing to flush")
	}
	flush()
	older() // lands late
	if got := e.draftTitle(); got != "Half and whole" {
		t.Fatalf("draft title %q after a late older save, want the flushed one", got)
	}
}

// TestRunsOfRunesAreText: Bubble Tea v1 hands over a burst of typing as runs of runes; a run
// that spells a key's name is text while a text field has focus, on the title and message
// steps, and still a key elsewhere.
func TestRunsOfRunesAreText(t *testing.T) {
	runs := func(words ...string) []tea.KeyMsg {
		var out []tea.KeyMsg
		for i, w := range words {
			if i > 0 {
				out = append(out, tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
			}
			out = append(out, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(w)})
		}
		return out
	}
	cases := []struct {
		name  string
		steps []string // keys that reach the step
		words []string
		field func(*Model) string
		step  stepKind
	}{
		{"title down", []string{"tab"}, []string{"Checkout", "is", "down"}, func(m *Model) string { return m.title.Value() }, kindTitle},
		{"title keys", []string{"tab"}, []string{"up", "enter", "tab", "esc", "q", "ctrl+s", "ctrl+c"}, func(m *Model) string { return m.title.Value() }, kindTitle},
		{"message keys", []string{"tab", "T", "enter"}, []string{"down", "tab", "shift+tab", "ctrl+t", "pgup"}, func(m *Model) string { return m.message.Value() }, kindMessage},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			m := NewDeclare(e.c, e.comps["API"])
			d := drive(t, m, 80, 23)
			d.press(tc.steps...)
			before := tc.field(m)
			for _, k := range runs(tc.words...) {
				d.send(k)
			}
			want := before + strings.Join(tc.words, " ")
			if got := tc.field(m); got != want || m.kind() != tc.step || d.closed() {
				t.Fatalf("field %q on step %d (closed %v), want %q on step %d", got, m.kind(), d.closed(), want, tc.step)
			}
		})
	}

	// Off a text field a run is still a key: down moves the component cursor.
	e := newEnv(t)
	m := NewDeclare(e.c, 0)
	d := drive(t, m, 80, 23)
	first := m.picker.current()
	d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("down")})
	if m.picker.current() == first {
		t.Fatal("down on the components step did not move the cursor")
	}
}
