// Package maintenance is the console's Maintenance view: the windows in progress and scheduled,
// one window with its timeline, a one-line prompt to post an update, finish or cancel it, and
// the guided steps that schedule a new window.
package maintenance

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"beacon/sanitize"
	"beacon/store"
	"beacon/tui/keys"
	"beacon/tui/shared"
	"beacon/when"
)

// action is what the prompt posts.
type action int

const (
	postUpdate action = iota
	finish
	cancel
)

func (a action) verb() string {
	switch a {
	case finish:
		return "Finish"
	case cancel:
		return "Cancel"
	}
	return "Update"
}

// Model is the Maintenance view.
type Model struct {
	c      shared.Common
	keys   keys.KeyMap
	width  int
	height int

	list    []store.Maintenance
	loaded  bool
	loadErr error
	cursor  int
	top     int

	open   *store.MaintenanceDetail // the window shown with its timeline; nil on the list
	scroll int

	prompt       *textinput.Model // the message of an update, finish or cancel being written
	doing        action
	promptTarget store.Maintenance
	schedule     *scheduler // the guided steps of a new window; nil unless open
}

// New returns the Maintenance view for a session.
func New(c shared.Common, k keys.KeyMap) *Model {
	return &Model{c: c, keys: k}
}

// listMsg carries the windows in progress and scheduled.
type listMsg struct {
	list []store.Maintenance
	err  error
}

// detailMsg carries one window with its timeline.
type detailMsg struct {
	d   store.MaintenanceDetail
	err error
}

// doneMsg reports a write from the prompt.
type doneMsg struct {
	text string
	err  error
}

// Init loads the list.
func (m *Model) Init() tea.Cmd { return m.load() }

func (m *Model) load() tea.Cmd {
	c := m.c
	return func() tea.Msg {
		list, err := c.Reader.Maintenances(c.Ctx, store.MaintenanceQuery{})
		return listMsg{list, err}
	}
}

func (m *Model) loadDetail(id int64) tea.Cmd {
	c := m.c
	return func() tea.Msg {
		d, err := c.Reader.Maintenance(c.Ctx, id)
		return detailMsg{d, err}
	}
}

// SetSize implements shared.View.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	if m.schedule != nil {
		m.schedule.setSize(width, height)
	}
	m.top = shared.Window(m.top, m.cursor, m.listHeight(), len(m.list))
}

// Capturing implements shared.Capturer: while the prompt or a text step has the keyboard.
func (m *Model) Capturing() bool {
	return m.prompt != nil || (m.schedule != nil && m.schedule.capturing())
}

// Scheduling reports whether the guided steps of a new window are open.
func (m *Model) Scheduling() bool { return m.schedule != nil }

// Schedule opens the guided steps of a new window, with the components preselected.
func (m *Model) Schedule(d store.Dashboard, componentIDs []int64) tea.Cmd {
	m.open, m.prompt = nil, nil
	m.schedule = newScheduler(m.c, m.keys, d, componentIDs)
	m.schedule.setSize(m.width, m.height)
	return nil
}

// ShortHelp implements help.KeyMap.
func (m *Model) ShortHelp() []key.Binding {
	switch {
	case m.schedule != nil:
		return m.schedule.help()
	case m.prompt != nil:
		return []key.Binding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "post")),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel"))}
	case m.open != nil:
		return append(m.actions(m.open.Maintenance), m.keys.Back)
	case len(m.list) == 0:
		return nil
	}
	return append(append([]key.Binding{m.keys.Open}, m.actions(m.list[m.cursor])...), m.keys.Move)
}

// actions are the keys that change w now: an update and a cancel until it is over, a finish
// only while it is in progress.
func (m *Model) actions(w store.Maintenance) []key.Binding {
	switch w.State(m.c.Now()) {
	case store.MaintenanceCompleted, store.MaintenanceCancelled:
		return nil
	case store.MaintenanceScheduled:
		return []key.Binding{m.keys.Update, m.keys.Cancel}
	}
	return []key.Binding{m.keys.Update, m.keys.Finish, m.keys.Cancel}
}

