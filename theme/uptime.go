package theme

import (
	"strings"

	"github.com/charmbracelet/lipgloss"

	"beacon/store"
)

// NoDataGlyph marks a day of an uptime strip before the component existed.
const NoDataGlyph = "·"

// UptimeCell renders one cell of an uptime strip: the glyph of the worst status the days it
// covers saw, in that status's colour, or a faint dot where there is no data.
func (s *Styles) UptimeCell(worst store.Status) string {
	if worst == "" {
		return s.Faint.Render(NoDataGlyph)
	}
	return s.Status[worst].Render(worst.Glyph())
}

// UptimeStrip renders days as cells of per days each (the last cell may cover fewer), oldest
// first. A run of cells of one status is styled once: a strip is mostly one colour.
func (s *Styles) UptimeStrip(days []store.UptimeDay, per int) string {
	per = max(per, 1)
	var b strings.Builder
	var run store.Status
	n := 0
	flush := func() {
		if n == 0 {
			return
		}
		if run == "" {
			b.WriteString(s.Faint.Render(strings.Repeat(NoDataGlyph, n)))
		} else {
			b.WriteString(s.Status[run].Render(strings.Repeat(run.Glyph(), n)))
		}
		n = 0
	}
	for i := 0; i < len(days); i += per {
		var worst store.Status
		for _, d := range days[i:min(i+per, len(days))] {
			if d.Worst != "" && (worst == "" || d.Worst.Severity() > worst.Severity()) {
				worst = d.Worst
			}
		}
		if n > 0 && worst != run {
			flush()
		}
		run = worst
		n++
	}
	flush()
	return b.String()
}

// UptimeLegend explains a strip's cells, glyph and word, for readers without colour, in lines
// of at most width cells (0: one line).
func (s *Styles) UptimeLegend(width int) string {
	parts := make([]string, 0, len(store.Statuses)+1)
	for _, st := range store.Statuses {
		parts = append(parts, s.StatusText(st))
	}
	parts = append(parts, s.Faint.Render(NoDataGlyph+" no data"))
	var lines []string
	line := ""
	for _, p := range parts {
		switch {
		case line == "":
			line = p
		case width > 0 && lipgloss.Width(line)+2+lipgloss.Width(p) > width:
			lines = append(lines, line)
			line = p
		default:
			line += "  " + p
		}
	}
	return strings.Join(append(lines, line), "\n")
}
