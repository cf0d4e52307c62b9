package glance

import (
	"fmt"
	"strings"
	"time"

	"beacon/sanitize"
	"beacon/store"
	"beacon/theme"
	"beacon/when"
)

// maxUpcoming is how many scheduled windows the text glance lists.
const maxUpcoming = 3

// writeMaintenance lists the windows in progress and the next scheduled ones; nothing when
// there are none.
func writeMaintenance(b *strings.Builder, s *theme.Styles, d store.Dashboard) {
	inProgress, upcoming := d.InProgress(), d.Upcoming()
	if len(inProgress) > 0 {
		b.WriteString("\n" + s.Title.Render("Maintenance in progress") + "\n")
		for _, m := range inProgress {
			b.WriteString("  " + MaintenanceLine(m, d.Now, s) + "\n")
		}
	}
	if len(upcoming) > 0 {
		b.WriteString("\n" + s.Title.Render("Scheduled maintenance") + "\n")
		for _, m := range upcoming[:min(len(upcoming), maxUpcoming)] {
			b.WriteString("  " + MaintenanceLine(m, d.Now, s) + "\n")
		}
		if more := len(upcoming) - maxUpcoming; more > 0 {
			b.WriteString("  " + s.Faint.Render(fmt.Sprintf("and %d more this week; 'beacon maintenance list' shows them all", more)) + "\n")
		}
	}
}

// MaintenanceLine is a window on one line: id, title, when (by its state at now) and the
// components it covers, and "internal" when it is.
func MaintenanceLine(m store.Maintenance, now time.Time, s *theme.Styles) string {
	var span string
	switch st := m.State(now); st {
	case store.MaintenanceInProgress:
		span = "in progress until " + clock(m.EndsAt, m.StartsAt)
	case store.MaintenanceScheduled:
		span = fmt.Sprintf("%s → %s (%s)", clock(m.StartsAt, now), clock(m.PlannedEndsAt, m.StartsAt), when.Until(m.StartsAt, now))
	default:
		span = strings.ToLower(st.Label()) + " " + clock(m.EndsAt, now)
	}
	line := fmt.Sprintf("%s %s %s %s %s %s", s.Faint.Render(fmt.Sprintf("#%d", m.ID)), s.Normal.Render(sanitize.Line(m.Title)),
		s.Faint.Render("·"), s.StatusGlyph(store.UnderMaintenance)+" "+s.Normal.Render(span), s.Faint.Render("·"),
		s.Normal.Render(sanitize.Line(m.ComponentNames())))
	if m.Visibility == store.Internal {
		line += " " + s.Faint.Render("· internal")
	}
	return line
}

// clock shows t in local time: the time alone when it falls on the same day as ref, the date
// too otherwise.
func clock(t, ref time.Time) string {
	t, ref = t.Local(), ref.Local()
	if y, m, d := t.Date(); y == ref.Year() && m == ref.Month() && d == ref.Day() {
		return t.Format("15:04")
	}
	return t.Format("Mon 2 Jan 15:04")
}

// Maintenance is one scheduled maintenance as Statuspage shows it: Status is scheduled,
// in_progress or completed (a cancelled window is completed, with CancelledAt set);
// ScheduledFor and ScheduledUntil are the planned window; ResolvedAt is when it ended.
// IncidentUpdates, newest first, is left out of lists.
type Maintenance struct {
	ID              int64                  `json:"id"`
	Name            string                 `json:"name"`
	Status          string                 `json:"status"`
	Impact          string                 `json:"impact"`
	Visibility      string                 `json:"visibility"`
	CreatedAt       string                 `json:"created_at"`
	UpdatedAt       string                 `json:"updated_at"`
	StartedAt       *string                `json:"started_at"`
	ResolvedAt      *string                `json:"resolved_at"`
	CancelledAt     *string                `json:"cancelled_at"`
	ScheduledFor    string                 `json:"scheduled_for"`
	ScheduledUntil  string                 `json:"scheduled_until"`
	Recurrence      *string                `json:"recurrence"`
	IncidentUpdates []MaintenanceUpdate    `json:"incident_updates,omitempty"`
	Components      []MaintenanceComponent `json:"components"`
}

// MaintenanceUpdate is one entry of a window's timeline.
type MaintenanceUpdate struct {
	ID        int64  `json:"id"`
	Status    string `json:"status"`
	Body      string `json:"body"`
	CreatedAt string `json:"created_at"`
	Author    string `json:"author"`
}

// MaintenanceComponent is one component a window covers.
type MaintenanceComponent struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// NewMaintenance is a window as the JSON documents show it at now, with the given timeline
// (nil leaves it out).
func NewMaintenance(m store.Maintenance, updates []store.MaintenanceUpdate, now time.Time) Maintenance {
	st := m.State(now)
	out := Maintenance{
		ID:             m.ID,
		Name:           m.Title,
		Status:         st.Statuspage(),
		Impact:         "maintenance",
		Visibility:     string(m.Visibility),
		CreatedAt:      Time(m.CreatedAt),
		UpdatedAt:      Time(m.UpdatedAt),
		CancelledAt:    nullTime(m.CancelledAt),
		ScheduledFor:   Time(m.EffectiveStart()),
		ScheduledUntil: Time(m.PlannedEndsAt),
		Components:     make([]MaintenanceComponent, len(m.Components)),
	}
	if start := m.EffectiveStart(); !now.Before(start) && m.EndsAt.After(start) {
		out.StartedAt = nullTime(start)
	}
	if at := m.ResolvedAt(now); !at.IsZero() {
		out.ResolvedAt = nullTime(at)
	}
	if m.Every != store.Once {
		every := string(m.Every)
		out.Recurrence = &every
	}
	for i, c := range m.Components {
		out.Components[i] = MaintenanceComponent{ID: c.ID, Name: c.Name}
	}
	if updates != nil {
		out.IncidentUpdates = make([]MaintenanceUpdate, len(updates))
		for i, u := range updates {
			out.IncidentUpdates[i] = MaintenanceUpdate{ID: u.ID, Status: u.Status.Statuspage(), Body: u.Body(),
				CreatedAt: Time(u.CreatedAt), Author: u.Author}
		}
	}
	return out
}
