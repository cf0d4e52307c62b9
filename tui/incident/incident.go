// Package incident is the console's Incident view: an incident's header (status, visibility,
// start, duration, impacts) and its timeline, newest first, each message rendered as Markdown
// in a scrolling viewport that holds only the updates around what is on screen.
package incident

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"beacon/sanitize"
	"beacon/store"
	"beacon/tui/keys"
	"beacon/tui/shared"
)

// headerHeight is the lines above the timeline: title, status, impacts and a rule; failed
// webhook deliveries add a line each, up to maxFailedShown.
const headerHeight = 4

// maxFailedShown is how many failed deliveries the header lists.
const maxFailedShown = 3

// notesRefresh is how often the view rereads the incident's webhook deliveries while some are
// still on their way (the sender's progress is not a change to the data).
const notesRefresh = 5 * time.Second

// Model is the Incident view.
type Model struct {
	c      shared.Common
	keys   keys.KeyMap
	width  int
	height int

	id      int64
	gen     int
	detail  store.IncidentDetail
	loaded  bool
	missing bool
	notes   store.NotificationSummary // the incident's webhook deliveries by state
	failed  []store.Delivery          // the newest failed ones, with their last answer

	vp        viewport.Model
	md        *renders
	first     int            // the first update in the viewport's content
	last      int            // one past the last update in it
	start     []int          // line in the content where each of those updates begins, and the end
	plain     []store.Update // updates in the content whose message is not rendered yet
	rendering bool           // a render command is running
}

// loadedMsg brings an incident with its timeline, and how its webhooks fared.
type loadedMsg struct {
	gen    int
	detail store.IncidentDetail
	notes  store.NotificationSummary
	failed []store.Delivery
	err    error
}

// notesDueMsg asks for a reread while deliveries are on their way.
type notesDueMsg struct{ gen int }

// New returns the Incident view for a session; it shows nothing until an incident is opened.
func New(c shared.Common, k keys.KeyMap) *Model {
	vp := viewport.New(0, 0)
	vp.KeyMap = viewport.KeyMap{} // the view moves it, with the session's keys
	return &Model{c: c, keys: k, vp: vp, md: newRenders(c.Styles)}
}

// Init implements tea.Model.
func (m *Model) Init() tea.Cmd { return nil }

// ID is the incident shown, 0 for none.
func (m *Model) ID() int64 { return m.id }

// AtTop reports whether the timeline shows its newest line.
func (m *Model) AtTop() bool { return m.first == 0 && m.vp.AtTop() }

// AtBottom reports whether the timeline shows its oldest line.
func (m *Model) AtBottom() bool { return m.last == len(m.detail.Updates) && m.vp.AtBottom() }

// SetSize implements shared.View.
func (m *Model) SetSize(width, height int) {
	if width == m.width && height == m.height {
		return
	}
	b, off, top := m.anchor()
	m.width, m.height = width, height
	m.vp.Width, m.vp.Height = max(0, width), max(0, height-m.headerLines())
	if m.loaded {
		m.build(b, off, top)
	}
}

// ShortHelp implements help.KeyMap.
func (m *Model) ShortHelp() []key.Binding {
	return []key.Binding{m.updateBinding(), m.resolveKey(), m.keys.Back, m.keys.Move, m.keys.PageDown}
}

// FullHelp implements help.KeyMap.
func (m *Model) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{m.keys.Up, m.keys.Down, m.keys.PageUp, m.keys.PageDown, m.keys.Top, m.keys.Bottom},
		{m.updateBinding(), m.resolveKey(), m.keys.Declare, m.keys.Back},
	}
}

// writeKey is b, switched off while no incident is shown.
func (m *Model) writeKey(b key.Binding) key.Binding {
	if !m.loaded || m.missing {
		b.SetEnabled(false)
	}
	return b
}

// updateBinding is the update key, which reopens a resolved incident.
func (m *Model) updateBinding() key.Binding { return m.writeKey(m.keys.UpdateOn(m.detail.Resolved())) }