// FullHelp implements help.KeyMap.
func (m *Model) FullHelp() [][]key.Binding {
	switch {
	case m.schedule != nil || m.prompt != nil || m.open != nil:
		return [][]key.Binding{m.ShortHelp()}
	case len(m.list) == 0:
		return nil
	}
	return [][]key.Binding{
		{m.keys.Up, m.keys.Down, m.keys.Top, m.keys.Bottom},
		append([]key.Binding{m.keys.Open}, m.actions(m.list[m.cursor])...),
	}
}

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case shared.ChangedMsg:
		cmds := []tea.Cmd{m.load()}
		if m.open != nil {
			cmds = append(cmds, m.loadDetail(m.open.ID))
		}
		return m, tea.Batch(cmds...)
	case shared.DashboardMsg:
		if m.schedule != nil && msg.Err == nil {
			m.schedule.setDashboard(msg.Dashboard)
		}
		if !m.loaded {
			return m, m.load()
		}
	case listMsg:
		m.setList(msg)
	case detailMsg:
		if msg.err != nil {
			m.open = nil
			return m, shared.Cmd(shared.Failed(msg.err))
		}
		if m.open != nil && m.open.ID == msg.d.ID {
			m.open = &msg.d
		}
	case doneMsg:
		if msg.err != nil {
			return m, shared.Cmd(shared.Failed(msg.err))
		}
		return m, shared.Cmd(shared.NoticeMsg{Text: msg.text})
	case scheduledMsg:
		if msg.err != nil {
			m.schedule.failed(msg.err)
			return m, nil
		}
		m.schedule = nil
		return m, shared.Cmd(shared.NoticeMsg{Text: fmt.Sprintf("Scheduled maintenance #%d %s.", msg.d.ID, sanitize.Line(msg.d.Title))})
	case tea.KeyMsg:
		switch {
		case m.schedule != nil:
			return m, m.updateSchedule(msg)
		case m.prompt != nil:
			return m, m.updatePrompt(msg)
		}
		return m, m.updateKey(msg)
	}
	return m, nil
}

func (m *Model) setList(msg listMsg) {
	if msg.err != nil {
		m.loadErr = msg.err
		return
	}
	var keep int64
	if m.cursor < len(m.list) {
		keep = m.list[m.cursor].ID
	}
	m.list, m.loaded, m.loadErr = msg.list, true, nil
	m.cursor = 0
	for i, w := range m.list {
		if w.ID == keep {
			m.cursor = i
		}
	}
	m.top = shared.Window(m.top, m.cursor, m.listHeight(), len(m.list))
}

func (m *Model) updateSchedule(msg tea.KeyMsg) tea.Cmd {
	cmd, leave := m.schedule.update(msg)
	if leave {
		m.schedule = nil
	}
	return cmd
}

func (m *Model) updateKey(msg tea.KeyMsg) tea.Cmd {
	if m.open != nil {
		switch {
		case key.Matches(msg, m.keys.Back):
			m.open = nil
		case key.Matches(msg, m.keys.Up):
			m.scroll = max(0, m.scroll-1)
		case key.Matches(msg, m.keys.Down):
			m.scroll++
		case key.Matches(msg, m.keys.Update):
			return m.ask(postUpdate, m.open.Maintenance)
		case key.Matches(msg, m.keys.Finish):
			return m.ask(finish, m.open.Maintenance)
		case key.Matches(msg, m.keys.Cancel):
			return m.ask(cancel, m.open.Maintenance)
		}
		return nil
	}
	switch {
	case key.Matches(msg, m.keys.Up):
		m.move(-1)
	case key.Matches(msg, m.keys.Down):
		m.move(1)
	case key.Matches(msg, m.keys.Top):
		m.move(-len(m.list))
	case key.Matches(msg, m.keys.Bottom):
		m.move(len(m.list))
	case len(m.list) == 0:
	case key.Matches(msg, m.keys.Open):
		w := m.list[m.cursor]
		m.open, m.scroll = &store.MaintenanceDetail{Maintenance: w}, 0
		return m.loadDetail(w.ID)
	case key.Matches(msg, m.keys.Update):
		return m.ask(postUpdate, m.list[m.cursor])
	case key.Matches(msg, m.keys.Finish):
		return m.ask(finish, m.list[m.cursor])
	case key.Matches(msg, m.keys.Cancel):
		return m.ask(cancel, m.list[m.cursor])
	}
	return nil
}

// ask opens the prompt for a's message, or says why a cannot be done to w now.
func (m *Model) ask(a action, w store.Maintenance) tea.Cmd {
	if m.c.Actor.ReadOnly {
		return nil
	}
	if st := w.State(m.c.Now()); st == store.MaintenanceCompleted || st == store.MaintenanceCancelled {
		return shared.Cmd(shared.NoticeMsg{Text: fmt.Sprintf("#%d is %s; it can no longer change.", w.ID, strings.ToLower(st.Label())), Err: true})
	}
	if a == finish && w.State(m.c.Now()) == store.MaintenanceScheduled {
		return shared.Cmd(shared.NoticeMsg{Text: fmt.Sprintf("#%d has not started: x cancels it instead.", w.ID), Err: true})
	}
	placeholder := "what readers should know"
	if a != postUpdate {
		placeholder = "optional: a closing word for readers"
	}
	in := shared.NewInput(m.c.Styles, "› ", placeholder, 2000)
	in.Focus()
	m.prompt, m.doing = &in, a
	m.promptTarget = w
	return nil
}

