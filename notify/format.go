package notify

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"beacon/glance"
	"beacon/publicid"
	"beacon/store"
)

// Page is the status page an event is sent from: its identity and its overall status as the
// endpoint's audience sees it when the event is sent.
type Page struct {
	ID          string // Statuspage's page.id; "beacon" when empty
	Name        string // shown in Slack messages; "Beacon" when empty
	URL         string // the public page, for links; none when empty
	Indicator   store.Indicator
	Description string

	// IDs names incidents, their updates and maintenance windows by the site's public ids
	// (package publicid), under the database's key. Render refuses an event about such a
	// record when it is nil.
	IDs *publicid.Codec
	// Internal is set for an endpoint that receives internal events: its Slack and JSON
	// bodies carry the store's numbers too, which responders use with the command line.
	Internal bool
}

func (p Page) id() string {
	if p.ID == "" {
		return "beacon"
	}
	return p.ID
}

func (p Page) name() string {
	if p.Name == "" {
		return glance.PageName
	}
	return p.Name
}

func (p Page) link(path string) string {
	if p.URL == "" {
		return ""
	}
	return strings.TrimRight(p.URL, "/") + path
}

// publicID is the site's id of the record of kind numbered id.
func (p Page) publicID(kind publicid.Kind, id int64) string { return p.IDs.Encode(kind, id) }

// recordLink is the site's page of a public incident or window ("" for an internal one, which
// has no page, or when the page has no URL).
func (p Page) recordLink(kind publicid.Kind, id int64, vis store.Visibility) string {
	if vis != store.Public {
		return ""
	}
	dir := "/incidents/"
	if kind == publicid.Maintenance {
		dir = "/maintenance/"
	}
	return p.link(dir + p.publicID(kind, id))
}

// number is id for an endpoint that receives internal events, 0 (left out) for others.
func (p Page) number(id int64) int64 {
	if !p.Internal {
		return 0
	}
	return id
}

