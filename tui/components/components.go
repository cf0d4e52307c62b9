// Package components is the console's Components view: groups that fold, each component with
// its effective status, a picker for a component's own status, declaring an incident on the
// component under the cursor, and the forms that add, edit, reorder and remove components and
// groups.
package components

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"beacon/sanitize"
	"beacon/store"
	"beacon/theme"
	"beacon/tui/keys"
	"beacon/tui/shared"
	"beacon/when"
)

type rowKind int

const (
	groupRow rowKind = iota
	componentRow
)

// row is one line of the list: a group header or a component, by index into the dashboard.
type row struct {
	kind  rowKind
	index int // into groups or components
}

// rowKey identifies a row across reloads, so the cursor stays on the same thing.
type rowKey struct {
	kind rowKind
	id   int64
}

// Model is the Components view.
type Model struct {
	c      shared.Common
	keys   keys.KeyMap
	width  int
	height int

	dash    store.Dashboard
	loaded  bool
	members map[int64][]int // group id → indexes of its components (0: no group)
	folded  map[int64]bool  // folds the user chose, overriding the group's collapse mode
	rows    []row
	cursor  int
	top     int
	picker  *picker
	dialog  dialog // the add form or a removal's question, while open

	filter    textinput.Model
	filtering bool   // the filter field has focus
	query     string // component names must contain it
	want      rowKey // where the cursor goes once the dashboard shows it (what a form just wrote)

	// The 90-day uptime of each component, shown when the list is wide enough.
	uptime        map[int64]string
	uptimeLoading bool
	uptimeStale   bool // the data changed while a read was under way

	drawn shared.Rows[look] // rows drawn, by how they look
}

// uptimeWidth is the narrowest list that shows each component's 90-day uptime.
const uptimeWidth = 96

// uptimeMsg brings each component's 90-day uptime, as the list shows it.
type uptimeMsg struct {
	percent map[int64]string
	err     error
}

// loadUptime reads every component's 90-day uptime in a command, one read at a time: a change
// that comes during a read asks for one more read once it lands.
func (m *Model) loadUptime() tea.Cmd {
	if m.width < uptimeWidth {
		return nil
	}
	if m.uptimeLoading {
		m.uptimeStale = true
		return nil
	}
	m.uptimeLoading, m.uptimeStale = true, false
	c := m.c
	return func() tea.Msg {
		rep, err := c.Reader.Uptime(c.Ctx, store.UptimeQuery{PartialWeight: store.DefaultPartialWeight, Now: c.Now()})
		if err != nil {
			return uptimeMsg{err: err}
		}
		out := make(map[int64]string, len(rep.Components))
		for _, u := range rep.Components {
			out[u.ComponentID] = "no data"
			if u.HasData() {
				out[u.ComponentID] = fmt.Sprintf("%.2f%%", u.Percent())
			}
		}
		return uptimeMsg{percent: out}
	}
}

// New returns the Components view for a session.
func New(c shared.Common, k keys.KeyMap) *Model {
	return &Model{c: c, keys: k, folded: map[int64]bool{}, filter: shared.NewInput(c.Styles, "/ ", "component name", store.MaxNameLen)}
}

// Init implements tea.Model; the root loads the dashboard.
func (m *Model) Init() tea.Cmd { return nil }

// SetSize implements shared.View.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	m.filter.Width = max(1, width/2)
	if f, ok := m.dialog.(*form); ok {
		f.setWidth(width)
	}
	m.top = shared.Window(m.top, m.cursor, m.listHeight(), len(m.rows))
}

// ShortHelp implements help.KeyMap.
func (m *Model) ShortHelp() []key.Binding {
	switch {
	case m.dialog != nil:
		return m.dialog.help()
	case m.picker != nil:
		return m.picker.help(m.keys)
	case m.filtering:
		return []key.Binding{
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "done")),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear")),
		}
	}
	add, fold := m.keys.Add, m.keys.Toggle
	add.SetHelp("a", "add")
	fold.SetHelp("space", "fold")
	return []key.Binding{m.keys.SetStatus, m.keys.Declare, add, m.keys.Edit, m.keys.Remove, m.keys.Schedule, fold}
}

