package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"beacon/glance"
	"beacon/publicid"
	"beacon/store"
)

// The Statuspage documents under /api/v2/, with Statuspage's field names and shapes. Ids are
// strings, as Statuspage's are: incidents, their updates and maintenance windows by their
// public ids (package publicid), components by their numbers, and a group by "g" and its
// number, since groups and components share Statuspage's one list. Times are RFC 3339 in UTC
// with milliseconds.

type apiPage struct {
	ID        string  `json:"id"`
	Name      string  `json:"name"`
	URL       string  `json:"url"`
	TimeZone  string  `json:"time_zone"`
	UpdatedAt *string `json:"updated_at"`
}

type apiStatus struct {
	Indicator   string `json:"indicator"`
	Description string `json:"description"`
}

type apiComponent struct {
	ID                 string   `json:"id"`
	Name               string   `json:"name"`
	Status             string   `json:"status"`
	CreatedAt          string   `json:"created_at"`
	UpdatedAt          string   `json:"updated_at"`
	Position           int      `json:"position"`
	Description        *string  `json:"description"`
	Showcase           bool     `json:"showcase"`
	StartDate          *string  `json:"start_date"`
	GroupID            *string  `json:"group_id"`
	PageID             string   `json:"page_id"`
	Group              bool     `json:"group"`
	OnlyShowIfDegraded bool     `json:"only_show_if_degraded"`
	Components         []string `json:"components,omitempty"` // a group's members
}

type apiIncident struct {
	ID              string         `json:"id"`
	Name            string         `json:"name"`
	Status          string         `json:"status"`
	CreatedAt       string         `json:"created_at"`
	UpdatedAt       string         `json:"updated_at"`
	MonitoringAt    *string        `json:"monitoring_at"`
	ResolvedAt      *string        `json:"resolved_at"`
	Impact          string         `json:"impact"`
	Shortlink       string         `json:"shortlink"`
	StartedAt       string         `json:"started_at"`
	PageID          string         `json:"page_id"`
	IncidentUpdates []apiUpdate    `json:"incident_updates"`
	Components      []apiComponent `json:"components"`
}

type apiUpdate struct {
	ID                 string        `json:"id"`
	Status             string        `json:"status"`
	Body               string        `json:"body"`
	IncidentID         string        `json:"incident_id"`
	CreatedAt          string        `json:"created_at"`
	UpdatedAt          string        `json:"updated_at"`
	DisplayAt          string        `json:"display_at"`
	AffectedComponents []apiAffected `json:"affected_components"`
}

type apiAffected struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	OldStatus string `json:"old_status"`
	NewStatus string `json:"new_status"`
}

type apiSummaryDoc struct {
	Page                  apiPage          `json:"page"`
	Components            []apiComponent   `json:"components"`
	Incidents             []apiIncident    `json:"incidents"`
	ScheduledMaintenances []apiMaintenance `json:"scheduled_maintenances"`
	Status                apiStatus        `json:"status"`
}

type apiStatusDoc struct {
	Page   apiPage   `json:"page"`
	Status apiStatus `json:"status"`
}

type apiComponentsDoc struct {
	Page       apiPage        `json:"page"`
	Components []apiComponent `json:"components"`
}

type apiIncidentsDoc struct {
	Page      apiPage       `json:"page"`
	Incidents []apiIncident `json:"incidents"`
}

// pageID names the page in the API: Beacon serves one page per process.
const pageID = "beacon"

func (v *view) apiPage(cur current) apiPage {
	return apiPage{ID: pageID, Name: v.site.title, URL: v.site.pageURL(), TimeZone: "Etc/UTC", UpdatedAt: nullTime(cur.updatedAt())}
}

func jsonResponse(doc any) (*Response, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return newResponse(http.StatusOK, "application/json; charset=utf-8", buf.Bytes()), nil
}

func (v *view) apiSummary(ctx context.Context) (*Response, error) {
	cur, err := v.now(ctx)
	if err != nil {
		return nil, err
	}
	details, err := v.maintenanceDetails(ctx, cur.dash.Maintenances)
	if err != nil {
		return nil, err
	}
	maint := make([]apiMaintenance, 0, len(details))
	for _, d := range details {
		maint = append(maint, v.apiMaintenance(cur, d))
	}
	return jsonResponse(apiSummaryDoc{
		Page:                  v.apiPage(cur),
		Components:            apiComponents(cur),
		Incidents:             v.apiUnresolvedList(cur),
		ScheduledMaintenances: maint,
		Status:                apiStatus{string(cur.dash.Banner.Indicator), cur.dash.Banner.Description},
	})
}

func (v *view) apiStatus(ctx context.Context) (*Response, error) {
	cur, err := v.now(ctx)
	if err != nil {
		return nil, err
	}
	return jsonResponse(apiStatusDoc{v.apiPage(cur), apiStatus{string(cur.dash.Banner.Indicator), cur.dash.Banner.Description}})
}

func (v *view) apiComponents(ctx context.Context) (*Response, error) {
	cur, err := v.now(ctx)
	if err != nil {
		return nil, err
	}
	return jsonResponse(apiComponentsDoc{v.apiPage(cur), apiComponents(cur)})
}

func (v *view) apiUnresolved(ctx context.Context) (*Response, error) {
	cur, err := v.now(ctx)
	if err != nil {
		return nil, err
	}
	return jsonResponse(apiIncidentsDoc{v.apiPage(cur), v.apiUnresolvedList(cur)})
}

