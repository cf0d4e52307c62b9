// Package composer is the guided incident composer (ARCHITECTURE.md, the guided flow): one
// model that declares an incident and writes every update to it, step by step, with one line
// of guidance per step, validation shown next to the field, a review of what readers will see
// and what the post does to each component and to the banner, and a draft kept as the
// responder types.
package composer

import (
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textarea"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"beacon/store"
	"beacon/tui/shared"
)

// PostedMsg says the composer posted: a new incident or an update to IncidentID.
type PostedMsg struct{ IncidentID int64 }

// ClosedMsg says the responder left the composer without posting.
type ClosedMsg struct{}

// draftDelay is the most a draft lags behind what was typed: saves happen at most this often.
const draftDelay = 300 * time.Millisecond

// Model is one composer: declaring a new incident or updating one. Use it through a pointer.
type Model struct {
	c          shared.Common
	keys       keyMap
	mode       mode
	resolve    bool // opened to resolve: starts at fixed
	incidentID int64
	target     string // the draft's target: "new" or "incident/ID"
	preselect  int64
	steps      []stepKind
	step       int
	width      int
	height     int

	phase  phase
	loaded loads // what has arrived of what the composer edits
	dash   store.Dashboard
	inc    store.IncidentDetail
	fatal  string       // phaseFailed: why the composer cannot go on
	offer  *store.Draft // a draft saved earlier: offered back once everything has loaded

	title      textinput.Model
	message    textarea.Model
	status     store.IncidentStatus
	options    []store.IncidentStatus // the status step's choices, best first
	visibility store.Visibility
	impacts    map[int64]store.Status // the incident's impacts after this post
	picker     picker
	filter     textinput.Model // narrows the picker by component or group name
	filtering  bool            // the filter has the keys

	touched        bool // anything typed or chosen since opening: leaving asks first
	statusChosen   bool // the status was picked, accepted (enter on it) or preset, not only proposed
	note           bool // a Fixed kept on an incident fixed meanwhile: the update only adds its message
	impactsChanged bool // the impacts were edited, so reloads do not reset them
	tried          map[stepKind]bool
	notice         string // the last post or save error, shown in place

	version int64             // an update: the incident's newest update when composing began
	stale   *store.StaleError // a post refused because another update came since; cleared by posting anyway or rebasing

	debounce    time.Duration
	gen         int // ticks from an older generation are ignored
	dirty       bool
	tickPending bool
	saving      int     // draft saves in flight
	queued      tea.Cmd // runs once no draft save is in flight (post, close)
	writes      *drafts

	md        review
	reviewTop int // first message line shown on the review
}

// phase is where the composer is in its life; exactly one holds at a time.
type phase int

const (
	phaseLoading    phase = iota // waiting for the dashboard, the incident and any draft
	phaseOffering                // a draft saved earlier is offered back: restore or discard
	phaseEditing                 // the steps
	phaseConfirming              // leaving with changes: keep the draft or throw it away?
	phaseClosing                 // leaving: the draft is being kept or dropped
	phasePosting                 // the post is under way
	phasePosted                  // posted: the root opens what was written
	phaseFailed                  // the composer cannot go on (incident gone, unreadable database)
)

// over reports whether the composer takes no more edits: it is leaving or has posted.
func (p phase) over() bool {
	return p == phaseClosing || p == phasePosting || p == phasePosted
}

// loads is a set of what the composer needs loaded before editing.
type loads uint8

const (
	loadedDashboard loads = 1 << iota
	loadedIncident
	loadedDraft
)

// NewDeclare opens a composer that declares an incident; preselect (0 for none) is the
// component under the cursor, selected from the start.
func NewDeclare(c shared.Common, preselect int64) *Model {
	m := newModel(c, modeDeclare)
	m.target = "new"
	m.preselect = preselect
	m.status = store.Investigating
	m.statusChosen = true
	return m
}

// NewUpdate opens a composer that posts an update to an incident, proposing its next status.
func NewUpdate(c shared.Common, incidentID int64) *Model {
	m := newModel(c, modeUpdate)
	m.incidentID = incidentID
	m.target = fmt.Sprintf("incident/%d", incidentID)
	return m
}

// NewResolve opens the update composer straight at fixed, on the message step.
func NewResolve(c shared.Common, incidentID int64) *Model {
	m := NewUpdate(c, incidentID)
	m.resolve = true
	m.status = store.Fixed
	m.statusChosen = true
	m.step = m.stepIndex(kindMessage)
	m.focusStep()
	return m
}

