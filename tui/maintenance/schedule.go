package maintenance

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"beacon/sanitize"
	"beacon/store"
	"beacon/tui/keys"
	"beacon/tui/shared"
	"beacon/when"
)

// The guided steps of a new window, as the composer walks an incident.
type step int

const (
	stepComponents step = iota
	stepWindow
	stepTitle
	stepMessage
	stepReview
)

var stepLabels = []string{"Components", "Window", "Title", "Message", "Review"}

var guidance = []string{
	"Pick the components the work covers (space).",
	"When it starts and how long: ↑/↓ for quick picks, or type.",
	"One line that says what the work is.",
	"Tell readers what to expect while the work is under way.",
	"What readers see. enter schedules it; i makes it internal.",
}

// scheduler is the guided steps that schedule a new window.
type scheduler struct {
	c      shared.Common
	keys   keys.KeyMap
	width  int
	height int

	dash     store.Dashboard
	step     step
	cursor   int
	top      int
	selected map[int64]bool

	start, length  textinput.Model
	onLength       bool // the window step's focus: the duration, else the start
	startPick      int
	lengthPick     int
	picked         [2]bool // the start's and the duration's text is a quick pick: typing replaces it
	title, message textinput.Model
	internal       bool
	posting        bool
	err            string
}

// scheduledMsg reports the new window, or why it was refused.
type scheduledMsg struct {
	d   store.MaintenanceDetail
	err error
}

func newScheduler(c shared.Common, k keys.KeyMap, d store.Dashboard, componentIDs []int64) *scheduler {
	sc := &scheduler{c: c, keys: k, dash: d, selected: map[int64]bool{}}
	sc.start = shared.NewInput(c.Styles, "Start     ", "", 40)
	sc.length = shared.NewInput(c.Styles, "Duration  ", "", 20)
	sc.title = shared.NewInput(c.Styles, "› ", "e.g. Database upgrade", store.MaxTitleLen)
	sc.message = shared.NewInput(c.Styles, "› ", "e.g. Writes may pause for a minute.", 2000)
	sc.start.SetValue(sc.startPicks()[0].value)
	sc.length.SetValue(lengthPicks[0])
	sc.picked = [2]bool{true, true}
	sc.cursor = -1
	for i, comp := range d.Components {
		if slices.Contains(componentIDs, comp.ID) {
			sc.selected[comp.ID] = true
			if sc.cursor < 0 {
				sc.cursor = i // on the first one picked
			}
		}
	}
	sc.cursor = max(0, sc.cursor)
	return sc
}

func (sc *scheduler) setSize(w, h int) {
	sc.width, sc.height = w, h
	for _, in := range []*textinput.Model{&sc.title, &sc.message} {
		in.Width = max(1, w-4)
	}
}

func (sc *scheduler) setDashboard(d store.Dashboard) { sc.dash = d }

// capturing is always true: like the composer, the steps are modal while open.
func (sc *scheduler) capturing() bool { return true }

func (sc *scheduler) failed(err error) { sc.posting, sc.err = false, err.Error() }

func (sc *scheduler) help() []key.Binding {
	next := key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab/enter", "next"))
	back := key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back"))
	switch sc.step {
	case stepComponents:
		return []key.Binding{next, key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "pick")), sc.keys.Move, back}
	case stepWindow:
		return []key.Binding{next, key.NewBinding(key.WithKeys("up"), key.WithHelp("↑/↓", "quick picks")), back}
	case stepReview:
		return []key.Binding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "schedule")),
			key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "public/internal")), back}
	}
	return []key.Binding{next, back}
}

// pick is a quick pick for the start: its label and what goes in the field.
type pick struct{ label, value string }

// startPicks are the quick picks for the start, from the session's clock.
func (sc *scheduler) startPicks() []pick {
	now := sc.c.Now().Local()
	tonight := time.Date(now.Year(), now.Month(), now.Day(), 22, 0, 0, 0, now.Location())
	if !tonight.After(now) {
		tonight = tonight.AddDate(0, 0, 1)
	}
	morning := time.Date(now.Year(), now.Month(), now.Day()+1, 6, 0, 0, 0, now.Location())
	return []pick{{"now", "now"}, {"in 1h", "+1h"}, {"tonight 22:00", tonight.Format("2006-01-02 15:04")},
		{"tomorrow 06:00", morning.Format("2006-01-02 15:04")}}
}

var lengthPicks = []string{"1h", "30m", "2h", "4h"}

