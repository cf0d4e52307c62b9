package web

import (
	"html/template"
	"strings"
	"time"

	"beacon/glance"
	"beacon/publicid"
	"beacon/store"
)

// The timeline, the list of affected components and an incident's line in the history are
// written in Go rather than by the templates: an export writes them for every incident
// (100,000 at scale), and a template's per-value calls cost more than the rest of the page. Text from users goes through
// html/template's own escaper, Markdown through the safe renderer.

// timelineHTML is an incident's updates, newest first, as the pages show them.
func (s *Site) timelineHTML(ups []store.Update) template.HTML {
	var b strings.Builder
	s.writeTimeline(&b, ups)
	return template.HTML(b.String())
}

// writeTimeline writes timelineHTML's bytes into b.
func (s *Site) writeTimeline(b *strings.Builder, ups []store.Update) {
	b.WriteString(`<ol class="timeline" reversed>` + "\n")
	for _, u := range ups {
		b.WriteString(`<li class="update">` + "\n" + `<p class="update-head"><strong class="phase p-`)
		b.WriteString(template.HTMLEscapeString(string(u.Status)))
		b.WriteString(`">`)
		b.WriteString(template.HTMLEscapeString(phase(u.Status)))
		b.WriteString(`</strong> `)
		writeTime(b, u.CreatedAt)
		b.WriteString("</p>\n" + `<div class="message">`)
		s.md.write(b, u.Message)
		b.WriteString("</div>\n</li>\n")
	}
	b.WriteString("</ol>")
}

// impactsHTML is the line naming an incident's affected components. A resolved incident's says
// the worst it did to each, at any time, as its record; an unresolved one's what it does to
// each now, with the worse it did earlier where that was lowered since, then those it affected
// earlier, with the worst it did to them.
func impactsHTML(inc store.Incident) template.HTML {
	var b strings.Builder
	writeImpacts(&b, inc, writeStatus)
	return template.HTML(b.String())
}

// writeImpacts writes impactsHTML's bytes into b, each status as status writes it.
func writeImpacts(b *strings.Builder, inc store.Incident, status func(*strings.Builder, store.Status)) {
	affected := inc.Affected()
	if len(affected) == 0 {
		return
	}
	if inc.Resolved() {
		b.WriteString(`<p class="affected">At worst during the incident: `)
	} else {
		b.WriteString(`<p class="affected">Affected: `)
	}
	for i, m := range affected {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(template.HTMLEscapeString(m.ComponentName))
		b.WriteString(" (")
		switch peak := m.Peak(); {
		case inc.Resolved():
			status(b, peak)
		case i >= len(inc.Impacts):
			status(b, peak)
			b.WriteString(" earlier")
		default:
			status(b, m.Status)
			if peak != m.Status {
				b.WriteString(", ")
				status(b, peak)
				b.WriteString(" earlier")
			}
		}
		b.WriteString(")")
	}
	b.WriteString("</p>")
}

func writeStatus(b *strings.Builder, st store.Status) {
	b.WriteString(`<span class="status s-`)
	b.WriteString(template.HTMLEscapeString(string(st)))
	b.WriteString(`"><span class="glyph" aria-hidden="true">`)
	b.WriteString(st.Glyph())
	b.WriteString(`</span> `)
	b.WriteString(template.HTMLEscapeString(st.Label()))
	b.WriteString(`</span>`)
}

func writeTime(b *strings.Builder, t time.Time) {
	t = t.UTC()
	b.WriteString(`<time datetime="`)
	b.WriteString(t.Format(time.RFC3339))
	b.WriteString(`">`)
	b.WriteString(t.Format("Jan 2, 2006 15:04 UTC"))
	b.WriteString(`</time>`)
}

// incidentLineHTML is an incident's line in the lists of incidents (the history, the last
// days): its title linked to its page, its impact, and when it started and ended.
func (s *Site) incidentLineHTML(inc store.Incident) template.HTML {
	var b strings.Builder
	b.Grow(320 + len(inc.Title))
	b.WriteString(`<li class="incident-line"><a href="`)
	b.WriteString(s.incidentHref)
	var id [publicid.Length]byte
	b.Write(s.ids.AppendEncoded(id[:0], publicid.Incident, inc.ID))
	b.WriteString(`">`)
	writeHTMLText(&b, inc.Title)
	b.WriteString(`</a> <span class="impact i-`)
	writeHTMLText(&b, glance.IncidentImpact(inc))
	b.WriteString(`">`)
	writeHTMLText(&b, impactLabel(inc))
	b.WriteString(`</span> <span class="when">`)
	writeTime(&b, inc.CreatedAt)
	if inc.Resolved() {
		b.WriteString(" – ")
		writeTime(&b, inc.ResolvedAt)
	}
	b.WriteString(`</span></li>`)
	return template.HTML(b.String())
}
