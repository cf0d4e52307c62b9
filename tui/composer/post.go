package composer

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"beacon/sanitize"
	"beacon/store"
	"beacon/tui/shared"
)

type (
	dashboardMsg struct {
		owner *Model
		dash  store.Dashboard
		err   error
	}
	incidentMsg struct {
		owner *Model
		inc   store.IncidentDetail
		err   error
	}
	postDoneMsg struct {
		owner *Model
		id    int64
		err   error
	}
)

func (m *Model) loadDashboard() tea.Cmd {
	c, owner := m.c, m
	return func() tea.Msg {
		d, err := c.Reader.Dashboard(c.Ctx)
		return dashboardMsg{owner, d, err}
	}
}

func (m *Model) loadIncident() tea.Cmd {
	c, owner, id := m.c, m, m.incidentID
	return func() tea.Msg {
		inc, err := c.Reader.Incident(c.Ctx, id)
		return incidentMsg{owner, inc, err}
	}
}

// post checks every step and, when all are valid, posts in a Cmd once no draft save is in
// flight; otherwise it goes to the first step that needs attention and says why there.
func (m *Model) post() tea.Cmd {
	if m.phase == phasePosting || m.phase == phasePosted || m.c.Actor.ReadOnly {
		return nil
	}
	choose := m.chooseStatus() // posting takes the status shown
	if i := m.firstInvalid(); i >= 0 {
		m.step = i
		m.tried[m.steps[i]] = true
		m.focusStep()
		return choose
	}
	m.phase = phasePosting
	m.notice = ""
	m.cancelTick()
	m.dirty = false
	return m.whenIdle(m.postCmd())
}

func (m *Model) postCmd() tea.Cmd {
	c, owner, target := m.c, m, m.target
	sets := m.impactChanges()
	if m.mode == modeDeclare {
		in := store.NewIncident{
			Title:      m.title.Value(),
			Message:    m.message.Value(),
			Status:     m.status,
			Visibility: m.visibility,
			Impacts:    sets,
		}
		return func() tea.Msg {
			inc, err := c.Writer.OpenIncident(c.Ctx, c.Actor, in)
			if err == nil {
				_ = c.Writer.DeleteDraft(c.Ctx, c.Actor, target)
			}
			return postDoneMsg{owner, inc.ID, err}
		}
	}
	id := m.incidentID
	in := store.NewUpdate{Status: m.status, Message: m.message.Value(), Impacts: sets, ExpectUpdate: m.version}
	return func() tea.Msg {
		_, err := c.Writer.PostUpdate(c.Ctx, c.Actor, id, in)
		if err == nil {
			_ = c.Writer.DeleteDraft(c.Ctx, c.Actor, target)
		}
		return postDoneMsg{owner, id, err}
	}
}

// impactChanges is what the post asks of the store: for a new incident every impact; for an
// update only what differs from the incident now ("" ends an impact). At fixed nothing
// changes: resolving ends every impact's effect while keeping the record of what was hit.
func (m *Model) impactChanges() []store.SetImpact {
	var cur map[int64]store.Status
	if m.mode == modeUpdate {
		if m.impactsLocked() {
			return nil
		}
		cur = m.currentImpacts()
	}
	var out []store.SetImpact
	for id, st := range m.impacts {
		if cur[id] != st {
			out = append(out, store.SetImpact{ComponentID: id, Status: st})
		}
	}
	for id := range cur {
		if _, ok := m.impacts[id]; !ok {
			out = append(out, store.SetImpact{ComponentID: id})
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].ComponentID < out[b].ComponentID })
	return out
}

func (m *Model) postDone(msg postDoneMsg) tea.Cmd {
	m.phase = phaseEditing
	var stale *store.StaleError
	if errors.As(msg.err, &stale) {
		// Someone posted while this was written: say who and what, keep the draft, show the
		// new state, and let the responder choose.
		m.stale = stale
		m.notice = m.conflictText()
		return tea.Batch(m.scheduleDraft(), m.loadIncident())
	}
	if msg.err != nil {
		m.notice = "Not posted: " + sentence(msg.err)
		return m.scheduleDraft()
	}
	m.phase = phasePosted
	m.cancelTick()
	id := msg.id
	return func() tea.Msg { return PostedMsg{IncidentID: id} }
}

