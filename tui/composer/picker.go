package composer

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"beacon/sanitize"
	"beacon/store"
	"beacon/theme"
)

// picker is the grouped component list of the affected/components step. It is rebuilt only
// when the dashboard loads; moving and drawing touch only the rows on screen.
type picker struct {
	comps  []store.Component
	all    []pickRow // every row, headings included
	rows   []pickRow // the rows shown: all, or those the query matches
	query  string    // lower-case; "" shows every row
	last   int64     // the component the cursor was last on, for when a query shows none
	cursor int       // index into rows; always a component row when there is one
	offset int       // first row drawn
	nameW  int       // widest (sanitised) component name, capped
}

// pickRow is a group heading (comp < 0) or a component (index into comps); group is the
// heading's text, or the group a component is in; folded is what a filter searches, in lower case.
type pickRow struct {
	comp   int
	group  string
	folded [2]string // a component's name and group
}

const maxNameWidth = 32

// setComponents rebuilds the rows from a dashboard's components, keeping the cursor on the
// component it was on (or on keep, when given). Disabled components are left out unless
// listed in include.
func (p *picker) setComponents(all []store.Component, include map[int64]store.Status, keep int64) {
	if keep == 0 {
		keep = p.current()
	}
	p.comps = p.comps[:0]
	p.all = p.all[:0]
	p.nameW = 8
	grouped := false
	lastGroup := int64(-1)
	group := ""
	for _, c := range all {
		if _, ok := include[c.ID]; !c.Enabled && !ok && c.ID != keep {
			continue
		}
		if c.GroupID != lastGroup {
			lastGroup = c.GroupID
			group = sanitize.Line(c.GroupName)
			switch {
			case c.GroupID != 0:
				grouped = true
				p.all = append(p.all, pickRow{comp: -1, group: group})
			case grouped:
				p.all = append(p.all, pickRow{comp: -1, group: "Other"})
			}
		}
		c.Name = sanitize.Line(c.Name)
		if w := ansi.StringWidth(c.Name); w > p.nameW {
			p.nameW = min(w, maxNameWidth)
		}
		p.all = append(p.all, pickRow{comp: len(p.comps), group: group,
			folded: [2]string{strings.ToLower(c.Name), strings.ToLower(group)}})
		p.comps = append(p.comps, c)
	}
	p.narrow(keep)
}

// setQuery shows only the components whose name or group contains q, ignoring case, keeping
// the cursor on the component it was on when that one still shows.
func (p *picker) setQuery(q string) {
	q = strings.ToLower(strings.TrimSpace(q))
	if q == p.query {
		return
	}
	keep := p.current()
	if keep == 0 {
		keep = p.last
	}
	p.last = keep
	p.query = q
	p.offset = 0
	p.narrow(keep)
}

// matches reports whether a component row is one the query asks for.
func (p *picker) matches(r pickRow) bool {
	return p.query == "" || strings.Contains(r.folded[0], p.query) || strings.Contains(r.folded[1], p.query)
}

// narrow rebuilds the rows shown from all of them, with the headings of the groups that keep
// a component, and puts the cursor on keep (or the first component).
func (p *picker) narrow(keep int64) {
	p.rows = p.rows[:0]
	heading := -1
	for i, r := range p.all {
		switch {
		case r.comp < 0:
			heading = i
		case p.matches(r):
			if heading >= 0 {
				p.rows = append(p.rows, p.all[heading])
				heading = -1
			}
			p.rows = append(p.rows, r)
		}
	}
	p.cursor = -1
	for i, r := range p.rows {
		if r.comp >= 0 && p.comps[r.comp].ID == keep {
			p.cursor = i
			break
		}
	}
	if p.cursor < 0 {
		p.cursor = p.firstComponent()
	}
}

func (p *picker) firstComponent() int {
	for i, r := range p.rows {
		if r.comp >= 0 {
			return i
		}
	}
	return 0
}

