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
// component's effective status before → after and the banner before → after. Those rows are
// what the responder must check, so they always show; the message scrolls (↑/↓) in the rows
// left, and on a short terminal the blank lines, the components' heading and (for an update,
// whose title the heading shows) the title give way first. A notice of noticeRows lines under
// the review takes its rows from the same room after the message's first row; reviewView
// returns how many of them it left room for (at least one), and whether it leaves the blank
// row under the guidance blank (it takes that row when nothing else is left for the message).
func (m *Model) reviewView(noticeRows int) (string, int, bool) {
	s := m.c.Styles
	title, vis := m.title.Value(), m.visibility
	if m.mode == modeUpdate {
		title, vis = m.inc.Title, m.inc.Visibility
	}
	var titleLines []string
	for _, l := range strings.Split(xansi.Wrap(sanitize.Line(strings.TrimSpace(title)), max(1, m.width), ""), "\n") {
		titleLines = append(titleLines, s.Title.Render(l))
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

	pv := m.dash.Preview(m.proposal(), m.dash.CriticalShare())
	comps := m.reviewComponents(pv)
	banner := m.reviewBanner(pv)
	msgLines := strings.Split(m.md.render(m.c.Styles, strings.TrimSpace(m.message.Value()), max(20, m.width-2)), "\n")

	// The status line, the components and the banner always show (a declared incident's
	// title too: readers see it first, and nowhere else here says it); the message has at
	// least one row. Components give way only when not even that fits.
	room := m.bodyHeight() - 1 - len(comps) - len(banner) // the notice's first row is not the body's
	if m.mode == modeDeclare {
		room -= len(titleLines)
	}
	gap := room >= 1
	if !gap {
		room++
	}
	if room < 1 && len(comps) > 2 {
		keep := max(1, len(comps)-(1-room)-1)
		more := len(comps) - keep
		room += more - 1
		comps = append(comps[:keep:keep], s.Faint.Render(fmt.Sprintf("  … and %d more", more)))
	}
	take := func(n int) bool {
		if n > room {
			return false
		}
		room -= n
		return true
	}
	msgRows := 0
	if take(1) {
		msgRows = 1
	}
	noticeKept := 1
	for noticeKept < noticeRows && take(1) {
		noticeKept++
	}
	heading := take(1)
	for msgRows < min(len(msgLines), 3) && take(1) {
		msgRows++
	}
	gapBelow := take(1)
	showTitle := m.mode == modeDeclare || take(len(titleLines))
	gapAbove := take(1)
	msgRows += max(0, min(room, len(msgLines)-msgRows))

	shown, more := m.messageWindow(msgLines, msgRows)
	switch {
	case more > 0 && msgRows >= 2:
		shown = append(shown, s.Faint.Render("… "+plural(more, "more line")+" (↑/↓ scroll)"))
	case more > 0:
		status += s.Faint.Render(" · ↓ " + plural(more, "more line"))
	}

	var out []string
	if showTitle {
		out = append(out, titleLines...)
	}
	out = append(out, status)
	if gapAbove {
		out = append(out, "")
	}
	out = append(out, shown...)
	if gapBelow {
		out = append(out, "")
	}
	if heading {
		out = append(out, s.Group.Render("Components"))
	}
	out = append(out, comps...)
	out = append(out, banner...)
	return strings.Join(out, "\n"), noticeKept, gap
}

// messageWindow is the rows of the message shown in rows rows, from the review's scroll
// position (kept within range here), and how many lines are left below them. When the message
// does not fit and there are two rows or more, the last row is kept for saying what is left.
func (m *Model) messageWindow(lines []string, rows int) ([]string, int) {
	if len(lines) <= rows || rows <= 0 {
		m.reviewTop = 0
		return lines[:min(len(lines), max(0, rows))], max(0, len(lines)-max(0, rows))
	}
	text := rows
	if rows >= 2 {
		text = rows - 1
	}
	// The last position shows the end of the message in every row, with nothing left to say.
	last := len(lines) - rows
	m.reviewTop = max(0, min(m.reviewTop, last))
	if m.reviewTop == last {
		return lines[last:], 0
	}
	end := m.reviewTop + text
	return lines[m.reviewTop:end:end], len(lines) - end
}

// reviewComponents is one row per component the post touches: its name, its effective status
// now and, when the post changes it, the status after; names give way to fit the width.
func (m *Model) reviewComponents(pv store.Preview) []string {
	s := m.c.Styles
	if len(pv.Components) == 0 {
		return []string{s.Faint.Render("  none")}
	}
	const unchanged = "  unchanged"
	beforeW, afterW, nameW := 0, 0, 8
	for _, pc := range pv.Components {
		nameW = max(nameW, min(maxNameWidth, xansi.StringWidth(sanitize.Line(pc.Name))))
		beforeW = max(beforeW, xansi.StringWidth(s.StatusText(pc.Before)))
		if pc.Before == pc.After {
			afterW = max(afterW, len(unchanged))
		} else {
			afterW = max(afterW, 3+xansi.StringWidth(s.StatusText(pc.After)))
		}
	}
	nameW = max(8, min(nameW, m.width-2-2-beforeW-afterW))
	var rows []string
	for _, pc := range pv.Components {
		name := padRight(truncate(sanitize.Line(pc.Name), nameW), nameW)
		after := s.Faint.Render(" → ") + s.StatusText(pc.After)
		if pc.Before == pc.After {
			after = s.Faint.Render(unchanged)
		}
		before := s.StatusText(pc.Before)
		before += strings.Repeat(" ", max(0, beforeW-xansi.StringWidth(before)))
		rows = append(rows, "  "+s.Normal.Render(name)+"  "+before+after)
	}
	return rows
}

// reviewBanner is the banner before → after on two rows, or on one when the post leaves it
// unchanged and that fits the width.
func (m *Model) reviewBanner(pv store.Preview) []string {
	s := m.c.Styles
	before := s.Faint.Render("Banner      ") + s.BannerText(pv.BannerBefore)
	if pv.BannerBefore != pv.BannerAfter {
		return []string{before, s.Faint.Render("          → ") + s.BannerText(pv.BannerAfter)}
	}
	if line := before + s.Faint.Render("  unchanged"); xansi.StringWidth(line) <= m.width {
		return []string{line}
	}
	return []string{before, s.Faint.Render("          → unchanged")}
}

func truncate(s string, w int) string {
	r := []rune(s)
	if len(r) <= w {
		return s
	}
	return string(r[:max(0, w-1)]) + "…"
}