// Render is the body of ev in format, sent at now from page.
func Render(format string, ev store.Event, page Page, now time.Time) ([]byte, error) {
	if page.IDs == nil && (ev.Incident != nil || ev.Maintenance != nil) {
		return nil, errors.New("no public ids to name the event's records by")
	}
	var v any
	switch format {
	case store.FormatStatuspage, "":
		v = statuspageBody(ev, page, now)
	case store.FormatSlack:
		v = slackBody(ev, page)
	case store.FormatJSON:
		v = jsonBody(ev, page)
	default:
		return nil, fmt.Errorf("unknown webhook format %q", format)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// NewTestEvent is the event `beacon webhook test` sends: about nothing, so that a receiver that
// acts on incidents and components ignores it.
func NewTestEvent(now time.Time) store.Event {
	return store.Event{Type: store.EventTest, At: now}
}

// ---- Statuspage ----

// The shapes of Statuspage's webhook bodies, with their field names. Incidents, updates and
// windows go by the site's public ids; components by their numbers, as strings (as on the
// site's API).
type spBody struct {
	Meta            spMeta             `json:"meta"`
	Page            spPage             `json:"page"`
	Incident        *spIncident        `json:"incident,omitempty"`
	ComponentUpdate *spComponentUpdate `json:"component_update,omitempty"`
	Component       *spComponent       `json:"component,omitempty"`
}

type spMeta struct {
	Unsubscribe   *string `json:"unsubscribe"`
	Documentation string  `json:"documentation"`
	GeneratedAt   string  `json:"generated_at"`
}

type spPage struct {
	ID                string `json:"id"`
	StatusIndicator   string `json:"status_indicator"`
	StatusDescription string `json:"status_description"`
}

type spIncident struct {
	ID                            string             `json:"id"`
	PageID                        string             `json:"page_id"`
	Name                          string             `json:"name"`
	Status                        string             `json:"status"`
	Impact                        string             `json:"impact"`
	ImpactOverride                *string            `json:"impact_override"`
	CreatedAt                     string             `json:"created_at"`
	UpdatedAt                     string             `json:"updated_at"`
	MonitoringAt                  *string            `json:"monitoring_at"`
	ResolvedAt                    *string            `json:"resolved_at"`
	Shortlink                     string             `json:"shortlink"`
	Backfilled                    bool               `json:"backfilled"`
	ScheduledFor                  *string            `json:"scheduled_for"`
	ScheduledUntil                *string            `json:"scheduled_until"`
	ScheduledRemindPrior          bool               `json:"scheduled_remind_prior"`
	ScheduledRemindedAt           *string            `json:"scheduled_reminded_at"`
	ScheduledAutoInProgress       bool               `json:"scheduled_auto_in_progress"`
	ScheduledAutoCompleted        bool               `json:"scheduled_auto_completed"`
	PostmortemBody                *string            `json:"postmortem_body"`
	PostmortemBodyLastUpdatedAt   *string            `json:"postmortem_body_last_updated_at"`
	PostmortemIgnored             bool               `json:"postmortem_ignored"`
	PostmortemPublishedAt         *string            `json:"postmortem_published_at"`
	PostmortemNotifiedSubscribers bool               `json:"postmortem_notified_subscribers"`
	PostmortemNotifiedTwitter     bool               `json:"postmortem_notified_twitter"`
	IncidentUpdates               []spIncidentUpdate `json:"incident_updates"`
	Components                    []spComponent      `json:"components"`
}

type spIncidentUpdate struct {
	ID                   string       `json:"id"`
	IncidentID           string       `json:"incident_id"`
	Status               string       `json:"status"`
	Body                 string       `json:"body"`
	CreatedAt            string       `json:"created_at"`
	UpdatedAt            string       `json:"updated_at"`
	DisplayAt            string       `json:"display_at"`
	AffectedComponents   []spAffected `json:"affected_components"`
	DeliverNotifications bool         `json:"deliver_notifications"`
	WantsTwitterUpdate   bool         `json:"wants_twitter_update"`
	TwitterUpdatedAt     *string      `json:"twitter_updated_at"`
	CustomTweet          *string      `json:"custom_tweet"`
}

type spAffected struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	OldStatus string `json:"old_status"`
	NewStatus string `json:"new_status"`
}

type spComponent struct {
	ID          string  `json:"id"`
	PageID      string  `json:"page_id"`
	GroupID     *string `json:"group_id"`
	Name        string  `json:"name"`
	Status      string  `json:"status"`
	Description *string `json:"description"`
	Position    int     `json:"position"`
	Showcase    bool    `json:"showcase"`
	CreatedAt   string  `json:"created_at"`
	UpdatedAt   string  `json:"updated_at"`
}

type spComponentUpdate struct {
	ID            string `json:"id"`
	ComponentID   string `json:"component_id"`
	ComponentType string `json:"component_type"`
	OldStatus     string `json:"old_status"`
	NewStatus     string `json:"new_status"`
	CreatedAt     string `json:"created_at"`
}

func sid(id int64) string { return strconv.FormatInt(id, 10) }

func ptime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := glance.Time(t)
	return &s
}

func statuspageBody(ev store.Event, page Page, now time.Time) spBody {
	b := spBody{
		Meta: spMeta{Documentation: "https://support.atlassian.com/statuspage/docs/enable-webhook-notifications/", GeneratedAt: glance.Time(now)},
		Page: spPage{ID: page.id(), StatusIndicator: string(page.Indicator), StatusDescription: page.Description},
	}
	switch {
	case ev.Incident != nil:
		b.Incident = spIncidentOf(*ev.Incident, page)
	case ev.Maintenance != nil:
		b.Incident = spMaintenanceOf(ev, page)
	case ev.Component != nil:
		c := *ev.Component
		b.ComponentUpdate = &spComponentUpdate{
			ID: sid(ev.ID), ComponentID: sid(c.ID), ComponentType: "Component",
			OldStatus: ev.Old.Statuspage(), NewStatus: ev.New.Statuspage(), CreatedAt: glance.Time(ev.At),
		}
		comp := spComponentOf(c, page)
		comp.Status = ev.New.Statuspage()
		b.Component = &comp
	}
	return b
}

