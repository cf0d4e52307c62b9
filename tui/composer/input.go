package composer

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"beacon/store"
	"beacon/tui/shared"
)

// handleKey routes a key: dialogs first, then the keys that work on every step, then the step's own.
func (m *Model) handleKey(msg tea.KeyMsg) tea.Cmd {
	if ks := shared.Typed(msg); len(ks) > 1 && m.kind() != kindTitle && m.kind() != kindMessage && !key.Matches(msg, m.keys.all()...) {
		// A burst of keys ("jjj" over SSH) is the keys one after the other; a text field
		// takes a burst of typing whole, and a run that spells a key's name is that key.
		cmds := make([]tea.Cmd, len(ks))
		for i, k := range ks {
			cmds[i] = m.handleKey(k)
		}
		return tea.Batch(cmds...)
	}
	k := m.keys
	switch {
	case m.c.Actor.ReadOnly || m.phase == phaseFailed:
		if key.Matches(msg, k.Back, k.Leave) {
			return m.close()
		}
		return nil
	case m.phase.over():
		return nil
	case m.phase == phaseConfirming:
		return m.confirmKey(msg)
	case m.phase == phaseLoading:
		if key.Matches(msg, k.Back) {
			return m.close()
		}
		return nil
	case m.phase == phaseOffering:
		return m.offerKey(msg)
	case m.filtering && m.kind() == kindAffected && !key.Matches(msg, k.Post):
		return m.filterKey(msg)
	case msg.Type == tea.KeyRunes && !msg.Alt && (m.kind() == kindTitle || m.kind() == kindMessage):
		// Typed text, never a key: Bubble Tea v1 hands over a burst of typing as runs of runes,
		// and a run that spells a key's name ("down" in "Checkout is down") would match it.
		return m.typeText(msg)
	}

	if m.filtering { // ctrl+s: the filter stays as typed, and the post goes ahead
		m.filtering = false
		m.filter.Blur()
	}
	switch {
	case m.stale != nil && key.Matches(msg, k.Post):
		return m.postAnyway()
	case m.stale != nil && key.Matches(msg, k.Rebase):
		return m.rebase()
	case key.Matches(msg, k.Post):
		return m.post()
	case key.Matches(msg, k.Next):
		return m.forward()
	case key.Matches(msg, k.Prev):
		m.backward()
		return nil
	case key.Matches(msg, k.Back) && m.filterShown():
		m.filter.SetValue("")
		m.picker.setQuery("")
		return nil
	case key.Matches(msg, k.Back):
		if m.step == 0 {
			return m.leave()
		}
		m.backward()
		return nil
	}

	switch m.kind() {
	case kindAffected:
		return m.affectedKey(msg)
	case kindTitle:
		if key.Matches(msg, k.Enter) {
			return m.forward()
		}
		return m.typeText(msg)
	case kindStatus:
		return m.statusKey(msg)
	case kindMessage:
		if m.mode == modeDeclare && key.Matches(msg, k.Identified) {
			if m.status == store.Identified {
				m.status = store.Investigating
			} else {
				m.status = store.Identified
			}
			return m.edited()
		}
		return m.typeText(msg)
	case kindReview:
		switch {
		case key.Matches(msg, k.Up):
			m.reviewTop = max(0, m.reviewTop-1)
		case key.Matches(msg, k.Down):
			m.reviewTop++ // clamped when drawn
		case key.Matches(msg, k.Enter):
			return m.post()
		case m.mode == modeDeclare && key.Matches(msg, k.Visibility):
			if m.visibility == store.Internal {
				m.visibility = store.Public
			} else {
				m.visibility = store.Internal
			}
			return m.edited()
		case key.Matches(msg, k.Leave):
			return m.leave()
		}
	}
	return nil
}

// typeText gives a key to the step's text field.
func (m *Model) typeText(msg tea.KeyMsg) tea.Cmd {
	var before, after string
	switch m.kind() {
	case kindTitle:
		before = m.title.Value()
		for _, k := range shared.Typed(msg) {
			m.title, _ = m.title.Update(k)
		}
		after = m.title.Value()
	case kindMessage:
		before = m.message.Value()
		for _, k := range shared.Typed(msg) {
			m.message, _ = m.message.Update(k)
		}
		after = m.message.Value()
	}
	if after != before {
		return m.edited()
	}
	return nil
}

func (m *Model) affectedKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	page := max(1, m.listHeight()-1)
	switch {
	case key.Matches(msg, k.Up):
		m.picker.move(-1)
	case key.Matches(msg, k.Down):
		m.picker.move(1)
	case key.Matches(msg, k.PageUp):
		m.picker.move(-page)
	case key.Matches(msg, k.PageDown):
		m.picker.move(page)
	case key.Matches(msg, k.Enter):
		return m.forward()
	case key.Matches(msg, k.Leave):
		return m.leave()
	case key.Matches(msg, k.Filter):
		m.filtering = true
		return m.filter.Focus()
	case m.impactsLocked():
		return nil
	case key.Matches(msg, k.Toggle):
		id := m.picker.current()
		if id == 0 {
			return nil
		}
		if _, ok := m.impacts[id]; ok {
			delete(m.impacts, id)
		} else {
			m.impacts[id] = defaultImpact
		}
		return m.impactsEdited()
	case key.Matches(msg, k.Less, k.More):
		delta := 1
		if key.Matches(msg, k.Less) {
			delta = -1
		}
		return m.setImpact(func(cur store.Status, ok bool) store.Status {
			if !ok {
				return defaultImpact
			}
			i := impactIndex(cur) + delta
			return store.Impacts[max(0, min(i, len(store.Impacts)-1))]
		})
	case key.Matches(msg, k.Impact):
		n := int(msg.Runes[0] - '1')
		return m.setImpact(func(store.Status, bool) store.Status { return store.Impacts[n] })
	}
	return nil
}

