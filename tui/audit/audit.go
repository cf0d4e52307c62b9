// Package audit is the console's audit trail: every write with who made it, newest first, read
// a page at a time as the cursor nears the end, filtered by actor as the name is typed. enter
// on an entry opens the incident it is about, or shows the whole entry. It is a page of the
// Incidents view, for responders and viewers with a key; the public never sees it.
package audit

import (
	"context"
	"fmt"
	"slices"
	"strings"

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

// PageSize is how many entries one read brings.
const PageSize = 200

// Source is where the trail is read: the store, or the server's shared snapshots. The public's
// reader is none, so an anonymous session has no audit trail.
type Source interface {
	AuditLog(ctx context.Context, q store.AuditQuery) ([]store.AuditEntry, error)
}

// Available reports whether a session can read the audit trail.
func Available(c shared.Common) bool {
	_, ok := c.Reader.(Source)
	return ok
}

// Model is the audit trail page.
type Model struct {
	c      shared.Common
	keys   keys.KeyMap
	width  int
	height int

	entries []store.AuditEntry
	more    bool
	loading bool
	gen     int
	err     error

	filter    textinput.Model
	filtering bool
	actor     string

	cursor int
	top    int
	shown  bool // the entry under the cursor is shown whole, under the list
}

// pageMsg brings entries: a further page, or (replace) the trail read again.
type pageMsg struct {
	gen     int
	list    []store.AuditEntry
	limit   int
	replace bool
	err     error
}

// New returns the audit page for a session.
func New(c shared.Common, k keys.KeyMap) *Model {
	return &Model{c: c, keys: k, more: true, filter: shared.NewInput(c.Styles, "actor: ", "part of a name, any case", store.MaxNameLen)}
}

// Init implements tea.Model: it reads the newest page.
func (m *Model) Init() tea.Cmd { return m.reload() }

// SetSize implements shared.View.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	m.filter.Width = max(1, width/2)
	m.top = shared.Window(m.top, m.cursor, m.listHeight(), len(m.entries))
}

// Capturing implements shared.Capturer: the actor field takes every key while focused.
func (m *Model) Capturing() bool { return m.filtering }

// ShortHelp implements help.KeyMap.
func (m *Model) ShortHelp() []key.Binding {
	if m.filtering {
		return []key.Binding{
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep")),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear")),
		}
	}
	filter := m.keys.Filter
	filter.SetHelp("/", "by actor")
	back := m.keys.Back
	switch {
	case m.shown:
		back.SetHelp("esc", "close entry")
	case m.actor != "":
		back.SetHelp("esc", "clear filter")
	default:
		back.SetHelp("esc", "incidents")
	}
	b := []key.Binding{filter, back, m.keys.Move}
	if open := m.openHelp(); open.Enabled() {
		b = append([]key.Binding{open}, b...)
	}
	return b
}

// openHelp is what enter does on the entry under the cursor; disabled when there is none.
func (m *Model) openHelp() key.Binding {
	open := m.keys.Open
	switch {
	case m.cursor >= len(m.entries):
		open.SetEnabled(false)
	case incidentOf(m.entries[m.cursor]) != 0:
		open.SetHelp("enter", "open incident")
	case m.shown:
		open.SetHelp("enter", "hide entry")
	default:
		open.SetHelp("enter", "whole entry")
	}
	return open
}

// FullHelp implements help.KeyMap.
func (m *Model) FullHelp() [][]key.Binding {
	if m.filtering {
		return [][]key.Binding{m.ShortHelp()}
	}
	b := m.ShortHelp()
	return [][]key.Binding{
		{m.keys.Up, m.keys.Down, m.keys.PageUp, m.keys.PageDown, m.keys.Top, m.keys.Bottom},
		b[:len(b)-1],
	}
}

// incidentOf is the incident an entry is about, 0 when it is about something else.
func incidentOf(e store.AuditEntry) int64 {
	var id int64
	if n, err := fmt.Sscanf(e.Subject, "incident #%d", &id); n == 1 && err == nil {
		return id
	}
	return 0
}

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case shared.ChangedMsg:
		return m, m.reload()
	case pageMsg:
		return m, m.take(msg)
	case tea.KeyMsg:
		if m.filtering {
			// The list follows the name as it is typed; enter keeps it, esc clears it.
			left, cmd := shared.FilterKey(&m.filter, msg)
			m.filtering = !left
			return m, tea.Batch(cmd, m.setActor(m.filter.Value()))
		}
		return m, m.updateKey(msg)
	}
	return m, nil
}