func spComponentOf(c store.Component, page Page) spComponent {
	out := spComponent{
		ID: sid(c.ID), PageID: page.id(), Name: c.Name, Status: c.Effective.Statuspage(), Position: c.Position,
		Showcase: c.Enabled, UpdatedAt: glance.Time(c.UpdatedAt), CreatedAt: glance.Time(c.UpdatedAt),
	}
	if c.GroupID != 0 {
		g := sid(c.GroupID)
		out.GroupID = &g
	}
	if c.Description != "" {
		d := c.Description
		out.Description = &d
	}
	return out
}

func spIncidentOf(d store.IncidentDetail, page Page) *spIncident {
	id := page.publicID(publicid.Incident, d.ID)
	inc := &spIncident{
		ID: id, PageID: page.id(), Name: d.Title, Status: d.Status.Statuspage(),
		Impact: glance.IncidentImpact(d.Incident), CreatedAt: glance.Time(d.CreatedAt), UpdatedAt: glance.Time(d.UpdatedAt),
		ResolvedAt: ptime(d.ResolvedAt), Shortlink: page.recordLink(publicid.Incident, d.ID, d.Visibility),
		IncidentUpdates: make([]spIncidentUpdate, 0, len(d.Updates)), Components: []spComponent{},
	}
	for _, u := range d.Updates {
		if u.Status == store.Watching {
			inc.MonitoringAt = ptime(u.CreatedAt) // the oldest one wins: updates are newest first
		}
		up := spIncidentUpdate{
			ID: page.publicID(publicid.IncidentUpdate, u.ID), IncidentID: id, Status: u.Status.Statuspage(), Body: u.Message,
			CreatedAt: glance.Time(u.CreatedAt), UpdatedAt: glance.Time(u.CreatedAt), DisplayAt: glance.Time(u.CreatedAt),
			AffectedComponents: []spAffected{}, DeliverNotifications: true,
		}
		for _, ch := range u.Changes {
			up.AffectedComponents = append(up.AffectedComponents, spAffected{
				Code: sid(ch.ComponentID), Name: ch.ComponentName, OldStatus: impactName(ch.Old), NewStatus: impactName(ch.New),
			})
		}
		inc.IncidentUpdates = append(inc.IncidentUpdates, up)
	}
	for _, m := range d.Impacts {
		status := m.Status.Statuspage()
		if d.Resolved() {
			status = store.Operational.Statuspage()
		}
		inc.Components = append(inc.Components, spComponent{
			ID: sid(m.ComponentID), PageID: page.id(), Name: m.ComponentName, Status: status, Showcase: true,
			CreatedAt: glance.Time(d.CreatedAt), UpdatedAt: glance.Time(d.UpdatedAt),
		})
	}
	return inc
}

