// Package component is the console's component page: a component's description and link, its
// own and effective status and what holds it there, its 90-day uptime strip with the
// percentage, and the incidents that touched it, newest first, each of which opens.
package component

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"beacon/sanitize"
	"beacon/store"
	"beacon/theme"
	"beacon/tui/keys"
	"beacon/tui/shared"
)

// Days is how many days the page's strip covers.
const Days = store.DefaultUptimeDays

// incidentLimit is how many of the incidents that touched the component the page lists.
const incidentLimit = 100

// Model is the component page.
type Model struct {
	c      shared.Common
	keys   keys.KeyMap
	width  int
	height int

	id        int64
	gen       int
	dash      store.Dashboard
	component store.Component
	found     bool
	loaded    bool
	uptime    store.Uptime
	incidents []store.Incident

	cursor int
	top    int
}

// loadedMsg brings what the page shows besides the dashboard: the record and the incidents.
type loadedMsg struct {
	gen       int
	uptime    store.Uptime
	incidents []store.Incident
	err       error
}

// New returns the component page for a session; it shows nothing until a component is opened.
func New(c shared.Common, k keys.KeyMap) *Model {
	return &Model{c: c, keys: k}
}

// Init implements tea.Model.
func (m *Model) Init() tea.Cmd { return nil }

// ID is the component shown, 0 for none.
func (m *Model) ID() int64 { return m.id }

// SetSize implements shared.View.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	m.top = shared.Window(m.top, m.cursor, m.listHeight(), len(m.incidents))
}

// ShortHelp implements help.KeyMap.
func (m *Model) ShortHelp() []key.Binding {
	return []key.Binding{m.openKey(), m.keys.Declare, m.keys.Schedule, m.keys.Back, m.keys.Move}
}

// FullHelp implements help.KeyMap.
func (m *Model) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{m.keys.Up, m.keys.Down, m.keys.PageUp, m.keys.PageDown, m.keys.Top, m.keys.Bottom},
		{m.openKey(), m.keys.Declare, m.keys.Schedule, m.keys.Back},
	}
}

func (m *Model) openKey() key.Binding {
	b := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open incident"))
	if len(m.incidents) == 0 {
		b.SetEnabled(false)
	}
	return b
}

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case shared.OpenComponentMsg:
		if msg.ID != m.id {
			m.id, m.loaded, m.incidents, m.uptime = msg.ID, false, nil, store.Uptime{}
			m.cursor, m.top = 0, 0
		}
		m.setComponent()
		return m, m.load()
	case shared.DashboardMsg:
		if msg.Err == nil {
			m.dash = msg.Dashboard
			m.setComponent()
		}
	case shared.ChangedMsg:
		if m.id != 0 {
			return m, m.load()
		}
	case loadedMsg:
		if msg.gen != m.gen {
			return m, nil
		}
		if msg.err != nil {
			return m, shared.Cmd(shared.Failed(msg.err))
		}
		m.uptime, m.incidents, m.loaded = msg.uptime, msg.incidents, true
		m.cursor = min(m.cursor, max(0, len(m.incidents)-1))
		m.top = shared.Window(m.top, m.cursor, m.listHeight(), len(m.incidents))
	case tea.KeyMsg:
		return m, m.updateKey(msg)
	}
	return m, nil
}

func (m *Model) updateKey(msg tea.KeyMsg) tea.Cmd {
	page := max(1, m.listHeight()-1)
	switch {
	case key.Matches(msg, m.keys.Up):
		m.move(-1)
	case key.Matches(msg, m.keys.Down):
		m.move(1)
	case key.Matches(msg, m.keys.PageUp):
		m.move(-page)
	case key.Matches(msg, m.keys.PageDown):
		m.move(page)
	case key.Matches(msg, m.keys.Top):
		m.move(-len(m.incidents))
	case key.Matches(msg, m.keys.Bottom):
		m.move(len(m.incidents))
	case key.Matches(msg, m.keys.Open):
		if m.cursor < len(m.incidents) {
			return shared.Cmd(shared.OpenIncidentMsg{ID: m.incidents[m.cursor].ID})
		}
	case key.Matches(msg, m.keys.Declare) && m.found:
		return shared.Cmd(shared.ComposeMsg{Kind: shared.Declare, ID: m.id})
	case key.Matches(msg, m.keys.Schedule) && m.found:
		return shared.Cmd(shared.ScheduleMsg{ComponentIDs: []int64{m.id}})
	}
	return nil
}