// resolveKey is the resolve key, switched off when the incident is already resolved.
func (m *Model) resolveKey() key.Binding {
	b := m.writeKey(m.keys.Resolve)
	if m.detail.Resolved() {
		b.SetEnabled(false)
	}
	return b
}

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	return m, tea.Batch(cmd, m.render())
}

// render starts rendering the messages on screen that are not yet, one command at a time.
func (m *Model) render() tea.Cmd {
	if m.rendering || len(m.plain) == 0 {
		return nil
	}
	m.rendering = true
	return m.md.renderCmd(slices.Clone(m.plain), m.vp.Width) // build reuses m.plain
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case renderedMsg:
		m.rendering = false
		switch {
		case !m.loaded:
		case m.AtBottom() && !m.AtTop():
			m.buildBottom()
		default:
			b, off, top := m.anchor()
			m.build(b, off, top)
		}
	case tea.WindowSizeMsg:
		// The root set the size already; this is the moment to render for the new width.
	case shared.OpenIncidentMsg:
		if msg.ID == m.id && m.loaded {
			return nil
		}
		m.id, m.loaded, m.missing = msg.ID, false, false
		m.detail, m.notes, m.failed = store.IncidentDetail{}, store.NotificationSummary{}, nil
		m.first, m.last, m.start, m.plain = 0, 0, nil, nil
		m.vp.SetContent("")
		m.vp.SetYOffset(0)
		return m.load()
	case shared.ChangedMsg:
		if m.id != 0 {
			return m.load()
		}
	case loadedMsg:
		if msg.gen != m.gen {
			return nil
		}
		if errors.Is(msg.err, store.ErrNotFound) {
			m.missing, m.loaded = true, true
			return nil
		}
		if msg.err != nil {
			return shared.Cmd(shared.Failed(msg.err))
		}
		m.notes, m.failed = msg.notes, msg.failed
		m.vp.Height = max(0, m.height-m.headerLines())
		m.setDetail(msg.detail)
		if m.notes.Pending > 0 {
			gen := m.gen
			return tea.Tick(notesRefresh, func(time.Time) tea.Msg { return notesDueMsg{gen} })
		}
	case notesDueMsg:
		if msg.gen == m.gen && m.id != 0 {
			return m.load()
		}
	case tea.KeyMsg:
		return m.updateKey(msg)
	}
	return nil
}

func (m *Model) load() tea.Cmd {
	m.gen++
	c, gen, id := m.c, m.gen, m.id
	return func() tea.Msg {
		d, err := c.Reader.Incident(c.Ctx, id)
		msg := loadedMsg{gen: gen, detail: d, err: err}
		if err == nil && c.Notifications != nil {
			// Webhooks are a side matter: a failure to read them hides them, nothing more.
			msg.notes, _ = c.Notifications.IncidentNotifications(c.Ctx, id)
			if msg.notes.Failed > 0 {
				msg.failed, _ = c.Notifications.Deliveries(c.Ctx, store.DeliveryQuery{IncidentID: id, Failed: true, Limit: maxFailedShown})
			}
		}
		return msg
	}
}

// setDetail takes a (re)loaded incident, keeping the reader's place: the top stays the top,
// otherwise the same update stays where it was.
func (m *Model) setDetail(d store.IncidentDetail) {
	b, off, top := m.anchor()
	var anchorID int64
	if m.loaded && b < len(m.detail.Updates) {
		anchorID = m.detail.Updates[b].ID
	}
	m.detail, m.loaded, m.missing = d, true, false
	b = 0
	for i, u := range d.Updates {
		if u.ID == anchorID {
			b = i
		}
	}
	m.build(b, off, top || anchorID == 0)
}

