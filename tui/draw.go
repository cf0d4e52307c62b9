package tui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// Over SSH every session draws again after each message, and one change to the data brings
// each session several messages, most of which change nothing on its screen. So the console
// keeps what it drew: each part is drawn again only when what it depends on changed, and the
// whole frame only when a part did.

// cached is one drawn part and the inputs it was drawn from.
type cached[K comparable] struct {
	key   K
	view  string
	valid bool
}

// get returns the part drawn for key, drawing it when key differs from the last one.
func (c *cached[K]) get(key K, draw func() string) string {
	if !c.valid || c.key != key {
		c.key, c.view, c.valid = key, draw(), true
	}
	return c.view
}

// frame is the last whole screen and the parts it was made of. The app's style only pads the
// screen, which lipgloss does by measuring every line of it on each Render; the frame pads by
// hand instead, measuring a part's lines only when the part changed.
type frame struct {
	parts []part // header, page (when there is room for it), footer
	view  string
	valid bool

	pad padding // the app style's, once checked
}

// part is one part of the screen, split into lines and measured.
type part struct {
	src    string
	lines  []string
	widths []int
	widest int
}

// set takes the part's new text and reports whether it changed.
func (p *part) set(s string) bool {
	if s == p.src && p.lines != nil {
		return false
	}
	p.src, p.widths, p.widest = s, p.widths[:0], 0
	p.lines = strings.Split(strings.ReplaceAll(s, "\t", tabSpaces), "\n")
	for _, l := range p.lines {
		w := ansi.StringWidth(l)
		p.widths = append(p.widths, w)
		p.widest = max(p.widest, w)
	}
	return true
}

// tabSpaces is a tab as lipgloss renders it (its default tab width).
const tabSpaces = "    "

// padding is a style's padding, when padding is all the style does to what it renders.
type padding struct {
	checked                  bool
	ok                       bool
	top, right, bottom, left int
}

// check finds out, once, whether st only pads: it renders a probe both ways and compares.
func (p *padding) check(st lipgloss.Style) {
	if p.checked {
		return
	}
	p.checked = true
	p.top, p.right, p.bottom, p.left = st.GetPadding()
	var f frame
	f.pad = padding{checked: true, ok: true, top: p.top, right: p.right, bottom: p.bottom, left: p.left}
	probe := []string{"Beacon\t漢字 \x1b[1mbold\x1b[0m", "", "e\u0301\n\nwider than the others, by far"}
	p.ok = f.draw(st, probe...) == st.Render(strings.Join(probe, "\n"))
}

// draw joins the parts, one under the other, inside the app's style, or returns the last
// frame when no part changed.
func (f *frame) draw(app lipgloss.Style, parts ...string) string {
	f.pad.check(app)
	changed := len(parts) != len(f.parts)
	if changed {
		f.parts = make([]part, len(parts))
	}
	for i, s := range parts {
		if f.parts[i].set(s) {
			changed = true
		}
	}
	if f.valid && !changed {
		return f.view
	}
	f.valid = true
	joined := strings.Join(parts, "\n")
	if !f.pad.ok || strings.ContainsRune(joined, '\r') {
		f.view = app.Render(joined)
		return f.view
	}

	widest := 0
	for _, p := range f.parts {
		widest = max(widest, p.widest)
	}
	full := f.pad.left + widest + f.pad.right
	var b strings.Builder
	b.Grow(len(joined) + (full+1)*(f.pad.top+f.pad.bottom) + (f.pad.left+f.pad.right+1)*strings.Count(joined, "\n"))
	first := true
	line := func(s string, w int) {
		if !first {
			b.WriteByte('\n')
		}
		first = false
		writeSpaces(&b, f.pad.left)
		b.WriteString(s)
		writeSpaces(&b, full-f.pad.left-w)
	}
	for range f.pad.top {
		line("", 0)
	}
	for _, p := range f.parts {
		for j, l := range p.lines {
			line(l, p.widths[j])
		}
	}
	for range f.pad.bottom {
		line("", 0)
	}
	f.view = b.String()
	return f.view
}

func writeSpaces(b *strings.Builder, n int) {
	for range n {
		b.WriteByte(' ')
	}
}
