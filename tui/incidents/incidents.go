// Package incidents is the console's Incidents view: unresolved incidents first (pinned on
// top), then resolved ones newest first, read from the store a page at a time as the cursor
// nears the end, with a filter on titles.
package incidents

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"beacon/sanitize"
	"beacon/store"
	"beacon/tui/keys"
	"beacon/tui/shared"
)

// PageSize is how many resolved incidents one read brings.
const PageSize = 100

// Model is the Incidents view.
type Model struct {
	c      shared.Common
	keys   keys.KeyMap
	width  int
	height int

	unresolved []store.Incident // every unresolved incident, from the dashboard
	shown      []store.Incident // the unresolved ones the filter lets through
	resolved   []store.Incident // the resolved pages read so far
	more       bool             // more resolved incidents may exist
	loading    bool             // a read is under way
	gen        int              // bumped when what is listed changes; older reads are dropped
	dashboard  bool             // the dashboard has arrived

	filter    textinput.Model
	filtering bool // the filter field has focus
	query     string
	flt       filter           // query, read
	names     map[int64]string // component names, for the filter

	cursor int
	top    int

	drawn shared.Rows[look] // rows drawn, by how they look
}

// pageMsg brings resolved incidents: a further page, or (replace) the whole list re-read.
type pageMsg struct {
	gen     int
	list    []store.Incident
	limit   int
	replace bool
	err     error
}

// New returns the Incidents view for a session.
func New(c shared.Common, k keys.KeyMap) *Model {
	return &Model{c: c, keys: k, more: true, filter: shared.NewInput(c.Styles, "/ ", filterHelp, store.MaxTitleLen)}
}

// Init implements tea.Model: it reads the first page of resolved incidents.
func (m *Model) Init() tea.Cmd { return m.reload() }

// SetSize implements shared.View.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	m.filter.Width = max(1, width/2)
	m.top = shared.Window(m.top, m.cursor, m.listHeight(), m.total())
}

// Capturing implements shared.Capturer: the filter field takes every key while focused.
func (m *Model) Capturing() bool { return m.filtering }

// ShortHelp implements help.KeyMap.
func (m *Model) ShortHelp() []key.Binding {
	if m.filtering {
		return []key.Binding{
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "done")),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear")),
		}
	}
	return []key.Binding{m.keys.Open, m.keys.Declare, m.updateBinding(), m.resolveKey(), m.keys.Filter, m.keys.Audit}
}

// updateBinding is the update key, which reopens a resolved incident.
func (m *Model) updateBinding() key.Binding {
	inc, ok := m.selected()
	return m.keys.UpdateOn(ok && inc.Resolved())
}

// resolveKey is the resolve key, offered only on an unresolved incident.
func (m *Model) resolveKey() key.Binding {
	b := m.keys.Resolve
	if inc, ok := m.selected(); !ok || inc.Resolved() {
		b.SetEnabled(false)
	}
	return b
}

// FullHelp implements help.KeyMap.
func (m *Model) FullHelp() [][]key.Binding {
	if m.filtering {
		return [][]key.Binding{m.ShortHelp()}
	}
	return [][]key.Binding{
		{m.keys.Up, m.keys.Down, m.keys.PageUp, m.keys.PageDown, m.keys.Top, m.keys.Bottom},
		{m.keys.Open, m.keys.Filter, m.keys.Back, m.keys.Audit},
		{m.keys.Declare, m.updateBinding(), m.resolveKey()},
	}
}

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case shared.DashboardMsg:
		if msg.Err != nil {
			return m, nil
		}
		keep := m.selectedID()
		m.unresolved, m.dashboard = msg.Dashboard.Unresolved, true
		m.names = make(map[int64]string, len(msg.Dashboard.Components))
		for _, c := range msg.Dashboard.Components {
			m.names[c.ID] = c.Name
		}
		m.refilter()
		m.keepCursor(keep)
		return m, m.fetch()
	case shared.ChangedMsg:
		return m, m.reload()
	case pageMsg:
		return m, m.takePage(msg)
	case tea.KeyMsg:
		if m.filtering {
			return m, m.updateFilter(msg)
		}
		return m, m.updateKey(msg)
	}
	return m, nil
}

func (m *Model) updateKey(msg tea.KeyMsg) tea.Cmd {
	if n, ok := m.keys.Movement(msg, max(1, m.listHeight()-1), m.total()); ok {
		m.move(n)
		return m.fetch()
	}
	switch {
	case key.Matches(msg, m.keys.Filter):
		m.filtering = true
		return m.filter.Focus()
	case key.Matches(msg, m.keys.Back) && m.query != "":
		m.filter.SetValue("")
		return m.setQuery("")
	case key.Matches(msg, m.keys.Open):
		if inc, ok := m.selected(); ok {
			return shared.Cmd(shared.OpenIncidentMsg{ID: inc.ID})
		}
	case key.Matches(msg, m.keys.Declare):
		return shared.Cmd(shared.ComposeMsg{Kind: shared.Declare})
	case key.Matches(msg, m.keys.Update):
		if inc, ok := m.selected(); ok {
			return shared.Cmd(shared.ComposeMsg{Kind: shared.Update, ID: inc.ID})
		}
	case key.Matches(msg, m.keys.Resolve):
		switch inc, ok := m.selected(); {
		case ok && inc.Resolved():
			return shared.AlreadyFixed(inc.ID)
		case ok:
			return shared.Cmd(shared.ComposeMsg{Kind: shared.Resolve, ID: inc.ID})
		}
	}
	return m.fetch()
}

