package components

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"beacon/sanitize"
	"beacon/store"
	"beacon/theme"
	"beacon/tui/shared"
)

// confirmHeight is the removal question's box: a border, the question, what goes, and a hint.
const confirmHeight = 2 + 3

// confirm asks before removing a component or a group, naming what goes and what stays.
type confirm struct {
	group     bool
	id        int64
	name      string
	members   []string // a group's components, which stay, in no group
	incidents int      // unresolved incidents on a component (the store then refuses)
}

// removedMsg reports the outcome of a removal.
type removedMsg struct {
	what string
	err  error
}

func (q *confirm) height() int { return confirmHeight }

// blocked reports whether the store would refuse the removal: a component that open
// incidents affect. The question then offers only to close.
func (q *confirm) blocked() bool { return !q.group && q.incidents > 0 }

func (q *confirm) help() []key.Binding {
	if q.blocked() {
		return []key.Binding{key.NewBinding(key.WithKeys("esc", "n"), key.WithHelp("esc/n", "close"))}
	}
	return []key.Binding{
		key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "remove")),
		key.NewBinding(key.WithKeys("esc", "n"), key.WithHelp("esc/n", "keep")),
	}
}

// update answers the question: y removes, n or esc keeps; anything else is ignored.
func (q *confirm) update(msg tea.KeyMsg, c shared.Common) (cmd tea.Cmd, done bool) {
	switch msg.String() {
	case "y", "Y":
		if q.blocked() {
			return nil, false
		}
		what := q.what()
		group, id := q.group, q.id
		return func() tea.Msg {
			var err error
			if group {
				err = c.Writer.RemoveGroup(c.Ctx, c.Actor, id)
			} else {
				err = c.Writer.RemoveComponent(c.Ctx, c.Actor, id)
			}
			return removedMsg{what: what, err: err}
		}, true
	case "n", "N", "esc":
		return nil, true
	}
	return nil, false
}

func (q *confirm) what() string {
	if q.group {
		return "group " + sanitize.Line(q.name)
	}
	return "component " + sanitize.Line(q.name)
}

func (q *confirm) view(s *theme.Styles, width int) string {
	inner := min(width-s.Box.GetHorizontalFrameSize(), 76)
	var detail string
	switch {
	case q.group && len(q.members) > 0:
		detail = names(q.members) + " stay, in no group."
		if len(q.members) == 1 {
			detail = names(q.members) + " stays, in no group."
		}
	case q.group:
		detail = "It holds no components."
	case q.incidents > 0:
		detail = fmt.Sprintf("Open incidents affect it (%d): resolve them first.", q.incidents)
	default:
		detail = "Resolved incidents that affected it stay, without it."
	}
	title, hint := "Remove "+q.what()+"?", "y removes it · n or esc keeps it"
	if q.blocked() {
		title, hint = "Cannot remove "+q.what()+" yet", "esc or n closes this"
	}
	lines := []string{
		shared.Truncate(s.Title.Render(title), inner),
		shared.Truncate(s.Normal.Render(detail), inner),
		shared.Truncate(s.Faint.Render(hint), inner),
	}
	return s.Box.Width(inner + s.Box.GetHorizontalPadding()).Render(strings.Join(lines, "\n"))
}

// openIncidentsOn counts the unresolved incidents that impose something on a component.
func openIncidentsOn(d store.Dashboard, id int64) int {
	n := 0
	for _, inc := range d.Unresolved {
		for _, im := range inc.Impacts {
			if im.ComponentID == id {
				n++
				break
			}
		}
	}
	return n
}

// names lists components for a sentence: "API, Auth and Database", or "API, Auth and 5 more".
func names(list []string) string {
	clean := make([]string, len(list))
	for i, n := range list {
		clean[i] = sanitize.Line(n)
	}
	switch n := len(clean); {
	case n == 1:
		return clean[0]
	case n <= 3:
		return strings.Join(clean[:n-1], ", ") + " and " + clean[n-1]
	default:
		return strings.Join(clean[:2], ", ") + fmt.Sprintf(" and %d more", n-2)
	}
}