// FullHelp implements help.KeyMap.
func (m *Model) FullHelp() [][]key.Binding {
	if f, ok := m.dialog.(*form); ok {
		return f.fullHelp()
	}
	if m.picker != nil || m.dialog != nil || m.filtering {
		return [][]key.Binding{m.ShortHelp()}
	}
	// Short words, so that the three groups and the console's keys fit side by side in 80 columns.
	reorder := m.keys.MoveDown // J and K in one line
	reorder.SetHelp("J/K", "move")
	fold, add := m.keys.Toggle, m.keys.Add
	fold.SetHelp("space", "fold")
	add.SetHelp("a", "add")
	return [][]key.Binding{
		{m.keys.Up, m.keys.Down, m.keys.PageUp, m.keys.PageDown, m.keys.Top, m.keys.Bottom, reorder},
		{fold, m.keys.Open, m.keys.Filter, m.keys.SetStatus, m.keys.Declare, m.keys.Schedule},
		{add, m.keys.AddGroup, m.keys.Edit, m.keys.Remove},
	}
}

// statusSetMsg reports the outcome of setting a component's own status, with the effective
// status that gives it.
type statusSetMsg struct {
	name      string
	status    store.Status
	effective store.Status
	err       error
}

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case shared.DashboardMsg:
		if msg.Err == nil {
			m.setDashboard(msg.Dashboard)
			return m, m.loadUptime()
		}
	case tea.WindowSizeMsg:
		if m.uptime == nil {
			return m, m.loadUptime()
		}
	case uptimeMsg:
		m.uptimeLoading = false
		if msg.err == nil {
			m.uptime = msg.percent
		}
		if m.uptimeStale {
			return m, m.loadUptime()
		}
	case statusSetMsg:
		if msg.err != nil {
			return m, shared.Cmd(shared.Failed(msg.err))
		}
		return m, shared.Cmd(statusSetNotice(msg, m.width))
	case savedMsg:
		return m, m.saved(msg)
	case movedMsg:
		return m, shared.Cmd(shared.Failed(msg.err))
	case removedMsg:
		if msg.err != nil {
			return m, shared.Cmd(shared.Failed(msg.err))
		}
		return m, shared.Cmd(shared.NoticeMsg{Text: "Removed " + msg.what + "."})
	case tea.KeyMsg:
		switch {
		case m.dialog != nil:
			cmd, done := m.dialog.update(msg, m.c)
			if done {
				m.openDialog(nil)
			}
			return m, cmd
		case m.picker != nil:
			return m, m.updatePicker(msg)
		case m.filtering:
			return m, m.updateFilter(msg)
		}
		return m, m.updateKey(msg)
	}
	return m, nil
}

func (m *Model) updateKey(msg tea.KeyMsg) tea.Cmd {
	if n, ok := m.keys.Movement(msg, max(1, m.listHeight()-1), len(m.rows)); ok {
		m.move(n)
		return nil
	}
	switch {
	case key.Matches(msg, m.keys.Toggle) && m.current().kind == groupRow && len(m.rows) > 0:
		g := m.dash.Groups[m.current().index]
		m.folded[g.ID] = !m.isFolded(g)
		m.rebuild(rowKey{groupRow, g.ID})
	case key.Matches(msg, m.keys.Open):
		if c, ok := m.component(); ok {
			return shared.Cmd(shared.OpenComponentMsg{ID: c.ID})
		}
	case key.Matches(msg, m.keys.SetStatus):
		if c, ok := m.component(); ok {
			m.picker = newPicker(c, m.dash)
			m.top = shared.Window(m.top, m.cursor, m.listHeight(), len(m.rows))
		}
	case key.Matches(msg, m.keys.Filter):
		m.filtering = true
		m.top = shared.Window(m.top, m.cursor, m.listHeight(), len(m.rows))
		return m.filter.Focus()
	case key.Matches(msg, m.keys.Back) && m.query != "":
		m.filter.SetValue("")
		m.setQuery("")
	case key.Matches(msg, m.keys.MoveUp):
		return m.reorder(-1)
	case key.Matches(msg, m.keys.MoveDown):
		return m.reorder(1)
	case key.Matches(msg, m.keys.Add):
		group := ""
		if r := m.current(); r.kind == groupRow {
			group = m.dash.Groups[r.index].Name
		} else if c, ok := m.component(); ok {
			group = c.GroupName
		}
		m.openForm(addComponentForm(m.c.Styles, group))
	case key.Matches(msg, m.keys.AddGroup):
		m.openForm(addGroupForm(m.c.Styles))
	case key.Matches(msg, m.keys.Edit) && len(m.rows) > 0:
		if r := m.current(); r.kind == groupRow {
			m.openForm(editGroupForm(m.c.Styles, m.dash.Groups[r.index]))
		} else if c, ok := m.component(); ok {
			m.openForm(editComponentForm(m.c.Styles, c))
		}
	case key.Matches(msg, m.keys.Remove) && len(m.rows) > 0:
		if r := m.current(); r.kind == groupRow {
			g := m.dash.Groups[r.index]
			var members []string
			for _, i := range m.members[g.ID] {
				members = append(members, m.dash.Components[i].Name)
			}
			m.openDialog(&confirm{group: true, id: g.ID, name: g.Name, members: members})
		} else if c, ok := m.component(); ok {
			m.openDialog(&confirm{id: c.ID, name: c.Name, incidents: openIncidentsOn(m.dash, c.ID)})
		}
	case key.Matches(msg, m.keys.Schedule):
		// The component under the cursor, or every member of the group.
		var ids []int64
		if c, ok := m.component(); ok {
			ids = []int64{c.ID}
		} else if r := m.current(); r.kind == groupRow {
			for _, i := range m.members[m.dash.Groups[r.index].ID] {
				ids = append(ids, m.dash.Components[i].ID)
			}
		}
		return shared.Cmd(shared.ScheduleMsg{ComponentIDs: ids})
	case key.Matches(msg, m.keys.Declare):
		var id int64
		if c, ok := m.component(); ok {
			id = c.ID
		}
		return shared.Cmd(shared.ComposeMsg{Kind: shared.Declare, ID: id})
	}
	return nil
}