func (m *Model) updateKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Up):
		m.vp.ScrollUp(1)
	case key.Matches(msg, m.keys.Down):
		m.vp.ScrollDown(1)
	case key.Matches(msg, m.keys.PageUp):
		m.vp.PageUp()
	case key.Matches(msg, m.keys.PageDown):
		m.vp.PageDown()
	case key.Matches(msg, m.keys.Top):
		m.build(0, 0, true)
	case key.Matches(msg, m.keys.Bottom):
		m.buildBottom()
	case key.Matches(msg, m.updateBinding()):
		return shared.Cmd(shared.ComposeMsg{Kind: shared.Update, ID: m.id})
	case key.Matches(msg, m.resolveKey()):
		return shared.Cmd(shared.ComposeMsg{Kind: shared.Resolve, ID: m.id})
	case key.Matches(msg, m.writeKey(m.keys.Resolve)): // resolved already
		return shared.AlreadyFixed(m.id)
	case key.Matches(msg, m.keys.Declare):
		return shared.Cmd(shared.ComposeMsg{Kind: shared.Declare})
	}
	m.slide()
	return nil
}

// anchor is where the reader is: the update at the top of the viewport, how many of its lines
// are scrolled past, and whether the view is at the very top.
func (m *Model) anchor() (update, offset int, top bool) {
	y := m.vp.YOffset
	if len(m.start) < 2 {
		return 0, 0, true
	}
	for i := 0; i < len(m.start)-1; i++ {
		if y < m.start[i+1] {
			return m.first + i, y - m.start[i], m.first == 0 && y == 0
		}
	}
	return m.last - 1, 0, false
}

// slide rebuilds the viewport's content around the reader when fewer than a screen of lines
// remain loaded above or below what is shown, so any one key can move a whole screen. It loads
// two screens below, so that scrolling down rebuilds once a screen, not on every line.
func (m *Model) slide() {
	h := m.vp.Height
	total := m.vp.TotalLineCount()
	if (m.vp.YOffset < h && m.first > 0) || (total-m.vp.YOffset-h < h && m.last < len(m.detail.Updates)) {
		b, off, top := m.anchor()
		m.buildBelow(b, off, top, 3)
	}
}

// build fills the viewport with the updates around update b, about a screen above what is
// shown and one below, and scrolls to off lines into b.
func (m *Model) build(b, off int, top bool) { m.buildBelow(b, off, top, 2) }

// buildBelow is build with screens-1 screens loaded below what is shown.
func (m *Model) buildBelow(b, off int, top bool, screens int) {
	ups := m.detail.Updates
	h := max(1, m.vp.Height)
	if top || len(ups) == 0 {
		b, off = 0, 0
	}
	b = max(0, min(b, len(ups)-1))
	var above [][]string
	n := 0
	first := b
	for first > 0 && n < h {
		first--
		bl := m.block(first)
		above = append(above, bl)
		n += len(bl)
	}
	var content []string
	m.start = m.start[:0]
	m.plain = m.plain[:0]
	for i := len(above) - 1; i >= 0; i-- {
		m.start = append(m.start, len(content))
		content = append(content, above[i]...)
	}
	y := len(content)
	last := b
	for last < len(ups) && len(content)-y-off < screens*h {
		m.start = append(m.start, len(content))
		content = append(content, m.block(last)...)
		last++
	}
	m.start = append(m.start, len(content))
	m.first, m.last = first, last
	m.vp.SetContent(strings.Join(content, "\n"))
	m.vp.SetYOffset(y + off)
}

// buildBottom shows the oldest updates, the end of the timeline.
func (m *Model) buildBottom() {
	ups := m.detail.Updates
	if len(ups) == 0 {
		return
	}
	h := max(1, m.vp.Height)
	b, n := len(ups)-1, 0
	for b > 0 {
		n += len(m.block(b))
		if n >= h {
			break
		}
		b--
	}
	m.build(b, 0, false)
	m.vp.GotoBottom()
	m.slide()
}