// spMaintenanceOf is a maintenance window as Statuspage sends one: an incident whose
// scheduled_for and scheduled_until are set, with the maintenance statuses (scheduled,
// in_progress, completed; a cancelled window is completed) and impact "maintenance". Its id
// is the window's public id, which the site's maintenance API gives it too.
func spMaintenanceOf(ev store.Event, page Page) *spIncident {
	m := ev.Maintenance
	state := ev.MaintenanceState()
	id := page.publicID(publicid.Maintenance, m.ID)
	updated := m.CreatedAt
	if len(m.Updates) > 0 {
		updated = m.Updates[0].CreatedAt
	}
	inc := &spIncident{
		ID: id, PageID: page.id(), Name: m.Title, Status: state.Statuspage(), Impact: "maintenance",
		CreatedAt: glance.Time(m.CreatedAt), UpdatedAt: glance.Time(updated),
		Shortlink:    page.recordLink(publicid.Maintenance, m.ID, m.Visibility),
		ScheduledFor: ptime(m.EffectiveStart()), ScheduledUntil: ptime(m.PlannedEndsAt),
		ScheduledRemindPrior: true, ScheduledAutoInProgress: true, ScheduledAutoCompleted: true,
		IncidentUpdates: make([]spIncidentUpdate, 0, len(m.Updates)), Components: []spComponent{},
	}
	if reminder := m.StartsAt.Add(-store.ReminderLead); !ev.At.Before(reminder) && reminder.After(m.CreatedAt) {
		inc.ScheduledRemindedAt = ptime(reminder)
	}
	switch state {
	case store.MaintenanceCompleted:
		inc.ResolvedAt = ptime(m.EndsAt)
	case store.MaintenanceCancelled:
		inc.ResolvedAt = ptime(m.CancelledAt)
	}
	for _, u := range m.Updates {
		inc.IncidentUpdates = append(inc.IncidentUpdates, spIncidentUpdate{
			ID: page.publicID(publicid.MaintenanceUpdate, u.ID), IncidentID: id, Status: u.Status.Statuspage(), Body: u.Body(),
			CreatedAt: glance.Time(u.CreatedAt), UpdatedAt: glance.Time(u.CreatedAt), DisplayAt: glance.Time(u.CreatedAt),
			AffectedComponents: []spAffected{}, DeliverNotifications: true,
		})
	}
	status := store.Operational
	if state == store.MaintenanceInProgress {
		status = store.UnderMaintenance
	}
	for _, c := range m.Components {
		inc.Components = append(inc.Components, spComponent{
			ID: sid(c.ID), PageID: page.id(), Name: c.Name, Status: status.Statuspage(), Showcase: true,
			CreatedAt: glance.Time(m.CreatedAt), UpdatedAt: glance.Time(updated),
		})
	}
	return inc
}

// impactName is an impact as a Statuspage component status; no impact is operational.
func impactName(s store.Status) string {
	if s == "" {
		return store.Operational.Statuspage()
	}
	return s.Statuspage()
}

// ---- Beacon's own JSON ----

// Beacon's JSON body is the command line's JSON of the incident or window (package glance)
// with the site's public ids in place of the store's numbers: "id" is a public id for every
// endpoint, "url" the record's page on the site when it has one, and "number" the store's
// number only for an endpoint that receives internal events (its readers are responders, who
// name records by number on the command line; anyone else could count internal records from
// the gaps).
type jsonEvent struct {
	Type string   `json:"type"`
	At   string   `json:"at"`
	Data jsonData `json:"data"`
}

type jsonData struct {
	Incident     *jsonIncident    `json:"incident,omitempty"`
	UpdateID     string           `json:"update_id,omitempty"`
	UpdateNumber int64            `json:"update_number,omitempty"`
	Maintenance  *jsonMaintenance `json:"maintenance,omitempty"`
	Component    *jsonComponent   `json:"component,omitempty"`
	Message      string           `json:"message,omitempty"`
}

// The webhook's own fields come first and shadow the embedded ones of the same JSON name.
type jsonIncident struct {
	ID     string `json:"id"`
	Number int64  `json:"number,omitempty"`
	URL    string `json:"url,omitempty"`
	glance.Incident
	IncidentUpdates []jsonUpdate `json:"incident_updates,omitempty"`
}

type jsonUpdate struct {
	ID     string `json:"id"`
	Number int64  `json:"number,omitempty"`
	glance.IncidentUpdate
}

type jsonMaintenance struct {
	ID     string `json:"id"`
	Number int64  `json:"number,omitempty"`
	URL    string `json:"url,omitempty"`
	glance.Maintenance
	IncidentUpdates []jsonMaintenanceUpdate `json:"incident_updates,omitempty"`
}

type jsonMaintenanceUpdate struct {
	ID     string `json:"id"`
	Number int64  `json:"number,omitempty"`
	glance.MaintenanceUpdate
}

type jsonComponent struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	OldStatus string `json:"old_status"`
	NewStatus string `json:"new_status"`
}

