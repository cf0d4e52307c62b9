package glance

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"

	"beacon/sanitize"
	"beacon/store"
)

// PageName is the page name the JSON summary reports.
const PageName = "Beacon"

// Summary is `beacon status --json`: Statuspage's summary document with its field names.
// Times are RFC 3339 in UTC with milliseconds; a missing time is null.
type Summary struct {
	Page       Page        `json:"page"`
	Status     Status      `json:"status"`
	Components []Component `json:"components"`
	Incidents  []Incident  `json:"incidents"`

	// ScheduledMaintenances are the windows in progress and those of the next seven days.
	ScheduledMaintenances []Maintenance `json:"scheduled_maintenances"`
}

// Page names the status page and says when anything on it last changed.
type Page struct {
	Name      string  `json:"name"`
	UpdatedAt *string `json:"updated_at"`
}

// Status is the overall banner: indicator none, minor, major, critical or maintenance.
type Status struct {
	Indicator   string `json:"indicator"`
	Description string `json:"description"`
}

// Component is one component with its effective status under its Statuspage name
// (operational, degraded_performance, partial_outage, major_outage, under_maintenance, unknown).
type Component struct {
	ID          int64   `json:"id"`
	Name        string  `json:"name"`
	Status      string  `json:"status"`
	GroupID     *int64  `json:"group_id"`
	GroupName   *string `json:"group_name"`
	Position    int     `json:"position"`
	Description string  `json:"description"`
	UpdatedAt   string  `json:"updated_at"`
}

// Incident is one incident. Status is Statuspage's incident status (investigating, identified,
// monitoring, resolved); Impact is its peak impact (none, minor, major, critical): the worst it
// imposed on any component at any time, see store.Incident.PeakImpact. IncidentUpdates, newest
// first, is left out of incident lists.
type Incident struct {
	ID              int64               `json:"id"`
	Name            string              `json:"name"`
	Status          string              `json:"status"`
	Impact          string              `json:"impact"`
	Visibility      string              `json:"visibility"`
	CreatedAt       string              `json:"created_at"`
	UpdatedAt       string              `json:"updated_at"`
	ResolvedAt      *string             `json:"resolved_at"`
	IncidentUpdates []IncidentUpdate    `json:"incident_updates,omitempty"`
	Components      []AffectedComponent `json:"components"`
	// EarlierComponents are those the incident affected and no longer does, each with the
	// worst impact it had there; empty, never missing, when there are none.
	EarlierComponents []AffectedComponent `json:"earlier_components"`
}

// IncidentUpdate is one entry of an incident's timeline: Body is its Markdown message, Author
// who posted it, AffectedComponents the impact changes it made (left out when none).
type IncidentUpdate struct {
	ID                 int64          `json:"id"`
	Status             string         `json:"status"`
	Body               string         `json:"body"`
	CreatedAt          string         `json:"created_at"`
	Author             string         `json:"author"`
	AffectedComponents []ImpactChange `json:"affected_components,omitempty"`
}

// ImpactChange is one change an update made to what its incident imposes on a component, as
// Statuspage component statuses; "operational" means no impact.
type ImpactChange struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	OldStatus string `json:"old_status"`
	NewStatus string `json:"new_status"`
}

// AffectedComponent is what an incident imposes on one component (Impact) and the worst it
// imposed there at any time (WorstImpact), as Statuspage component statuses
// (degraded_performance, partial_outage or major_outage).
type AffectedComponent struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Impact      string `json:"impact"`
	WorstImpact string `json:"worst_impact"`
}

// NewSummary builds the summary from a dashboard and the timelines of its unresolved incidents
// (keyed by incident id, newest update first). Disabled components are left out, as on the
// text glance.
func NewSummary(d store.Dashboard, timelines map[int64][]store.Update) Summary {
	sum := Summary{
		Page:       Page{Name: PageName, UpdatedAt: nullTime(d.UpdatedAt)},
		Status:     Status{Indicator: string(d.Banner.Indicator), Description: d.Banner.Description},
		Components: []Component{},
		Incidents:  make([]Incident, 0, len(d.Unresolved)),
	}
	for _, c := range d.Components {
		if c.Enabled {
			sum.Components = append(sum.Components, NewComponent(c))
		}
	}
	for _, inc := range d.Unresolved {
		sum.Incidents = append(sum.Incidents, NewIncident(inc, timelines[inc.ID]))
	}
	sum.ScheduledMaintenances = make([]Maintenance, len(d.Maintenances))
	for i, m := range d.Maintenances {
		sum.ScheduledMaintenances[i] = NewMaintenance(m, nil, d.Now)
	}
	return sum
}

