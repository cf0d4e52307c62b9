package web

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"time"

	"beacon/glance"
	"beacon/store"
)

//go:embed templates/*.html
var templateFiles embed.FS

// templates are the site's pages, parsed once per Site (links carry its base path).
type templates struct {
	index, incident, history, notFound, maintenance *template.Template
}

// pageTemplates parses the pages with the functions of s.
func (s *Site) pageTemplates() (*templates, error) {
	funcs := s.templateFuncs()
	parse := func(name string) (*template.Template, error) {
		return template.New(name).Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/"+name)
	}
	var t templates
	var err error
	for _, p := range []struct {
		dst  **template.Template
		name string
	}{{&t.index, "index.html"}, {&t.incident, "incident.html"}, {&t.history, "history.html"}, {&t.notFound, "notfound.html"}, {&t.maintenance, "maintenance.html"}} {
		if *p.dst, err = parse(p.name); err != nil {
			return nil, err
		}
	}
	return &t, nil
}

// phase names an incident status for readers, in Statuspage's words.
func phase(s store.IncidentStatus) string {
	switch s {
	case store.Watching:
		return "Monitoring"
	case store.Fixed:
		return "Resolved"
	}
	return s.Label()
}

func impactLabel(i store.Incident) string {
	switch glance.IncidentImpact(i) {
	case "minor":
		return "Minor impact"
	case "major":
		return "Major impact"
	case "critical":
		return "Critical impact"
	}
	return "No impact"
}

func bannerGlyph(i store.Indicator) string {
	switch i {
	case store.IndicatorNone:
		return store.Operational.Glyph()
	case store.IndicatorMaintenance:
		return store.UnderMaintenance.Glyph()
	case store.IndicatorMinor:
		return store.PerformanceIssues.Glyph()
	case store.IndicatorMajor:
		return store.PartialOutage.Glyph()
	}
	return store.MajorOutage.Glyph()
}

// page is what every page template gets.
type page struct {
	Title     string // the site's name
	PageTitle string // the document's title
}

type indexPage struct {
	page
	Banner    store.Banner
	UpdatedAt time.Time
	Active    []store.IncidentDetail
	InWork    []windowView // maintenance in progress
	Upcoming  []windowView // maintenance scheduled within the store's horizon
	Groups    []groupView
	Days      []dayView
	More      bool
}

type groupView struct {
	ID         int64
	Name       string // "" for the components in no group
	Open       bool
	Status     store.Status
	Components []componentView
}

// componentView is a component on the page, with its uptime strip when there is a record.
type componentView struct {
	store.Component
	Strip template.HTML
}

type dayView struct {
	Day       time.Time
	Incidents []store.IncidentDetail
	Windows   []windowView // maintenance completed that day
	Ongoing   bool         // an incident in progress began that day (shown above)
}

type incidentPage struct {
	page
	Incident store.IncidentDetail
}

type historyPage struct {
	page
	Incidents    []store.Incident
	Page, Pages  int
	Newer, Older string
}

func (s *Site) execute(t *template.Template, status int, data any) (*Response, error) {
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return nil, err
	}
	return newResponse(status, "text/html; charset=utf-8", buf.Bytes()), nil
}

