package shared

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"beacon/sanitize"
)

// Ago says how long before now t was, briefly: "just now", "12m ago", "3h ago", "5d ago".
func Ago(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh ago", int(d/time.Hour))
	}
	return fmt.Sprintf("%dd ago", int(d/(24*time.Hour)))
}

// Duration says how long d is, to two units: "45s", "12m", "1h 12m", "3d 4h".
func Duration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", max(0, int(d/time.Second)))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d/time.Minute))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh %dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
	}
	return fmt.Sprintf("%dd %dh", int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour))
}

// Clock shows t in local time, as briefly as now allows: "14:02" today, "Mar 3 14:02" this
// year, "2024-03-03 14:02" before.
func Clock(now, t time.Time) string {
	t, now = t.Local(), now.Local()
	switch {
	case t.YearDay() == now.YearDay() && t.Year() == now.Year():
		return t.Format("15:04")
	case t.Year() == now.Year():
		return t.Format("Jan 2 15:04")
	}
	return t.Format("2006-01-02 15:04")
}

// Truncate cuts s (which may hold styling) to at most width cells, ending in "…" when cut.
func Truncate(s string, width int) string {
	if width <= 0 {
		return ""
	}
	return ansi.Truncate(s, width, "…")
}

// Spread lays left and right out on one line of width cells, right-aligned right, with the gap
// between them drawn in fill; left is cut to make room.
func Spread(left, right string, width int, fill lipgloss.Style) string {
	rw := lipgloss.Width(right)
	if rw >= width {
		return Truncate(right, width)
	}
	left = Truncate(left, width-rw-1)
	gap := width - rw - lipgloss.Width(left)
	return left + fill.Render(strings.Repeat(" ", gap)) + right
}

// Pad fills s with spaces to width cells, cutting it when longer.
func Pad(s string, width int) string {
	s = Truncate(s, width)
	if w := lipgloss.Width(s); w < width {
		s += strings.Repeat(" ", width-w)
	}
	return s
}

// Window returns the first row to show so that cursor stays visible in height rows, moving the
// previous top as little as possible.
func Window(top, cursor, height, total int) int {
	if height <= 0 {
		return 0
	}
	if cursor < top {
		top = cursor
	}
	if cursor >= top+height {
		top = cursor - height + 1
	}
	return max(0, min(top, total-height))
}

// Wrap is a message a user wrote as the timelines show it: sanitised, without blank lines at
// either end, wrapped (long words broken) to lines of at most width cells, each begun by indent.
func Wrap(msg string, width int, indent string) []string {
	text := strings.TrimSpace(sanitize.Text(msg))
	if text == "" {
		return nil
	}
	lines := strings.Split(ansi.Wrap(text, max(1, width-ansi.StringWidth(indent)), ""), "\n")
	for i, l := range lines {
		lines[i] = indent + l
	}
	return lines
}