func (m *Model) updateFilter(msg tea.KeyMsg) tea.Cmd {
	left, cmd := shared.FilterKey(&m.filter, msg)
	if left {
		m.filtering = false
	}
	return tea.Batch(cmd, m.setQuery(m.filter.Value()))
}

// setQuery filters: the unresolved incidents here, the resolved ones by a new read.
func (m *Model) setQuery(q string) tea.Cmd {
	q = strings.TrimSpace(q)
	if q == m.query {
		return nil
	}
	m.query, m.flt = q, parseFilter(q)
	m.refilter()
	m.resolved, m.more = nil, true
	m.cursor, m.top = 0, 0
	return m.reload()
}

func (m *Model) refilter() {
	if m.flt.empty() {
		m.shown = m.unresolved
		return
	}
	m.shown = nil
	for _, inc := range m.unresolved {
		if m.flt.matches(inc, m.names) {
			m.shown = append(m.shown, inc)
		}
	}
}

// reload reads again every resolved incident listed so far (at least one page), dropping any
// read still under way.
func (m *Model) reload() tea.Cmd {
	m.gen++
	if m.flt.open {
		m.resolved, m.more, m.loading = nil, false, false
		return nil
	}
	m.loading = true
	limit := max(PageSize, len(m.resolved))
	return m.read(m.flt.query(limit, 0), true)
}

// fetch reads the next page when the cursor is within two screens of the end of what is read.
func (m *Model) fetch() tea.Cmd {
	if m.loading || !m.more || m.flt.open || m.cursor < m.total()-2*max(1, m.height) {
		return nil
	}
	var before int64
	if n := len(m.resolved); n > 0 {
		before = m.resolved[n-1].ID
	}
	q := m.flt.query(PageSize, before)
	m.loading = true
	return m.read(q, false)
}

func (m *Model) read(q store.IncidentQuery, replace bool) tea.Cmd {
	c, gen := m.c, m.gen
	return func() tea.Msg {
		list, err := c.Reader.ResolvedIncidents(c.Ctx, q)
		return pageMsg{gen: gen, list: list, limit: q.Limit, replace: replace, err: err}
	}
}

func (m *Model) takePage(msg pageMsg) tea.Cmd {
	if msg.gen != m.gen {
		return nil
	}
	m.loading = false
	if msg.err != nil {
		m.more = false
		return shared.Cmd(shared.Failed(msg.err))
	}
	keep := m.selectedID()
	if msg.replace {
		m.resolved = slices.Clip(msg.list) // shared with other sessions: a later append copies
	} else {
		m.resolved = append(m.resolved, msg.list...)
	}
	m.more = len(msg.list) == msg.limit
	m.keepCursor(keep)
	return m.fetch()
}

func (m *Model) total() int { return len(m.shown) + len(m.resolved) }

func (m *Model) at(i int) store.Incident {
	if i < len(m.shown) {
		return m.shown[i]
	}
	return m.resolved[i-len(m.shown)]
}

func (m *Model) selected() (store.Incident, bool) {
	if m.cursor >= m.total() {
		return store.Incident{}, false
	}
	return m.at(m.cursor), true
}

func (m *Model) selectedID() int64 {
	inc, _ := m.selected()
	return inc.ID
}

// keepCursor puts the cursor back on incident id if it is still listed; a cursor on the first
// row stays there, so the newest incident is what a reader at the top sees.
func (m *Model) keepCursor(id int64) {
	if id != 0 && m.cursor > 0 {
		for i := 0; i < m.total(); i++ {
			if m.at(i).ID == id {
				m.cursor = i
				break
			}
		}
	}
	m.cursor = max(0, min(m.cursor, m.total()-1))
	m.top = shared.Window(m.top, m.cursor, m.listHeight(), m.total())
}

func (m *Model) move(n int) {
	m.cursor = max(0, min(m.total()-1, m.cursor+n))
	m.top = shared.Window(m.top, m.cursor, m.listHeight(), m.total())
}

// listHeight leaves the first line for the summary and the filter.
func (m *Model) listHeight() int { return max(1, m.height-1) }