func (m *Model) move(n int) {
	if len(m.incidents) == 0 {
		return
	}
	m.cursor = max(0, min(len(m.incidents)-1, m.cursor+n))
	m.top = shared.Window(m.top, m.cursor, m.listHeight(), len(m.incidents))
}

// setComponent finds the open component in the dashboard.
func (m *Model) setComponent() {
	m.found = false
	for _, c := range m.dash.Components {
		if c.ID == m.id {
			m.component, m.found = c, true
		}
	}
}

// load reads the component's record and incidents in a command.
func (m *Model) load() tea.Cmd {
	m.gen++
	c, gen, id := m.c, m.gen, m.id
	return func() tea.Msg {
		rep, err := c.Reader.Uptime(c.Ctx, store.UptimeQuery{Days: Days, PartialWeight: store.DefaultPartialWeight,
			Components: []int64{id}, Now: c.Now()})
		if err != nil {
			return loadedMsg{gen: gen, err: err}
		}
		msg := loadedMsg{gen: gen}
		if len(rep.Components) == 1 {
			msg.uptime = rep.Components[0]
		}
		msg.incidents, msg.err = c.Reader.ComponentIncidents(c.Ctx, id, incidentLimit)
		return msg
	}
}

// headerLines is how many lines the page draws above its list of incidents.
const headerLines = 8

// listHeight is how many incidents fit under the header.
func (m *Model) listHeight() int { return max(1, m.height-headerLines) }

// View implements tea.Model.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	s := m.c.Styles
	if !m.found {
		if m.id == 0 || m.dash.Components == nil {
			return s.Faint.Render("Loading…")
		}
		return s.Faint.Render("This component was removed. esc goes back.")
	}
	c := m.component
	w := m.width
	lines := make([]string, 0, m.height)

	title := s.Title.Render(sanitize.Line(c.Name))
	if c.GroupName != "" {
		title += s.Faint.Render("  in " + sanitize.Line(c.GroupName))
	}
	if !c.Enabled {
		title += s.Faint.Render("  (disabled)")
	}
	lines = append(lines, shared.Truncate(title, w))
	about := []string{}
	if c.Description != "" {
		about = append(about, sanitize.Line(c.Description))
	}
	if c.Link != "" {
		about = append(about, sanitize.Line(c.Link))
	}
	if len(about) == 0 {
		about = append(about, "No description or link.")
	}
	lines = append(lines, shared.Truncate(s.Faint.Render(strings.Join(about, " · ")), w))
	lines = append(lines, shared.Truncate(s.Faint.Render("Effective ")+s.StatusText(c.Effective)+
		s.Faint.Render("   own status ")+s.StatusText(c.Status), w))
	lines = append(lines, shared.Truncate(s.Faint.Render("Why       ")+m.why(), w))
	lines = append(lines, s.Rule.Render(strings.Repeat("─", w)))
	lines = append(lines, m.strip()...)
	lines = append(lines, s.Rule.Render(strings.Repeat("─", w)))

	if !m.loaded {
		lines = append(lines, s.Faint.Render("Loading incidents…"))
		return strings.Join(lines, "\n")
	}
	if len(m.incidents) == 0 {
		lines = append(lines, s.Faint.Render("No incident has touched it."))
		return strings.Join(lines, "\n")
	}
	end := min(len(m.incidents), m.top+m.listHeight())
	var idW, statusW int
	for _, inc := range m.incidents[m.top:end] {
		idW = max(idW, len(fmt.Sprintf("#%d", inc.ID)))
		statusW = max(statusW, lipgloss.Width(inc.Status.Label()))
	}
	for i := m.top; i < end; i++ {
		lines = append(lines, m.incidentRow(m.incidents[i], i == m.cursor, idW, statusW))
	}
	return strings.Join(lines, "\n")
}

