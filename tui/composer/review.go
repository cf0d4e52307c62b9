package composer

import (
	"fmt"
	"strings"

	xansi "github.com/charmbracelet/x/ansi"

	"beacon/sanitize"
	"beacon/store"
	"beacon/theme"
	"beacon/tui/markdown"
)

// review keeps the message as the review shows it, rendered again only when its text or
// the width changes.
type review struct {
	md    *markdown.Renderer
	width int
	src   string
	out   string
}

// render returns src rendered by the timeline's renderer at width.
func (rv *review) render(s *theme.Styles, src string, width int) string {
	if rv.md != nil && rv.width == width && rv.src == src {
		return rv.out
	}
	if rv.md == nil {
		rv.md = markdown.New(s)
	}
	rv.src, rv.width = src, width
	rv.out = strings.Join(rv.md.Render(src, width), "\n")
	return rv.out
}

// reviewView is the incident as readers will see it, then what the post does: each
// component's effective status before → after and the banner before → after.
func (m *Model) reviewView() string {
	s := m.c.Styles
	title, vis := m.title.Value(), m.visibility
	if m.mode == modeUpdate {
		title, vis = m.inc.Title, m.inc.Visibility
	}
	var head []string
	for _, l := range strings.Split(xansi.Wrap(sanitize.Line(strings.TrimSpace(title)), max(1, m.width), ""), "\n") {
		head = append(head, s.Title.Render(l))
	}
	visWord := string(vis)
	if m.mode == modeDeclare {
		other := "internal"
		if vis == store.Internal {
			other = "public"
		}
		visWord += s.Faint.Render(" (v: " + other + ")")
	}
	status := s.IncidentText(m.status) + s.Faint.Render(" · ") + s.Normal.Render(visWord)
	if e := m.effect(); e != "" {
		status += s.Faint.Render(" · ") + s.Error.Render(e)
	}
	head = append(head, status)

	pv := m.dash.Preview(m.proposal(), m.dash.CriticalShare())
	var comps []string
	nameW := 8
	for _, pc := range pv.Components {
		nameW = max(nameW, min(maxNameWidth, len([]rune(sanitize.Line(pc.Name)))))
	}
	beforeW := 0
	for _, pc := range pv.Components {
		beforeW = max(beforeW, xansi.StringWidth(s.StatusText(pc.Before)))
	}
	for _, pc := range pv.Components {
		name := padRight(truncate(sanitize.Line(pc.Name), nameW), nameW)
		after := s.Faint.Render(" → ") + s.StatusText(pc.After)
		if pc.Before == pc.After {
			after = s.Faint.Render("  unchanged")
		}
		before := s.StatusText(pc.Before)
		before += strings.Repeat(" ", max(0, beforeW-xansi.StringWidth(before)))
		comps = append(comps, "  "+s.Normal.Render(name)+"  "+before+after)
	}
	banner := []string{
		s.Faint.Render("Banner      ") + s.BannerText(pv.BannerBefore),
		s.Faint.Render("          → ") + s.BannerText(pv.BannerAfter),
	}
	if pv.BannerBefore == pv.BannerAfter {
		banner = []string{s.Faint.Render("Banner      ") + s.BannerText(pv.BannerBefore) + s.Faint.Render("  unchanged")}
	}

	// Room: the body less the head, two blank lines, the components heading and the banner.
	room := m.bodyHeight() - len(head) - 3 - len(banner)
	compRoom := min(len(comps), max(1, room/2))
	if len(comps) > compRoom {
		more := len(comps) - compRoom + 1
		comps = append(comps[:compRoom-1], s.Faint.Render(fmt.Sprintf("  … and %d more", more)))
	}
	msgRoom := max(1, room-len(comps))
	msg := m.md.render(m.c.Styles, strings.TrimSpace(m.message.Value()), max(20, m.width-2))
	msgLines := strings.Split(msg, "\n")
	if len(msgLines) > msgRoom {
		// A long message scrolls (↑/↓) in the room left; the last row says what is hidden.
		m.reviewTop = max(0, min(m.reviewTop, len(msgLines)-msgRoom+1))
		end := m.reviewTop + msgRoom - 1
		rest := fmt.Sprintf("… %d more lines (↑/↓ scroll)", len(msgLines)-end)
		if end >= len(msgLines) {
			end, rest = len(msgLines), ""
		}
		msgLines = append(msgLines[m.reviewTop:end:end], s.Faint.Render(rest))
	} else {
		m.reviewTop = 0
	}

	out := append(head, "")
	out = append(out, msgLines...)
	out = append(out, "", s.Group.Render("Components"))
	if len(comps) == 0 {
		comps = []string{s.Faint.Render("  none")}
	}
	out = append(out, comps...)
	out = append(out, banner...)
	return strings.Join(out, "\n")
}

func truncate(s string, w int) string {
	r := []rune(s)
	if len(r) <= w {
		return s
	}
	return string(r[:max(0, w-1)]) + "…"
}
