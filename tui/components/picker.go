package components

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"

	"beacon/sanitize"
	"beacon/store"
	"beacon/theme"
	"beacon/tui/keys"
	"beacon/tui/shared"
)

// pickerHeight is the picker's box: a border, a title, one line per status and a hint.
const pickerHeight = 2 + 1 + 6 + 1

// picker chooses a component's own status.
type picker struct {
	component store.Component
	cursor    int
	holds     string // what holds it at its effective status, when that is worse than its own: "#9 holds it"
}

func newPicker(c store.Component, d store.Dashboard) *picker {
	p := &picker{component: c}
	names, plural := shared.HoldersBrief(d, c)
	p.holds = names + " holds it"
	if plural {
		p.holds = names + " hold it"
	}
	for i, st := range store.Statuses {
		if st == c.Status {
			p.cursor = i
		}
	}
	return p
}

func (p *picker) help(k keys.KeyMap) []key.Binding {
	set := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "set"))
	cancel := key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel"))
	return []key.Binding{k.Up, k.Down, set, cancel}
}

func (p *picker) view(s *theme.Styles, width int) string {
	inner := min(width-s.Box.GetHorizontalFrameSize(), 44)
	lines := []string{shared.Truncate(s.Title.Render("Own status of "+sanitize.Line(p.component.Name)), inner)}
	for i, st := range store.Statuses {
		mark := "  "
		if i == p.cursor {
			mark = s.Accent.Render("▌") + " "
		}
		lines = append(lines, mark+s.StatusText(st))
	}
	hint := "enter sets it · esc cancels"
	eff := p.component.Effective.Severity()
	if eff > p.component.Status.Severity() && eff > store.Statuses[p.cursor].Severity() {
		hint = p.holds + " at " + p.component.Effective.Label()
	}
	lines = append(lines, shared.Truncate(s.Faint.Render(hint), inner))
	return s.Box.Width(inner + s.Box.GetHorizontalPadding()).Render(strings.Join(lines, "\n"))
}
