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

// bannerLine is the name, the banner and the count of open incidents. When the whole does not
// fit, the count is said briefly ("2 open"), then the name goes: the banner's words are cut only
// when nothing else is left to give.
func (m *UI) bannerLine(width int) string {
	s := m.c.Styles
	var banner, count, brief string
	switch {
	case m.showWelcome():
	case m.loaded:
		banner = s.BannerText(m.dash.Banner)
		n := m.dash.OpenCount()
		switch {
		case n == 0:
			count, brief = s.Faint.Render("no open incidents"), s.Faint.Render("none open")
		case n == 1:
			count = s.Accent.Render("1 open incident")
		default:
			count = s.Accent.Render(fmt.Sprintf("%d open incidents", n))
		}
		if brief == "" {
			brief = s.Accent.Render(fmt.Sprintf("%d open", n))
		}
	case m.loadErr != nil:
		banner = s.Error.Render("database unreadable")
	default:
		banner = s.Faint.Render("loading…")
	}
	name := s.Title.Render("Beacon") + "  "
	fits := func(left, right string) bool { return lipgloss.Width(left)+1+lipgloss.Width(right) <= width }
	switch {
	case banner == "" || fits(name+banner, count):
		banner = name + banner
	case fits(name+banner, brief):
		banner, count = name+banner, brief
	case fits(banner, count):
	default:
		count = brief
	}
	return shared.Spread(banner, count, width, s.Renderer.NewStyle())
}

func (m *UI) tabsLine(width int) string {
	s := m.c.Styles
	who := sanitize.Line(m.c.Actor.Name)
	if m.c.Actor.ReadOnly {
		who += " (viewer)"
	}
	// The tabs come first: a long name (a key named by its fingerprint) is cut to the room
	// they leave rather than pushing them off the line.
	tabs := m.tabs(s, width, lipgloss.Width(who))
	if room := width - lipgloss.Width(tabs) - 1; lipgloss.Width(who) > room {
		who = shared.Truncate(who, max(room, 8))
	}
	return shared.Spread(tabs, s.Faint.Render(who), width, s.Renderer.NewStyle())
}

// tabViews are the views that have a tab, in order: all but the composer for a viewer.
func (m *UI) tabViews() []view {
	var vs []view
	for v := componentsView; v <= maintenanceView; v++ {
		if v != composerView || !m.c.Actor.ReadOnly {
			vs = append(vs, v)
		}
	}
	return vs
}

// tabLabels are the tabs' words on a line of width cells that also shows a name who cells
// wide: each view's number and name when they fit beside the name (or most of it), else only
// the active view's name and the others' numbers, so that every tab shows.
func (m *UI) tabLabels(width, who int) []string {
	vs := m.tabViews()
	full := make([]string, len(vs))
	total := 0
	for i, v := range vs {
		full[i] = fmt.Sprintf("%d %s", v+1, v.name())
		total += lipgloss.Width(full[i]) + 2
	}
	if total-1+1+min(who, 12) <= width {
		return full
	}
	short := make([]string, len(vs))
	for i, v := range vs {
		short[i] = fmt.Sprint(v + 1)
		if v == m.active {
			short[i] = full[i]
		}
	}
	return short
}

// tabAt is the view whose tab is drawn at column x of the tabs' line, as tabs draws them:
// each label with a bracket or a space either side.
func (m *UI) tabAt(x int) (view, bool) {
	left := 0
	labels := m.tabLabels(m.pageW, m.whoWidth())
	for i, v := range m.tabViews() {
		w := lipgloss.Width(labels[i]) + 2
		if x >= left && x < left+w {
			return v, true
		}
		left += w
	}
	return 0, false
}

// whoWidth is how wide the name on the tabs' line is, uncut.
func (m *UI) whoWidth() int {
	w := lipgloss.Width(sanitize.Line(m.c.Actor.Name))
	if m.c.Actor.ReadOnly {
		w += len(" (viewer)")
	}
	return w
}

// tabs draws the views as tabs, the active one in brackets; the last tab's trailing space is
// left to the gap before the name.
func (m *UI) tabs(s *theme.Styles, width, who int) string {
	if !m.loaded || m.showWelcome() {
		return ""
	}
	var b strings.Builder
	labels := m.tabLabels(width, who)
	for i, v := range m.tabViews() {
		label := labels[i]
		switch {
		case v == m.active:
			b.WriteString(s.Accent.Render("[") + s.ActiveTab.UnsetPadding().Render(label) + s.Accent.Render("]"))
		case m.available(v):
			b.WriteString(" " + s.Tab.UnsetPadding().Render(label) + " ")
		default:
			b.WriteString(" " + s.Rule.Render(label) + " ")
		}
	}
	return strings.TrimSuffix(b.String(), " ")
}
