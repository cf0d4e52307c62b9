package shared

import (
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"beacon/theme"
)

// NewInput returns a one-line text field styled from the session's renderer, with a cursor
// that does not blink (a blinking cursor redraws the screen twice a second for nothing).
func NewInput(s *theme.Styles, prompt, placeholder string, limit int) textinput.Model {
	in := textinput.New()
	in.Prompt = prompt
	in.Placeholder = placeholder
	in.CharLimit = limit
	in.PromptStyle = s.Accent
	in.TextStyle = s.Normal
	in.PlaceholderStyle = s.Faint
	in.CompletionStyle = s.Faint
	in.Cursor.Style = s.Renderer.NewStyle().Reverse(true)
	in.Cursor.TextStyle = s.Normal
	in.Cursor.SetMode(cursor.CursorStatic)
	return in
}

// Typed splits a run of typed runes into a key a rune. Bubble Tea v1 hands over a burst of
// typing (or a paste without bracketed paste) as runs of runes, and a text field's own
// bindings would take a run that spells a key's name ("down" in "Checkout is down") for that
// key. Any other key, and a bracketed paste, comes back as it is.
func Typed(msg tea.KeyMsg) []tea.KeyMsg {
	if msg.Type != tea.KeyRunes || msg.Paste || len(msg.Runes) < 2 {
		return []tea.KeyMsg{msg}
	}
	out := make([]tea.KeyMsg, len(msg.Runes))
	for i, r := range msg.Runes {
		out[i] = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt}
	}
	return out
}

// FilterKey handles a key for a focused filter field: enter keeps the text and leaves the
// field, esc clears it and leaves, anything else is typed. It reports whether the field was
// left; the caller then reads the field's value as its filter either way.
func FilterKey(in *textinput.Model, msg tea.KeyMsg) (left bool, cmd tea.Cmd) {
	switch msg.Type {
	case tea.KeyEnter:
		in.Blur()
		return true, nil
	case tea.KeyEsc:
		in.Blur()
		in.SetValue("")
		return true, nil
	}
	cmds := make([]tea.Cmd, 0, 2)
	for _, k := range Typed(msg) {
		var c tea.Cmd
		*in, c = in.Update(k)
		cmds = append(cmds, c)
	}
	return false, tea.Batch(cmds...)
}
