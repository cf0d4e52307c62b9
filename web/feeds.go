package web

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"beacon/store"
)

// The feeds carry one entry per public incident (the newest feedLength), each with its whole
// timeline as HTML. An entry's id is its page's address when a base URL is set, else a URN of
// the incident's number: either way it never changes as the incident is updated.

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Author  atomPerson  `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomEntry struct {
	Title     string   `xml:"title"`
	ID        string   `xml:"id"`
	Published string   `xml:"published"`
	Updated   string   `xml:"updated"`
	Link      atomLink `xml:"link"`
	Content   atomText `xml:"content"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type rssDoc struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	LastBuildDate string    `xml:"lastBuildDate,omitempty"`
	Items         []rssItem `xml:"item"`
}

type rssItem struct {
	Title       string  `xml:"title"`
	Link        string  `xml:"link"`
	GUID        rssGUID `xml:"guid"`
	PubDate     string  `xml:"pubDate"`
	Description string  `xml:"description"`
}

type rssGUID struct {
	IsPermaLink bool   `xml:"isPermaLink,attr"`
	ID          string `xml:",chardata"`
}

// entryID is an incident's stable id in the feeds.
func (s *Site) entryID(id int64) string {
	if s.base != "" {
		return s.abs(fmt.Sprintf("/incidents/%d", id))
	}
	return fmt.Sprintf("urn:beacon:incident:%d", id)
}

// feedID is the feed's own id.
func (s *Site) feedID() string {
	if s.base != "" {
		return s.abs("/history.atom")
	}
	return "urn:beacon:history"
}

// feedHTML is an incident's whole timeline, newest first, as HTML for a feed entry.
func (s *Site) feedHTML(d store.IncidentDetail) string {
	var b strings.Builder
	if len(d.Impacts) > 0 {
		b.WriteString("<p>Affected: ")
		for i, m := range d.Impacts {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%s (%s)", template.HTMLEscapeString(m.ComponentName), m.Status.Label())
		}
		b.WriteString("</p>\n")
	}
	for _, u := range d.Updates {
		fmt.Fprintf(&b, "<p><strong>%s</strong> — %s</p>\n%s", phase(u.Status), u.CreatedAt.UTC().Format("Jan 2, 2006 15:04 UTC"), s.md.HTML(u.Message))
	}
	return b.String()
}

func (v *view) feedEntries(ctx context.Context) ([]store.IncidentDetail, time.Time, error) {
	latest, err := v.latestIncidents(ctx)
	if err != nil {
		return nil, time.Time{}, err
	}
	var updated time.Time
	for _, d := range latest {
		if d.UpdatedAt.After(updated) {
			updated = d.UpdatedAt
		}
	}
	return latest, updated, nil
}

func xmlResponse(contentType string, doc any) (*Response, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", " ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return newResponse(http.StatusOK, contentType, buf.Bytes()), nil
}

func (v *view) atom(ctx context.Context) (*Response, error) {
	s := v.site
	latest, updated, err := v.feedEntries(ctx)
	if err != nil {
		return nil, err
	}
	if updated.IsZero() {
		updated = time.Unix(0, 0)
	}
	feed := atomFeed{
		Title:   s.title + ": incident history",
		ID:      s.feedID(),
		Updated: updated.UTC().Format(time.RFC3339),
		Author:  atomPerson{Name: s.title},
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: s.abs("/history.atom")},
			{Rel: "alternate", Type: "text/html", Href: s.abs("/")},
		},
	}
	for _, d := range latest {
		feed.Entries = append(feed.Entries, atomEntry{
			Title:     fmt.Sprintf("%s (%s)", d.Title, phase(d.Status)),
			ID:        s.entryID(d.ID),
			Published: d.CreatedAt.UTC().Format(time.RFC3339),
			Updated:   d.UpdatedAt.UTC().Format(time.RFC3339),
			Link:      atomLink{Rel: "alternate", Type: "text/html", Href: s.abs(fmt.Sprintf("/incidents/%d", d.ID))},
			Content:   atomText{Type: "html", Body: s.feedHTML(d)},
		})
	}
	return xmlResponse("application/atom+xml; charset=utf-8", feed)
}

func (v *view) rss(ctx context.Context) (*Response, error) {
	s := v.site
	latest, updated, err := v.feedEntries(ctx)
	if err != nil {
		return nil, err
	}
	ch := rssChannel{
		Title:       s.title + ": incident history",
		Link:        s.abs("/"),
		Description: "Incidents on " + s.title + ", newest first, each with its whole timeline.",
	}
	if !updated.IsZero() {
		ch.LastBuildDate = updated.UTC().Format(time.RFC1123Z)
	}
	for _, d := range latest {
		ch.Items = append(ch.Items, rssItem{
			Title:       fmt.Sprintf("%s (%s)", d.Title, phase(d.Status)),
			Link:        s.abs(fmt.Sprintf("/incidents/%d", d.ID)),
			GUID:        rssGUID{ID: s.entryID(d.ID)},
			PubDate:     d.CreatedAt.UTC().Format(time.RFC1123Z),
			Description: s.feedHTML(d),
		})
	}
	return xmlResponse("application/rss+xml; charset=utf-8", rssDoc{Version: "2.0", Channel: ch})
}
