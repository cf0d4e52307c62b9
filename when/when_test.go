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
		// ... and back to winter time at 03:00 on 25 October: 02:30 happens twice.
		{"2026-10-25 02:30", time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC)},
		{"2026-10-25 03:30", time.Date(2026, 10, 25, 2, 30, 0, 0, time.UTC)},
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

func TestTimeOfDay(t *testing.T) {
	paris := mustZone(t, "Europe/Paris")
	at := func(y int, m time.Month, d, h, min, sec int) time.Time {
		return time.Date(y, m, d, h, min, sec, 0, paris)
	}
	noon := at(2026, 3, 1, 12, 0, 40)
	tests := []struct {
		name string
		in   string
		now  time.Time
		past bool
		want time.Time
	}{
		{"later today", "22:00", noon, false, at(2026, 3, 1, 22, 0, 0)},
		{"with seconds", "22:00:30", noon, false, at(2026, 3, 1, 22, 0, 30)},
		{"an hour without its zero", "9:05", noon, false, at(2026, 3, 2, 9, 5, 0)},
		{"passed today: tomorrow", "09:00", noon, false, at(2026, 3, 2, 9, 0, 0)},
		{"the current minute is still to come", "12:00", noon, false, at(2026, 3, 1, 12, 0, 0)},
		{"the minute before is passed", "11:59", noon, false, at(2026, 3, 2, 11, 59, 0)},
		{"across a month end", "06:00", at(2026, 2, 28, 23, 0, 0), false, at(2026, 3, 1, 6, 0, 0)},
		// Paris moves to summer time at 02:00 on 29 March 2026 (a 23-hour day).
		{"tomorrow across the spring change stays 22:00", "22:00", at(2026, 3, 28, 23, 0, 0), false, time.Date(2026, 3, 29, 20, 0, 0, 0, time.UTC)},
		{"later on the spring change's day", "22:00", at(2026, 3, 29, 1, 0, 0), false, time.Date(2026, 3, 29, 20, 0, 0, 0, time.UTC)},
		{"a time the spring change skips is an hour later", "02:30", at(2026, 3, 28, 23, 0, 0), false, time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC)},
		// ... and back to winter time at 03:00 on 25 October 2026: 02:30 happens twice.
		{"a time the autumn change repeats is the first", "02:30", at(2026, 10, 24, 23, 0, 0), false, time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC)},
		{"past: earlier today", "09:00", noon, true, at(2026, 3, 1, 9, 0, 0)},
		{"past: the current minute", "12:00", noon, true, at(2026, 3, 1, 12, 0, 0)},
		{"past: still to come today is yesterday's", "22:00", noon, true, at(2026, 2, 28, 22, 0, 0)},
		{"past: yesterday across the spring change stays 22:00", "22:00", time.Date(2026, 3, 29, 12, 0, 0, 0, paris), true, time.Date(2026, 3, 28, 21, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parse := Parse
			if tt.past {
				parse = ParsePast
			}
			got, err := parse(tt.in, tt.now)
			if err != nil {
				t.Fatalf("%q at %v: %v", tt.in, tt.now, err)
			}
			if !got.Equal(tt.want) {
				t.Errorf("%q at %v = %v, want %v", tt.in, tt.now, got, tt.want.In(paris))
			}
		})
	}
	for _, in := range []string{"24:00", "12:60", "22h", "22:00pm", "2200"} {
		if _, err := Parse(in, noon); err == nil {
			t.Errorf("Parse(%q) accepted", in)
		}
	}
}

func TestParsePast(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"-90m":             now.Add(-90 * time.Minute),
		"now":              now,
		"2026-03-01 11:00": time.Date(2026, 3, 1, 11, 0, 0, 0, time.UTC),
	} {
		if got, err := ParsePast(in, now); err != nil || !got.Equal(want) {
			t.Errorf("ParsePast(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for in, want := range map[string]string{
		"+90m":             `"+90m" is in the future; for a time ago, use -90m`,
		"2026-03-02 10:00": `"2026-03-02 10:00" is in the future; use a time already gone: `,
		"yesterday":        `"yesterday" is not a time; use `,
		"+":                `"+" is not an offset from now; use `,
	} {
		_, err := ParsePast(in, now)
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "+DURATION") {
			t.Errorf("ParsePast(%q) error %v: want %q and no advice to go forward", in, err, want)
		}
	}
	if !strings.Contains(PastHelp, "-DURATION (-90m") || strings.Contains(PastHelp, "+") {
		t.Errorf("PastHelp advises a time to come: %s", PastHelp)
	}
}