func newModel(c shared.Common, md mode) *Model {
	if c.Now == nil {
		c.Now = time.Now
	}
	m := &Model{
		c:          c,
		keys:       newKeyMap(),
		mode:       md,
		steps:      stepsFor(md),
		visibility: store.Public,
		impacts:    map[int64]store.Status{},
		tried:      map[stepKind]bool{},
		debounce:   draftDelay,
		writes:     &drafts{},
	}
	m.title = newTitleInput(c)
	m.message = newMessageArea(c)
	m.filter = shared.NewInput(c.Styles, "/ ", "component or group name", store.MaxNameLen)
	return m
}

func newTitleInput(c shared.Common) textinput.Model {
	s := c.Styles
	t := textinput.New()
	t.Prompt = ""
	t.Placeholder = "e.g. Elevated error rates on the API"
	t.CharLimit = 5 * store.MaxTitleLen
	t.PromptStyle = s.Normal
	t.TextStyle = s.Normal
	t.PlaceholderStyle = s.Faint
	t.CompletionStyle = s.Faint
	t.Cursor.Style = s.Renderer.NewStyle()
	t.Cursor.TextStyle = s.Normal
	t.Cursor.SetMode(cursor.CursorStatic)
	t.KeyMap.Paste = key.NewBinding(key.WithDisabled()) // the server's clipboard is not the responder's
	t.KeyMap.AcceptSuggestion = key.NewBinding(key.WithDisabled())
	return t
}

func newMessageArea(c shared.Common) textarea.Model {
	s := c.Styles
	a := textarea.New()
	a.Prompt = ""
	a.ShowLineNumbers = false
	a.Placeholder = "What happens, who is affected, what you are doing. Markdown works."
	a.CharLimit = store.MaxMessageLen
	a.MaxHeight = 0
	r := s.Renderer
	a.FocusedStyle = textarea.Style{
		Base: r.NewStyle(), CursorLine: r.NewStyle(), CursorLineNumber: s.Faint, EndOfBuffer: s.Faint,
		LineNumber: s.Faint, Placeholder: s.Faint, Prompt: s.Faint, Text: s.Normal,
	}
	a.BlurredStyle = a.FocusedStyle
	a.BlurredStyle.Text = s.Faint
	a.Cursor.Style = r.NewStyle()
	a.Cursor.TextStyle = s.Normal
	a.Cursor.SetMode(cursor.CursorStatic)
	a.KeyMap.Paste = key.NewBinding(key.WithDisabled())
	a.KeyMap.TransposeCharacterBackward = key.NewBinding(key.WithDisabled()) // ctrl+t picks the status
	a.Blur()
	return a
}

// Init loads the dashboard, the incident being updated and any draft, each in a Cmd.
func (m *Model) Init() tea.Cmd {
	if m.c.Actor.ReadOnly {
		return nil
	}
	cmds := []tea.Cmd{m.loadDashboard(), m.loadDraft()}
	if m.mode == modeUpdate {
		cmds = append(cmds, m.loadIncident())
	}
	return tea.Batch(cmds...)
}

// Capturing reports whether the composer wants every key. It is true for as long as the
// composer is open: its text fields take printable keys, and its steps use tab, shift+tab,
// digits and q themselves, which would otherwise switch views or quit.
func (m *Model) Capturing() bool { return true }

// SetSize tells the composer the space it may draw in.
func (m *Model) SetSize(width, height int) {
	if width == m.width && height == m.height {
		return
	}
	m.width, m.height = width, height
	m.layout()
}

// has reports whether all of l has loaded.
func (m *Model) has(l loads) bool { return m.loaded&l == l }

// ready reports whether everything needed to edit has loaded.
func (m *Model) ready() bool {
	need := loadedDashboard | loadedDraft
	if m.mode == modeUpdate {
		need |= loadedIncident
	}
	return m.has(need)
}

// settle moves a loading composer on once everything has loaded: to the draft it offers back,
// or to editing.
func (m *Model) settle() {
	if m.phase != phaseLoading || !m.ready() {
		return
	}
	m.phase = phaseEditing
	if m.offer != nil {
		m.phase = phaseOffering
	}
}

// fail stops the composer for good, saying why.
func (m *Model) fail(why string) {
	m.phase, m.fatal = phaseFailed, why
}

