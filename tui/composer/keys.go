package composer

import (
	"slices"

	"github.com/charmbracelet/bubbles/key"

	"beacon/store"
)

// keyMap is the composer's keys; one value per composer, never shared.
type keyMap struct {
	Next       key.Binding
	Prev       key.Binding
	Back       key.Binding
	Enter      key.Binding
	Post       key.Binding
	Rebase     key.Binding // after a conflict: start again from the incident's new state
	Up         key.Binding
	Down       key.Binding
	PageUp     key.Binding
	PageDown   key.Binding
	Toggle     key.Binding
	Less       key.Binding
	More       key.Binding
	Impact     key.Binding
	Identified key.Binding
	Visibility key.Binding
	Leave      key.Binding
	Restore    key.Binding
	Discard    key.Binding
	Keep       key.Binding
	Stay       key.Binding
	Filter     key.Binding // narrows the component list
	Done       key.Binding // leaves the filter, keeping it
	Clear      key.Binding // clears the filter
}

func newKeyMap() keyMap {
	return keyMap{
		Next:       key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next step")),
		Prev:       key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous step")),
		Back:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Enter:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next")),
		Post:       key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "post")),
		Rebase:     key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "rebase")),
		Up:         key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:       key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:     key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown:   key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		Toggle:     key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "select")),
		Less:       key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←", "milder")),
		More:       key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→", "worse")),
		Impact:     key.NewBinding(key.WithKeys("1", "2", "3"), key.WithHelp("1–3", "impact")),
		Identified: key.NewBinding(key.WithKeys("ctrl+t"), key.WithHelp("ctrl+t", "identified")),
		Visibility: key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "internal")),
		Leave:      key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "leave")),
		Restore:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "restore draft")),
		Discard:    key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "discard draft")),
		Keep:       key.NewBinding(key.WithKeys("enter", "k"), key.WithHelp("enter", "keep draft")),
		Stay:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "stay")),
		Filter:     key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Done:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "done")),
		Clear:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear")),
	}
}

// all is every binding, for telling a key's name from a burst of keys.
func (k keyMap) all() []key.Binding {
	return []key.Binding{k.Next, k.Prev, k.Back, k.Enter, k.Post, k.Up, k.Down, k.PageUp, k.PageDown,
		k.Toggle, k.Less, k.More, k.Impact, k.Identified, k.Visibility, k.Leave, k.Restore, k.Discard, k.Keep, k.Stay, k.Rebase, k.Filter}
}

// Typing reports whether a text field has the keys (the title or the message step), so that
// a printable key such as ? is text there, not a command.
func (m *Model) Typing() bool {
	if m.c.Actor.ReadOnly || m.phase != phaseEditing {
		return false
	}
	kind := m.kind()
	return kind == kindTitle || kind == kindMessage || m.filtering
}

// ShortHelp lists the keys that work at this moment, for the footer.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	switch {
	case m.c.Actor.ReadOnly:
		return []key.Binding{k.Back}
	}
	switch m.phase {
	case phaseFailed, phasePosted, phaseLoading:
		return []key.Binding{k.Back}
	case phaseConfirming:
		return []key.Binding{k.Keep, k.Discard, k.Stay}
	case phaseOffering:
		return []key.Binding{k.Restore, k.Discard, k.Back}
	}
	if m.filtering {
		return []key.Binding{k.Done, k.Clear, k.Post}
	}
	if m.stale != nil {
		return []key.Binding{withHelp(k.Post, "ctrl+s", "post anyway"), k.Rebase, m.forwardHelp(), m.backHelp()}
	}
	out := []key.Binding{m.forwardHelp(), m.backHelp()}
	if m.kind() == kindAffected && !m.filterShown() {
		// The footer drops its last keys when narrow; on a long list the filter matters most.
		out = append(out, k.Filter)
	}
	if m.kind() != kindReview {
		out = append(out, k.Post)
	}
	for _, b := range m.stepHelp() {
		if m.kind() != kindAffected || !slices.Contains(b.Keys(), "/") {
			out = append(out, b)
		}
	}
	return out
}

// forwardHelp is the key that moves on from the current step, first in the footer so that
// it is never cut off.
func (m *Model) forwardHelp() key.Binding {
	k := m.keys
	switch m.kind() {
	case kindAffected, kindTitle:
		return withHelp(k.Next, "enter/tab", "next step")
	case kindStatus:
		return withHelp(k.Enter, "enter", "choose")
	case kindReview:
		return withHelp(k.Enter, "enter", "post")
	}
	return k.Next
}

// backHelp is esc, which clears the component filter first when one narrows the list.
func (m *Model) backHelp() key.Binding {
	if m.filterShown() {
		return withHelp(m.keys.Back, "esc", "clear filter")
	}
	return m.keys.Back
}

// FullHelp lists every key of the composer, grouped: this step's keys, then moving between steps.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.keys
	short := m.ShortHelp()
	if m.c.Actor.ReadOnly || m.filtering || (m.phase != phaseEditing && m.phase != phasePosting && m.phase != phaseClosing) {
		return [][]key.Binding{short} // the steps' keys only while the steps show
	}
	moves := []key.Binding{k.Prev, m.backHelp(), k.Post}
	if fw := m.forwardHelp(); !slices.Contains(fw.Keys(), "tab") {
		moves = append([]key.Binding{k.Next}, moves...) // not said already, first
	}
	if kind := m.kind(); kind != kindTitle && kind != kindMessage {
		moves = append(moves, k.Leave)
	}
	step := append([]key.Binding{m.forwardHelp()}, m.stepHelp()...)
	moves = slices.DeleteFunc(moves, func(b key.Binding) bool { // each key once: the step's column says it already
		return slices.ContainsFunc(step, func(s key.Binding) bool { return slices.Equal(s.Keys(), b.Keys()) })
	})
	return [][]key.Binding{step, moves}
}

// stepHelp is the keys of the current step besides forwardHelp, with their words fitted to
// the state.
func (m *Model) stepHelp() []key.Binding {
	k := m.keys
	switch m.kind() {
	case kindAffected:
		if m.mode == modeUpdate && m.status == store.Fixed {
			return []key.Binding{k.Up, k.Down, k.Filter}
		}
		return []key.Binding{k.Up, k.Down, k.Toggle, k.Filter, k.Less, k.More, k.Impact}
	case kindStatus:
		return []key.Binding{k.Up, k.Down}
	case kindMessage:
		var out []key.Binding
		if m.mode == modeDeclare {
			word := "identified"
			if m.status == store.Identified {
				word = "investigating"
			}
			out = append(out, withHelp(k.Identified, "ctrl+t", word))
		}
		return out
	case kindReview:
		var out []key.Binding
		if m.mode == modeDeclare {
			word := "internal"
			if m.visibility == store.Internal {
				word = "public"
			}
			out = append(out, withHelp(k.Visibility, "v", word))
		}
		return append(out, k.Prev)
	}
	return nil
}

func withHelp(b key.Binding, k, desc string) key.Binding {
	b.SetHelp(k, desc)
	return b
}