func (m *Model) updatePrompt(msg tea.KeyMsg) tea.Cmd {
	switch msg.Type {
	case tea.KeyEsc:
		m.prompt = nil
		return nil
	case tea.KeyEnter:
		text := strings.TrimSpace(m.prompt.Value())
		if m.doing == postUpdate && text == "" {
			return shared.Cmd(shared.NoticeMsg{Text: "An update needs a message.", Err: true})
		}
		m.prompt = nil
		return m.post(m.doing, m.promptTarget, text)
	}
	var cmds []tea.Cmd
	for _, k := range shared.Typed(msg) {
		in, cmd := m.prompt.Update(k)
		m.prompt = &in
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

// post makes the write in a command.
func (m *Model) post(a action, w store.Maintenance, text string) tea.Cmd {
	c, actor := m.c, m.c.Actor
	title := sanitize.Line(w.Title)
	return func() tea.Msg {
		var err error
		var done string
		switch a {
		case postUpdate:
			_, err = c.Writer.PostMaintenanceUpdate(c.Ctx, actor, w.ID, text)
			done = fmt.Sprintf("Posted to #%d %s.", w.ID, title)
		case finish:
			if text == "" {
				text = "The maintenance is finished."
			}
			err = c.Writer.FinishMaintenance(c.Ctx, actor, w.ID, text)
			done = fmt.Sprintf("#%d %s is finished.", w.ID, title)
		case cancel:
			if text == "" {
				text = "This maintenance is cancelled."
			}
			err = c.Writer.CancelMaintenance(c.Ctx, actor, w.ID, text)
			done = fmt.Sprintf("#%d %s is cancelled.", w.ID, title)
		}
		return doneMsg{done, err}
	}
}

func (m *Model) move(n int) {
	if len(m.list) == 0 {
		return
	}
	m.cursor = max(0, min(len(m.list)-1, m.cursor+n))
	m.top = shared.Window(m.top, m.cursor, m.listHeight(), len(m.list))
}

// listHeight is the rows the list has: the view less its heading line and the prompt.
func (m *Model) listHeight() int {
	h := m.height - 2
	if m.prompt != nil {
		h -= 2
	}
	return max(1, h)
}

// View implements tea.Model.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	if m.schedule != nil {
		return m.schedule.view()
	}
	var body string
	if m.open != nil {
		body = m.detailView()
	} else {
		body = m.listView()
	}
	if m.prompt == nil {
		return body
	}
	lines := strings.Split(body, "\n")
	keep := max(0, m.height-2)
	if len(lines) > keep {
		lines = lines[:keep]
	}
	for len(lines) < keep {
		lines = append(lines, "")
	}
	s := m.c.Styles
	label := fmt.Sprintf("%s #%d %s", m.doing.verb(), m.promptTarget.ID, sanitize.Line(m.promptTarget.Title))
	lines = append(lines, s.Accent.Render(shared.Truncate(label, m.width)), shared.Truncate(m.prompt.View(), m.width))
	return strings.Join(lines, "\n")
}

func (m *Model) listView() string {
	s := m.c.Styles
	switch {
	case m.loadErr != nil && !m.loaded:
		return s.Error.Render("Cannot read maintenance: " + m.loadErr.Error())
	case !m.loaded:
		return s.Faint.Render("Loading…")
	}
	now := m.c.Now()
	inProgress := 0
	for _, w := range m.list {
		if w.InProgress(now) {
			inProgress++
		}
	}
	heading := fmt.Sprintf("%d in progress · %d scheduled", inProgress, len(m.list)-inProgress)
	if len(m.list) == 0 {
		// One sentence a line, so neither is cut on a narrow terminal.
		lines := []string{"No maintenance in progress or scheduled."}
		if !m.c.Actor.ReadOnly {
			lines = append(lines, "Press m on a component (1 Components) to schedule some.")
		}
		for i, l := range lines {
			lines[i] = s.Faint.Render(shared.Truncate(l, m.width))
		}
		return strings.Join(lines, "\n")
	}
	lines := []string{s.Title.Render("Maintenance") + s.Faint.Render("  "+heading), ""}
	h := m.listHeight()
	spanWidth := 0
	for i := m.top; i < len(m.list) && i < m.top+h; i++ {
		spanWidth = max(spanWidth, len([]rune(span(m.list[i], now))))
	}
	for i := m.top; i < len(m.list) && i < m.top+h; i++ {
		lines = append(lines, m.row(m.list[i], i == m.cursor, now, spanWidth))
	}
	return strings.Join(lines, "\n")
}