// filterKey gives a key to the component filter: enter keeps what was typed and gives the keys
// back to the list, esc clears it, anything else is typed. The selection is never touched.
func (m *Model) filterKey(msg tea.KeyMsg) tea.Cmd {
	left, cmd := shared.FilterKey(&m.filter, msg)
	if left {
		m.filtering = false
	}
	m.picker.setQuery(m.filter.Value())
	return cmd
}

// filterShown reports whether the component filter shows above the list: being typed, or
// narrowing it.
func (m *Model) filterShown() bool {
	return m.kind() == kindAffected && (m.filtering || m.picker.query != "")
}

// impactsLocked reports whether the components step only shows impacts: at fixed every one ends.
func (m *Model) impactsLocked() bool { return m.mode == modeUpdate && m.status == store.Fixed }

func (m *Model) setImpact(next func(cur store.Status, ok bool) store.Status) tea.Cmd {
	id := m.picker.current()
	if id == 0 {
		return nil
	}
	cur, ok := m.impacts[id]
	m.impacts[id] = next(cur, ok)
	return m.impactsEdited()
}

func (m *Model) impactsEdited() tea.Cmd {
	m.impactsChanged = true
	return m.edited()
}

func impactIndex(s store.Status) int {
	for i, v := range store.Impacts {
		if v == s {
			return i
		}
	}
	return 0
}

func (m *Model) statusKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	i := 0
	for j, s := range m.options {
		if s == m.status {
			i = j
		}
	}
	switch {
	case key.Matches(msg, k.Up):
		i--
	case key.Matches(msg, k.Down):
		i++
	case key.Matches(msg, k.Enter):
		return m.forward()
	case key.Matches(msg, k.Leave):
		return m.leave()
	default:
		return nil
	}
	i = max(0, min(i, len(m.options)-1))
	if len(m.options) == 0 || m.options[i] == m.status {
		return nil
	}
	m.status = m.options[i]
	m.statusChosen = true
	return m.edited()
}

func (m *Model) confirmKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Keep):
		m.phase = phaseClosing
		m.cancelTick()
		return m.whenIdle(m.saveDraft(m.draftState(), true))
	case key.Matches(msg, k.Discard):
		m.phase = phaseClosing
		m.cancelTick()
		return m.whenIdle(m.deleteDraft(true))
	case key.Matches(msg, k.Stay):
		m.phase = phaseEditing
	}
	return nil
}

func (m *Model) offerKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Restore):
		d := *m.offer
		m.offer, m.phase = nil, phaseEditing
		m.restore(d)
	case key.Matches(msg, k.Discard):
		m.offer, m.phase = nil, phaseEditing
		return m.deleteDraft(false)
	case key.Matches(msg, k.Back, k.Leave):
		return m.close()
	}
	return nil
}

// forward moves to the next step when this one's input is valid, else explains why not.
// Leaving the status step forwards chooses the status shown, the proposed one too.
func (m *Model) forward() tea.Cmd {
	if msg := m.stepError(m.kind()); msg != "" {
		m.tried[m.kind()] = true
		return nil
	}
	var cmd tea.Cmd
	if m.kind() == kindStatus {
		cmd = m.chooseStatus()
	}
	if m.step < len(m.steps)-1 {
		m.step++
		m.focusStep()
	}
	return cmd
}

// chooseStatus makes the status shown the responder's choice, as pressing enter on it does:
// from then on the incident's moves never change it unseen, and a move under it is a conflict
// the responder settles (post anyway or rebase).
func (m *Model) chooseStatus() tea.Cmd {
	if m.mode != modeUpdate || m.statusChosen {
		return nil
	}
	m.statusChosen = true
	return m.edited()
}

func (m *Model) backward() {
	if m.step > 0 {
		m.step--
		m.focusStep()
	}
}

// focusStep gives the keyboard to the text field of the current step, if it has one.
func (m *Model) focusStep() {
	m.title.Blur()
	m.message.Blur()
	switch m.kind() {
	case kindTitle:
		m.title.Focus()
	case kindMessage:
		m.message.Focus()
	}
	m.layout()
}

// leave closes the composer, asking first when something was typed or chosen.
func (m *Model) leave() tea.Cmd {
	if !m.touched {
		return m.close()
	}
	m.phase = phaseConfirming
	return nil
}

func (m *Model) close() tea.Cmd {
	m.phase = phaseClosing
	m.cancelTick()
	return func() tea.Msg { return ClosedMsg{} }
}

// edited records that the responder changed something and schedules a draft save.
func (m *Model) edited() tea.Cmd {
	m.touched = true
	return m.scheduleDraft()
}