// block is one update of the timeline as lines: status, author and time; the impact changes;
// the message; a blank line.
func (m *Model) block(i int) []string {
	s := m.c.Styles
	u := m.detail.Updates[i]
	w := max(1, m.vp.Width)
	now := m.c.Now()
	head := s.IncidentText(u.Status) + s.Faint.Render(fmt.Sprintf(" · %s · %s (%s)",
		sanitize.Line(u.Author), shared.Clock(now, u.CreatedAt), shared.Ago(now, u.CreatedAt)))
	lines := []string{shared.Truncate(head, w)}
	for _, ch := range u.Changes {
		line := "  " + s.Normal.Render(sanitize.Line(ch.ComponentName)+": ") + m.impact(ch.Old) + s.Faint.Render(" → ") + m.impact(ch.New)
		lines = append(lines, shared.Truncate(line, w))
	}
	for _, e := range u.Effects {
		if impliedBy(e, u.Changes) {
			continue
		}
		line := "  " + s.Normal.Render(sanitize.Line(e.ComponentName)+": ") + s.StatusText(e.Old) + s.Faint.Render(" → ") + s.StatusText(e.New)
		lines = append(lines, shared.Truncate(line, w))
	}
	msg, ok := m.md.get(u.ID, w)
	if !ok {
		msg = plain(u.Message, w)
		if !slices.ContainsFunc(m.plain, func(p store.Update) bool { return p.ID == u.ID }) {
			m.plain = append(m.plain, u)
		}
	}
	lines = append(lines, msg...)
	return append(lines, "")
}

// impliedBy reports whether an impact change already says what the effect says: the
// component's status moved exactly as its impact did, "no impact" being operational.
func impliedBy(e store.Effect, changes []store.ImpactChange) bool {
	or := func(st store.Status) store.Status {
		if st == "" {
			return store.Operational
		}
		return st
	}
	for _, ch := range changes {
		if ch.ComponentID == e.ComponentID && or(ch.Old) == e.Old && or(ch.New) == e.New {
			return true
		}
	}
	return false
}

func (m *Model) impact(st store.Status) string {
	if st == "" {
		return m.c.Styles.Faint.Render("no impact")
	}
	return m.c.Styles.StatusText(st)
}

// View implements tea.Model.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	s := m.c.Styles
	switch {
	case m.id == 0:
		return s.Faint.Render("No incident open. Pick one in Incidents (2) and press enter.")
	case m.missing:
		return s.Faint.Render(fmt.Sprintf("Incident #%d no longer exists.", m.id))
	case !m.loaded:
		return s.Faint.Render(fmt.Sprintf("Loading incident #%d…", m.id))
	}
	return strings.Join(append(m.header(), m.vp.View()), "\n")
}