// window reads the start and the duration, or says what is wrong with them.
func (sc *scheduler) window() (start, end time.Time, err error) {
	now := sc.c.Now()
	if start, err = when.Parse(sc.start.Value(), now); err != nil {
		return start, end, err
	}
	d, err := when.Duration(sc.length.Value())
	if err != nil {
		return start, end, err
	}
	return start, start.Add(d), nil
}

// startError is why the start cannot be read, "" when it can: the field and what to type, in
// one line short enough for the narrowest console.
func (sc *scheduler) startError() string {
	if _, err := when.Parse(sc.start.Value(), sc.c.Now()); err != nil {
		return "Start: not a time; try now, +1h or " + sc.startPicks()[3].value
	}
	return ""
}

// lengthError is why the duration cannot be read, "" when it can.
func (sc *scheduler) lengthError() string {
	if _, err := when.Duration(sc.length.Value()); err != nil {
		return "Duration: say how long, e.g. 90m, 2h or 1h30m"
	}
	return ""
}

// stepError is why the current step cannot be left, "" when it can.
func (sc *scheduler) stepError() string {
	switch sc.step {
	case stepComponents:
		if len(sc.selected) == 0 {
			return "Pick at least one component (space)."
		}
	case stepWindow:
		if e := sc.startError(); e != "" {
			return e
		}
		return sc.lengthError()
	case stepTitle:
		if _, err := store.CleanTitle(sc.title.Value()); err != nil {
			return "A title is needed: " + strings.TrimPrefix(err.Error(), "title: ")
		}
	}
	return ""
}

// update takes a key; leave is true when the steps are left (esc on the first).
func (sc *scheduler) update(msg tea.KeyMsg) (cmd tea.Cmd, leave bool) {
	if sc.posting {
		return nil, false
	}
	switch msg.Type {
	case tea.KeyEsc, tea.KeyShiftTab:
		sc.err = ""
		if sc.step == stepWindow && sc.onLength {
			sc.onLength = false
			sc.focus()
			return nil, false
		}
		if sc.step == stepComponents {
			return nil, msg.Type == tea.KeyEsc // shift+tab goes back a field; there is none before
		}
		sc.step--
		sc.focus()
		return nil, false
	case tea.KeyTab, tea.KeyEnter, tea.KeyCtrlS:
		if sc.step == stepWindow && !sc.onLength && msg.Type != tea.KeyCtrlS {
			if e := sc.startError(); e != "" {
				sc.err = e
				return nil, false
			}
			sc.err = ""
			sc.onLength = true
			sc.focus()
			return nil, false
		}
		if e := sc.stepError(); e != "" {
			sc.err = e
			return nil, false
		}
		sc.err = ""
		if sc.step == stepReview || msg.Type == tea.KeyCtrlS && sc.ready() {
			return sc.post(), false
		}
		sc.step++
		sc.focus()
		return nil, false
	}
	switch sc.step {
	case stepComponents:
		switch {
		case key.Matches(msg, sc.keys.Up):
			sc.cursor = max(0, sc.cursor-1)
		case key.Matches(msg, sc.keys.Down):
			sc.cursor = min(len(sc.dash.Components)-1, sc.cursor+1)
		case msg.Type == tea.KeySpace || msg.String() == " ":
			sc.toggle()
		}
	case stepWindow:
		return sc.updateWindow(msg), false
	case stepTitle:
		return sc.typeInto(&sc.title, msg), false
	case stepMessage:
		return sc.typeInto(&sc.message, msg), false
	case stepReview:
		if msg.String() == "i" {
			sc.internal = !sc.internal
		}
	}
	return nil, false
}

// ready reports whether every step before the review can be left, so ctrl+s may post.
func (sc *scheduler) ready() bool {
	cur := sc.step
	defer func() { sc.step = cur }()
	for s := stepComponents; s < stepReview; s++ {
		sc.step = s
		if sc.stepError() != "" {
			return false
		}
	}
	return true
}

func (sc *scheduler) toggle() {
	if sc.cursor >= len(sc.dash.Components) {
		return
	}
	id := sc.dash.Components[sc.cursor].ID
	if sc.selected[id] {
		delete(sc.selected, id)
	} else {
		sc.selected[id] = true
	}
}

