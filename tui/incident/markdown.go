package incident

import (
	"sync"

	tea "github.com/charmbracelet/bubbletea"

	"beacon/store"
	"beacon/theme"
	"beacon/tui/markdown"
	"beacon/tui/shared"
)

// renders holds the session's rendered update messages, per update and width. Rendering runs
// in commands, never in Update: the view shows a message as plain text until it is rendered.
type renders struct {
	md *markdown.Renderer

	mu    sync.Mutex // guards what follows: render commands run in their own goroutines
	width int
	cache map[mdKey][]string
}

type mdKey struct {
	update int64
	width  int
}

// renderedMsg says that messages were rendered at width.
type renderedMsg struct{ width int }

func newRenders(s *theme.Styles) *renders {
	return &renders{md: markdown.New(s), cache: map[mdKey][]string{}}
}

// get returns an update's rendered message at width, if it was rendered.
func (md *renders) get(id int64, width int) ([]string, bool) {
	md.mu.Lock()
	defer md.mu.Unlock()
	l, ok := md.cache[mdKey{id, width}]
	return l, ok
}

// renderCmd renders the given updates' messages at width in a command.
func (md *renders) renderCmd(us []store.Update, width int) tea.Cmd {
	return func() tea.Msg {
		for _, u := range us {
			md.render(u, width)
		}
		return renderedMsg{width: width}
	}
}

// render renders one message at width unless it already is, indented like plain.
func (md *renders) render(u store.Update, width int) {
	md.mu.Lock()
	defer md.mu.Unlock()
	k := mdKey{u.ID, width}
	if _, ok := md.cache[k]; ok {
		return
	}
	if width != md.width {
		clear(md.cache) // only one width is ever on screen
		md.width = width
	}
	lines := md.md.Render(u.Message, max(1, width-4))
	for i, l := range lines {
		if l != "" {
			lines[i] = "  " + l
		}
	}
	md.cache[k] = lines
}

// plain is the message as sanitised text, wrapped and indented like the rendered one: what
// shows until the message is rendered.
func plain(msg string, width int) []string { return shared.Wrap(msg, width-2, "  ") }