// span is when a window is: until when for one in progress, from and to (and how soon) for one
// scheduled.
func span(w store.Maintenance, now time.Time) string {
	if w.InProgress(now) {
		return "until " + shared.Clock(now, w.EndsAt)
	}
	return shared.Clock(now, w.StartsAt) + " → " + shared.Clock(w.StartsAt, w.PlannedEndsAt) + " (" + when.Until(w.StartsAt, now) + ")"
}

// row is one window on one line: its state, its window, its title and components.
func (m *Model) row(w store.Maintenance, selected bool, now time.Time, spanWidth int) string {
	s := m.c.Styles
	gutter := "  "
	if selected {
		gutter = s.Accent.Render("▌") + " "
	}
	state := s.Faint.Render(pad("◇ Scheduled", 14))
	if w.InProgress(now) {
		state = s.Status[store.UnderMaintenance].Render(pad("◆ In progress", 14))
	}
	// "internal" before the title, as in the Incidents list, so that cutting a long row keeps it.
	text := s.Normal.Render(sanitize.Line(w.Title)) + s.Faint.Render(" · "+sanitize.Line(w.ComponentNames()))
	if w.Visibility == store.Internal {
		text = s.Faint.Render("internal ") + text
	}
	line := gutter + state + " " + s.Normal.Render(pad(span(w, now), spanWidth)) + "  " + text
	if selected {
		return s.Selected.Render(shared.Pad(line, m.width))
	}
	return shared.Truncate(line, m.width)
}

func pad(s string, n int) string { return shared.Pad(s, n) }

func (m *Model) detailView() string {
	s := m.c.Styles
	w := m.open
	now := m.c.Now()
	st := w.State(now)
	stateText := s.Faint.Render("◇ " + st.Label())
	if st == store.MaintenanceInProgress {
		stateText = s.Status[store.UnderMaintenance].Render("◆ " + st.Label())
	}
	if st == store.MaintenanceCompleted && !w.FinishedAt.IsZero() {
		stateText = s.Faint.Render("◇ Finished early")
	}
	vis := "public"
	if w.Visibility == store.Internal {
		vis = "internal"
	}
	lines := []string{
		s.Title.Render(shared.Truncate(fmt.Sprintf("#%d %s", w.ID, sanitize.Line(w.Title)), m.width)),
		// From when it held its components: a window scheduled with a start already past
		// began when it was scheduled, as the site and the uptime record say.
		shared.Truncate(stateText+s.Faint.Render(" · "+shared.Clock(now, w.EffectiveStart())+" → "+shared.Clock(w.EffectiveStart(), w.PlannedEndsAt)+" · "+vis), m.width),
		shared.Truncate(s.Faint.Render("Components: ")+s.Normal.Render(sanitize.Line(w.ComponentNames())), m.width),
		"",
		s.Title.Render("Timeline, newest first"),
	}
	var timeline []string
	for _, u := range w.Updates {
		who := u.Author
		if who == "" {
			who = "Beacon"
		}
		timeline = append(timeline, s.Faint.Render(shared.Clock(now, u.CreatedAt)+" ")+s.Normal.Render(u.Status.Label())+s.Faint.Render(" · "+sanitize.Line(who)))
		// Wrapped as the incident timeline wraps a message it has not rendered yet.
		timeline = append(timeline, shared.Wrap(u.Body(), m.width-2, "  ")...)
	}
	if len(w.Updates) == 0 {
		timeline = append(timeline, s.Faint.Render("Loading…"))
	}
	room := max(1, m.height-len(lines))
	m.scroll = min(m.scroll, max(0, len(timeline)-room))
	end := min(len(timeline), m.scroll+room)
	return strings.Join(append(lines, timeline[m.scroll:end]...), "\n")
}

// Click implements shared.Clicker on the list (under its heading and a blank line); a window
// shown with its timeline, a prompt or the scheduling steps take no clicks.
func (m *Model) Click(y int) bool {
	if m.open != nil || m.prompt != nil || m.schedule != nil {
		return false
	}
	i, ok := shared.RowAt(y, 2, m.top, m.listHeight(), len(m.list))
	return ok && shared.Select(&m.cursor, i)
}
