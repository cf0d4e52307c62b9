package incident

import (
	"strings"
	"sync"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/glamour"
	"github.com/charmbracelet/glamour/ansi"
	"github.com/charmbracelet/glamour/styles"
	"github.com/charmbracelet/lipgloss"
	xansi "github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"beacon/sanitize"
	"beacon/store"
)

// markdown renders update messages with one glamour renderer per session, styled for the
// session's terminal, and keeps what it rendered per update and width. Rendering is slow (a
// short message takes a few hundred microseconds, a long one many milliseconds), so it runs in
// commands, never in Update: the view shows a message as plain text until it is rendered.
type markdown struct {
	r *lipgloss.Renderer

	mu    sync.Mutex // guards what follows: render commands run in their own goroutines
	width int
	tr    *glamour.TermRenderer
	cache map[mdKey][]string
}

type mdKey struct {
	update int64
	width  int
}

// renderedMsg says that messages were rendered at width.
type renderedMsg struct{ width int }

func newMarkdown(r *lipgloss.Renderer) *markdown {
	return &markdown{r: r, cache: map[mdKey][]string{}}
}

// style picks glamour's style for the renderer: plain without colour, else for its background.
func (md *markdown) style() ansi.StyleConfig {
	switch {
	case md.r.ColorProfile() == termenv.Ascii:
		cfg := styles.NoTTYStyleConfig
		cfg.Code.Prefix, cfg.Code.Suffix = "`", "`" // glamour drops its marks on inline code
		return cfg
	case md.r.HasDarkBackground():
		return styles.DarkStyleConfig
	}
	return styles.LightStyleConfig
}

// get returns an update's rendered message at width, if it was rendered.
func (md *markdown) get(id int64, width int) ([]string, bool) {
	md.mu.Lock()
	defer md.mu.Unlock()
	l, ok := md.cache[mdKey{id, width}]
	return l, ok
}

// renderCmd renders the given updates' messages at width in a command.
func (md *markdown) renderCmd(us []store.Update, width int) tea.Cmd {
	return func() tea.Msg {
		for _, u := range us {
			md.render(u, width)
		}
		return renderedMsg{width: width}
	}
}

// render renders one message at width unless it already is, as lines without the blank ones
// glamour puts around a document.
func (md *markdown) render(u store.Update, width int) {
	md.mu.Lock()
	defer md.mu.Unlock()
	k := mdKey{u.ID, width}
	if _, ok := md.cache[k]; ok {
		return
	}
	if width != md.width || md.tr == nil {
		tr, err := glamour.NewTermRenderer(
			glamour.WithStyles(md.style()),
			glamour.WithColorProfile(md.r.ColorProfile()),
			glamour.WithWordWrap(width),
		)
		if err != nil {
			md.cache[k] = plain(u.Message, width)
			return
		}
		md.tr, md.width = tr, width
		clear(md.cache) // only one width is ever on screen
	}
	out, err := md.tr.Render(sanitize.Markdown(u.Message))
	if err != nil {
		md.cache[k] = plain(u.Message, width)
		return
	}
	md.cache[k] = trimBlank(strings.Split(sanitize.Styled(out), "\n"))
}

// plain is the message as sanitised text, wrapped and indented like glamour's output: what
// shows until the message is rendered, or if glamour fails.
func plain(msg string, width int) []string {
	lines := strings.Split(xansi.Wrap(sanitize.Text(msg), max(1, width-4), ""), "\n")
	for i, l := range lines {
		lines[i] = "  " + l
	}
	return trimBlank(lines)
}

// trimBlank drops leading and trailing blank lines.
func trimBlank(lines []string) []string {
	blank := func(s string) bool { return strings.TrimSpace(xansi.Strip(s)) == "" }
	for len(lines) > 0 && blank(lines[0]) {
		lines = lines[1:]
	}
	for len(lines) > 0 && blank(lines[len(lines)-1]) {
		lines = lines[:len(lines)-1]
	}
	return lines
}