// Update handles keys, the results of store Cmds and shared.ChangedMsg.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		return m, m.handleKey(msg)
	case shared.ChangedMsg:
		if m.c.Actor.ReadOnly || m.phase == phasePosted {
			return m, nil
		}
		cmds := []tea.Cmd{m.loadDashboard()}
		if m.mode == modeUpdate {
			cmds = append(cmds, m.loadIncident())
		}
		return m, tea.Batch(cmds...)
	case dashboardMsg:
		if msg.owner == m {
			m.setDashboard(msg)
		}
	case incidentMsg:
		if msg.owner == m {
			m.setIncident(msg)
		}
	case draftLoadedMsg:
		if msg.owner == m {
			m.loaded |= loadedDraft
			if msg.ok && msg.err == nil && worthOffering(msg.draft.State) {
				d := msg.draft
				m.offer = &d
			}
			m.settle()
		}
	case draftTickMsg:
		if msg.owner == m {
			return m, m.draftTick(msg.gen)
		}
	case draftSavedMsg:
		if msg.owner == m {
			return m, m.draftSaved(msg.err)
		}
	case postDoneMsg:
		if msg.owner == m {
			return m, m.postDone(msg)
		}
	case draftErrMsg:
		if msg.owner == m {
			m.notice = "Draft: " + sentence(msg.err)
		}
	case closeMsg:
		if msg.owner == m {
			if msg.err != nil {
				m.phase = phaseEditing
				m.notice = "Draft not saved: " + sentence(msg.err)
				return m, nil
			}
			return m, func() tea.Msg { return ClosedMsg{} }
		}
	}
	return m, nil
}

func (m *Model) setDashboard(msg dashboardMsg) {
	if msg.err != nil {
		if !m.has(loadedDashboard) {
			m.fail("Could not read the components: " + sentence(msg.err))
		} else {
			m.notice = "Could not refresh: " + sentence(msg.err)
		}
		return
	}
	first := !m.has(loadedDashboard)
	m.dash, m.loaded = msg.dash, m.loaded|loadedDashboard
	if first && m.mode == modeDeclare && m.preselect != 0 {
		for _, c := range m.dash.Components {
			if c.ID == m.preselect {
				m.impacts[c.ID] = defaultImpact
			}
		}
	}
	m.rebuildPicker()
	m.settle()
}

func (m *Model) setIncident(msg incidentMsg) {
	if msg.err != nil {
		if !m.has(loadedIncident) {
			m.fail(sentence(msg.err))
		} else {
			m.notice = "Could not refresh: " + sentence(msg.err)
		}
		return
	}
	if !m.has(loadedIncident) && m.mode == modeUpdate {
		m.picker.rows = m.picker.rows[:0] // forget the cursor: it starts on an affected component
	}
	first := !m.has(loadedIncident)
	m.inc, m.loaded = msg.inc, m.loaded|loadedIncident
	// An untouched composer follows the incident; one with work in it is told that the
	// incident moved under it, and keeps the version it was written against.
	switch newest := m.newestUpdate(); {
	case first || (!m.touched && m.stale == nil):
		m.version = newest
	case m.stale == nil && newest != m.version && newest != 0:
		m.stale = &store.StaleError{IncidentID: m.inc.ID, Expected: m.version, Latest: m.inc.Updates[0]}
		m.notice = m.conflictText()
	}
	// After a conflict the draft stays as the responder wrote it, whatever the incident
	// became, until they rebase.
	if !m.impactsChanged && m.stale == nil {
		m.impacts = m.currentImpacts()
	}
	m.options = store.NextStatuses(m.inc.Status)
	if !m.statusChosen && m.stale == nil {
		m.status = m.options[0]
	}
	if !containsStatus(m.options, m.status) {
		m.options = append([]store.IncidentStatus{m.status}, m.options...)
	}
	m.rebuildPicker()
	m.settle()
}

// newestUpdate is the id of the incident's newest update (its version), 0 before it loads.
func (m *Model) newestUpdate() int64 {
	if len(m.inc.Updates) == 0 {
		return 0
	}
	return m.inc.Updates[0].ID
}

// currentImpacts is what the incident imposes now, by component.
func (m *Model) currentImpacts() map[int64]store.Status {
	out := make(map[int64]store.Status, len(m.inc.Impacts))
	for _, im := range m.inc.Impacts {
		out[im.ComponentID] = im.Status
	}
	return out
}

func (m *Model) rebuildPicker() {
	if !m.has(loadedDashboard) {
		return
	}
	known := make(map[int64]bool, len(m.dash.Components))
	for _, c := range m.dash.Components {
		known[c.ID] = true
	}
	for id := range m.impacts {
		if !known[id] {
			delete(m.impacts, id)
		}
	}
	include := m.impacts
	if m.mode == modeUpdate {
		include = m.currentImpacts()
		for id, st := range m.impacts {
			include[id] = st
		}
	}
	keep := m.picker.current()
	if keep == 0 {
		keep = m.preselect
	}
	if keep == 0 && m.mode == modeUpdate {
		for _, c := range m.dash.Components {
			if _, ok := include[c.ID]; ok {
				keep = c.ID // the first component the incident affects
				break
			}
		}
	}
	m.picker.setComponents(m.dash.Components, include, keep)
	m.layout()
}

func containsStatus(list []store.IncidentStatus, s store.IncidentStatus) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// defaultImpact is the impact a newly selected component starts at.
const defaultImpact = store.PartialOutage