// current is the id of the component under the cursor, 0 when the list is empty.
func (p *picker) current() int64 {
	if p.cursor < len(p.rows) && p.rows[p.cursor].comp >= 0 {
		return p.comps[p.rows[p.cursor].comp].ID
	}
	return 0
}

// move walks the cursor by n component rows, skipping headings and stopping at the ends.
func (p *picker) move(n int) {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for ; n > 0; n-- {
		i := p.cursor + step
		for i >= 0 && i < len(p.rows) && p.rows[i].comp < 0 {
			i += step
		}
		if i < 0 || i >= len(p.rows) {
			break
		}
		p.cursor = i
	}
}

// scroll keeps the cursor within the height rows drawn, with its group heading when it fits.
func (p *picker) scroll(height int) {
	height = max(height, 1)
	if p.cursor < p.offset {
		p.offset = p.cursor
	}
	if p.cursor >= p.offset+height {
		p.offset = p.cursor - height + 1
	}
	if p.cursor == p.offset && p.offset > 0 && p.rows[p.offset-1].comp < 0 {
		p.offset--
	}
	p.offset = max(0, min(p.offset, len(p.rows)-height))
}

// view draws the visible rows: cursor mark, check box, name, effective status and, when
// selected, the impact the incident will impose; was is what it imposes now (an update), so an
// impact being ended says so. locked shows every impact ending (at fixed). Names get the room
// the rest of the rows on screen leave; below 80 columns the rest is said briefly
// ("● Operational → ◐ Partial outage").
func (p *picker) view(s *theme.Styles, impacts, was map[int64]store.Status, width, height int, locked bool) string {
	switch {
	case len(p.all) == 0:
		return s.Faint.Render("No components yet: add one first (beacon component add NAME).")
	case len(p.rows) == 0:
		return ""
	}
	p.scroll(height)
	brief := width < 80
	end := min(len(p.rows), p.offset+height)
	rest := make([]string, end-p.offset)
	restW := 0
	for i := p.offset; i < end; i++ {
		r := p.rows[i]
		if r.comp < 0 {
			continue
		}
		c := p.comps[r.comp]
		imp, selected := impacts[c.ID]
		old, had := was[c.ID]
		status := s.StatusText(c.Effective)
		if !brief && (selected || had) {
			status = padRight(status, 20)
		}
		line := status
		switch {
		case selected && locked:
			line += "  " + s.Faint.Render("ends "+imp.Glyph()+" "+imp.Label())
		case selected && brief && imp == c.Effective: // nothing changes: the status once
		case selected && brief:
			line += s.Faint.Render(" → ") + s.StatusText(imp)
		case selected:
			line += "  " + s.Faint.Render("impact ") + s.StatusText(imp)
		case had:
			line += "  " + s.Faint.Render("ends "+old.Glyph()+" "+old.Label())
		}
		rest[i-p.offset] = line
		restW = max(restW, lipgloss.Width(line))
	}
	nameW := min(p.nameW, max(8, width-6-2-restW))
	var b strings.Builder
	for i := p.offset; i < end; i++ {
		if i > p.offset {
			b.WriteByte('\n')
		}
		r := p.rows[i]
		if r.comp < 0 {
			b.WriteString(s.Group.Render(ansi.Truncate(r.group, width-2, "…")))
			continue
		}
		c := p.comps[r.comp]
		mark, box := "  ", "[ ] "
		if _, selected := impacts[c.ID]; selected {
			box = "[x] "
		}
		name := padRight(ansi.Truncate(c.Name, nameW, "…"), nameW)
		if i == p.cursor {
			mark = s.Accent.Render("›") + " "
			name = s.Selected.Render(name)
		} else {
			name = s.Normal.Render(name)
		}
		b.WriteString(ansi.Truncate(mark+box+name+"  "+rest[i-p.offset], width, "…"))
	}
	return b.String()
}

func padRight(s string, w int) string {
	if n := lipgloss.Width(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}
