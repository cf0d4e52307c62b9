package composer

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"beacon/sanitize"
	"beacon/store"
)

// draftState is what a draft keeps: everything typed and chosen, and the step.
type draftState struct {
	Step           int                    `json:"step"`
	Title          string                 `json:"title,omitempty"`
	Message        string                 `json:"message,omitempty"`
	Status         store.IncidentStatus   `json:"status,omitempty"`
	StatusChosen   bool                   `json:"status_chosen,omitempty"`
	Note           bool                   `json:"note,omitempty"`
	Visibility     store.Visibility       `json:"visibility,omitempty"`
	Impacts        map[int64]store.Status `json:"impacts,omitempty"`
	ImpactsChanged bool                   `json:"impacts_changed,omitempty"`
}

type (
	draftLoadedMsg struct {
		owner *Model
		draft store.Draft
		ok    bool
		err   error
	}
	draftTickMsg struct {
		owner *Model
		gen   int
	}
	draftSavedMsg struct {
		owner *Model
		err   error
	}
	draftErrMsg struct {
		owner *Model
		err   error
	}
	closeMsg struct {
		owner *Model
		err   error
	}
)

func (m *Model) draftState() []byte {
	st := draftState{
		Step:           m.step,
		Title:          m.title.Value(),
		Message:        m.message.Value(),
		Status:         m.status,
		StatusChosen:   m.statusChosen,
		Note:           m.note,
		Visibility:     m.visibility,
		Impacts:        m.impacts,
		ImpactsChanged: m.impactsChanged,
	}
	b, _ := json.Marshal(st)
	return b
}

func parseDraft(b []byte) (draftState, error) {
	var st draftState
	err := json.Unmarshal(b, &st)
	return st, err
}

// worthOffering reports whether a stored draft holds anything to restore.
func worthOffering(state []byte) bool {
	st, err := parseDraft(state)
	if err != nil {
		return false
	}
	return strings.TrimSpace(st.Title) != "" || strings.TrimSpace(st.Message) != "" || st.ImpactsChanged || len(st.Impacts) > 0
}

// restore puts a draft's state back into the composer.
func (m *Model) restore(d store.Draft) {
	st, err := parseDraft(d.State)
	if err != nil {
		m.notice = "The draft could not be read: " + sentence(err)
		return
	}
	m.title.SetValue(sanitize.Line(st.Title))
	m.message.SetValue(sanitize.Text(st.Message))
	if st.Status.Valid() && (m.mode == modeUpdate || st.Status == store.Identified || st.Status == store.Investigating) {
		m.status = st.Status
		// A draft left past the status step had its status accepted there.
		m.statusChosen = st.StatusChosen || m.mode == modeDeclare || st.Step > m.stepIndex(kindStatus)
		m.note = m.mode == modeUpdate && st.Note
		if m.mode == modeUpdate && !containsStatus(m.options, m.status) {
			m.options = append([]store.IncidentStatus{m.status}, m.options...)
		}
	}
	if m.mode == modeDeclare && (st.Visibility == store.Public || st.Visibility == store.Internal) {
		m.visibility = st.Visibility
	}
	if m.mode == modeDeclare || st.ImpactsChanged {
		m.impacts = map[int64]store.Status{}
		for id, s := range st.Impacts {
			if s.IsImpact() {
				m.impacts[id] = s
			}
		}
		m.impactsChanged = st.ImpactsChanged
	}
	m.step = max(0, min(st.Step, len(m.steps)-1))
	m.touched = true
	m.rebuildPicker()
	m.focusStep()
}

// scheduleDraft marks the state unsaved and, unless one is pending, starts the tick after
// which it is saved: at most one save per debounce interval, however fast the typing.
func (m *Model) scheduleDraft() tea.Cmd {
	m.dirty = true
	if m.tickPending || m.c.Actor.ReadOnly || m.phase.over() {
		return nil
	}
	m.tickPending = true
	owner, gen := m, m.gen
	return tea.Tick(m.debounce, func(time.Time) tea.Msg { return draftTickMsg{owner, gen} })
}

func (m *Model) cancelTick() {
	m.gen++
	m.tickPending = false
}

