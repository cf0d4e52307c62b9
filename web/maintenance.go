package web

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"strings"
	"time"

	"beacon/publicid"
	"beacon/store"
)

// Maintenance windows on the site: their pages, their place on the status page, and
// Statuspage's scheduled-maintenances documents. Only public windows, read through the
// public reader; an internal one is not found.

// maintenanceTimelineHTML is a window's updates, newest first, as the pages show them.
func (s *Site) maintenanceTimelineHTML(ups []store.MaintenanceUpdate) template.HTML {
	var b strings.Builder
	b.WriteString(`<ol class="timeline" reversed>` + "\n")
	for _, u := range ups {
		b.WriteString(`<li class="update">` + "\n" + `<p class="update-head"><strong class="phase">`)
		b.WriteString(template.HTMLEscapeString(u.Status.Label()))
		b.WriteString(`</strong> `)
		writeTime(&b, u.CreatedAt)
		b.WriteString("</p>\n" + `<div class="message">`)
		b.WriteString(string(s.md.HTML(u.Body())))
		b.WriteString("</div>\n</li>\n")
	}
	b.WriteString("</ol>")
	return template.HTML(b.String())
}

// windowView is a window as a page shows it.
type windowView struct {
	store.MaintenanceDetail
	State store.MaintenanceState
}

// windowOutcome is how a window ended other than by the clock, and when: the page and the
// feeds say it beside the planned window, which they always show as announced.
type windowOutcome struct {
	Text string
	At   time.Time
}

// Outcome says that the window was cancelled, finished early or posted once over; nil for
// one the clock runs.
func (w windowView) Outcome() *windowOutcome { return outcomeOf(w.Maintenance) }

func outcomeOf(m store.Maintenance) *windowOutcome {
	switch {
	case !m.CancelledAt.IsZero() && m.CancelledAt.Before(m.StartsAt):
		return &windowOutcome{"Cancelled before it began, at", m.CancelledAt}
	case !m.CancelledAt.IsZero():
		return &windowOutcome{"Cancelled at", m.CancelledAt}
	case !m.FinishedAt.IsZero():
		return &windowOutcome{"Finished early at", m.FinishedAt}
	case m.AfterTheFact():
		return &windowOutcome{"Posted after it had ended, at", m.CreatedAt}
	}
	return nil
}

type maintenancePage struct {
	page
	Window windowView
}

// maintenanceDetails reads the timelines of windows.
func (v *view) maintenanceDetails(ctx context.Context, list []store.Maintenance) ([]store.MaintenanceDetail, error) {
	out := make([]store.MaintenanceDetail, 0, len(list))
	for _, m := range list {
		d, err := v.site.pub.Maintenance(ctx, m.ID)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

func (v *view) maintenancePage(ctx context.Context, id int64, now time.Time) (*Response, error) {
	d, err := v.site.pub.Maintenance(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, err
	}
	return v.renderMaintenance(d, now)
}

func (v *view) renderMaintenance(d store.MaintenanceDetail, now time.Time) (*Response, error) {
	s := v.site
	return s.execute(s.tmpl.maintenance, http.StatusOK, maintenancePage{
		page:   page{Title: s.title, PageTitle: d.Title + " · " + s.title},
		Window: windowView{MaintenanceDetail: d, State: d.State(now)},
	})
}

// Statuspage's scheduled maintenance: an incident with a window and its own statuses.
type apiMaintenance struct {
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
	IncidentUpdates []apiMaintUp   `json:"incident_updates"`
	Components      []apiComponent `json:"components"`
	ScheduledFor    string         `json:"scheduled_for"`
	ScheduledUntil  string         `json:"scheduled_until"`
}

type apiMaintUp struct {
	ID         string `json:"id"`
	Status     string `json:"status"`
	Body       string `json:"body"`
	IncidentID string `json:"incident_id"`
	CreatedAt  string `json:"created_at"`
	UpdatedAt  string `json:"updated_at"`
	DisplayAt  string `json:"display_at"`
}

type apiMaintenancesDoc struct {
	Page                  apiPage          `json:"page"`
	ScheduledMaintenances []apiMaintenance `json:"scheduled_maintenances"`
}

func (v *view) apiMaintenance(cur current, d store.MaintenanceDetail) apiMaintenance {
	id := v.site.publicID(publicid.Maintenance, d.ID)
	state := d.State(cur.dash.Now)
	out := apiMaintenance{
		ID: id, Name: d.Title, Status: state.Statuspage(),
		CreatedAt: isoMS(d.CreatedAt), UpdatedAt: isoMS(d.UpdatedAt),
		Impact: "maintenance", Shortlink: v.site.abs("/maintenance/" + id),
		StartedAt: isoMS(d.EffectiveStart()), PageID: pageID,
		ScheduledFor: isoMS(d.EffectiveStart()), ScheduledUntil: isoMS(d.PlannedEndsAt),
		IncidentUpdates: make([]apiMaintUp, 0, len(d.Updates)),
		Components:      make([]apiComponent, 0, len(d.Components)),
	}
	if at := d.ResolvedAt(cur.dash.Now); !at.IsZero() {
		out.ResolvedAt = nullTime(at)
	}
	for _, u := range d.Updates {
		out.IncidentUpdates = append(out.IncidentUpdates, apiMaintUp{
			ID: v.site.publicID(publicid.MaintenanceUpdate, u.ID), Status: u.Status.Statuspage(), Body: u.Body(), IncidentID: id,
			CreatedAt: isoMS(u.CreatedAt), UpdatedAt: isoMS(u.CreatedAt), DisplayAt: isoMS(u.CreatedAt),
		})
	}
	for _, c := range d.Components {
		if comp, ok := cur.byID[c.ID]; ok {
			out.Components = append(out.Components, apiComponentOf(comp))
		}
	}
	return out
}

// maintenanceFeedLength is how many windows scheduled-maintenances.json lists.
const maintenanceFeedLength = 50

// apiMaintenances lists windows for one of the documents: "all" (the newest, any state),
// "upcoming" (scheduled) or "active" (in progress).
func (v *view) apiMaintenances(ctx context.Context, which string) ([]apiMaintenance, error) {
	cur, err := v.now(ctx)
	if err != nil {
		return nil, err
	}
	var list []store.Maintenance
	switch which {
	case "all":
		if list, err = v.windows(ctx); err != nil {
			return nil, err
		}
	case "upcoming":
		list = cur.dash.Upcoming()
	case "active":
		list = cur.dash.InProgress()
	}
	details, err := v.maintenanceDetails(ctx, list)
	if err != nil {
		return nil, err
	}
	out := make([]apiMaintenance, 0, len(details))
	for _, d := range details {
		out = append(out, v.apiMaintenance(cur, d))
	}
	return out, nil
}

func (v *view) apiMaintenanceDoc(ctx context.Context, which string) (*Response, error) {
	cur, err := v.now(ctx)
	if err != nil {
		return nil, err
	}
	list, err := v.apiMaintenances(ctx, which)
	if err != nil {
		return nil, err
	}
	return jsonResponse(apiMaintenancesDoc{v.apiPage(cur), list})
}