func (m *Model) updatePicker(msg tea.KeyMsg) tea.Cmd {
	p := m.picker
	switch {
	case key.Matches(msg, m.keys.Up):
		p.cursor = max(0, p.cursor-1)
	case key.Matches(msg, m.keys.Down):
		p.cursor = min(len(store.Statuses)-1, p.cursor+1)
	case key.Matches(msg, m.keys.Back):
		m.picker = nil
	case key.Matches(msg, m.keys.Open):
		m.picker = nil
		c, st, id, actor := m.c, store.Statuses[p.cursor], p.component.ID, m.c.Actor
		name := sanitize.Line(p.component.Name)
		if st == p.component.Status {
			return shared.Cmd(shared.NoticeMsg{Text: fmt.Sprintf("%s's own status is already %s %s: nothing changed", name, st.Glyph(), st.Label())})
		}
		effective := m.dash.EffectiveWith(id, st)
		return func() tea.Msg {
			err := c.Writer.SetComponentStatus(c.Ctx, actor, id, st)
			return statusSetMsg{name: name, status: st, effective: effective, err: err}
		}
	}
	return nil
}

func (m *Model) move(n int) {
	if len(m.rows) == 0 {
		return
	}
	m.cursor = max(0, min(len(m.rows)-1, m.cursor+n))
	m.top = shared.Window(m.top, m.cursor, m.listHeight(), len(m.rows))
}

func (m *Model) current() row {
	if m.cursor < len(m.rows) {
		return m.rows[m.cursor]
	}
	return row{kind: -1}
}

// component is the component under the cursor, if the cursor is on one.
func (m *Model) component() (store.Component, bool) {
	r := m.current()
	if r.kind != componentRow {
		return store.Component{}, false
	}
	return m.dash.Components[r.index], true
}

// Capturing implements shared.Capturer: a form or the removal question takes every key while
// it is open (q answers nothing there and does not quit), and so does the filter.
func (m *Model) Capturing() bool {
	return m.dialog != nil || m.filtering
}

// Typing reports whether a text field has the keys; the removal question has none, so ? shows
// the help there.
func (m *Model) Typing() bool {
	_, question := m.dialog.(*confirm)
	return !question
}

// matching is the components (by index) whose name contains the filter, ignoring case.
func (m *Model) matching(indexes []int) []int {
	if m.query == "" {
		return indexes
	}
	q := strings.ToLower(m.query)
	var out []int
	for _, i := range indexes {
		if strings.Contains(strings.ToLower(m.dash.Components[i].Name), q) {
			out = append(out, i)
		}
	}
	return out
}

// updateFilter edits the filter: enter keeps it, esc clears it, anything else is typed.
func (m *Model) updateFilter(msg tea.KeyMsg) tea.Cmd {
	left, cmd := shared.FilterKey(&m.filter, msg)
	if left {
		m.filtering = false
	}
	m.setQuery(m.filter.Value())
	return cmd
}

