// Package welcome is the screen an empty database opens on: it offers demo data or a first
// component, so a fresh machine shows a working console at once.
package welcome

import (
	"context"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"beacon/sanitize"
	"beacon/store"
	"beacon/tui/keys"
	"beacon/tui/shared"
)

// FillFunc fills an empty database with demo data (demo.Fill).
type FillFunc func(ctx context.Context, w shared.Writer, actor store.Actor, now time.Time) error

// Model is the welcome screen.
type Model struct {
	c      shared.Common
	keys   keys.KeyMap
	fill   FillFunc
	width  int
	height int

	adding bool
	input  textinput.Model
	busy   string // what is being done, while it is
	err    string
}

// doneMsg reports the end of filling or adding.
type doneMsg struct{ err error }

// New returns the welcome screen; fill may be nil, and then no demo data is offered.
func New(c shared.Common, k keys.KeyMap, fill FillFunc) *Model {
	return &Model{c: c, keys: k, fill: fill, input: shared.NewInput(c.Styles, "Name: ", "e.g. API", store.MaxNameLen)}
}

// Init implements tea.Model.
func (m *Model) Init() tea.Cmd { return nil }

// SetSize implements shared.View.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	m.input.Width = max(1, min(40, width-12))
}

// Capturing implements shared.Capturer: the name field takes every key while it is open.
func (m *Model) Capturing() bool { return m.adding }

func (m *Model) demoKey() key.Binding {
	k := m.keys.Demo
	if m.fill == nil {
		k.SetEnabled(false)
	}
	return k
}

// ShortHelp implements help.KeyMap.
func (m *Model) ShortHelp() []key.Binding {
	if m.adding {
		return []key.Binding{
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "add")),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		}
	}
	return []key.Binding{m.demoKey(), m.keys.Add}
}

// FullHelp implements help.KeyMap.
func (m *Model) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case doneMsg:
		m.busy = ""
		if msg.err != nil {
			m.err = msg.err.Error()
		}
	case tea.KeyMsg:
		if m.busy != "" {
			return m, nil
		}
		if m.adding {
			return m, m.updateInput(msg)
		}
		switch {
		case key.Matches(msg, m.demoKey()):
			m.busy, m.err = "Filling the database with demo data…", ""
			c, fill := m.c, m.fill
			return m, func() tea.Msg { return doneMsg{fill(c.Ctx, c.Writer, c.Actor, c.Now())} }
		case key.Matches(msg, m.keys.Add):
			m.adding, m.err = true, ""
			return m, m.input.Focus()
		}
	}
	return m, nil
}

func (m *Model) updateInput(msg tea.KeyMsg) tea.Cmd {
	switch msg.Type {
	case tea.KeyEsc:
		m.adding = false
		m.input.Blur()
		m.input.SetValue("")
		return nil
	case tea.KeyEnter:
		name := m.input.Value()
		if _, err := store.CleanName("name", name); err != nil {
			m.err = err.Error()
			return nil
		}
		m.adding = false
		m.input.Blur()
		m.input.SetValue("")
		m.busy, m.err = "Adding "+sanitize.Line(name)+"…", ""
		c := m.c
		return func() tea.Msg {
			_, err := c.Writer.AddComponent(c.Ctx, c.Actor, store.NewComponent{Name: name})
			return doneMsg{err}
		}
	}
	var cmds []tea.Cmd
	for _, k := range shared.Typed(msg) {
		var cmd tea.Cmd
		m.input, cmd = m.input.Update(k)
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

// View implements tea.Model. Sentences wrap to the width rather than being cut.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	s := m.c.Styles
	var lines []string
	text := func(st lipgloss.Style, t string) { lines = append(lines, m.wrap("", st, t)...) }
	choice := func(k, t string) { lines = append(lines, m.wrap(s.Accent.Render(k)+"  ", s.Normal, t)...) }
	text(s.Title, "Welcome to Beacon")
	lines = append(lines, "")
	text(s.Normal, "This database is empty: no components and no incidents yet.")
	lines = append(lines, "")
	switch {
	case m.busy != "":
		text(s.Accent, m.busy)
	case m.c.Actor.ReadOnly:
		text(s.Faint, "There is nothing to show yet; the page fills in as responders add to it.")
	case m.adding:
		text(s.Normal, "Add a first component (enter adds it, esc cancels):")
		lines = append(lines, "", shared.Truncate(m.input.View(), m.width))
	default:
		if m.fill != nil {
			choice("d", "fill it with demo data: a dozen components, incidents, 90 days of history")
		}
		choice("a", "add a first component")
		choice("q", "quit")
	}
	if m.err != "" {
		lines = append(lines, "")
		text(s.Error, sanitize.Line(m.err))
	}
	if !m.c.Actor.ReadOnly {
		lines = append(lines, "")
		for _, l := range strings.Split(ansi.Hardwrap(sanitize.Line(m.c.Writer.Path()), m.width, false), "\n") {
			lines = append(lines, s.Faint.Render(l))
		}
	}
	body := strings.Join(lines, "\n")
	return s.Renderer.PlaceVertical(m.height, lipgloss.Center, body)
}

// wrap is t in st, wrapped to the width after lead (drawn on the first line; the lines after
// it are indented as wide).
func (m *Model) wrap(lead string, st lipgloss.Style, t string) []string {
	indent := lipgloss.Width(lead)
	out := strings.Split(ansi.Wrap(t, max(1, m.width-indent), " "), "\n")
	for i, l := range out {
		if i == 0 {
			out[i] = lead + st.Render(l)
		} else {
			out[i] = strings.Repeat(" ", indent) + st.Render(l)
		}
	}
	return out
}
