// Package tui is Beacon's console: a root model holding a header (the banner, the views, the
// number of open incidents), the active view and a footer of the keys that work there. One
// root model runs per session, locally (Run) or over SSH (New).
package tui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"beacon/demo"
	"beacon/store"
	"beacon/tui/audit"
	"beacon/tui/component"
	"beacon/tui/components"
	"beacon/tui/incident"
	"beacon/tui/incidents"
	"beacon/tui/keys"
	"beacon/tui/maintenance"
	"beacon/tui/shared"
	"beacon/tui/welcome"
)

// Minimum terminal size; below it the console shows one line saying so.
const (
	MinWidth  = 60
	MinHeight = 15
)

// view is one of the console's views, in tab order.
type view int

const (
	componentsView view = iota
	incidentsView
	incidentView
	composerView
	maintenanceView
)

// UI is the root model of one console session.
type UI struct {
	c    shared.Common
	keys keys.KeyMap
	help help.Model

	components *components.Model
	component  *component.Model // a component's page, shown over the list while open
	incidents  *incidents.Model
	incident   *incident.Model
	welcome    *welcome.Model
	maint      *maintenance.Model
	audit      *audit.Model  // the audit trail, a page of the Incidents view
	composer   composerModel // nil unless open

	active        view
	back          view // where esc from the incident view returns
	showComponent bool // the Components view shows the open component's page
	showAudit     bool // the Incidents view shows the audit trail
	composeBack   view // where leaving the composer returns

	dash    store.Dashboard
	loaded  bool
	empty   bool
	loadErr error
	notice  shared.NoticeMsg

	changes <-chan struct{}
	pageW   int // the screen less the app's margins (contentSize), as last laid out
	pageH   int

	// What was drawn last, so that drawing again what did not change costs next to nothing.
	bannerCache cached[bannerLook]
	tabsCache   cached[tabsLook]
	headerCache cached[headerLines]
	footerCache cached[string]
	frame       frame
}

// New returns the root model for one session. c.Width and c.Height are the first size (the
// pty's over SSH); c.Actor.ReadOnly makes a viewer's console, which offers no writes.
func New(c shared.Common) tea.Model {
	if c.Ctx == nil {
		c.Ctx = context.Background()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	k := keys.New(c.Actor.ReadOnly)
	h := help.New()
	hs := c.Styles.Help
	h.Styles = help.Styles{
		Ellipsis:       hs.Sep,
		ShortKey:       hs.Key,
		ShortDesc:      hs.Desc,
		ShortSeparator: hs.Sep,
		FullKey:        hs.Key,
		FullDesc:       hs.Desc,
		FullSeparator:  hs.Sep,
	}
	var fill welcome.FillFunc
	if !c.Actor.ReadOnly {
		fill = func(ctx context.Context, w shared.Writer, actor store.Actor, now time.Time) error {
			return demo.Fill(ctx, w, actor, now)
		}
	}
	if !audit.Available(c) {
		k.Audit.SetEnabled(false) // the public's reader has no audit trail
	}
	m := &UI{
		c:          c,
		keys:       k,
		help:       h,
		components: components.New(c, k),
		component:  component.New(c, k),
		incidents:  incidents.New(c, k),
		incident:   incident.New(c, k),
		welcome:    welcome.New(c, k, fill),
		maint:      maintenance.New(c, k),
		audit:      audit.New(c, k),
		pageW:      -1,
	}
	m.layout()
	return m
}

// Init subscribes to the store's change feed (until the session's context ends) and loads
// the dashboard and the first page of incidents.
func (m *UI) Init() tea.Cmd {
	ch, cancel := m.c.Reader.Subscribe()
	m.changes = ch
	go func() {
		<-m.c.Ctx.Done()
		cancel()
	}()
	return tea.Batch(waitForChange(ch), shared.LoadDashboard(m.c), m.incidents.Init(), m.maint.Init())
}

// waitForChange blocks until the data changes, then reports it; Update re-arms it.
func waitForChange(ch <-chan struct{}) tea.Cmd {
	return func() tea.Msg {
		if _, ok := <-ch; !ok {
			return nil
		}
		return shared.ChangedMsg{}
	}
}

// Update implements tea.Model.
func (m *UI) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok {
		if ks := shared.Typed(k); len(ks) > 1 {
			// Bubble Tea v1 hands over the printable keys it read together ("jjj" sent at
			// once, typing ahead) as one key with several runes, which matches no binding:
			// they are the keys one after another, each handled as if pressed alone.
			cmds := make([]tea.Cmd, len(ks))
			for i, k := range ks {
				_, cmds[i] = m.Update(k)
			}
			return m, tea.Batch(cmds...)
		}
	}
	cmd := m.update(msg)
	if m.layout() {
		// The views have their new size; the message lets them start what it calls for.
		cmd = tea.Batch(cmd, m.broadcast(tea.WindowSizeMsg{Width: m.c.Width, Height: m.c.Height}))
	}
	return m, cmd
}