// setQuery filters the list by component name, keeping the cursor on what it was on.
func (m *Model) setQuery(q string) {
	q = strings.TrimSpace(q)
	if q == m.query {
		return
	}
	var keep rowKey
	if len(m.rows) > 0 {
		keep = m.keyOf(m.current())
	}
	m.query = q
	m.rebuild(keep)
}

// dialog is a box under the list that takes the keys while it is open.
type dialog interface {
	update(msg tea.KeyMsg, c shared.Common) (cmd tea.Cmd, done bool)
	view(s *theme.Styles, width int) string
	help() []key.Binding
	height() int
}

// openDialog opens d (nil closes the one open) and makes room for it under the list.
func (m *Model) openDialog(d dialog) {
	m.dialog = d
	m.top = shared.Window(m.top, m.cursor, m.listHeight(), len(m.rows))
}

// movedMsg reports the outcome of moving a component or a group.
type movedMsg struct{ err error }

// reorder moves the group or component under the cursor step places (up when negative)
// among the groups or within its group; the cursor follows it when the list is read again.
func (m *Model) reorder(step int) tea.Cmd {
	if len(m.rows) == 0 {
		return nil
	}
	c, actor := m.c, m.c.Actor
	if r := m.current(); r.kind == groupRow {
		to := r.index + step
		if to < 0 || to >= len(m.dash.Groups) {
			return nil
		}
		id := m.dash.Groups[r.index].ID
		return func() tea.Msg { return movedMsg{c.Writer.MoveGroup(c.Ctx, actor, id, to+1)} }
	}
	comp, ok := m.component()
	if !ok {
		return nil
	}
	siblings := m.members[comp.GroupID]
	at := slices.Index(siblings, m.current().index)
	to := at + step
	if at < 0 || to < 0 || to >= len(siblings) {
		return nil
	}
	return func() tea.Msg { return movedMsg{c.Writer.MoveComponent(c.Ctx, actor, comp.ID, comp.GroupID, to+1)} }
}

// openForm opens a form under the list, sized to the view.
func (m *Model) openForm(f *form) {
	f.setWidth(m.width)
	m.openDialog(f)
}

// saved closes the form and says so, putting the cursor on what it wrote, or keeps it open
// with the store's reason and what was typed.
func (m *Model) saved(msg savedMsg) tea.Cmd {
	f, ok := m.dialog.(*form)
	if !ok {
		return nil
	}
	if errors.Is(msg.err, store.ErrNotFound) {
		m.openDialog(nil) // removed meanwhile, by someone else: nothing left to edit
		return shared.Cmd(shared.NoticeMsg{Text: msg.err.Error() + ": someone removed it meanwhile", Err: true})
	}
	if msg.err != nil {
		f.refused(msg.err)
		m.top = shared.Window(m.top, m.cursor, m.listHeight(), len(m.rows)) // a long reason takes a line more
		return nil
	}
	m.dialog = nil
	m.want = msg.want
	if msg.want.kind == groupRow {
		delete(m.folded, msg.want.id) // a collapse mode just chosen shows, whatever was folded by hand
	}
	m.setDashboard(m.dash) // when the new dashboard came first, it already holds what was written
	return shared.Cmd(shared.NoticeMsg{Text: msg.notice})
}

func (m *Model) keyOf(r row) rowKey {
	if r.kind == groupRow {
		return rowKey{groupRow, m.dash.Groups[r.index].ID}
	}
	return rowKey{componentRow, m.dash.Components[r.index].ID}
}

// setDashboard takes a new snapshot, keeping the cursor on the same row (or its group).
func (m *Model) setDashboard(d store.Dashboard) {
	var keep rowKey
	var group int64
	if len(m.rows) > 0 {
		keep = m.keyOf(m.current())
		if c, ok := m.component(); ok {
			group = c.GroupID
		}
	}
	if m.picker != nil {
		found := false
		for _, c := range d.Components {
			if c.ID == m.picker.component.ID {
				m.picker.component, found = c, true
			}
		}
		if !found {
			m.picker = nil
		}
	}
	m.dash, m.loaded = d, true
	m.members = make(map[int64][]int, len(d.Groups)+1)
	for i, c := range d.Components {
		m.members[c.GroupID] = append(m.members[c.GroupID], i)
	}
	want := m.want
	switch want.kind {
	case componentRow:
		for _, c := range d.Components {
			if c.ID == want.id {
				m.want = rowKey{}
				m.folded[c.GroupID] = false // show what was just written
			}
		}
	case groupRow:
		for _, g := range d.Groups {
			if g.ID == want.id {
				m.want = rowKey{}
			}
		}
	}
	m.rebuild(want, keep, rowKey{groupRow, group})
}