func (m *Model) updateKey(msg tea.KeyMsg) tea.Cmd {
	if n, ok := m.keys.Movement(msg, max(1, m.listHeight()-1), len(m.entries)); ok {
		m.move(n)
		return m.fetch()
	}
	switch {
	case key.Matches(msg, m.keys.Filter):
		m.filtering = true
		return m.filter.Focus()
	case key.Matches(msg, m.keys.Open) && m.cursor < len(m.entries):
		if id := incidentOf(m.entries[m.cursor]); id != 0 {
			return shared.Cmd(shared.OpenIncidentMsg{ID: id})
		}
		m.shown = !m.shown
		m.move(0)
		return nil
	}
	return m.fetch()
}

// Back takes esc: it closes the entry shown whole, else clears the actor filter; it reports
// false when there was neither, and esc then leaves the trail.
func (m *Model) Back() (handled bool, cmd tea.Cmd) {
	switch {
	case m.shown:
		m.shown = false
		m.move(0)
		return true, nil
	case m.actor != "":
		m.filter.SetValue("")
		return true, m.setActor("")
	}
	return false, nil
}

func (m *Model) setActor(a string) tea.Cmd {
	a = strings.TrimSpace(a)
	if a == m.actor {
		return nil
	}
	m.actor = a
	m.entries, m.more, m.cursor, m.top, m.shown = nil, true, 0, 0, false
	return m.reload()
}

// reload reads again every entry listed so far (at least a page), dropping reads under way.
func (m *Model) reload() tea.Cmd {
	m.gen++
	m.loading = true
	return m.read(store.AuditQuery{Actor: m.actor, Limit: max(PageSize, len(m.entries))}, true)
}

// fetch reads the next page when the cursor is within two screens of the end.
func (m *Model) fetch() tea.Cmd {
	if m.loading || !m.more || m.cursor < len(m.entries)-2*max(1, m.height) {
		return nil
	}
	q := store.AuditQuery{Actor: m.actor, Limit: PageSize}
	if n := len(m.entries); n > 0 {
		q.Before = m.entries[n-1].ID
	}
	m.loading = true
	return m.read(q, false)
}

func (m *Model) read(q store.AuditQuery, replace bool) tea.Cmd {
	c, gen := m.c, m.gen
	src, ok := c.Reader.(Source)
	return func() tea.Msg {
		if !ok {
			return pageMsg{gen: gen, limit: q.Limit, replace: replace}
		}
		list, err := src.AuditLog(c.Ctx, q)
		return pageMsg{gen: gen, list: list, limit: q.Limit, replace: replace, err: err}
	}
}

func (m *Model) take(msg pageMsg) tea.Cmd {
	if msg.gen != m.gen {
		return nil
	}
	m.loading, m.err = false, msg.err
	if msg.err != nil {
		m.more = false
		return nil
	}
	if msg.replace {
		m.entries = slices.Clip(msg.list)
	} else {
		m.entries = append(m.entries, msg.list...)
	}
	m.more = len(msg.list) == msg.limit
	m.move(0)
	return m.fetch()
}

func (m *Model) move(n int) {
	m.cursor = max(0, min(len(m.entries)-1, m.cursor+n))
	m.top = shared.Window(m.top, m.cursor, m.listHeight(), len(m.entries))
}

// listHeight leaves the first line for the title and the filter, and room under the list for
// the entry shown whole.
func (m *Model) listHeight() int {
	h := m.height - 1
	if m.shown {
		h -= entryHeight + 1
	}
	return max(1, h)
}

// entryHeight is the most lines the entry shown whole takes, below a rule.
const entryHeight = 5