func (v *view) index(ctx context.Context) (*Response, error) {
	s := v.site
	cur, err := v.now(ctx)
	if err != nil {
		return nil, err
	}
	past, err := v.pastIncidents(ctx)
	if err != nil {
		return nil, err
	}
	up, err := v.uptimes(ctx)
	if err != nil {
		return nil, err
	}
	today, err := v.todayWorst(ctx, cur.dash.Now)
	if err != nil {
		return nil, err
	}
	p := indexPage{
		page:      page{Title: s.title, PageTitle: s.title},
		Banner:    cur.dash.Banner,
		UpdatedAt: cur.updatedAt(),
		Groups:    groups(cur.dash),
	}
	for _, g := range p.Groups {
		for i := range g.Components {
			c := g.Components[i]
			g.Components[i].Strip = up.now(c.ID, store.Worst(c.Effective, today[c.ID]))
		}
	}
	for _, inc := range cur.dash.Unresolved {
		if ups, ok := cur.timelines[inc.ID]; ok {
			p.Active = append(p.Active, store.IncidentDetail{Incident: inc, Updates: ups})
		}
	}
	windows, err := v.maintenanceDetails(ctx, cur.dash.Maintenances)
	if err != nil {
		return nil, err
	}
	for _, w := range windows {
		switch st := w.State(cur.dash.Now); st {
		case store.MaintenanceInProgress:
			p.InWork = append(p.InWork, windowView{MaintenanceDetail: w, State: st})
		case store.MaintenanceScheduled:
			p.Upcoming = append(p.Upcoming, windowView{MaintenanceDetail: w, State: st})
		}
	}
	if len(past) > recentLimit {
		past, p.More = past[:recentLimit], true
	}
	done, err := v.completedWindows(ctx, cur.dash.Now)
	if err != nil {
		return nil, err
	}
	for i := range recentDays {
		day := v.day.AddDate(0, 0, -i)
		dv := dayView{Day: day}
		within := func(t time.Time) bool { return !t.Before(day) && t.Before(day.AddDate(0, 0, 1)) }
		for _, inc := range past {
			if within(inc.CreatedAt) {
				dv.Incidents = append(dv.Incidents, inc)
			}
		}
		for _, w := range done {
			if within(w.EndsAt) {
				dv.Windows = append(dv.Windows, w)
			}
		}
		for _, inc := range p.Active {
			dv.Ongoing = dv.Ongoing || within(inc.CreatedAt)
		}
		if p.More && len(dv.Incidents) == 0 && len(past) > 0 && day.Before(past[len(past)-1].CreatedAt) {
			break // the list was cut: leave out days it does not reach rather than call them calm
		}
		p.Days = append(p.Days, dv)
	}
	return s.execute(s.tmpl.index, http.StatusOK, p)
}

// completedWindows is the public maintenance that ended in the page's last days, newest
// first; cancelled windows are left out.
func (v *view) completedWindows(ctx context.Context, now time.Time) ([]windowView, error) {
	list, err := v.windows(ctx)
	if err != nil {
		return nil, err
	}
	since := v.day.AddDate(0, 0, -recentDays+1)
	var ended []store.Maintenance
	for _, m := range list {
		if m.State(now) == store.MaintenanceCompleted && !m.EndsAt.Before(since) {
			ended = append(ended, m)
		}
	}
	details, err := v.maintenanceDetails(ctx, ended)
	if err != nil {
		return nil, err
	}
	out := make([]windowView, len(details))
	for i, d := range details {
		out[i] = windowView{MaintenanceDetail: d, State: store.MaintenanceCompleted}
	}
	return out, nil
}

// updatedAt is when anything the public sees last changed.
func (c current) updatedAt() time.Time { return c.dash.UpdatedAt }

// groups lays the components out as the page shows them: by group, then those in none.
func groups(d store.Dashboard) []groupView {
	byGroup := map[int64][]componentView{}
	for _, c := range d.Components {
		byGroup[c.GroupID] = append(byGroup[c.GroupID], componentView{Component: c})
	}
	var out []groupView
	for _, g := range d.Groups {
		members := byGroup[g.ID]
		if len(members) == 0 {
			continue
		}
		gv := groupView{ID: g.ID, Name: g.Name, Components: members, Status: worst(members)}
		switch g.Collapse {
		case store.Collapsed:
		case store.CollapsedUnlessIssues:
			gv.Open = gv.Status != store.Operational
		default:
			gv.Open = true
		}
		out = append(out, gv)
	}
	if none := byGroup[0]; len(none) > 0 {
		out = append(out, groupView{Components: none, Status: worst(none), Open: true})
	}
	return out
}

func worst(cs []componentView) store.Status {
	w := store.Operational
	for _, c := range cs {
		w = store.Worst(w, c.Effective)
	}
	return w
}