func jsonBody(ev store.Event, page Page) jsonEvent {
	out := jsonEvent{Type: string(ev.Type), At: glance.Time(ev.At)}
	switch {
	case ev.Incident != nil:
		d := ev.Incident
		inc := &jsonIncident{Incident: glance.NewIncident(d.Incident, d.Updates),
			ID: page.publicID(publicid.Incident, d.ID), Number: page.number(d.ID), URL: page.recordLink(publicid.Incident, d.ID, d.Visibility)}
		for i, u := range inc.Incident.IncidentUpdates {
			inc.IncidentUpdates = append(inc.IncidentUpdates, jsonUpdate{IncidentUpdate: u,
				ID: page.publicID(publicid.IncidentUpdate, d.Updates[i].ID), Number: page.number(d.Updates[i].ID)})
		}
		out.Data.Incident = inc
		if ev.Update != nil {
			out.Data.UpdateID, out.Data.UpdateNumber = page.publicID(publicid.IncidentUpdate, ev.Update.ID), page.number(ev.Update.ID)
		}
	case ev.Maintenance != nil:
		d := ev.Maintenance
		m := &jsonMaintenance{Maintenance: glance.NewMaintenance(d.Maintenance, d.Updates, ev.At),
			ID: page.publicID(publicid.Maintenance, d.ID), Number: page.number(d.ID), URL: page.recordLink(publicid.Maintenance, d.ID, d.Visibility)}
		for i, u := range m.Maintenance.IncidentUpdates {
			m.IncidentUpdates = append(m.IncidentUpdates, jsonMaintenanceUpdate{MaintenanceUpdate: u,
				ID: page.publicID(publicid.MaintenanceUpdate, d.Updates[i].ID), Number: page.number(d.Updates[i].ID)})
		}
		out.Data.Maintenance = m
	case ev.Component != nil:
		out.Data.Component = &jsonComponent{ID: ev.Component.ID, Name: ev.Component.Name,
			OldStatus: ev.Old.Statuspage(), NewStatus: ev.New.Statuspage()}
	case ev.Type == store.EventTest:
		out.Data.Message = "A test from Beacon: this endpoint receives its webhooks."
	}
	return out
}

// ---- Slack ----

type slackMessage struct {
	Text   string       `json:"text"`
	Blocks []slackBlock `json:"blocks"`
}

type slackBlock struct {
	Type     string      `json:"type"`
	Text     *slackText  `json:"text,omitempty"`
	Fields   []slackText `json:"fields,omitempty"`
	Elements []slackText `json:"elements,omitempty"`
}

type slackText struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// Slack's limits on a header's and a section's text.
const (
	slackHeaderMax  = 150
	slackSectionMax = 3000
)

func mrkdwn(s string) slackText { return slackText{Type: "mrkdwn", Text: clip(s, slackSectionMax)} }

// slackEscape escapes the three characters Slack's mrkdwn gives meaning to.
func slackEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func statusWords(s store.Status) string { return s.Glyph() + " " + s.Label() }

func slackBody(ev store.Event, page Page) slackMessage {
	switch {
	case ev.Incident != nil:
		return slackIncident(ev, page)
	case ev.Maintenance != nil:
		return slackMaintenance(ev, page)
	case ev.Component != nil:
		c := ev.Component
		text := fmt.Sprintf("%s is now %s (was %s)", c.Name, statusWords(ev.New), statusWords(ev.Old))
		return slackMessage{Text: page.name() + ": " + text, Blocks: []slackBlock{
			{Type: "section", Text: ptr(mrkdwn(fmt.Sprintf("*%s* is now *%s* (was %s)", slackEscape(c.Name), statusWords(ev.New), statusWords(ev.Old))))},
			{Type: "context", Elements: []slackText{mrkdwn(slackEscape(page.name()) + " · " + glance.Time(ev.At))}},
		}}
	}
	text := "A test from " + page.name() + ": this channel receives its status notifications."
	return slackMessage{Text: text, Blocks: []slackBlock{{Type: "section", Text: ptr(mrkdwn(slackEscape(text)))}}}
}

func ptr[T any](v T) *T { return &v }

