// Package when reads the times and durations people type on Beacon's command line and in the
// console: RFC 3339, "YYYY-MM-DD HH:MM" in the local time zone, "now", and offsets from now
// such as "+90m". The clock and the zone come from the caller, so every reading is testable.
package when

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Help is the one-line reminder of the forms Parse accepts, for error messages and flag help.
const Help = `RFC 3339 (2026-03-01T22:00:00Z), "YYYY-MM-DD HH:MM" in local time, now, or +DURATION (+90m, +3s, +1d)`

// localLayouts are the local-time forms, tried in order.
var localLayouts = []string{
	"2006-01-02 15:04",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04",
	"2006-01-02T15:04:05",
}

// Parse reads a time typed by a person. now is the current time; its location is the zone
// that local forms ("2026-03-01 22:00") are read in. Accepted:
//   - RFC 3339, with its own offset: 2026-03-01T22:00:00Z, 2026-03-01T22:00:00+01:00
//   - a local date and time: 2026-03-01 22:00 (seconds and a T separator are allowed too)
//   - now
//   - an offset from now: +90m, +3s, +1h30m, +2d; a leading - goes back in time (-15m)
//
// A local time that a daylight-saving change skips is read as time.Date normalises it (an
// hour later); one that occurs twice is the first of the two.
func Parse(s string, now time.Time) (time.Time, error) {
	in := strings.TrimSpace(s)
	switch {
	case in == "":
		return time.Time{}, fmt.Errorf("no time given; use %s", Help)
	case strings.EqualFold(in, "now"):
		return now, nil
	case in[0] == '+' || in[0] == '-':
		d, err := parseDuration(in[1:])
		if err != nil || d <= 0 {
			return time.Time{}, fmt.Errorf("%q is not an offset from now; use %s", s, Help)
		}
		if in[0] == '-' {
			d = -d
		}
		return now.Add(d), nil
	}
	if t, err := time.Parse(time.RFC3339, in); err == nil {
		return t, nil
	}
	for _, layout := range localLayouts {
		if t, err := time.ParseInLocation(layout, in, now.Location()); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time; use %s", s, Help)
}

// Date reads a calendar day, YYYY-MM-DD, and returns its first instant in now's location.
// A full time (anything Parse reads) is accepted too and returned as it is.
func Date(s string, now time.Time) (time.Time, error) {
	in := strings.TrimSpace(s)
	if t, err := time.ParseInLocation("2006-01-02", in, now.Location()); err == nil {
		return t, nil
	}
	t, err := Parse(in, now)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date; use YYYY-MM-DD or a time (%s)", s, Help)
	}
	return t, nil
}

// Duration reads a positive length of time: Go's form (90m, 1h30m, 45s) plus whole days (2d,
// 1d12h). Zero and negative durations are refused.
func Duration(s string) (time.Duration, error) {
	d, err := parseDuration(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration; use a form such as 90m, 2h, 1h30m or 1d", s)
	}
	if d <= 0 {
		return 0, fmt.Errorf("the duration %q must be more than zero", s)
	}
	return d, nil
}

// parseDuration is time.ParseDuration with a leading whole number of days ("2d", "1d12h").
func parseDuration(s string) (time.Duration, error) {
	if s == "" || s[0] == '-' || s[0] == '+' {
		return 0, fmt.Errorf("bad duration %q", s)
	}
	var days time.Duration
	if i := strings.IndexByte(s, 'd'); i > 0 {
		n, err := strconv.Atoi(s[:i])
		if err != nil || n > 3660 {
			return 0, fmt.Errorf("bad duration %q", s)
		}
		days = time.Duration(n) * 24 * time.Hour
		s = s[i+1:]
		if s == "" {
			return days, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, err
	}
	return days + d, nil
}

// Until describes how far t is from now in a few characters, for marks such as "in 2h":
// "in 45s", "in 12m", "in 2h", "in 1h30m", "in 3d"; a time already passed is "now".
func Until(t, now time.Time) string {
	d := t.Sub(now)
	switch {
	case d <= 0:
		return "now"
	case d < time.Minute:
		return fmt.Sprintf("in %ds", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("in %dm", int(d/time.Minute))
	case d < 10*time.Hour:
		h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
		if m == 0 {
			return fmt.Sprintf("in %dh", h)
		}
		return fmt.Sprintf("in %dh%02dm", h, m)
	case d < 48*time.Hour:
		return fmt.Sprintf("in %dh", int(d/time.Hour))
	}
	return fmt.Sprintf("in %dd", int(d/(24*time.Hour)))
}