// isFolded says whether a group shows only its header: the user's choice, else its mode.
func (m *Model) isFolded(g store.Group) bool {
	if f, ok := m.folded[g.ID]; ok {
		return f
	}
	switch g.Collapse {
	case store.Expanded:
		return false
	case store.Collapsed:
		return true
	}
	for _, i := range m.members[g.ID] {
		if m.dash.Components[i].Effective != store.Operational {
			return false
		}
	}
	return true
}

// rebuild lays out the rows and puts the cursor on the first of want that is still shown.
func (m *Model) rebuild(want ...rowKey) {
	m.rows = m.rows[:0]
	for gi, g := range m.dash.Groups {
		members := m.matching(m.members[g.ID])
		if m.query != "" && len(members) == 0 {
			continue
		}
		m.rows = append(m.rows, row{groupRow, gi})
		if m.query != "" || !m.isFolded(g) {
			for _, ci := range members {
				m.rows = append(m.rows, row{componentRow, ci})
			}
		}
	}
	for _, ci := range m.matching(m.members[0]) {
		m.rows = append(m.rows, row{componentRow, ci})
	}
	cursor := -1
	for _, w := range want {
		for i, r := range m.rows {
			if m.keyOf(r) == w {
				cursor = i
				break
			}
		}
		if cursor >= 0 {
			break
		}
	}
	if cursor < 0 {
		cursor = min(m.cursor, len(m.rows)-1)
	}
	m.cursor = max(0, cursor)
	m.top = shared.Window(m.top, m.cursor, m.listHeight(), len(m.rows))
}

// listHeight is how many rows the list shows, leaving room for the picker when it is open.
func (m *Model) listHeight() int {
	return max(1, m.boxHeight()-m.filterHeight())
}

// filterHeight is the filter's line above the list, while there is a filter.
func (m *Model) filterHeight() int {
	if m.filtering || m.query != "" {
		return 1
	}
	return 0
}

// boxHeight is the height left above the box under the list, if one is open.
func (m *Model) boxHeight() int {
	switch {
	case m.dialog != nil:
		return max(1, m.height-m.dialog.height())
	case m.picker != nil:
		return max(1, m.height-pickerHeight)
	}
	return m.height
}

// View implements tea.Model. It draws only the rows on screen.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	s := m.c.Styles
	if !m.loaded {
		return s.Faint.Render("Loading…")
	}
	h := m.boxHeight()
	shown := m.listHeight()
	if m.dialog != nil && m.height-m.filterHeight()-m.dialog.height() < 1 {
		// The box takes the whole view (with the full help open on a small terminal).
		shown, h = 0, m.filterHeight()
	}
	lines := make([]string, 0, m.height)
	switch {
	case m.filtering:
		lines = append(lines, shared.Truncate(m.filter.View(), m.width))
	case m.query != "":
		lines = append(lines, s.Accent.Render("/ ")+s.Normal.Render(sanitize.Line(m.query))+s.Faint.Render("  (esc clears)"))
	}
	if len(m.rows) == 0 && m.query != "" {
		lines = append(lines, s.Faint.Render("No component name contains “"+sanitize.Line(m.query)+"”."))
	} else if len(m.rows) == 0 {
		hint := "No components yet. Add one with: beacon component add NAME"
		if m.keys.Add.Enabled() {
			hint = "No components yet: press a to add one."
		}
		lines = append(lines, s.Faint.Render(hint))
	}
	for i := m.top; i < len(m.rows) && i < m.top+shown; i++ {
		lines = append(lines, m.renderRow(m.rows[i], i == m.cursor))
	}
	var box string
	switch {
	case m.dialog != nil:
		box = m.dialog.view(s, m.width)
	case m.picker != nil:
		box = m.picker.view(s, m.width)
	}
	if box != "" {
		for len(lines) < h {
			lines = append(lines, "")
		}
		lines = append(lines, box)
	}
	return strings.Join(lines, "\n")
}