func slackIncident(ev store.Event, page Page) slackMessage {
	d := ev.Incident
	verb := map[store.EventType]string{
		store.EventIncidentOpened: "New incident", store.EventIncidentUpdated: "Incident update",
		store.EventIncidentResolved: "Resolved", store.EventIncidentReopened: "Reopened",
	}[ev.Type]
	if verb == "" {
		verb = "Incident"
	}
	title := fmt.Sprintf("%s: %s", verb, d.Title)
	var comps []string
	for _, m := range d.Impacts {
		st := m.Status
		if d.Resolved() {
			st = store.Operational
		}
		comps = append(comps, slackEscape(m.ComponentName)+" "+statusWords(st))
	}
	if len(comps) == 0 {
		comps = []string{"none"}
	}
	fields := []slackText{
		mrkdwn("*Status*\n" + d.Status.Label()),
		mrkdwn("*Components*\n" + strings.Join(comps, "\n")),
	}
	blocks := []slackBlock{
		{Type: "header", Text: &slackText{Type: "plain_text", Text: clip(title, slackHeaderMax)}},
		{Type: "section", Fields: fields},
	}
	if ev.Update != nil && strings.TrimSpace(ev.Update.Message) != "" {
		blocks = append(blocks, slackBlock{Type: "section", Text: ptr(mrkdwn(slackEscape(ev.Update.Message)))})
	}
	ctx := slackEscape(page.name())
	if page.Internal {
		ctx += " · incident #" + sid(d.ID)
	}
	if ev.Update != nil && ev.Update.Author != "" {
		ctx += " · by " + slackEscape(ev.Update.Author)
	}
	if link := page.recordLink(publicid.Incident, d.ID, d.Visibility); link != "" {
		ctx += " · <" + link + "|details>"
	}
	blocks = append(blocks, slackBlock{Type: "context", Elements: []slackText{mrkdwn(ctx)}})
	return slackMessage{Text: page.name() + ": " + title + " (" + d.Status.Label() + ")", Blocks: blocks}
}

func slackMaintenance(ev store.Event, page Page) slackMessage {
	m := ev.Maintenance
	verb := map[store.EventType]string{
		store.EventMaintenanceScheduled: "Maintenance scheduled", store.EventMaintenanceReminder: "Maintenance in an hour",
		store.EventMaintenanceStarted: "Maintenance started", store.EventMaintenanceCompleted: "Maintenance completed",
		store.EventMaintenanceCancelled: "Maintenance cancelled",
	}[ev.Type]
	if verb == "" {
		verb = "Maintenance"
	}
	title := verb + ": " + m.Title
	const layout = "2006-01-02 15:04 MST"
	when := m.EffectiveStart().UTC().Format(layout) + " to " + m.PlannedEndsAt.UTC().Format(layout)
	var comps []string
	for _, c := range m.Components {
		comps = append(comps, slackEscape(c.Name))
	}
	if len(comps) == 0 {
		comps = []string{"none"}
	}
	blocks := []slackBlock{
		{Type: "header", Text: &slackText{Type: "plain_text", Text: clip(title, slackHeaderMax)}},
		{Type: "section", Fields: []slackText{mrkdwn("*When*\n" + when), mrkdwn("*Components*\n" + strings.Join(comps, "\n"))}},
	}
	if len(m.Updates) > 0 && strings.TrimSpace(m.Updates[0].Message) != "" {
		blocks = append(blocks, slackBlock{Type: "section", Text: ptr(mrkdwn(slackEscape(m.Updates[0].Message)))})
	}
	ctx := slackEscape(page.name())
	if page.Internal {
		ctx += " · maintenance #" + sid(m.ID)
	}
	if link := page.recordLink(publicid.Maintenance, m.ID, m.Visibility); link != "" {
		ctx += " · <" + link + "|details>"
	}
	blocks = append(blocks, slackBlock{Type: "context", Elements: []slackText{mrkdwn(ctx)}})
	return slackMessage{Text: page.name() + ": " + title + " (" + when + ")", Blocks: blocks}
}
