// Package when reads the times and durations people type on Beacon's command line and in the
// console: RFC 3339, "YYYY-MM-DD HH:MM" in the local time zone, a time of day ("22:00"),
// "now", and offsets from now such as "+90m" or "-2h". The clock and the zone come from the caller, so every reading is testable.
package when

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Help is the one-line reminder of the forms Parse accepts, for error messages and the help of
// flags that take a time to come (a maintenance window's start and end).
const Help = `RFC 3339 (2026-03-01T22:00:00Z), "YYYY-MM-DD HH:MM" in local time, HH:MM (the next one), now, or +DURATION (+90m, +2h, +1d)`

// PastHelp is Help for ParsePast: the forms of a time already gone (a write dated after the
// fact, the start of an audit search).
const PastHelp = `RFC 3339 (2026-03-01T22:00:00Z), "YYYY-MM-DD HH:MM" in local time, HH:MM (the latest one), now, or -DURATION (-90m, -2h, -1d)`

// localLayouts are the local-time forms, tried in order.
var localLayouts = []string{
	"2006-01-02 15:04",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04",
	"2006-01-02T15:04:05",
}

// clockLayouts are the times of day without a date.
var clockLayouts = []string{"15:04", "15:04:05"}

// Parse reads a time typed by a person for something to come (a maintenance window's start or
// end). now is the current time; its location is the zone that local forms are read in.
// Accepted:
//   - RFC 3339, with its own offset: 2026-03-01T22:00:00Z, 2026-03-01T22:00:00+01:00
//   - a local date and time: 2026-03-01 22:00 (seconds and a T separator are allowed too)
//   - a local time of day: 22:00 (or 22:00:30) is the next such time: today, unless that
//     minute has already passed, else tomorrow
//   - now
//   - an offset from now: +90m, +3s, +1h30m, +2d; a leading - goes back in time (-15m)
//
// A local time that a daylight-saving change skips is read as time.Date normalises it (an
// hour later); one that occurs twice is the first of the two.
func Parse(s string, now time.Time) (time.Time, error) {
	return parse(s, now, false)
}

// ParsePast reads a time typed by a person for something already gone (a write dated after
// the fact, where an audit search starts): the forms Parse reads, except that a time of day is
// the latest such time (today, unless it is still to come, else yesterday), and a time after
// now is refused with the past forms to use instead.
func ParsePast(s string, now time.Time) (time.Time, error) {
	t, err := parse(s, now, true)
	if err != nil {
		return t, err
	}
	if t.After(now) {
		in := strings.TrimSpace(s)
		if in != "" && in[0] == '+' {
			return time.Time{}, fmt.Errorf("%q is in the future; for a time ago, use -%s", s, in[1:])
		}
		return time.Time{}, fmt.Errorf("%q is in the future; use a time already gone: %s", s, PastHelp)
	}
	return t, nil
}

func parse(s string, now time.Time, past bool) (time.Time, error) {
	help := Help
	if past {
		help = PastHelp
	}
	in := strings.TrimSpace(s)
	switch {
	case in == "":
		return time.Time{}, fmt.Errorf("no time given; use %s", help)
	case strings.EqualFold(in, "now"):
		return now, nil
	case in[0] == '+' || in[0] == '-':
		d, err := parseDuration(in[1:])
		if err != nil || d <= 0 {
			return time.Time{}, fmt.Errorf("%q is not an offset from now; use %s", s, help)
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
			return firstOfTwice(t), nil
		}
	}
	for _, layout := range clockLayouts {
		if c, err := time.Parse(layout, in); err == nil {
			return timeOfDay(c, now, past), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time; use %s", s, help)
}

// timeOfDay is the clock time c (hour, minute, second) on now's day in now's location, moved a
// day on when it has already passed (the current minute counts as not yet passed), or with
// past a day back when it is still to come. The day is moved by the calendar, so across a
// daylight-saving change 22:00 stays 22:00.
func timeOfDay(c, now time.Time, past bool) time.Time {
	y, m, d := now.Date()
	at := func(day int) time.Time {
		return firstOfTwice(time.Date(y, m, day, c.Hour(), c.Minute(), c.Second(), 0, now.Location()))
	}
	t := at(d)
	thisMinute := time.Date(y, m, d, now.Hour(), now.Minute(), 0, 0, now.Location())
	switch {
	case past && t.After(now):
		t = at(d - 1)
	case !past && t.Before(thisMinute):
		t = at(d + 1)
	}
	return t
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

// firstOfTwice is t, or where the clocks went back and its wall-clock time occurred twice, the
// first of the two (Go's time.Date leaves the choice open and takes the second).
func firstOfTwice(t time.Time) time.Time {
	_, off := t.Zone()
	_, before := t.Add(-6 * time.Hour).Zone()
	if before <= off {
		return t
	}
	e := t.Add(-time.Duration(before-off) * time.Second)
	if e.Hour() == t.Hour() && e.Minute() == t.Minute() && e.Second() == t.Second() {
		return e
	}
	return t
}
