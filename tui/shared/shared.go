// Package shared holds what the console's views have in common: the session's Common (where
// it reads and writes, its styles and size), the View contract, the messages views send the
// root, the command that loads a dashboard, and small text and input helpers.
package shared

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"beacon/store"
)

// DashboardMsg carries a fresh dashboard snapshot (or the error reading it) to every page.
type DashboardMsg struct {
	Dashboard store.Dashboard
	Empty     bool // the database holds nothing at all: the welcome screen shows
	Err       error
}

// LoadDashboard reads the dashboard in a command.
func LoadDashboard(c Common) tea.Cmd {
	return func() tea.Msg {
		d, err := c.Reader.Dashboard(c.Ctx)
		msg := DashboardMsg{Dashboard: d, Err: err}
		if err == nil && len(d.Groups) == 0 && len(d.Components) == 0 && len(d.Unresolved) == 0 {
			// Nothing on the dashboard: empty unless an incident was resolved.
			var resolved []store.Incident
			resolved, msg.Err = c.Reader.ResolvedIncidents(c.Ctx, store.IncidentQuery{Limit: 1})
			msg.Empty = msg.Err == nil && len(resolved) == 0
		}
		return msg
	}
}

// OpenComponentMsg asks the root to show a component's page.
type OpenComponentMsg struct{ ID int64 }

// OpenIncidentMsg asks the root to show an incident.
type OpenIncidentMsg struct{ ID int64 }

// ComposeKind says what the composer is opened for.
type ComposeKind int

// What the composer can be opened for.
const (
	Declare ComposeKind = iota // ID: the component to preselect, 0 for none
	Update                     // ID: the incident
	Resolve                    // ID: the incident
)

// ComposeMsg asks the root to open the composer.
type ComposeMsg struct {
	Kind ComposeKind
	ID   int64
}

// ScheduleMsg asks the root to open the guided steps that schedule maintenance, with the
// components preselected (none: nothing is).
type ScheduleMsg struct{ ComponentIDs []int64 }

// NoticeMsg shows one line in the footer until the next key: an error or a confirmation.
type NoticeMsg struct {
	Text string
	Err  bool
}

// Failed turns an error into a notice; nil stays nil.
func Failed(err error) tea.Msg {
	if err == nil {
		return nil
	}
	return NoticeMsg{Text: err.Error(), Err: true}
}

// Capturer is a page that has a text field focused: the root then passes it every key but
// ctrl+c instead of acting on them itself.
type Capturer interface {
	Capturing() bool
}

// AlreadyFixed says why the resolve key does nothing on incident id: it is fixed already.
func AlreadyFixed(id int64) tea.Cmd {
	return Cmd(NoticeMsg{Text: fmt.Sprintf("#%d is already fixed: u reopens it with an update.", id), Err: true})
}

// Cmd wraps a message in a command.
func Cmd(msg tea.Msg) tea.Cmd {
	return func() tea.Msg { return msg }
}
