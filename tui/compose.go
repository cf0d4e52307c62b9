package tui

import (
	tea "github.com/charmbracelet/bubbletea"

	"beacon/tui/composer"
	"beacon/tui/shared"
)

// This file is the whole of the root's dealings with the composer.

// composerModel is what the root needs of the composer.
type composerModel interface {
	shared.View
	shared.Capturer
	Flusher
}

// Flusher is a console that may hold typing not yet saved: Flush returns a command that saves
// it at once (nil when there is none). The root runs it before quitting; whoever ran a program
// that ended otherwise (killed, its session gone) runs it on the final model.
type Flusher interface {
	Flush() tea.Cmd
}

// Flush implements Flusher: it saves the open composer's draft.
func (m *UI) Flush() tea.Cmd {
	if m.composer == nil {
		return nil
	}
	return m.composer.Flush()
}

// quit ends the session once what the composer holds is saved.
func (m *UI) quit() tea.Cmd {
	if save := m.Flush(); save != nil {
		return tea.Sequence(save, tea.Quit)
	}
	return tea.Quit
}

// openComposer opens the composer for a declaration, an update or a resolution, unless one
// is already open (then it is shown again, keeping what was typed).
func (m *UI) openComposer(msg shared.ComposeMsg) tea.Cmd {
	if m.c.Actor.ReadOnly {
		return nil
	}
	if m.composer != nil {
		m.active = composerView
		m.notice = shared.NoticeMsg{Text: "Finish or leave the incident being written first (esc)."}
		return nil
	}
	var c *composer.Model
	switch msg.Kind {
	case shared.Declare:
		c = composer.NewDeclare(m.c, msg.ID)
	case shared.Update:
		c = composer.NewUpdate(m.c, msg.ID)
	case shared.Resolve:
		c = composer.NewResolve(m.c, msg.ID)
	}
	m.composeBack = m.active
	m.composer, m.active = c, composerView
	m.help.ShowAll = false // the full help of the view left behind would take the composer's room
	c.SetSize(m.pageW, m.pageH)
	return c.Init()
}

// composerDone handles the composer's leaving: after a post the incident it wrote opens;
// otherwise the view it was opened from comes back.
func (m *UI) composerDone(msg tea.Msg) (bool, tea.Cmd) {
	switch msg := msg.(type) {
	case composer.PostedMsg:
		m.composer = nil
		m.active = m.composeBack
		return true, m.update(shared.OpenIncidentMsg{ID: msg.IncidentID})
	case composer.ClosedMsg:
		m.composer = nil
		m.active = m.composeBack
		return true, nil
	}
	return false, nil
}