func (m *UI) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.c.Width, m.c.Height = msg.Width, msg.Height
		return nil
	case tea.KeyMsg:
		return m.updateKey(msg)
	case tea.MouseMsg:
		return m.updateMouse(msg)
	case shared.ChangedMsg:
		return tea.Batch(waitForChange(m.changes), gather(shared.LoadDashboard(m.c), m.broadcast(msg)))
	case gatheredMsg:
		cmds := make([]tea.Cmd, 0, len(msg))
		for _, sub := range msg {
			cmds = append(cmds, m.update(sub))
		}
		return tea.Batch(cmds...)
	case shared.DashboardMsg:
		if msg.Err != nil {
			m.loadErr = msg.Err
			return nil
		}
		m.dash, m.loaded, m.empty, m.loadErr = msg.Dashboard, true, msg.Empty, nil
		return m.broadcast(msg)
	case shared.OpenComponentMsg:
		m.active, m.showComponent = componentsView, true
		_, cmd := m.component.Update(msg)
		return cmd
	case shared.OpenIncidentMsg:
		if m.active != incidentView && m.active != composerView {
			m.back = m.active
		}
		m.active = incidentView
		_, cmd := m.incident.Update(msg)
		return cmd
	case shared.ComposeMsg:
		return m.openComposer(msg)
	case shared.ScheduleMsg:
		if m.c.Actor.ReadOnly {
			return nil
		}
		m.active = maintenanceView
		return m.maint.Schedule(m.dash, msg.ComponentIDs)
	case shared.NoticeMsg:
		m.notice = msg
		return nil
	}
	if done, cmd := m.composerDone(msg); done {
		return cmd
	}
	return m.broadcast(msg)
}

