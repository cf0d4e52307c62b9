package web

import (
	"fmt"
	"html/template"
	"strings"
	"time"

	"beacon/store"
)

// strip is a component's uptime record as the page draws it: days of the same worst status
// run together into one bar (its width is its number of days), so that a quiet component
// costs a few elements rather than ninety.
type strip struct {
	Percent string // "99.95%", or "" when nothing was observed
	Runs    []stripRun
	Label   string // the record in words, for readers that do not see colours
}

type stripRun struct {
	Class string // the worst status of its days, or "none" for days before the component existed
	Days  int
	Title string
}

func newStrip(u store.Uptime) *strip {
	s := &strip{}
	if u.HasData() {
		s.Percent = fmt.Sprintf("%.2f%%", u.Percent())
		s.Label = fmt.Sprintf("%s uptime over the last %d days", s.Percent, len(u.Days))
	} else {
		s.Label = fmt.Sprintf("No data for the last %d days", len(u.Days))
	}
	bad := 0
	for i := 0; i < len(u.Days); {
		class := dayClass(u.Days[i])
		j := i + 1
		for j < len(u.Days) && dayClass(u.Days[j]) == class {
			j++
		}
		first, last := u.Days[i].Date.UTC(), u.Days[j-1].Date.UTC()
		when := first.Format("Jan 2")
		if j-i > 1 {
			when += " – " + last.Format("Jan 2")
		}
		s.Runs = append(s.Runs, stripRun{Class: class, Days: j - i, Title: when + ": " + runWords(class, u.Days[i:j])})
		if class != "none" && class != string(store.Operational) {
			bad += j - i
		}
		i = j
	}
	switch {
	case bad == 1:
		s.Label += "; 1 day with trouble"
	case bad > 1:
		s.Label += fmt.Sprintf("; %d days with trouble", bad)
	}
	return s
}

func dayClass(d store.UptimeDay) string {
	if !d.HasData() || d.Worst == "" {
		return "none"
	}
	return string(d.Worst)
}

func runWords(class string, days []store.UptimeDay) string {
	if class == "none" {
		return "no data"
	}
	w := store.Status(class).Label()
	var down time.Duration
	for _, d := range days {
		down += d.Down
	}
	raw := down
	switch down = down.Round(time.Minute); {
	case down >= time.Minute:
		w += fmt.Sprintf(", %s down", strings.TrimSuffix(down.String(), "0s"))
	case raw > 0:
		w += ", under a minute down"
	}
	return w
}

// html draws the strip, in Go for the same reason as the timeline: a page of a thousand
// components has tens of thousands of bars.
func (s *strip) html() template.HTML {
	var b strings.Builder
	b.WriteString(`<div class="uptime"><div class="strip" role="img" aria-label="`)
	b.WriteString(template.HTMLEscapeString(s.Label))
	b.WriteString(`">`)
	for _, r := range s.Runs {
		fmt.Fprintf(&b, `<span class="u-%s w%d" title="%s"></span>`, template.HTMLEscapeString(r.Class), r.Days, template.HTMLEscapeString(r.Title))
	}
	b.WriteString("</div>\n" + `<p class="uptime-scale"><span>90 days ago</span> <span class="uptime-percent">`)
	if s.Percent != "" {
		b.WriteString(s.Percent + " uptime")
	} else {
		b.WriteString("No data")
	}
	b.WriteString(`</span> <span>Today</span></p></div>`)
	return template.HTML(b.String())
}

// stripCSS sizes the bars of a strip by their number of days.
func stripCSS() string {
	var b strings.Builder
	b.WriteString("\n/* Uptime bars: .wN is N days wide. */\n")
	for n := 1; n <= uptimeDays; n++ {
		fmt.Fprintf(&b, ".w%d{flex-grow:%d}", n, n)
		if n%10 == 0 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}