// why says what holds the component at its effective status: the incidents and maintenance
// windows in force that hold it there, or its own status.
func (m *Model) why() string {
	s := m.c.Styles
	c := m.component
	var holders []string
	incidents, windows := shared.Holders(m.dash, c)
	for _, inc := range incidents {
		holders = append(holders, fmt.Sprintf("incident #%d %s", inc.ID, sanitize.Line(inc.Title)))
	}
	for _, w := range windows {
		holders = append(holders, fmt.Sprintf("maintenance %s until %s", sanitize.Line(w.Title), shared.Clock(m.c.Now(), w.EndsAt)))
	}
	switch {
	case len(holders) > 0:
		return s.Normal.Render("held by " + strings.Join(holders, ", "))
	case c.Effective == store.Operational:
		return s.Normal.Render("nothing holds it: all is well")
	}
	return s.Normal.Render("its own status, set by hand")
}

// strip is the 90-day record: the percentage, the strip (a cell a day, or a few days a cell
// on a narrow screen), and a line of dates under it.
func (m *Model) strip() []string {
	s := m.c.Styles
	label := fmt.Sprintf("%d days ", Days)
	pct := "…"
	if m.loaded {
		pct = "no data"
		if m.uptime.HasData() {
			pct = fmt.Sprintf("%.2f%%", m.uptime.Percent())
		}
	}
	head := s.Faint.Render(label) + s.Normal.Bold(true).Render(pct) + "  "
	room := max(10, m.width-len(label)-len("100.00%")-2)
	per := (Days + room - 1) / room
	cells := (Days + per - 1) / per
	indent := strings.Repeat(" ", len(label)+len("100.00%")+2)
	strip := s.Faint.Render(strings.Repeat(theme.NoDataGlyph, cells))
	if m.loaded && len(m.uptime.Days) > 0 {
		strip = s.UptimeStrip(m.uptime.Days, per)
	}
	head = shared.Pad(head, len(label)+len("100.00%")+2) + strip
	first, last := "", "today"
	if len(m.uptime.Days) > 0 {
		first = m.uptime.Days[0].Date.Format("Jan 2")
	}
	dates := first + strings.Repeat(" ", max(1, cells-len(first)-len(last))) + last
	scale := "one cell a day"
	if per > 1 {
		scale = fmt.Sprintf("one cell per %d days", per)
	}
	return []string{
		shared.Truncate(head, m.width),
		shared.Truncate(indent+s.Faint.Render(dates), m.width),
		shared.Truncate(indent+s.Faint.Render(scale+", worst status shown"), m.width),
	}
}

// incidentRow draws one incident: id, status, title, and when it began or ended (below 72
// columns only when, so the title keeps the room). The id and status are as wide as the
// widest on screen.
func (m *Model) incidentRow(inc store.Incident, selected bool, idW, statusW int) string {
	s := m.c.Styles
	gutter := "  "
	if selected {
		gutter = s.Accent.Render("▌") + " "
	}
	when := "since " + shared.Clock(m.c.Now(), inc.OccurredAt)
	switch {
	case inc.Resolved() && m.width < 72:
		when = shared.Clock(m.c.Now(), inc.OccurredAt)
	case inc.Resolved():
		when = shared.Clock(m.c.Now(), inc.OccurredAt) + ", " + shared.Duration(inc.ResolvedAt.Sub(inc.OccurredAt))
	}
	right := s.Faint.Render(when)
	for _, im := range inc.Affected() {
		if im.ComponentID == m.id {
			st := im.Status
			if inc.Resolved() {
				st = im.Peak() // its record: the worst the incident did to the component
			}
			right = s.StatusGlyph(st) + " " + right
		}
	}
	left := shared.Pad(fmt.Sprintf("#%d", inc.ID), idW) + " " + shared.Pad(s.IncidentText(inc.Status), statusW) + "  " + sanitize.Line(inc.Title)
	return gutter + shared.Spread(left, right, m.width-2, s.Renderer.NewStyle())
}
