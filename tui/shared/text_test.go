package shared

import (
	"strings"
	"testing"
	"time"

	_ "github.com/charmbracelet/x/exp/golden" // takes -update, so go test ./... -update runs here too

	"github.com/charmbracelet/lipgloss"
)

func TestAgo(t *testing.T) {
	now := time.Date(2025, 3, 14, 15, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		ago  time.Duration
		want string
	}{
		{0, "just now"},
		{59 * time.Second, "just now"},
		{12 * time.Minute, "12m ago"},
		{59*time.Minute + 59*time.Second, "59m ago"},
		{time.Hour, "1h ago"},
		{47 * time.Hour, "47h ago"},
		{48 * time.Hour, "2d ago"},
		{400 * 24 * time.Hour, "400d ago"},
	} {
		if got := Ago(now, now.Add(-tc.ago)); got != tc.want {
			t.Errorf("Ago(%s) = %q, want %q", tc.ago, got, tc.want)
		}
	}
}

func TestDuration(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{-time.Second, "0s"},
		{45 * time.Second, "45s"},
		{12 * time.Minute, "12m"},
		{72 * time.Minute, "1h 12m"},
		{76 * time.Hour, "3d 4h"},
	} {
		if got := Duration(tc.d); got != tc.want {
			t.Errorf("Duration(%s) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestClock(t *testing.T) {
	loc := time.Local
	time.Local = time.UTC
	defer func() { time.Local = loc }()
	now := time.Date(2025, 3, 14, 15, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		t    time.Time
		want string
	}{
		{now.Add(-time.Hour), "14:00"},
		{time.Date(2025, 3, 13, 23, 59, 0, 0, time.UTC), "Mar 13 23:59"},
		{time.Date(2024, 3, 14, 14, 0, 0, 0, time.UTC), "2024-03-14 14:00"},
	} {
		if got := Clock(now, tc.t); got != tc.want {
			t.Errorf("Clock(%s) = %q, want %q", tc.t, got, tc.want)
		}
	}
}

func TestWindow(t *testing.T) {
	for _, tc := range []struct {
		top, cursor, height, total, want int
	}{
		{0, 0, 10, 100, 0},
		{0, 9, 10, 100, 0},
		{0, 10, 10, 100, 1},   // one past the bottom scrolls by one
		{50, 45, 10, 100, 45}, // above the top scrolls up to it
		{95, 99, 10, 100, 90}, // never past the end
		{5, 3, 10, 4, 0},      // fewer rows than the height
		{3, 3, 0, 10, 0},      // no room at all
	} {
		if got := Window(tc.top, tc.cursor, tc.height, tc.total); got != tc.want {
			t.Errorf("Window(%d, %d, %d, %d) = %d, want %d", tc.top, tc.cursor, tc.height, tc.total, got, tc.want)
		}
	}
}

func TestSpread(t *testing.T) {
	plain := lipgloss.NewStyle()
	for _, tc := range []struct {
		left, right string
		width       int
		want        string
	}{
		{"API", "● Operational", 20, "API    ● Operational"},
		{"A long component name", "● Operational", 20, "A lon… ● Operational"},
		{"API", "● Operational", 10, "● Operati…"},
	} {
		got := Spread(tc.left, tc.right, tc.width, plain)
		if got != tc.want || lipgloss.Width(got) != tc.width {
			t.Errorf("Spread(%q, %q, %d) = %q (%d wide)", tc.left, tc.right, tc.width, got, lipgloss.Width(got))
		}
	}
}

func TestWrap(t *testing.T) {
	for _, tc := range []struct {
		msg    string
		width  int
		indent string
		want   []string
	}{
		{"short", 20, "  ", []string{"  short"}},
		{" \n ", 20, "  ", nil},
		{"one two three four", 12, "  ", []string{"  one two", "  three four"}},
		{"\n\nafter blank lines\n\n", 40, "", []string{"after blank lines"}},
		{"a\n\nb", 40, "", []string{"a", "", "b"}},
		{"abcdefghij", 6, "", []string{"abcdef", "ghij"}},                               // a long word is broken
		{"bell\x07 and \x1b[31mred\x1b[0m", 40, "", []string{"bell␇ and ␛[31mred␛[0m"}}, // escapes shown, not obeyed
	} {
		got := Wrap(tc.msg, tc.width, tc.indent)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("Wrap(%q, %d, %q) = %q, want %q", tc.msg, tc.width, tc.indent, got, tc.want)
		}
	}
}
