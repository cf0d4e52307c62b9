package shared

import (
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"

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
