package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"beacon/sanitize"
	"beacon/store"
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
	case maintenanceView:
		return "Maintenance"
	}
	return "Components"
}

// bannerLook is everything the header's first line is drawn from: the banner and the count.
type bannerLook struct {
	width                   int
	welcome, loaded, failed bool
	banner                  store.Banner
	open                    int
}

// tabsLook is everything its second line is drawn from: the views as tabs, and who is here
// (the actor never changes in a session).
type tabsLook struct {
	width                      int
	shown                      bool
	active                     view
	incidentOpen, composerOpen bool
}

// headerLines is the header's two lines, from which the whole is drawn.
type headerLines struct {
	width      int
	line1, tab string
}

// header draws the banner with the count of open incidents, then the views as tabs. Each line
// is drawn again only when what it shows changed, and the whole only when a line did.
func (m *UI) header(width int) string {
	line1 := m.bannerCache.get(bannerLook{
		width: width, welcome: m.showWelcome(), loaded: m.loaded, failed: m.loadErr != nil,
		banner: m.dash.Banner, open: m.dash.OpenCount(),
	}, func() string { return m.bannerLine(width) })
	line2 := m.tabsCache.get(tabsLook{
		width: width, shown: m.loaded && !m.showWelcome(), active: m.active,
		incidentOpen: m.available(incidentView), composerOpen: m.available(composerView),
	}, func() string { return m.tabsLine(width) })
	return m.headerCache.get(headerLines{width, line1, line2}, func() string {
		return m.c.Styles.Header.Width(width).Render(line1 + "\n" + line2)
	})
}

func (m *UI) bannerLine(width int) string {
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
	return shared.Spread(s.Title.Render("Beacon")+"  "+banner, count, width, s.Renderer.NewStyle())
}

func (m *UI) tabsLine(width int) string {
	s := m.c.Styles
	who := sanitize.Line(m.c.Actor.Name)
	if m.c.Actor.ReadOnly {
		who += " (viewer)"
	}
	// The tabs come first: a long name (a key named by its fingerprint) is cut to the room
	// they leave rather than pushing them off the line.
	tabs := m.tabs(s)
	if room := width - lipgloss.Width(tabs) - 2; lipgloss.Width(who) > room {
		who = shared.Truncate(who, max(room, 8))
	}
	return shared.Spread(tabs, s.Faint.Render(who), width, s.Renderer.NewStyle())
}

// tabAt is the view whose tab is drawn at column x of the tabs' line, as tabs draws them:
// each label with a bracket or a space either side.
func (m *UI) tabAt(x int) (view, bool) {
	left := 0
	for v := componentsView; v <= maintenanceView; v++ {
		if v == composerView && m.c.Actor.ReadOnly {
			continue
		}
		w := lipgloss.Width(fmt.Sprintf("%d %s", v+1, v.name())) + 2
		if x >= left && x < left+w {
			return v, true
		}
		left += w
	}
	return 0, false
}

func (m *UI) tabs(s *theme.Styles) string {
	if !m.loaded || m.showWelcome() {
		return ""
	}
	var b strings.Builder
	for v := componentsView; v <= maintenanceView; v++ {
		if v == composerView && m.c.Actor.ReadOnly {
			continue
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