// conflictText says what came since the update was begun and what the two ways on are: post
// anyway (said as what it does: a reopen of a resolved incident) or rebase on the new state.
func (m *Model) conflictText() string {
	l := m.stale.Latest
	what := "updated (" + l.Status.Label() + ")"
	if l.Status == store.Fixed {
		what = "resolved"
	}
	anyway := "posts yours anyway, over it, as " + m.status.Label()
	switch {
	case l.Status == store.Fixed && m.status == store.Fixed:
		anyway = "posts your message anyway, as a note on the fixed incident"
	case l.Status == store.Fixed:
		anyway = fmt.Sprintf("posts yours anyway, reopening #%d as %s", m.stale.IncidentID, m.status.Label())
	}
	return fmt.Sprintf("#%d was %s by %s %s while you wrote; your draft is kept. ctrl+s %s; ctrl+r rebases it on the new state.",
		m.stale.IncidentID, what, sanitize.Line(l.Author), shared.Ago(m.c.Now(), l.CreatedAt), anyway)
}

// postAnyway accepts the update that came since as the version this one follows, then posts.
// A Fixed update on an incident someone else fixed meanwhile goes as a note, as the notice said.
func (m *Model) postAnyway() tea.Cmd {
	latest := m.stale.Latest
	m.version, m.stale = latest.ID, nil
	if latest.Status == store.Fixed && m.status == store.Fixed {
		m.note = true
	}
	return m.post()
}

// rebase starts the update again from the incident as it is now. What the responder chose
// (the message, a status picked, impacts edited) is kept; what was only proposed follows the
// new state, except that a Fixed never turns into a reopen by itself. A Fixed kept on an
// incident that is fixed now has nothing left to change: it posts as a note, and the notice
// says so, as it says whenever the post would reopen the incident. Nothing changes unseen.
func (m *Model) rebase() tea.Cmd {
	latest := m.stale.Latest
	m.version, m.stale = latest.ID, nil
	before := m.status
	if before == store.Fixed {
		m.statusChosen = true
	}
	m.notice = ""
	m.setIncident(incidentMsg{owner: m, inc: m.inc})
	m.note = m.inc.Resolved() && m.status == store.Fixed
	m.notice = m.rebasedText(latest, before)
	return tea.Batch(m.scheduleDraft(), m.loadIncident())
}

// rebasedText says what a rebase did: on whose update the draft now follows, and what became
// of the status.
func (m *Model) rebasedText(latest store.Update, before store.IncidentStatus) string {
	on := fmt.Sprintf("Rebased on %s's update (%s).", sanitize.Line(latest.Author), latest.Status.Label())
	var status string
	switch {
	case m.addsNote():
		return on + fmt.Sprintf(" #%d is already fixed, so yours changes nothing: ctrl+s adds your message to it as a note."+
			" To reopen #%d instead, pick a status at step 1.", m.inc.ID, m.inc.ID)
	case m.status != before:
		status = fmt.Sprintf("The proposed status is now %s (was %s).", m.status.Label(), before.Label())
	case m.statusChosen:
		status = fmt.Sprintf("Your %s is kept.", m.status.Label())
	default:
		status = fmt.Sprintf("The status stays %s.", m.status.Label())
	}
	if m.reopens() {
		status = strings.TrimSuffix(status, ".") + fmt.Sprintf(": this reopens #%d.", m.inc.ID)
	}
	kept := " Your message is kept."
	if m.impactsChanged {
		kept = " Your message and impacts are kept."
	}
	return on + " " + status + kept
}

// reopens reports whether the update would reopen the incident: it is fixed, and the status is not.
func (m *Model) reopens() bool {
	return m.mode == modeUpdate && m.has(loadedIncident) && m.inc.Resolved() && m.status != store.Fixed
}

// addsNote reports whether the update only adds its message to an incident that is fixed
// already: a Fixed the responder kept when someone else fixed the incident meanwhile.
func (m *Model) addsNote() bool {
	return m.note && m.mode == modeUpdate && m.has(loadedIncident) && m.inc.Resolved() && m.status == store.Fixed
}

// effect says in a few words what the update does to the incident beyond its message, when
// that is not plain from the status: "reopens #9", "a note on fixed #9"; "" otherwise.
func (m *Model) effect() string {
	switch {
	case m.reopens():
		return fmt.Sprintf("reopens #%d", m.inc.ID)
	case m.addsNote():
		return fmt.Sprintf("a note on fixed #%d", m.inc.ID)
	}
	return ""
}

// proposal is the change the review previews.
func (m *Model) proposal() store.Proposal {
	p := store.Proposal{IncidentID: m.incidentID, Impacts: m.impacts, Unresolved: m.status != store.Fixed, Visibility: m.visibility}
	if m.mode == modeUpdate {
		p.Visibility = m.inc.Visibility
		if m.impactsLocked() {
			p.Impacts = m.currentImpacts()
		}
	}
	return p
}