func (m *Model) draftTick(gen int) tea.Cmd {
	if gen != m.gen {
		return nil
	}
	m.tickPending = false
	if !m.dirty || m.phase.over() {
		return nil
	}
	m.dirty = false
	return m.saveDraft(m.draftState(), false)
}

// saveDraft writes the state in a Cmd; thenClose leaves the composer once it is written.
// Saves that do not close are counted until they land (see whenIdle).
func (m *Model) saveDraft(state []byte, thenClose bool) tea.Cmd {
	if !thenClose {
		m.saving++
	}
	c, owner, target := m.c, m, m.target
	write := m.writes.next(func() error { return c.Writer.SaveDraft(c.Ctx, c.Actor, target, state) })
	return func() tea.Msg {
		err := write()
		if thenClose {
			return closeMsg{owner, err}
		}
		return draftSavedMsg{owner, err}
	}
}

// Flush returns a command that saves what was typed and is not saved yet, at once, even when
// the session's context has ended; nil when everything is saved. The root runs it before
// quitting, and a server runs it on the final model of a session that dropped.
func (m *Model) Flush() tea.Cmd {
	if (!m.dirty && m.saving == 0) || m.c.Actor.ReadOnly || m.phase.over() {
		return nil
	}
	m.cancelTick()
	m.dirty = false
	m.saving++
	c, owner, target, state := m.c, m, m.target, m.draftState()
	write := m.writes.next(func() error {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Ctx), flushTimeout)
		defer cancel()
		return c.Writer.SaveDraft(ctx, c.Actor, target, state)
	})
	return func() tea.Msg { return draftSavedMsg{owner, write()} }
}

// flushTimeout bounds the last save of a session that is ending.
const flushTimeout = 5 * time.Second

// drafts orders one composer's draft saves. They run in commands, at the same time as each
// other; each is numbered when it is made, and one that lands after a newer one is dropped,
// so an older save can never overwrite what a later one (the flush on quitting) wrote.
type drafts struct {
	mu      sync.Mutex
	made    int // saves made so far (touched only in Update)
	written int // the newest save written
}

// next numbers a save and returns it, wrapped to drop it when a newer one already landed.
func (d *drafts) next(save func() error) func() error {
	d.made++
	n := d.made
	return func() error {
		d.mu.Lock()
		defer d.mu.Unlock()
		if n < d.written {
			return nil
		}
		err := save()
		if err == nil {
			d.written = n
		}
		return err
	}
}

func (m *Model) draftSaved(err error) tea.Cmd {
	m.saving--
	if err != nil {
		m.notice = "Draft not saved: " + sentence(err)
	}
	if m.saving == 0 && m.queued != nil {
		cmd := m.queued
		m.queued = nil
		return cmd
	}
	return nil
}

// deleteDraft forgets the draft in a Cmd; thenClose leaves the composer afterwards.
func (m *Model) deleteDraft(thenClose bool) tea.Cmd {
	c, owner, target := m.c, m, m.target
	return func() tea.Msg {
		err := c.Writer.DeleteDraft(c.Ctx, c.Actor, target)
		if thenClose {
			return closeMsg{owner, err}
		}
		if err != nil {
			return draftErrMsg{owner, err}
		}
		return nil
	}
}

// whenIdle runs cmd now, or once the draft saves in flight have landed, so that a post or a
// discard is never overtaken by an older save.
func (m *Model) whenIdle(cmd tea.Cmd) tea.Cmd {
	if m.saving == 0 {
		return cmd
	}
	m.queued = cmd
	return nil
}

func (m *Model) loadDraft() tea.Cmd {
	c, owner, target := m.c, m, m.target
	return func() tea.Msg {
		d, ok, err := c.Writer.LoadDraft(c.Ctx, c.Actor, target)
		return draftLoadedMsg{owner, d, ok, err}
	}
}

// ago says how long ago t was, coarsely: "just now", "12m ago", "3h ago", "2d ago".
func ago(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh ago", int(d/time.Hour))
	}
	return fmt.Sprintf("%dd ago", int(d/(24*time.Hour)))
}
