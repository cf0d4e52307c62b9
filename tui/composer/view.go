package composer

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"beacon/sanitize"
	"beacon/store"
)

// Rows around the step body: heading, step bar, guidance and a blank line above; the notice below.
const (
	chromeTop    = 4
	chromeBottom = 1
)

func (m *Model) bodyHeight() int { return max(1, m.height-chromeTop-chromeBottom) }

// listHeight is the rows the component list may use: the body less its summary line and
// the filter's line.
func (m *Model) listHeight() int {
	h := m.bodyHeight() - 1
	if m.filterShown() {
		h--
	}
	return max(1, h)
}

// layout sizes the text fields to the space given.
func (m *Model) layout() {
	if m.width <= 0 || m.height <= 0 {
		return
	}
	frame := m.c.Styles.Input.GetHorizontalFrameSize()
	m.filter.Width = max(1, m.width/2)
	m.title.Width = max(1, m.width-frame-1)
	m.message.SetWidth(max(1, m.width-frame))
	m.message.SetHeight(max(1, m.bodyHeight()-1-m.c.Styles.Input.GetVerticalFrameSize()-1))
}

// View draws the composer in exactly the size it was given.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	s := m.c.Styles
	top := []string{m.heading(), m.stepBar(), s.Accent.Render(m.guidanceLine()), ""}
	var notice []string // its lines, wrapped to the width
	switch {
	case m.phase == phasePosting:
		notice = []string{s.Faint.Render("Posting…")}
	case m.notice != "":
		for _, l := range strings.Split(ansi.Wordwrap(m.notice, max(1, m.width), " "), "\n") {
			notice = append(notice, s.Error.Render(l))
		}
	}
	var body string
	switch {
	case m.c.Actor.ReadOnly:
		body = s.Faint.Render("Read-only: viewers may look but not post. esc goes back.")
	case m.phase == phaseFailed:
		body = s.Error.Render(m.fatal)
	case m.phase == phasePosted:
		body = s.Success.Render("Posted.")
	case m.phase == phaseLoading:
		body = s.Faint.Render("Loading…")
	case m.phase == phaseConfirming:
		body = m.confirmView()
	case m.phase == phaseOffering:
		body = m.offerView()
	case m.kind() == kindReview:
		// What the review must show comes first: a long notice gives way to it, cut short.
		var rows int
		var gap bool
		body, rows, gap = m.reviewView(len(notice))
		if !gap {
			top = top[:len(top)-1]
		}
		if rows < len(notice) {
			notice = append(notice[:rows-1:rows-1], ansi.Truncate(notice[rows-1], max(1, m.width-1), "")+"…")
		}
	default:
		body = m.stepView()
	}
	return m.frame(top, body, strings.Join(notice, "\n"))
}

// frame stacks the parts into exactly width×height: each line cut to the width, the body
// cut or padded so the notice sits on the last rows (a notice of several lines takes them
// from the body).
func (m *Model) frame(top []string, body, notice string) string {
	rows := max(1, m.height-len(top)-chromeBottom) // the body's, bodyHeight unless top gave a row up
	lines := make([]string, 0, m.height)
	lines = append(lines, top...)
	nl := strings.Split(notice, "\n")
	extra := min(len(nl)-1, max(0, rows-1))
	nl = nl[len(nl)-1-extra:]
	bl := strings.Split(body, "\n")
	if len(bl) > rows-extra {
		bl = bl[:max(0, rows-extra)]
	}
	lines = append(lines, bl...)
	for len(lines) < m.height-chromeBottom-extra {
		lines = append(lines, "")
	}
	lines = append(lines, nl...)
	if len(lines) > m.height {
		lines = lines[len(lines)-m.height:]
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > m.width {
			lines[i] = ansi.Truncate(l, m.width, "…")
		}
	}
	return strings.Join(lines, "\n")
}

func (m *Model) guidanceLine() string {
	switch {
	case m.c.Actor.ReadOnly || m.phase == phaseFailed || m.phase == phaseLoading:
		return ""
	case m.phase == phaseConfirming:
		return "Leaving: keep what you wrote for later, or throw it away."
	case m.phase == phaseOffering:
		return "You left a draft here: pick it up, or start afresh."
	}
	return m.guidance()
}