func (m *Model) header() []string {
	s := m.c.Styles
	d := m.detail
	now := m.c.Now()
	title := s.Title.Render(fmt.Sprintf("#%d %s", d.ID, sanitize.Line(d.Title)))
	tags := string(d.Visibility)
	if d.Pinned {
		tags = "pinned · " + tags
	}
	right := s.Faint.Render(tags)
	if notes := m.notesText(); notes != "" {
		right = notes + s.Faint.Render(" · ") + right
	}
	line1 := shared.Spread(title, right, m.width, s.Renderer.NewStyle())

	dur := "ongoing for " + shared.Duration(now.Sub(d.OccurredAt))
	if d.Resolved() {
		dur = "lasted " + shared.Duration(d.ResolvedAt.Sub(d.OccurredAt))
	}
	line2 := s.IncidentText(d.Status) + s.Faint.Render(fmt.Sprintf(" · started %s (%s) · %s",
		shared.Clock(now, d.OccurredAt), shared.Ago(now, d.OccurredAt), dur))

	// A resolved incident shows each component at its worst; an unresolved one what it does now,
	// the worse it did earlier where that was lowered since, then the lifted ones at their worst.
	named := func(list []store.Impact, now bool) []string {
		parts := make([]string, len(list))
		for i, im := range list {
			st := im.Peak()
			if now {
				st = im.Status
			}
			parts[i] = s.StatusText(st) + " " + s.Normal.Render(sanitize.Line(im.ComponentName))
			if peak := im.Peak(); now && peak != st {
				parts[i] += s.Faint.Render(" (") + s.StatusText(peak) + s.Faint.Render(" earlier)")
			}
		}
		return parts
	}
	var parts []string
	switch {
	case d.Resolved() && len(d.Affected()) > 0:
		parts = named(d.Affected(), false)
		parts[0] = s.Faint.Render("At worst: ") + parts[0]
	case !d.Resolved():
		if len(d.Impacts) > 0 {
			parts = named(d.Impacts, true)
			parts[0] = s.Faint.Render("Impacts: ") + parts[0]
		}
		if len(d.Lifted) > 0 {
			earlier := named(d.Lifted, false)
			earlier[0] = s.Faint.Render("Earlier: ") + earlier[0]
			parts = append(parts, earlier...)
		}
	}
	line3 := s.Faint.Render("No components affected.")
	if len(parts) > 0 {
		line3 = fitParts(parts, s.Faint.Render(" · "), func(n int) string { return s.Faint.Render(fmt.Sprintf("+%d more", n)) }, m.width)
	}

	pos := fmt.Sprintf(" %d updates ", len(d.Updates))
	switch b, _, _ := m.anchor(); {
	case len(m.plain) > 0:
		pos = " formatting… "
	case len(d.Updates) > 0:
		pos = fmt.Sprintf(" update %d of %d ", b+1, len(d.Updates))
	}
	label := "── Timeline, newest first "
	fill := max(0, m.width-lipgloss.Width(label)-len(pos)-1)
	rule := s.Rule.Render(label + strings.Repeat("─", fill) + pos + "─")
	lines := []string{
		shared.Truncate(line1, m.width),
		shared.Truncate(line2, m.width),
		shared.Truncate(line3, m.width),
	}
	for _, f := range m.failedShown() {
		line := s.Error.Render("✖ webhook failed") + s.Faint.Render(fmt.Sprintf(" · #%d %s · %s · ", f.EndpointID, host(f.EndpointURL), f.EventType)) +
			s.Normal.Render(sanitize.Line(strings.Join(strings.Fields(f.LastAnswer), " ")))
		lines = append(lines, shared.Truncate(line, m.width))
	}
	return append(lines, shared.Truncate(rule, m.width))
}

// fitParts joins parts with sep within width: the parts that do not fit are counted at the
// end ("+3 more") rather than cut in the middle of a name.
func fitParts(parts []string, sep string, more func(int) string, width int) string {
	line := strings.Join(parts, sep)
	if lipgloss.Width(line) <= width {
		return line
	}
	for n := len(parts) - 1; n >= 1; n-- {
		line = strings.Join(parts[:n], sep) + sep + more(len(parts)-n)
		if lipgloss.Width(line) <= width {
			return line
		}
	}
	return line // the first part alone is too wide: the caller's truncation cuts it
}

// failedShown is the failed deliveries the header lists.
func (m *Model) failedShown() []store.Delivery {
	return m.failed[:min(len(m.failed), maxFailedShown)]
}

// headerLines is the height of the header: four lines, and one per failed delivery shown.
func (m *Model) headerLines() int { return headerHeight + len(m.failedShown()) }

// notesText says whether the incident's webhooks went out: how many were delivered, are on
// their way or being retried, and failed; nothing when there are none.
func (m *Model) notesText() string {
	n := m.notes
	if n.Total() == 0 {
		return ""
	}
	s := m.c.Styles
	parts := []string{s.Faint.Render("webhooks:")}
	if n.Delivered > 0 {
		parts = append(parts, s.Success.Render(fmt.Sprintf("✓ %d delivered", n.Delivered)))
	}
	if sending := n.Pending - n.Retrying; sending > 0 {
		parts = append(parts, s.Faint.Render(fmt.Sprintf("… %d sending", sending)))
	}
	if n.Retrying > 0 {
		parts = append(parts, s.Accent.Render(fmt.Sprintf("↻ %d retrying", n.Retrying)))
	}
	if n.Failed > 0 {
		parts = append(parts, s.Error.Render(fmt.Sprintf("✖ %d failed", n.Failed)))
	}
	return strings.Join(parts, " ")
}

// host is the host of an endpoint's URL: enough to know it, without a path that may hold a
// token.
func host(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return sanitize.Line(u.Host)
	}
	return "?"
}
