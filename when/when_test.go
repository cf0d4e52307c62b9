package when

import (
	"strings"
	"testing"
	"time"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Skipf("time zone %s not available: %v", name, err)
	}
	return loc
}

func TestParse(t *testing.T) {
	paris := mustZone(t, "Europe/Paris")
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, paris)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"now", now},
		{" NOW ", now},
		{"+90m", now.Add(90 * time.Minute)},
		{"+3s", now.Add(3 * time.Second)},
		{"+1h30m", now.Add(90 * time.Minute)},
		{"+2d", now.Add(48 * time.Hour)},
		{"+1d12h", now.Add(36 * time.Hour)},
		{"-15m", now.Add(-15 * time.Minute)},
		{"2026-03-01T22:00:00Z", time.Date(2026, 3, 1, 22, 0, 0, 0, time.UTC)},
		{"2026-03-01T22:00:00+05:30", time.Date(2026, 3, 1, 16, 30, 0, 0, time.UTC)},
		{"2026-03-01 22:00", time.Date(2026, 3, 1, 22, 0, 0, 0, paris)},
		{"2026-03-01 22:00:30", time.Date(2026, 3, 1, 22, 0, 30, 0, paris)},
		{"2026-03-01T22:00", time.Date(2026, 3, 1, 22, 0, 0, 0, paris)},
		// Paris moves to summer time at 02:00 on 29 March 2026: 02:30 does not exist.
		{"2026-03-29 02:30", time.Date(2026, 3, 29, 3, 30, 0, 0, paris)},
		{"2026-03-29 03:30", time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in, now)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if !got.Equal(tt.want) {
				t.Errorf("Parse(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseLocalFormUsesTheClocksZone(t *testing.T) {
	tokyo := mustZone(t, "Asia/Tokyo")
	got, err := Parse("2026-03-01 09:00", time.Date(2026, 1, 1, 0, 0, 0, 0, tokyo))
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("got %v, want %v", got.UTC(), want)
	}
}

func TestParseRefuses(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, in := range []string{"", "  ", "tomorrow", "+", "+0s", "-0m", "+-5m", "++5m", "+5", "+5x", "2026-13-01 10:00",
		"2026-03-01", "2026-03-01 25:00", "01/03/2026 10:00", "+99999d", "2026-03-01T22:00:00"[:13]} {
		t.Run(in, func(t *testing.T) {
			_, err := Parse(in, now)
			if err == nil {
				t.Fatalf("Parse(%q) accepted", in)
			}
			if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, "+DURATION") {
				t.Errorf("Parse(%q) error %q: want one line that says the forms", in, msg)
			}
		})
	}
}

func TestDate(t *testing.T) {
	paris := mustZone(t, "Europe/Paris")
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, paris)
	got, err := Date("2026-04-30", now)
	if err != nil || !got.Equal(time.Date(2026, 4, 30, 0, 0, 0, 0, paris)) {
		t.Errorf("Date(2026-04-30) = %v, %v", got, err)
	}
	got, err = Date("+1d", now)
	if err != nil || !got.Equal(now.Add(24*time.Hour)) {
		t.Errorf("Date(+1d) = %v, %v", got, err)
	}
	if _, err := Date("April", now); err == nil || !strings.Contains(err.Error(), "YYYY-MM-DD") {
		t.Errorf("Date(April) error = %v", err)
	}
}

func TestDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"90m": 90 * time.Minute, "2h": 2 * time.Hour, "1h30m": 90 * time.Minute, "45s": 45 * time.Second,
		"1d": 24 * time.Hour, "1d6h": 30 * time.Hour, " 3s ": 3 * time.Second,
	} {
		got, err := Duration(in)
		if err != nil || got != want {
			t.Errorf("Duration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "0s", "-5m", "+5m", "5", "d", "1dd", "soon", "1.5d"} {
		if _, err := Duration(in); err == nil {
			t.Errorf("Duration(%q) accepted", in)
		}
	}
}

func TestUntil(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for d, want := range map[time.Duration]string{
		-time.Minute:                  "now",
		0:                             "now",
		45 * time.Second:              "in 45s",
		12 * time.Minute:              "in 12m",
		2 * time.Hour:                 "in 2h",
		90 * time.Minute:              "in 1h30m",
		20*time.Hour + time.Minute:    "in 20h",
		3*24*time.Hour + time.Hour:    "in 3d",
		47*time.Hour + 59*time.Minute: "in 47h",
	} {
		if got := Until(now.Add(d), now); got != want {
			t.Errorf("Until(+%v) = %q, want %q", d, got, want)
		}
	}
}
