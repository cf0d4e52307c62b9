package tui

import (
	"fmt"
	"strings"

	"beacon/sanitize"
	"beacon/theme"
	"beacon/tui/shared"
)

// headerHeight is the header's lines: the banner line, the tabs and a rule under them.
const headerHeight = 3

// name is a view's name on its tab.
func (v view) name() string {
	switch v {
	case incidentsView:
		return "Incidents"
	case incidentView:
		return "Incident"
	case composerView:
		return "Composer"
	}
	return "Components"
}

// header draws the banner with the count of open incidents, then the views as tabs.
func (m *UI) header(width int) string {
	s := m.c.Styles
	var banner, count string
	switch {
	case m.showWelcome():
	case m.loaded:
		banner = s.BannerText(m.dash.Banner)
		n := m.dash.OpenCount()
		switch {
		case n == 0:
			count = s.Faint.Render("no open incidents")
		case n == 1:
			count = s.Accent.Render("1 open incident")
		default:
			count = s.Accent.Render(fmt.Sprintf("%d open incidents", n))
		}
	case m.loadErr != nil:
		banner = s.Error.Render("database unreadable")
	default:
		banner = s.Faint.Render("loading…")
	}
	line1 := shared.Spread(s.Title.Render("Beacon")+"  "+banner, count, width, s.Renderer.NewStyle())

	who := sanitize.Line(m.c.Actor.Name)
	if m.c.Actor.ReadOnly {
		who += " (viewer)"
	}
	line2 := shared.Spread(m.tabs(s), s.Faint.Render(who), width, s.Renderer.NewStyle())
	return s.Header.Width(width).Render(line1 + "\n" + line2)
}

func (m *UI) tabs(s *theme.Styles) string {
	if !m.loaded || m.showWelcome() {
		return ""
	}
	var b strings.Builder
	for v := componentsView; v <= composerView; v++ {
		if v == composerView && m.c.Actor.ReadOnly {
			break
		}
		label := fmt.Sprintf("%d %s", v+1, v.name())
		switch {
		case v == m.active:
			b.WriteString(s.Accent.Render("[") + s.ActiveTab.UnsetPadding().Render(label) + s.Accent.Render("]"))
		case m.available(v):
			b.WriteString(" " + s.Tab.UnsetPadding().Render(label) + " ")
		default:
			b.WriteString(" " + s.Rule.Render(label) + " ")
		}
	}
	return b.String()
}