func (v *view) apiIncidents(ctx context.Context) (*Response, error) {
	cur, err := v.now(ctx)
	if err != nil {
		return nil, err
	}
	latest, err := v.latestIncidents(ctx)
	if err != nil {
		return nil, err
	}
	list := make([]apiIncident, 0, len(latest))
	for _, d := range latest {
		list = append(list, v.apiIncident(cur, d.Incident, d.Updates))
	}
	return jsonResponse(apiIncidentsDoc{v.apiPage(cur), list})
}

func (v *view) apiUnresolvedList(cur current) []apiIncident {
	list := make([]apiIncident, 0, len(cur.dash.Unresolved))
	for _, inc := range cur.dash.Unresolved {
		if ups, ok := cur.timelines[inc.ID]; ok {
			list = append(list, v.apiIncident(cur, inc, ups))
		}
	}
	return list
}

func componentID(id int64) string { return strconv.FormatInt(id, 10) }

func groupID(id int64) string { return "g" + strconv.FormatInt(id, 10) }

// apiComponents lists the groups and components as Statuspage does: each group is a row with
// group true and its members' ids, followed by its members; components in no group come last.
func apiComponents(cur current) []apiComponent {
	d := cur.dash
	out := make([]apiComponent, 0, len(d.Components)+len(d.Groups))
	for _, g := range groups(d) {
		if g.Name != "" {
			first := g.Components[0]
			row := apiComponent{
				ID: groupID(g.ID), Name: g.Name, Status: g.Status.Statuspage(),
				CreatedAt: glance.Time(first.CreatedAt), UpdatedAt: glance.Time(first.UpdatedAt),
				Position: len(out) + 1, PageID: pageID, Group: true,
				Components: make([]string, len(g.Components)),
			}
			for i, c := range g.Components {
				row.Components[i] = componentID(c.ID)
				if c.CreatedAt.Before(first.CreatedAt) {
					row.CreatedAt = glance.Time(c.CreatedAt)
				}
				if c.UpdatedAt.After(first.UpdatedAt) {
					row.UpdatedAt = glance.Time(c.UpdatedAt)
				}
			}
			out = append(out, row)
		}
		for _, c := range g.Components {
			row := apiComponentOf(c.Component)
			row.Position = len(out) + 1
			out = append(out, row)
		}
	}
	return out
}

func apiComponentOf(c store.Component) apiComponent {
	row := apiComponent{
		ID: componentID(c.ID), Name: c.Name, Status: c.Effective.Statuspage(),
		CreatedAt: glance.Time(c.CreatedAt), UpdatedAt: glance.Time(c.UpdatedAt),
		Position: c.Position, Showcase: true, PageID: pageID,
	}
	if c.Description != "" {
		d := c.Description
		row.Description = &d
	}
	if !c.CreatedAt.IsZero() {
		d := c.CreatedAt.UTC().Format(time.DateOnly)
		row.StartDate = &d
	}
	if c.GroupID != 0 {
		g := groupID(c.GroupID)
		row.GroupID = &g
	}
	return row
}

func (v *view) apiIncident(cur current, inc store.Incident, updates []store.Update) apiIncident {
	id := v.site.publicID(publicid.Incident, inc.ID)
	out := apiIncident{
		ID:              id,
		Name:            inc.Title,
		Status:          inc.Status.Statuspage(),
		CreatedAt:       glance.Time(inc.CreatedAt),
		UpdatedAt:       glance.Time(inc.UpdatedAt),
		ResolvedAt:      nullTime(inc.ResolvedAt),
		Impact:          glance.IncidentImpact(inc),
		Shortlink:       v.site.abs("/incidents/" + id),
		StartedAt:       glance.Time(inc.OccurredAt),
		PageID:          pageID,
		IncidentUpdates: make([]apiUpdate, 0, len(updates)),
		Components:      make([]apiComponent, 0, len(inc.Impacts)+len(inc.Lifted)),
	}
	for _, u := range updates {
		if u.Status == store.Watching {
			out.MonitoringAt = nullTime(u.CreatedAt) // updates are newest first: the first watch wins
		}
		row := apiUpdate{
			ID: v.site.publicID(publicid.IncidentUpdate, u.ID), Status: u.Status.Statuspage(), Body: u.Message, IncidentID: id,
			CreatedAt: glance.Time(u.CreatedAt), UpdatedAt: glance.Time(u.CreatedAt), DisplayAt: glance.Time(u.CreatedAt),
		}
		for _, ch := range u.Changes {
			row.AffectedComponents = append(row.AffectedComponents, apiAffected{
				Code: componentID(ch.ComponentID), Name: ch.ComponentName,
				OldStatus: impactStatus(ch.Old), NewStatus: impactStatus(ch.New),
			})
		}
		out.IncidentUpdates = append(out.IncidentUpdates, row)
	}
	for _, m := range inc.Affected() {
		if c, ok := cur.byID[m.ComponentID]; ok {
			out.Components = append(out.Components, apiComponentOf(c))
		}
	}
	return out
}

func impactStatus(s store.Status) string {
	if s == "" {
		return store.Operational.Statuspage()
	}
	return s.Statuspage()
}

func isoMS(t time.Time) string { return glance.Time(t) }

func nullTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := glance.Time(t)
	return &s
}