// look is everything one row is drawn from: rows that look the same are drawn once.
type look struct {
	group    bool
	folded   bool
	name     string
	detail   string // a component's description
	members  int    // a group's components
	enabled  bool
	indent   bool
	status   store.Status
	upcoming string // "in 2h" when maintenance is scheduled for the component
	uptime   string // the 90-day uptime, when the list is wide enough
	wide     bool   // wide enough for the uptime column
	selected bool
}

func (m *Model) lookOf(r row, selected bool) look {
	if r.kind == groupRow {
		g := m.dash.Groups[r.index]
		worst := store.Operational
		for _, i := range m.members[g.ID] {
			if c := m.dash.Components[i]; c.Enabled {
				worst = store.Worst(worst, c.Effective)
			}
		}
		return look{group: true, folded: m.isFolded(g), name: g.Name, members: len(m.members[g.ID]), status: worst, selected: selected,
			wide: m.width >= uptimeWidth}
	}
	c := m.dash.Components[r.index]
	l := look{name: c.Name, detail: c.Description, enabled: c.Enabled, indent: c.GroupID != 0, status: c.Effective, selected: selected}
	if next, ok := m.dash.NextMaintenance(c.ID); ok {
		l.upcoming = when.Until(next.StartsAt, m.c.Now())
	}
	if m.width >= uptimeWidth {
		l.wide, l.uptime = true, m.uptime[c.ID]
	}
	return l
}

// renderRow draws a row, or returns it as drawn before when it looks the same.
func (m *Model) renderRow(r row, selected bool) string {
	l := m.lookOf(r, selected)
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
	width := m.width - 2
	var left string
	if l.group {
		arrow := "▾"
		if l.folded {
			arrow = "▸"
		}
		left = paint(s.Group).Render(arrow+" "+sanitize.Line(l.name)) +
			paint(s.Faint).Render(fmt.Sprintf(" (%d)", l.members))
	} else {
		indent := ""
		if l.indent {
			indent = "  "
		}
		left = paint(s.Normal).Render(indent + sanitize.Line(l.name))
		if !l.enabled {
			left = paint(s.Faint).Render(indent+sanitize.Line(l.name)) + paint(s.Faint).Render(" (disabled)")
		}
		if l.detail != "" {
			left += paint(s.Normal).Render("  ") + paint(s.Faint).Render(sanitize.Line(l.detail))
		}
	}
	right := paint(s.Status[l.status]).Render(l.status.Glyph() + " " + l.status.Label())
	if l.wide {
		// Fixed-width columns, so percentages and statuses line up.
		right = paint(s.Faint).Render(fmt.Sprintf("%8s  ", l.uptime)) + paint(s.Status[l.status]).Render(shared.Pad(l.status.Glyph()+" "+l.status.Label(), 20))
	}
	if l.upcoming != "" {
		right = paint(s.Faint).Render(store.UnderMaintenance.Glyph()+" "+l.upcoming) + paint(s.Normal).Render("  ") + right
	}
	fill := s.Renderer.NewStyle()
	if l.selected {
		fill = s.Selected
	}
	return gutter + shared.Spread(left, right, width, fill)
}

// Click implements shared.Clicker; while a box is open under the list, clicks do nothing.
func (m *Model) Click(y int) bool {
	i, ok := shared.RowAt(y, m.filterHeight(), m.top, m.listHeight(), len(m.rows))
	if !ok || m.dialog != nil || m.picker != nil {
		return false
	}
	return shared.Select(&m.cursor, i)
}

// statusSetNotice says what setting a component's own status did: what it shows now, or that
// an incident or maintenance window still holds it at something worse, in a notice of at most
// width cells that ends in the hint to see why, the component's name shortened if need be.
func statusSetNotice(msg statusSetMsg, width int) shared.NoticeMsg {
	own := msg.status.Glyph() + " " + msg.status.Label()
	if msg.effective == msg.status || msg.effective == "" {
		return shared.NoticeMsg{Text: msg.name + " is now " + own}
	}
	held := msg.effective.Glyph() + " " + msg.effective.Label()
	const hint = " (enter shows why)"
	for _, text := range []string{
		fmt.Sprintf("%s: own status %s, held at %s", msg.name, own, held),
		fmt.Sprintf("%s: %s, still %s", msg.name, own, held),
	} {
		if lipgloss.Width(text+hint) <= width {
			return shared.NoticeMsg{Text: text + hint}
		}
	}
	rest := ": still " + held + hint
	return shared.NoticeMsg{Text: shared.Truncate(msg.name, max(1, width-lipgloss.Width(rest))) + rest}
}