// View implements tea.Model. It draws only the rows on screen.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	s := m.c.Styles
	lines := make([]string, 0, m.height)
	lines = append(lines, m.summary())
	if m.total() == 0 {
		switch {
		case !m.dashboard || m.loading:
			lines = append(lines, s.Faint.Render("Loading…"))
		case m.query != "":
			lines = append(lines, s.Faint.Render("No incident matches “"+sanitize.Line(m.query)+"” ("+filterHelp+")."))
		default:
			lines = append(lines, s.Faint.Render("No incidents yet."))
		}
		return strings.Join(lines, "\n")
	}
	end := min(m.total(), m.top+m.listHeight())
	var cols columns
	for i := m.top; i < end; i++ {
		inc := m.at(i)
		cols.status = max(cols.status, lipgloss.Width(inc.Status.Label()))
		cols.id = max(cols.id, len(fmt.Sprintf("#%d", inc.ID)))
	}
	cols.brief = m.width < wideRows
	for i := m.top; i < end; i++ {
		lines = append(lines, m.renderRow(m.at(i), i == m.cursor, cols))
	}
	return strings.Join(lines, "\n")
}

// wideRows is the width from which a row says how long ago an unresolved incident began and
// how long a resolved one lasted; narrower, the title keeps that room.
const wideRows = 72

// columns is how the rows on screen are laid out: the status and the id as wide as the widest
// of them, and brief rows on a narrow terminal.
type columns struct {
	status, id int
	brief      bool
}

func (m *Model) summary() string {
	s := m.c.Styles
	more := ""
	if m.more {
		more = "+"
	}
	pos := fmt.Sprintf("%d unresolved · %d/%d%s", len(m.shown), min(m.cursor+1, m.total()), m.total(), more)
	var left string
	switch {
	case m.filtering:
		left = m.filter.View()
	case m.query != "":
		left = s.Accent.Render("/ ") + s.Normal.Render(sanitize.Line(m.query)) + s.Faint.Render("  (esc clears)")
	default:
		left = s.Faint.Render("/ to filter")
	}
	return shared.Spread(left, s.Faint.Render(pos), m.width, s.Renderer.NewStyle())
}

// look is everything one row is drawn from: rows that look the same are drawn once.
type look struct {
	id       int64
	title    string
	status   store.IncidentStatus
	pinned   bool
	internal bool
	resolved bool
	impact   store.Status
	when     string // how long it lasted and how long ago it began
	selected bool
	cols     columns
}

func (m *Model) lookOf(inc store.Incident, selected bool, cols columns) look {
	l := look{id: inc.ID, title: inc.Title, status: inc.Status, pinned: inc.Pinned, internal: inc.Visibility == store.Internal,
		resolved: inc.Resolved(), selected: selected, cols: cols}
	ago := shared.Ago(m.c.Now(), inc.OccurredAt)
	switch {
	case l.resolved && cols.brief:
		l.when = ago
	case l.resolved:
		l.when = "lasted " + shared.Duration(inc.ResolvedAt.Sub(inc.OccurredAt)) + " · " + ago
	case cols.brief:
		l.impact = inc.PeakImpact()
	default:
		l.impact = inc.PeakImpact()
		l.when = " · " + ago
	}
	return l
}

// renderRow draws a row, or returns it as drawn before when it looks the same.
func (m *Model) renderRow(inc store.Incident, selected bool, cols columns) string {
	l := m.lookOf(inc, selected, cols)
	return m.drawn.Get(l, m.width, m.height, m.draw)
}

func (m *Model) draw(l look) string {
	s := m.c.Styles
	paint := func(st lipgloss.Style) lipgloss.Style {
		if l.selected {
			return st.Inherit(s.Selected)
		}
		return st
	}
	gutter := "  "
	if l.selected {
		gutter = s.Accent.Render("▌") + paint(s.Normal).Render(" ")
	}
	status := paint(s.Incident[l.status]).Render(shared.Pad(l.status.Label(), l.cols.status))
	left := status + paint(s.Faint).Render(" "+shared.Pad(fmt.Sprintf("#%d", l.id), l.cols.id)+" ")
	if l.pinned {
		left += paint(s.Accent).Render("pinned ")
	}
	if l.internal {
		left += paint(s.Faint).Render("internal ")
	}
	left += paint(s.Normal).Render(sanitize.Line(l.title))
	var right string
	if l.resolved {
		right = paint(s.Faint).Render(l.when)
	} else {
		impact := paint(s.Faint).Render("no impact")
		if l.impact != store.Operational {
			impact = paint(s.Status[l.impact]).Render(l.impact.Glyph() + " " + l.impact.Label())
		}
		right = impact + paint(s.Faint).Render(l.when)
	}
	fill := s.Renderer.NewStyle()
	if l.selected {
		fill = s.Selected
	}
	return gutter + shared.Spread(left, right, m.width-2, fill)
}

// Click implements shared.Clicker: the rows start under the summary line.
func (m *Model) Click(y int) bool {
	i, ok := shared.RowAt(y, 1, m.top, m.listHeight(), m.total())
	return ok && shared.Select(&m.cursor, i)
}