func (v *view) incidentPage(d store.IncidentDetail) (*Response, error) {
	s := v.site
	return s.execute(s.tmpl.incident, http.StatusOK, incidentPage{
		page:     page{Title: s.title, PageTitle: d.Title + " · " + s.title},
		Incident: d,
	})
}

// historyPageSize is how many incidents one page of the history lists. Pages are counted from
// the oldest, so a new incident changes only the newest page and the others keep their bytes.
const historyPageSize = 50

func (v *view) historyPage(ctx context.Context, n int) (*Response, error) {
	s := v.site
	ids, err := v.historyIDs(ctx)
	if err != nil {
		return nil, err
	}
	pages := max(1, (len(ids)+historyPageSize-1)/historyPageSize)
	if n > pages {
		return nil, errNotFound
	}
	chunk := ids[max(0, len(ids)-historyPageSize):] // /history: the newest
	if n > 0 {
		chunk = ids[min(len(ids), (n-1)*historyPageSize):min(len(ids), n*historyPageSize)]
	}
	var list []store.Incident
	if len(chunk) > 0 {
		list, err = s.pub.ResolvedIncidents(ctx, store.IncidentQuery{Before: chunk[len(chunk)-1] + 1, Limit: len(chunk)})
		if err != nil {
			return nil, err
		}
	}
	return s.renderHistory(list, n, pages)
}

// renderHistory draws page n of pages, or with n 0 the newest incidents (/history), a full
// page's worth even when page pages holds only a few.
func (s *Site) renderHistory(list []store.Incident, n, pages int) (*Response, error) {
	p := historyPage{
		page:      page{Title: s.title, PageTitle: "History · " + s.title},
		Incidents: list,
		Page:      n,
		Pages:     pages,
	}
	if n == 0 {
		if pages > 1 {
			p.Older = fmt.Sprintf("/history/%d", pages-1)
		}
		return s.execute(s.tmpl.history, http.StatusOK, p)
	}
	if n > 1 {
		p.PageTitle = fmt.Sprintf("History, page %d · %s", n, s.title)
		p.Older = fmt.Sprintf("/history/%d", n-1)
	}
	if n < pages {
		p.Newer = fmt.Sprintf("/history/%d", n+1)
	}
	return s.execute(s.tmpl.history, http.StatusOK, p)
}

func (s *Site) notFound() (*Response, error) {
	return s.execute(s.tmpl.notFound, http.StatusNotFound, page{Title: s.title, PageTitle: "Not found · " + s.title})
}

// announcement is what a window's card on the page says: the newest entry a responder wrote,
// not the "started" and "ended" lines Beacon adds by the clock; nil when there is none.
func announcement(ups []store.MaintenanceUpdate) *store.MaintenanceUpdate {
	for i := range ups {
		if !ups[i].ByTheClock() {
			return &ups[i]
		}
	}
	return nil
}

// templateFuncs are the functions the page templates call.
func (s *Site) templateFuncs() template.FuncMap {
	return template.FuncMap{
		"link":                    s.link,
		"incidentPath":            s.incidentPath,
		"maintenancePath":         s.maintenancePath,
		"markdown":                s.md.HTML,
		"iso":                     func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"when":                    func(t time.Time) string { return t.UTC().Format("Jan 2, 2006 15:04 UTC") },
		"day":                     func(t time.Time) string { return t.UTC().Format("2006-01-02") },
		"dayLabel":                func(t time.Time) string { return t.UTC().Format("Monday, January 2, 2006") },
		"phase":                   phase,
		"impact":                  glance.IncidentImpact,
		"impactLabel":             impactLabel,
		"bannerGlyph":             bannerGlyph,
		"timelineHTML":            s.timelineHTML,
		"impactsHTML":             impactsHTML,
		"incidentLineHTML":        s.incidentLineHTML,
		"maintenanceTimelineHTML": s.maintenanceTimelineHTML,
		"announcement":            announcement,
		"lastUpdate": func(ups []store.Update) *store.Update {
			if len(ups) == 0 {
				return nil
			}
			return &ups[0]
		},
	}
}
