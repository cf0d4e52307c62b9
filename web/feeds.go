package web

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"html/template"
	"net/http"
	"sort"
	"strings"
	"time"

	"beacon/publicid"
	"beacon/store"
)

// The feeds carry one entry per public incident (the newest feedLength) and maintenance window
// (the newest maintenanceFeedEntries), each with its whole
// timeline as HTML. An entry's id is its page's address when a base URL is set, else a URN of
// the incident's or window's public id: either way it never changes as the incident is updated.

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

// entryID is an incident's or a maintenance window's id in the feeds. It names the record, not
// where the site is reached, so that it stays the same when the site moves to another address
// or is exported (RFC 4287 §4.2.6): a feed reader then shows no entry twice.
func (s *Site) entryID(kind publicid.Kind, id int64) string {
	if kind == publicid.Incident {
		return "urn:beacon:incident:" + s.publicID(kind, id)
	}
	return "urn:beacon:maintenance:" + s.publicID(kind, id)
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
	writeImpacts(&b, d.Incident, func(b *strings.Builder, st store.Status) { b.WriteString(st.Label()) })
	if b.Len() > 0 {
		b.WriteString("\n")
	}
	for _, u := range d.Updates {
		fmt.Fprintf(&b, "<p><strong>%s</strong> — %s</p>\n%s", phase(u.Status), u.CreatedAt.UTC().Format("Jan 2, 2006 15:04 UTC"), s.md.HTML(u.Message))
	}
	return b.String()
}

// feedEntry is one incident or maintenance window in the feeds.
type feedEntry struct {
	title, id, link, html string
	created, updated      time.Time
}

// maintenanceFeedEntries is how many maintenance windows the feeds carry.
const maintenanceFeedEntries = 20

// feedEntries are the newest public incidents and maintenance windows, newest change first,
// and the time of the newest.
func (v *view) feedEntries(ctx context.Context) ([]feedEntry, time.Time, error) {
	s := v.site
	latest, err := v.latestIncidents(ctx)
	if err != nil {
		return nil, time.Time{}, err
	}
	cur, err := v.now(ctx)
	if err != nil {
		return nil, time.Time{}, err
	}
	windows, err := s.pub.Maintenances(ctx, store.MaintenanceQuery{All: true, Limit: maintenanceFeedEntries})
	if err != nil {
		return nil, time.Time{}, err
	}
	details, err := v.maintenanceDetails(ctx, windows)
	if err != nil {
		return nil, time.Time{}, err
	}
	var out []feedEntry
	for _, d := range latest {
		out = append(out, feedEntry{
			title: fmt.Sprintf("%s (%s)", d.Title, phase(d.Status)), id: s.entryID(publicid.Incident, d.ID),
			link: s.abs(s.incidentPath(d.ID)), html: s.feedHTML(d), created: d.CreatedAt, updated: d.UpdatedAt,
		})
	}
	for _, d := range details {
		state := d.State(cur.dash.Now)
		var b strings.Builder
		fmt.Fprintf(&b, "<p>Maintenance from %s to %s", d.EffectiveStart().UTC().Format("Jan 2, 2006 15:04 UTC"), d.PlannedEndsAt.UTC().Format("Jan 2, 2006 15:04 UTC"))
		if names := d.ComponentNames(); names != "" {
			fmt.Fprintf(&b, " on %s", template.HTMLEscapeString(names))
		}
		b.WriteString(".")
		if o := outcomeOf(d.Maintenance); o != nil {
			fmt.Fprintf(&b, " %s %s.", o.Text, o.At.UTC().Format("Jan 2, 2006 15:04 UTC"))
		}
		b.WriteString("</p>\n")
		for _, u := range d.Updates {
			fmt.Fprintf(&b, "<p><strong>%s</strong> — %s</p>\n%s", u.Status.Label(), u.CreatedAt.UTC().Format("Jan 2, 2006 15:04 UTC"), s.md.HTML(u.Body()))
		}
		out = append(out, feedEntry{
			title: fmt.Sprintf("%s (maintenance, %s)", d.Title, strings.ToLower(state.Label())), id: s.entryID(publicid.Maintenance, d.ID),
			link: s.abs(s.maintenancePath(d.ID)), html: b.String(), created: d.CreatedAt, updated: d.UpdatedAt,
		})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].updated.Equal(out[j].updated) {
			return out[i].updated.After(out[j].updated)
		}
		return out[i].id < out[j].id
	})
	var updated time.Time
	for _, e := range out {
		if e.updated.After(updated) {
			updated = e.updated
		}
	}
	return out, updated, nil
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
	for _, e := range latest {
		feed.Entries = append(feed.Entries, atomEntry{
			Title:     e.title,
			ID:        e.id,
			Published: e.created.UTC().Format(time.RFC3339),
			Updated:   e.updated.UTC().Format(time.RFC3339),
			Link:      atomLink{Rel: "alternate", Type: "text/html", Href: e.link},
			Content:   atomText{Type: "html", Body: e.html},
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
	for _, e := range latest {
		ch.Items = append(ch.Items, rssItem{
			Title:       e.title,
			Link:        e.link,
			GUID:        rssGUID{ID: e.id},
			PubDate:     e.created.UTC().Format(time.RFC1123Z),
			Description: e.html,
		})
	}
	return xmlResponse("application/rss+xml; charset=utf-8", rssDoc{Version: "2.0", Channel: ch})
}
