package web

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"beacon/glance"
	"beacon/store"
)

// An export writes a page for every incident (100,000 at scale), and executing the incident
// template costs most of that time in its per-value calls. incidentPageText writes the same
// bytes as the template does: the layout around the incident is drawn once per site by the
// templates themselves, the incident in between in Go, its text escaped as html/template
// escapes it. Tests compare it with the template for the pages they export.

// incidentFrame is the layout of an incident page, drawn by the templates: head, with the
// page's title left out between headStart and headEnd, and the end after the article.
type incidentFrame struct {
	once                     sync.Once
	err                      error
	headStart, headEnd, tail string
}

// titleMark stands for the page's title while the frame is drawn; it needs no escaping.
const titleMark = "beacon-page-title-3f9c2a7d1e"

func (s *Site) frame() (*incidentFrame, error) {
	f := &s.incidentFrame
	f.once.Do(func() {
		p := page{Title: s.title, PageTitle: titleMark}
		var head, tail bytes.Buffer
		if f.err = s.tmpl.incident.ExecuteTemplate(&head, "head", p); f.err != nil {
			return
		}
		if f.err = s.tmpl.incident.ExecuteTemplate(&tail, "incident-end", p); f.err != nil {
			return
		}
		start, end, ok := strings.Cut(head.String(), titleMark)
		if !ok || strings.Contains(end, titleMark) {
			f.err = fmt.Errorf("the page head does not show its title once")
			return
		}
		f.headStart, f.headEnd, f.tail = start, end, tail.String()
	})
	return f, f.err
}

// incidentPageText is the body of d's page, byte for byte what incidentPage renders.
func (s *Site) incidentPageText(d store.IncidentDetail) (string, error) {
	f, err := s.frame()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.Grow(len(f.headStart) + len(f.headEnd) + len(f.tail) + 1024 + 768*len(d.Updates))
	b.WriteString(f.headStart)
	writeHTMLText(&b, d.Title+" · "+s.title)
	b.WriteString(f.headEnd)
	b.WriteString("\n" + `<article class="incident-page i-`)
	writeHTMLText(&b, glance.IncidentImpact(d.Incident))
	b.WriteString(`">` + "\n<h1>")
	writeHTMLText(&b, d.Title)
	b.WriteString("</h1>\n" + `<p class="meta">`)
	writeHTMLText(&b, phase(d.Status))
	b.WriteString(" · ")
	writeHTMLText(&b, impactLabel(d.Incident))
	b.WriteString(" · started ")
	writeTime(&b, d.OccurredAt)
	if d.Resolved() {
		b.WriteString(" · resolved ")
		writeTime(&b, d.ResolvedAt)
	}
	b.WriteString("</p>\n")
	writeImpacts(&b, d.Incident, writeStatus)
	b.WriteString("\n")
	s.writeTimeline(&b, d.Updates)
	b.WriteString("\n</article>\n")
	b.WriteString(f.tail)
	b.WriteString("\n")
	return b.String(), nil
}

// writeHTMLText writes s escaped as html/template escapes a string in text and quoted
// attributes: the five special characters and '+' as entities, NUL as U+FFFD, all else
// (invalid UTF-8 too) as it is.
func writeHTMLText(b *strings.Builder, s string) {
	written := 0
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		var repl string
		switch {
		case r == 0:
			repl = "\uFFFD"
		case r == '"':
			repl = "&#34;"
		case r == '&':
			repl = "&amp;"
		case r == '\'':
			repl = "&#39;"
		case r == '+':
			repl = "&#43;"
		case r == '<':
			repl = "&lt;"
		case r == '>':
			repl = "&gt;"
		}
		if repl != "" {
			b.WriteString(s[written:i])
			b.WriteString(repl)
			written = i + w
		}
		i += w
	}
	b.WriteString(s[written:])
}