// Summarize reads the timelines of the unresolved incidents from st and builds d's summary.
func Summarize(ctx context.Context, st *store.Store, d store.Dashboard) (Summary, error) {
	timelines, err := st.UnresolvedTimelines(ctx)
	if err != nil {
		return Summary{}, err
	}
	sum := NewSummary(d, timelines)
	ids := make([]int64, len(d.Maintenances))
	for i, m := range d.Maintenances {
		ids[i] = m.ID
	}
	windows, err := st.MaintenanceTimelines(ctx, ids)
	if err != nil {
		return Summary{}, err
	}
	for i, m := range d.Maintenances {
		sum.ScheduledMaintenances[i] = NewMaintenance(m, windows[m.ID], d.Now)
	}
	return sum, nil
}

// NewComponent is a component as the summary shows it.
func NewComponent(c store.Component) Component {
	out := Component{
		ID:          c.ID,
		Name:        c.Name,
		Status:      c.Effective.Statuspage(),
		Position:    c.Position,
		Description: c.Description,
		UpdatedAt:   Time(c.UpdatedAt),
	}
	if c.GroupID != 0 {
		id, name := c.GroupID, c.GroupName
		out.GroupID, out.GroupName = &id, &name
	}
	return out
}

// NewIncident is an incident as the summary shows it, with the given updates (nil leaves the
// timeline out).
func NewIncident(inc store.Incident, updates []store.Update) Incident {
	out := Incident{
		ID:                inc.ID,
		Name:              inc.Title,
		Status:            inc.Status.Statuspage(),
		Impact:            IncidentImpact(inc),
		Visibility:        string(inc.Visibility),
		CreatedAt:         Time(inc.CreatedAt),
		UpdatedAt:         Time(inc.UpdatedAt),
		ResolvedAt:        nullTime(inc.ResolvedAt),
		Components:        make([]AffectedComponent, len(inc.Impacts)),
		EarlierComponents: make([]AffectedComponent, len(inc.Lifted)),
	}
	for i, m := range inc.Impacts {
		out.Components[i] = newAffected(m)
	}
	for i, m := range inc.Lifted {
		out.EarlierComponents[i] = newAffected(m)
	}
	if updates != nil {
		out.IncidentUpdates = make([]IncidentUpdate, len(updates))
		for i, u := range updates {
			out.IncidentUpdates[i] = newUpdate(u)
		}
	}
	return out
}

func newAffected(m store.Impact) AffectedComponent {
	return AffectedComponent{ID: m.ComponentID, Name: m.ComponentName, Impact: m.Status.Statuspage(),
		WorstImpact: m.Peak().Statuspage()}
}

func newUpdate(u store.Update) IncidentUpdate {
	out := IncidentUpdate{ID: u.ID, Status: u.Status.Statuspage(), Body: u.Message, CreatedAt: Time(u.CreatedAt), Author: u.Author}
	for _, ch := range u.Changes {
		out.AffectedComponents = append(out.AffectedComponents, ImpactChange{
			ID: ch.ComponentID, Name: ch.ComponentName, OldStatus: impactStatus(ch.Old), NewStatus: impactStatus(ch.New),
		})
	}
	return out
}

func impactStatus(s store.Status) string {
	if s == "" {
		return store.Operational.Statuspage()
	}
	return s.Statuspage()
}

// IncidentImpact is an incident's impact as every surface names it: its peak impact
// (store.Incident.PeakImpact) as Statuspage's incident impact, none, minor, major or critical.
func IncidentImpact(inc store.Incident) string { return ImpactLevel(inc.PeakImpact()) }

// ImpactLevel names a status as Statuspage's incident impact: performance issues are minor, a
// partial outage major, a major outage critical, anything else none.
func ImpactLevel(worst store.Status) string {
	switch worst {
	case store.PerformanceIssues:
		return "minor"
	case store.PartialOutage:
		return "major"
	case store.MajorOutage:
		return "critical"
	}
	return "none"
}

// timeLayout is RFC 3339 in UTC with milliseconds, the precision the store keeps.
const timeLayout = "2006-01-02T15:04:05.000Z07:00"

// Time formats t as the JSON documents do.
func Time(t time.Time) string { return t.UTC().Format(timeLayout) }

func nullTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := Time(t)
	return &s
}

// MarshalIndent is json.MarshalIndent without HTML escaping and with every character that
// sanitize.Unsafe reports (C0 and C1 controls, DEL, bidi overrides) written as a \u escape: the
// same data, but inert when the document is printed to a terminal.
func MarshalIndent(v any, prefix, indent string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, indent)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	data := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if !mayHoldUnsafe(data) {
		return data, nil
	}
	out := make([]byte, 0, len(data)+16)
	for _, r := range string(data) {
		if r >= 0x7f && sanitize.Unsafe(r) {
			out = fmt.Appendf(out, `\u%04x`, r)
			continue
		}
		out = utf8.AppendRune(out, r)
	}
	return out, nil
}

// mayHoldUnsafe is a fast check for what encoding/json leaves raw and sanitize.Unsafe
// reports: DEL, and the UTF-8 lead bytes of C1 controls (0xC2) and of the bidi characters (0xE2).
func mayHoldUnsafe(data []byte) bool {
	for _, c := range data {
		if c == 0x7f || c == 0xc2 || c == 0xe2 {
			return true
		}
	}
	return false
}