func (sc *scheduler) updateWindow(msg tea.KeyMsg) tea.Cmd {
	if msg.Type == tea.KeyUp || msg.Type == tea.KeyDown {
		step := 1
		if msg.Type == tea.KeyUp {
			step = -1
		}
		if sc.onLength {
			sc.lengthPick = (sc.lengthPick + step + len(lengthPicks)) % len(lengthPicks)
			sc.length.SetValue(lengthPicks[sc.lengthPick])
			sc.length.CursorEnd()
		} else {
			picks := sc.startPicks()
			sc.startPick = (sc.startPick + step + len(picks)) % len(picks)
			sc.start.SetValue(picks[sc.startPick].value)
			sc.start.CursorEnd()
		}
		sc.picked[b2i(sc.onLength)] = true
		sc.err = ""
		return nil
	}
	field := &sc.start
	if sc.onLength {
		field = &sc.length
	}
	// A quick pick is replaced by what is typed over it, not added to.
	if sc.picked[b2i(sc.onLength)] && (msg.Type == tea.KeyRunes || msg.Type == tea.KeySpace) {
		field.SetValue("")
	}
	sc.picked[b2i(sc.onLength)] = false
	return sc.typeInto(field, msg)
}

// typeInto types a key into a field; what was said about the field's old text no longer holds.
func (sc *scheduler) typeInto(in *textinput.Model, msg tea.KeyMsg) tea.Cmd {
	sc.err = ""
	if msg.Type == tea.KeySpace {
		msg = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{' '}}
	}
	var cmds []tea.Cmd
	for _, k := range shared.Typed(msg) {
		var cmd tea.Cmd
		*in, cmd = in.Update(k)
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

// focus gives the keyboard to the current step's field.
func (sc *scheduler) focus() {
	for _, in := range []*textinput.Model{&sc.start, &sc.length, &sc.title, &sc.message} {
		in.Blur()
	}
	switch sc.step {
	case stepWindow:
		if sc.onLength {
			sc.length.Focus()
		} else {
			sc.start.Focus()
		}
	case stepTitle:
		sc.title.Focus()
	case stepMessage:
		sc.message.Focus()
	}
}

func (sc *scheduler) post() tea.Cmd {
	start, end, err := sc.window()
	if err != nil {
		sc.err = err.Error()
		return nil
	}
	in := store.NewMaintenance{Title: sc.title.Value(), Message: sc.message.Value(), StartsAt: start, EndsAt: end,
		Visibility: store.Public, Zone: time.Local}
	if sc.internal {
		in.Visibility = store.Internal
	}
	for _, c := range sc.dash.Components {
		if sc.selected[c.ID] {
			in.Components = append(in.Components, c.ID)
		}
	}
	sc.posting = true
	c := sc.c
	return func() tea.Msg {
		d, err := c.Writer.AddMaintenance(c.Ctx, c.Actor, in)
		return scheduledMsg{d, err}
	}
}

// view draws the steps in exactly the size given.
func (sc *scheduler) view() string {
	s := sc.c.Styles
	// The steps by number and name; when they do not fit, the others by number only.
	brief := lipgloss.Width(strings.Join(stepLabels, " › "))+len(stepLabels)*4 > sc.width
	parts := make([]string, len(stepLabels))
	for i, label := range stepLabels {
		label = fmt.Sprintf("%d %s", i+1, label)
		if brief && step(i) != sc.step {
			label = fmt.Sprint(i + 1)
		}
		switch {
		case step(i) < sc.step:
			parts[i] = s.StepDone.Render("✓ " + label)
		case step(i) == sc.step:
			parts[i] = s.StepNow.Render("▸ " + label)
		default:
			parts[i] = s.StepLater.Render(label)
		}
	}
	top := []string{s.Title.Render("Schedule maintenance"), strings.Join(parts, s.StepLater.Render(" › ")),
		s.Accent.Render(guidance[sc.step]), ""}
	var body []string
	switch sc.step {
	case stepComponents:
		body = sc.componentsView()
	case stepWindow:
		body = sc.windowView()
	case stepTitle:
		body = []string{sc.title.View(), s.Faint.Render(fmt.Sprintf("%d/%d", len([]rune(sc.title.Value())), store.MaxTitleLen))}
	case stepMessage:
		body = []string{sc.message.View(), s.Faint.Render("optional · tab: review")}
	case stepReview:
		body = sc.reviewView()
	}
	notice := []string{""}
	switch {
	case sc.posting:
		notice = []string{s.Faint.Render("Scheduling…")}
	case sc.err != "":
		// Wrapped, not cut: a refusal from the store may be longer than the line.
		notice = strings.Split(ansi.Wrap(sanitize.Line(sc.err), max(1, sc.width), " "), "\n")
		notice = notice[:min(len(notice), 3)]
		for i, l := range notice {
			notice[i] = s.Error.Render(l)
		}
	}
	lines := append(top, body...)
	room := max(0, sc.height-len(notice))
	if len(lines) > room {
		lines = lines[:room]
	}
	for len(lines) < room {
		lines = append(lines, "")
	}
	lines = append(lines, notice...)
	for i, l := range lines {
		lines[i] = shared.Truncate(l, sc.width)
	}
	return strings.Join(lines, "\n")
}

func (sc *scheduler) componentsView() []string {
	s := sc.c.Styles
	h := max(1, sc.height-6)
	sc.top = shared.Window(sc.top, sc.cursor, h, len(sc.dash.Components))
	out := []string{s.Faint.Render(fmt.Sprintf("%d selected", len(sc.selected)))}
	for i := sc.top; i < len(sc.dash.Components) && i < sc.top+h; i++ {
		c := sc.dash.Components[i]
		box := "[ ]"
		if sc.selected[c.ID] {
			box = "[x]"
		}
		mark := "  "
		if i == sc.cursor {
			mark = s.Accent.Render("›") + " "
		}
		line := mark + box + " " + s.Normal.Render(sanitize.Line(c.Name))
		out = append(out, shared.Spread(line, s.Status[c.Effective].Render(c.Effective.Glyph()+" "+c.Effective.Label()), sc.width, s.Renderer.NewStyle()))
	}
	return out
}

func (sc *scheduler) windowView() []string {
	s := sc.c.Styles
	var picks []string
	for i, p := range sc.startPicks() {
		label := p.label
		if i == sc.startPick && !sc.onLength {
			label = s.Accent.Render(label)
		} else {
			label = s.Faint.Render(label)
		}
		picks = append(picks, label)
	}
	lengths := make([]string, len(lengthPicks))
	for i, l := range lengthPicks {
		lengths[i] = s.Faint.Render(l)
		if i == sc.lengthPick && sc.onLength {
			lengths[i] = s.Accent.Render(l)
		}
	}
	out := []string{
		sc.start.View(),
		"          " + strings.Join(picks, s.Faint.Render(" · ")),
		sc.length.View(),
		"          " + strings.Join(lengths, s.Faint.Render(" · ")),
		"",
	}
	if start, end, err := sc.window(); err == nil {
		now := sc.c.Now()
		out = append(out, s.Normal.Render(fmt.Sprintf("From %s to %s (%s)", shared.Clock(now, start), shared.Clock(start, end), when.Until(start, now))))
	}
	return out
}

// maxReviewLines is how many lines of the message the review shows; a longer one ends in "…".
const maxReviewLines = 4

// reviewFrame is the lines of the steps' view around the review: a title, the step bar,
// guidance and a blank line above, a notice below.
const reviewFrame = 5

func (sc *scheduler) reviewView() []string {
	s := sc.c.Styles
	start, end, _ := sc.window()
	now := sc.c.Now()
	vis, short := "public: readers of the status page see it", "public"
	if sc.internal {
		vis, short = "internal: responders only", "internal"
	}
	out := []string{s.Title.Render(sanitize.Line(strings.TrimSpace(sc.title.Value())))}
	span := fmt.Sprintf("Scheduled · %s → %s (%s) · ", shared.Clock(now, start), shared.Clock(start, end), when.Until(start, now))
	if lipgloss.Width(span+vis) > sc.width {
		vis = short
	}
	out = append(out, s.Faint.Render(span+vis))
	// The message whole, wrapped, up to a few lines.
	msg := shared.Wrap(sc.message.Value(), sc.width, "")
	if len(msg) > maxReviewLines {
		msg = append(msg[:maxReviewLines-1], strings.TrimRight(msg[maxReviewLines-1], " ")+" …")
	}
	for _, l := range msg {
		out = append(out, s.Normal.Render(l))
	}
	// A blank line before the components, when there is room for it.
	if sc.height-reviewFrame >= len(out)+2+len(sc.selected) {
		out = append(out, "")
	}
	out = append(out, s.Faint.Render("During the window:"))
	for _, c := range sc.dash.Components {
		if !sc.selected[c.ID] {
			continue
		}
		during := store.Worst(c.Effective, store.UnderMaintenance)
		line := "  " + s.Normal.Render(sanitize.Line(c.Name)) + "  " + s.Status[c.Effective].Render(c.Effective.Glyph()+" "+c.Effective.Label()) +
			s.Faint.Render(" → ") + s.Status[during].Render(during.Glyph()+" "+during.Label())
		if during != store.UnderMaintenance {
			line += s.Faint.Render(" (something worse holds it)")
		}
		out = append(out, line)
	}
	return out
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