func (m *Model) heading() string {
	s := m.c.Styles
	if m.mode == modeDeclare {
		return s.Title.Render("Declare an incident")
	}
	verb := "Update"
	if m.resolve {
		verb = "Resolve"
	}
	h := s.Title.Render(fmt.Sprintf("%s #%d", verb, m.incidentID))
	if m.has(loadedIncident) {
		now := "  " + s.Faint.Render("now") + " " + s.IncidentText(m.inc.Status)
		room := m.width - ansi.StringWidth(h) - ansi.StringWidth(now) - 2 // the title gives way to the status
		h += "  " + s.Normal.Render(ansi.Truncate(sanitize.Line(m.inc.Title), max(1, room), "…")) + now
	}
	return h
}

func (m *Model) stepBar() string {
	s := m.c.Styles
	parts := make([]string, len(m.steps))
	for i, k := range m.steps {
		label := fmt.Sprintf("%d %s", i+1, m.stepLabel(k))
		switch {
		case i < m.step:
			parts[i] = s.StepDone.Render("✓ " + label)
		case i == m.step:
			parts[i] = s.StepNow.Render("▸ " + label)
		default:
			parts[i] = s.StepLater.Render(label)
		}
	}
	return strings.Join(parts, s.StepLater.Render(" › "))
}

// fieldError is the validation message shown next to a step's field, "" when there is none
// to show: a step explains itself once the responder tried to leave it (and a title at once
// when it grows too long).
func (m *Model) fieldError(k stepKind) string {
	msg := m.stepError(k)
	if msg == "" {
		return ""
	}
	if m.tried[k] || (k == kindTitle && len([]rune(m.title.Value())) > store.MaxTitleLen) {
		return m.c.Styles.Error.Render("✖ " + msg)
	}
	return ""
}

func (m *Model) stepView() string {
	switch m.kind() {
	case kindAffected:
		return m.affectedView()
	case kindTitle:
		return m.titleView()
	case kindStatus:
		return m.statusView()
	case kindMessage:
		return m.messageView()
	}
	body, _, _ := m.reviewView(0)
	return body
}

func (m *Model) affectedView() string {
	s := m.c.Styles
	var was map[int64]store.Status
	if m.mode == modeUpdate {
		was = m.currentImpacts()
	}
	list := m.picker.view(s, m.impacts, was, m.width, m.listHeight(), m.impactsLocked())
	q := sanitize.Line(strings.TrimSpace(m.filter.Value()))
	if len(m.picker.rows) == 0 && q != "" {
		list = s.Faint.Render("No component or group name contains “" + q + "”.")
	}
	switch {
	case m.filtering:
		list = m.filter.View() + "\n" + list
	case q != "":
		list = s.Accent.Render("/ ") + s.Normal.Render(q) + s.Faint.Render("  (esc clears)") + "\n" + list
	}
	summary := m.fieldError(kindAffected)
	if summary == "" {
		summary = s.Faint.Render(m.impactSummary())
	}
	return list + "\n" + summary
}

// impactSummary says in words what is selected: "2 selected: API ✖, Web ◐".
func (m *Model) impactSummary() string {
	n := len(m.impacts)
	if m.impactsLocked() {
		if n == 1 {
			return "1 impact ends with this update."
		}
		return fmt.Sprintf("%d impacts end with this update.", n)
	}
	if n == 0 {
		return "Nothing selected."
	}
	var names []string
	for _, c := range m.picker.comps {
		if st, ok := m.impacts[c.ID]; ok {
			names = append(names, c.Name+" "+st.Glyph())
			if len(names) == 6 {
				break
			}
		}
	}
	out := fmt.Sprintf("%d selected: %s", n, strings.Join(names, ", "))
	if n > len(names) {
		out += ", …"
	}
	return out
}