// View implements tea.Model. It draws only the rows on screen.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	s := m.c.Styles
	var left string
	switch {
	case m.filtering:
		left = m.filter.View()
	case m.actor != "":
		left = s.Title.Render("Audit trail") + s.Faint.Render(" by ") + s.Normal.Render(sanitize.Line(m.actor)) + s.Faint.Render("  (esc clears)")
	default:
		left = s.Title.Render("Audit trail") + s.Faint.Render("  newest first · / by actor")
	}
	more := ""
	if m.more {
		more = "+"
	}
	pos := s.Faint.Render(fmt.Sprintf("%d/%d%s", min(m.cursor+1, len(m.entries)), len(m.entries), more))
	lines := []string{shared.Spread(left, pos, m.width, s.Renderer.NewStyle())}
	switch {
	case m.err != nil:
		lines = append(lines, s.Error.Render(shared.Truncate("Cannot read the audit trail: "+sanitize.Line(m.err.Error()), m.width)))
	case len(m.entries) == 0 && m.loading:
		lines = append(lines, s.Faint.Render("Loading…"))
	case len(m.entries) == 0 && m.actor != "":
		lines = append(lines, s.Faint.Render(shared.Truncate("Nothing recorded by a name that holds “"+sanitize.Line(m.actor)+"”.", m.width)))
	case len(m.entries) == 0:
		lines = append(lines, s.Faint.Render("Nothing recorded yet."))
	}
	end := min(len(m.entries), m.top+m.listHeight())
	cols := m.columns(m.entries[m.top:end])
	for i := m.top; i < end; i++ {
		lines = append(lines, m.row(m.entries[i], i == m.cursor, cols))
	}
	if m.shown && m.cursor < len(m.entries) {
		for len(lines) < 1+m.listHeight() {
			lines = append(lines, "")
		}
		lines = append(lines, s.Rule.Render(strings.Repeat("─", m.width)))
		lines = append(lines, m.entry(m.entries[m.cursor])...)
	}
	return strings.Join(lines, "\n")
}

// entry is one entry in full, wrapped to the width: when exactly, who, what, about what, and
// the whole detail, cut at entryHeight lines.
func (m *Model) entry(e store.AuditEntry) []string {
	s := m.c.Styles
	head := s.Faint.Render(e.At.Local().Format("2006-01-02 15:04:05 MST")+" · ") + s.Accent.Render(sanitize.Line(e.Actor)) +
		s.Faint.Render(" · ") + s.Normal.Render(sanitize.Line(e.Action))
	text := sanitize.Line(e.Subject)
	if e.Detail != "" {
		text += ": " + sanitize.Line(e.Detail)
	}
	out := strings.Split(ansi.Wrap(head, m.width, " "), "\n")
	for _, l := range strings.Split(ansi.Wrap(text, m.width, " "), "\n") {
		out = append(out, s.Normal.Render(l))
	}
	if len(out) > entryHeight {
		out = out[:entryHeight]
		out[entryHeight-1] = shared.Truncate(out[entryHeight-1]+" …", m.width)
	}
	return out
}

// columns are the widths of a row's time, actor and action, from the rows on screen: each as
// wide as its longest, the actor at most a third of the line, so the subject and detail get
// the rest.
type columns struct{ when, who, what int }

func (m *Model) columns(rows []store.AuditEntry) columns {
	var c columns
	now := m.c.Now()
	for _, e := range rows {
		c.when = max(c.when, lipgloss.Width(shared.Clock(now, e.At)))
		c.who = max(c.who, lipgloss.Width(sanitize.Line(e.Actor)))
		c.what = max(c.what, lipgloss.Width(sanitize.Line(e.Action)))
	}
	c.who = min(c.who, max(8, m.width/5))
	return c
}

func (m *Model) row(e store.AuditEntry, selected bool, cols columns) string {
	s := m.c.Styles
	paint := func(st lipgloss.Style) lipgloss.Style {
		if selected {
			return st.Inherit(s.Selected)
		}
		return st
	}
	gutter := "  "
	if selected {
		gutter = s.Accent.Render("▌") + paint(s.Normal).Render(" ")
	}
	when := paint(s.Faint).Render(shared.Pad(shared.Clock(m.c.Now(), e.At), cols.when+2))
	who := paint(s.Accent).Render(shared.Pad(shared.Pad(sanitize.Line(e.Actor), cols.who), cols.who+2))
	what := paint(s.Normal).Render(shared.Pad(sanitize.Line(e.Action), cols.what+2))
	// The action names what the subject is ("component.add", "component API"): said once.
	subject := sanitize.Line(e.Subject)
	if kind, _, ok := strings.Cut(e.Action, "."); ok {
		subject = strings.TrimPrefix(subject, kind+" ")
	}
	if e.Detail != "" {
		subject += " · " + sanitize.Line(e.Detail)
	}
	fill := s.Renderer.NewStyle()
	if selected {
		fill = s.Selected
	}
	line := shared.Truncate(when+who+what+paint(s.Normal).Render(subject), m.width-2)
	return gutter + line + fill.Render(strings.Repeat(" ", max(0, m.width-2-lipgloss.Width(line))))
}

// Click implements shared.Clicker: the rows start under the title line.
func (m *Model) Click(y int) bool {
	i, ok := shared.RowAt(y, 1, m.top, m.listHeight(), len(m.entries))
	return ok && shared.Select(&m.cursor, i)
}