// broadcast gives a message to every view: each takes what it knows and ignores the rest.
func (m *UI) broadcast(msg tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	for _, p := range m.views() {
		_, cmd := p.Update(msg)
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

// views lists every live view.
func (m *UI) views() []shared.View {
	v := []shared.View{m.components, m.component, m.incidents, m.incident, m.welcome, m.maint}
	if m.showAudit {
		v = append(v, m.audit) // read only while shown
	}
	if m.composer != nil {
		v = append(v, m.composer)
	}
	return v
}

// page is the view on screen.
func (m *UI) page() shared.View {
	switch {
	case m.showWelcome():
		return m.welcome
	case m.active == incidentsView && m.showAudit:
		return m.audit
	case m.active == incidentsView:
		return m.incidents
	case m.active == incidentView:
		return m.incident
	case m.active == composerView && m.composer != nil:
		return m.composer
	case m.active == maintenanceView:
		return m.maint
	case m.showComponent:
		return m.component
	}
	return m.components
}

// showWelcome is true while the database is empty and nothing else was asked for.
func (m *UI) showWelcome() bool {
	return m.loaded && m.empty && m.active != composerView
}

// typer is a modal view that says when a text field has the keys; while none has, ? shows
// the full help there too.
type typer interface{ Typing() bool }

func (m *UI) capturing() bool {
	c, ok := m.page().(shared.Capturer)
	return ok && c.Capturing()
}

func (m *UI) updateKey(msg tea.KeyMsg) tea.Cmd {
	// A run of typed runes that spells a key's name ("ctrl+c" typed fast) is text, not the key.
	if msg.Type != tea.KeyRunes && key.Matches(msg, m.keys.ForceQuit) {
		return m.quit()
	}
	m.notice = shared.NoticeMsg{}
	page := m.page()
	if m.capturing() {
		if key.Matches(msg, m.keys.FieldHelp) || m.modalHelp() && key.Matches(msg, m.keys.Help) {
			m.help.ShowAll = !m.help.ShowAll // f1 anywhere, ? in a modal view's steps without a text field
			return nil
		}
		_, cmd := page.Update(msg)
		return cmd
	}
	switch {
	case key.Matches(msg, m.keys.Quit):
		return m.quit()
	case key.Matches(msg, m.keys.Help):
		m.help.ShowAll = !m.help.ShowAll
		return nil
	case m.showWelcome() || !m.loaded:
		_, cmd := page.Update(msg)
		return cmd
	case key.Matches(msg, m.keys.NextView):
		m.cycle(1)
	case key.Matches(msg, m.keys.PrevView):
		m.cycle(-1)
	case key.Matches(msg, m.keys.View1):
		m.switchTo(componentsView)
	case key.Matches(msg, m.keys.View2):
		m.switchTo(incidentsView)
	case key.Matches(msg, m.keys.View3):
		m.switchTo(incidentView)
	case key.Matches(msg, m.keys.View4):
		return m.switchTo(composerView)
	case key.Matches(msg, m.keys.View5):
		m.switchTo(maintenanceView)
	case key.Matches(msg, m.keys.Audit) && m.active == incidentsView:
		m.showAudit = !m.showAudit
		if m.showAudit {
			m.audit.SetSize(m.pageW, m.pageH)
			return m.audit.Init()
		}
	case key.Matches(msg, m.keys.Back) && m.active == incidentsView && m.showAudit:
		if ok, cmd := m.audit.Back(); ok {
			return cmd
		}
		m.showAudit = false
	case key.Matches(msg, m.keys.Back) && m.active == incidentView:
		m.active = m.back
	case key.Matches(msg, m.keys.Back) && m.active == componentsView && m.showComponent:
		m.showComponent = false
	case m.c.Actor.ReadOnly && m.forResponders(msg):
	default:
		_, cmd := page.Update(msg)
		return cmd
	}
	return nil
}

// forResponders says, in the footer, why a writing key does nothing in a viewer's session
// (where the key map has it switched off), and reports whether msg was one.
func (m *UI) forResponders(msg tea.KeyMsg) bool {
	full := keys.New(false)
	for _, b := range []key.Binding{full.Declare, full.Update, full.Resolve, full.SetStatus, full.Schedule} {
		if key.Matches(msg, b) {
			h := b.Help()
			m.notice = shared.NoticeMsg{Text: fmt.Sprintf("%s (%s) is for responders: this session only reads.", h.Key, h.Desc), Err: true}
			return true
		}
	}
	return false
}

// updateMouse routes a mouse event by where it is: a click on a tab in the header switches to
// that view; below the header the wheel scrolls the page as the arrow keys do, and a click
// selects a list's row, a second click on it opens it (as enter). A page with a text field
// gets no mouse events, nor does the welcome screen.
func (m *UI) updateMouse(msg tea.MouseMsg) tea.Cmd {
	if !m.loaded || m.showWelcome() || m.capturing() {
		return nil
	}
	app := m.c.Styles.App
	x := msg.X - app.GetMarginLeft() - app.GetPaddingLeft()
	y := msg.Y - app.GetMarginTop() - app.GetPaddingTop()
	page := m.page()
	var press tea.KeyMsg
	switch {
	case msg.Button == tea.MouseButtonWheelUp:
		press = tea.KeyMsg{Type: tea.KeyUp}
	case msg.Button == tea.MouseButtonWheelDown:
		press = tea.KeyMsg{Type: tea.KeyDown}
	case msg.Button != tea.MouseButtonLeft || msg.Action != tea.MouseActionPress:
		return nil
	case y == 1: // the tabs' line
		if v, ok := m.tabAt(x); ok {
			return m.switchTo(v)
		}
		return nil
	case y >= headerHeight && y < headerHeight+m.pageH:
		c, ok := page.(shared.Clicker)
		if !ok || !c.Click(y-headerHeight) {
			return nil
		}
		press = tea.KeyMsg{Type: tea.KeyEnter}
	default:
		return nil
	}
	m.notice = shared.NoticeMsg{}
	_, cmd := page.Update(press)
	return cmd
}

// available says whether a view can be shown: the incident view once one is open, the
// composer while it is.
func (m *UI) available(v view) bool {
	switch v {
	case incidentView:
		return m.incident.ID() != 0
	case composerView:
		return m.composer != nil
	}
	return true
}

// switchTo shows view v, or says why it cannot: for the composer, in a command that looks for
// a saved draft.
func (m *UI) switchTo(v view) tea.Cmd {
	if !m.available(v) {
		switch v {
		case incidentView:
			m.notice = shared.NoticeMsg{Text: "No incident open: pick one in Incidents (2) and press enter."}
		case composerView:
			if !m.c.Actor.ReadOnly {
				return m.nothingWritten()
			}
		}
		return nil
	}
	if v == incidentView && m.active != incidentView {
		m.back = m.active
	}
	m.active = v
	return nil
}

// nothingWritten says that the composer is not open and how to open it: on the saved draft,
// when there is one (of a new incident, of an update to an open incident or the one shown).
func (m *UI) nothingWritten() tea.Cmd {
	type draft struct{ target, text string }
	drafts := []draft{{"new", "A draft incident is saved: n offers it back."}}
	ids := make([]int64, 0, len(m.dash.Unresolved)+1)
	for _, inc := range m.dash.Unresolved {
		ids = append(ids, inc.ID)
	}
	if id := m.incident.ID(); id != 0 && !slices.Contains(ids, id) {
		ids = append(ids, id)
	}
	for _, id := range ids {
		// The composer's draft target for an update to the incident.
		drafts = append(drafts, draft{fmt.Sprintf("incident/%d", id), fmt.Sprintf("Draft update to #%d saved: u on #%d offers it back.", id, id)})
	}
	c := m.c
	return func() tea.Msg {
		for _, d := range drafts {
			if _, ok, err := c.Writer.LoadDraft(c.Ctx, c.Actor, d.target); err == nil && ok {
				return shared.NoticeMsg{Text: d.text}
			}
		}
		return shared.NoticeMsg{Text: "Nothing being written: n declares an incident, u updates one."}
	}
}

func (m *UI) cycle(step int) {
	v := m.active
	for range maintenanceView + 1 {
		v = (v + view(step) + maintenanceView + 1) % (maintenanceView + 1)
		if m.available(v) {
			m.switchTo(v)
			return
		}
	}
}

// layout gives every view its size when it changed (and says so): the screen less the margins,
// the header and the footer.
func (m *UI) layout() bool {
	w, h := m.contentSize()
	m.help.Width = w
	pageH := max(0, h-headerHeight-m.footerHeight())
	if w == m.pageW && pageH == m.pageH {
		return false
	}
	m.pageW, m.pageH = w, pageH
	for _, p := range m.views() {
		p.SetSize(w, pageH)
	}
	return true
}

// contentSize is the screen less the app's margins.
func (m *UI) contentSize() (int, int) {
	s := m.c.Styles.App
	return max(0, m.c.Width-s.GetHorizontalFrameSize()), max(0, m.c.Height-s.GetVerticalFrameSize())
}

// View implements tea.Model.
func (m *UI) View() string {
	if m.c.Width <= 0 || m.c.Height <= 0 {
		return ""
	}
	if m.c.Width < MinWidth || m.c.Height < MinHeight {
		return m.c.Styles.Error.Render(shared.Truncate(tooSmall, m.c.Width))
	}
	if m.pageH <= 0 {
		return m.frame.draw(m.c.Styles.App, m.header(m.pageW), m.footer())
	}
	return m.frame.draw(m.c.Styles.App, m.header(m.pageW), fit(m.pageView(), m.pageH), m.footer())
}

const tooSmall = "terminal too small: need at least 60×15"

func (m *UI) pageView() string {
	switch {
	case m.loadErr != nil && !m.loaded:
		return m.c.Styles.Error.Render("Cannot read the database: " + m.loadErr.Error())
	case !m.loaded:
		return m.c.Styles.Faint.Render("Loading…")
	}
	return m.page().View()
}

// fit makes s exactly h lines, cutting or padding at the bottom.
func fit(s string, h int) string {
	if h <= 0 {
		return ""
	}
	n := strings.Count(s, "\n") + 1
	if n > h {
		lines := strings.SplitN(s, "\n", h+1)
		return strings.Join(lines[:h], "\n")
	}
	return s + strings.Repeat("\n", h-n)
}