func (m *Model) titleView() string {
	s := m.c.Styles
	box := s.Input.Width(m.width - s.Input.GetHorizontalBorderSize()).Render(m.title.View())
	n := len([]rune(m.title.Value()))
	count := fmt.Sprintf("%d/%d", n, store.MaxTitleLen)
	if n > store.MaxTitleLen {
		count = s.Error.Render(count)
	} else {
		count = s.Faint.Render(count)
	}
	line := m.fieldError(kindTitle)
	if line == "" {
		line = s.Faint.Render(m.impactSummary())
	}
	return s.Faint.Render("Title") + "\n" + box + "\n" + count + "  " + line
}

func (m *Model) statusView() string {
	s := m.c.Styles
	inc := m.inc
	lines := []string{
		s.Faint.Render("Now") + "  " + s.IncidentText(inc.Status) + s.Faint.Render(fmt.Sprintf(" · %s · %s", inc.Visibility, plural(len(inc.Impacts), "component"))),
	}
	if len(inc.Updates) > 0 {
		u := inc.Updates[0]
		lines = append(lines, s.Faint.Render("Latest")+"  "+s.Normal.Render(sanitize.Line(plainLine(u.Message)))+
			s.Faint.Render(" — "+sanitize.Line(u.Author)+", "+ago(m.c.Now(), u.CreatedAt)))
	}
	lines = append(lines, "")
	for _, opt := range m.options {
		mark := "  "
		label := statusOptionLabel(inc.Status, opt)
		if opt == m.status {
			mark = s.Accent.Render("›") + " "
			label = s.Selected.Render(label)
		} else {
			label = s.Normal.Render(label)
		}
		lines = append(lines, mark+label)
	}
	if msg := m.fieldError(kindStatus); msg != "" {
		lines = append(lines, "", msg)
	}
	return strings.Join(lines, "\n")
}

func (m *Model) messageView() string {
	s := m.c.Styles
	head := s.Faint.Render("Status") + "  " + s.IncidentText(m.status)
	if e := m.effect(); e != "" {
		head += s.Faint.Render(" · ") + s.Error.Render(e)
	}
	if m.mode == modeDeclare {
		other := "identified"
		if m.status == store.Identified {
			other = "investigating"
		}
		head += s.Faint.Render("  (ctrl+t: " + other + ")")
	}
	box := s.Input.Render(m.message.View())
	line := m.fieldError(kindMessage)
	if line == "" {
		line = s.Faint.Render("Markdown · tab: review")
	}
	return head + "\n" + box + "\n" + line
}

func (m *Model) confirmView() string {
	s := m.c.Styles
	return s.Normal.Render("Leave the composer?") + "\n\n" +
		s.Accent.Render("enter") + s.Faint.Render(": keep the draft for later · ") +
		s.Accent.Render("x") + s.Faint.Render(": discard it · ") +
		s.Accent.Render("esc") + s.Faint.Render(": stay")
}

func (m *Model) offerView() string {
	s := m.c.Styles
	out := []string{
		s.Normal.Render("Draft from "+ago(m.c.Now(), m.offer.UpdatedAt)) + s.Faint.Render(" — ") +
			s.Accent.Render("enter") + s.Faint.Render(": restore · ") + s.Accent.Render("x") + s.Faint.Render(": discard"),
		"",
	}
	st, err := parseDraft(m.offer.State)
	if err != nil {
		return strings.Join(out, "\n")
	}
	if st.Title != "" {
		out = append(out, s.Faint.Render("Title    ")+s.Normal.Render(sanitize.Line(st.Title)))
	}
	if msg := strings.TrimSpace(st.Message); msg != "" {
		first, _, _ := strings.Cut(msg, "\n")
		out = append(out, s.Faint.Render("Message  ")+s.Normal.Render(sanitize.Line(first)))
	}
	if m.mode == modeUpdate && st.Status.Valid() {
		out = append(out, s.Faint.Render("Status   ")+s.IncidentText(st.Status))
	}
	if len(st.Impacts) > 0 {
		out = append(out, s.Faint.Render("Affects  ")+s.Normal.Render(plural(len(st.Impacts), "component")))
	}
	return strings.Join(out, "\n")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
