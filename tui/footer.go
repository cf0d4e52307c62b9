package tui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"

	"beacon/sanitize"
	"beacon/tui/shared"
)

// footer draws the notice, if any, above the keys that work in the view on screen; it is drawn
// again only when those change.
func (m *UI) footer() string {
	return m.footerCache.get(m.footerLook(), m.drawFooter)
}

// footerLook is everything the footer is drawn from, as one string: the width, the notice and
// each key's state and words.
func (m *UI) footerLook() string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(m.pageW))
	if m.notice.Text != "" {
		b.WriteString(strconv.FormatBool(m.notice.Err))
		b.WriteString(m.notice.Text)
	}
	b.WriteByte(0)
	add := func(keys []key.Binding) {
		for _, k := range keys {
			h := k.Help()
			b.WriteString(strconv.FormatBool(k.Enabled()))
			b.WriteString(h.Key)
			b.WriteByte(1)
			b.WriteString(h.Desc)
			b.WriteByte(1)
		}
		b.WriteByte(0)
	}
	if m.help.ShowAll {
		b.WriteString("all")
		for _, g := range m.FullHelp() {
			add(g)
		}
	} else {
		add(m.ShortHelp())
	}
	return b.String()
}

func (m *UI) drawFooter() string {
	w := m.pageW
	view := m.shortHelp(w)
	if m.help.ShowAll {
		view = m.help.FullHelpView(m.fullHelp(w))
	}
	lines := strings.Split(view, "\n")
	for i, l := range lines {
		lines[i] = shared.Truncate(l, w) // help overruns its width when even "…" does not fit
	}
	h := strings.Join(lines, "\n")
	if m.notice.Text == "" {
		return h
	}
	st := m.c.Styles.Success
	if m.notice.Err {
		st = m.c.Styles.Error
	}
	return shared.Truncate(st.Render(sanitize.Line(m.notice.Text)), w) + "\n" + h
}

// modalHelp reports whether ? shows the full help in a view that has the keys: a modal one
// (the composer) at a step without a text field.
func (m *UI) modalHelp() bool {
	t, ok := m.page().(typer)
	return ok && !t.Typing()
}

// shortHelp is the one line of keys, cut to fit w by dropping the view's least useful keys
// (its last ones) rather than ending in "…"; the console's help and quit stay.
func (m *UI) shortHelp(w int) string {
	b := m.ShortHelp()
	global := 2 // help and quit
	if !m.loaded {
		global = 1
	}
	h := m.help
	h.Width = 0
	for {
		v := h.ShortHelpView(b)
		if lipgloss.Width(v) <= w || len(b) <= global+1 {
			return v
		}
		b = append(b[:len(b)-global-1], b[len(b)-global:]...)
	}
}

func (m *UI) footerHeight() int {
	n := 1
	if m.help.ShowAll {
		n = 0
		for _, g := range m.fullHelp(m.help.Width) {
			c := 0
			for _, b := range g {
				if b.Enabled() {
					c++
				}
			}
			n = max(n, c)
		}
	}
	if m.notice.Text != "" {
		n++
	}
	return n
}

// ShortHelp implements help.KeyMap: the view's keys, then the console's.
func (m *UI) ShortHelp() []key.Binding {
	if !m.loaded {
		return []key.Binding{m.keys.Quit}
	}
	b := append([]key.Binding(nil), m.page().ShortHelp()...)
	if m.capturing() {
		if m.modalHelp() {
			return append(b, m.keys.Help, m.keys.ForceQuit)
		}
		return append(b, m.keys.FieldHelp, m.keys.ForceQuit)
	}
	return append(b, m.keys.Help, m.keys.Quit)
}

// FullHelp implements help.KeyMap: the view's groups, then the console's keys.
func (m *UI) FullHelp() [][]key.Binding {
	if !m.loaded {
		return [][]key.Binding{{m.keys.Quit}}
	}
	g := append([][]key.Binding(nil), m.page().FullHelp()...)
	if m.capturing() {
		if m.modalHelp() {
			return append(g, []key.Binding{m.keys.Help, m.keys.ForceQuit})
		}
		return append(g, []key.Binding{m.keys.FieldHelp, m.keys.ForceQuit})
	}
	global := []key.Binding{m.keys.Help, m.keys.Quit}
	if !m.showWelcome() {
		global = append([]key.Binding{m.keys.NextView, m.keys.PrevView}, global...)
	}
	return append(g, global)
}

// fullHelp is the groups of keys the expanded help shows in w columns: side by side when they
// fit; else the console's keys join the view's shortest group (the last of equals), less
// shift+tab (tab and the digits reach every view), so that on a narrow terminal no group is
// cut off and the help stays as short as it can.
func (m *UI) fullHelp(w int) [][]key.Binding {
	g := m.FullHelp()
	h := m.help
	h.Width = 0
	if len(g) < 2 || lipgloss.Width(h.FullHelpView(g)) <= w {
		return g
	}
	global := g[len(g)-1]
	g = append([][]key.Binding(nil), g[:len(g)-1]...)
	at := len(g) - 1
	for i := range g {
		if len(g[i]) < len(g[at]) {
			at = i
		}
	}
	into := append([]key.Binding(nil), g[at]...)
	for _, b := range global {
		if b.Help().Key != m.keys.PrevView.Help().Key {
			into = append(into, b)
		}
	}
	g[at] = into
	return g
}
