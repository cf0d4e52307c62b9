package web_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"beacon/store"
	"beacon/web"
)

// tags matches an HTML tag, to read a page's text.
var tags = regexp.MustCompile(`<[^>]*>`)

// TestMaintenanceTimesOnEverySurface: the API, a window's page and the feeds tell one story of
// a window cancelled before it began, one posted after it had ended, one scheduled with its
// start already past, one scheduled without a message, and one finished early.
func TestMaintenanceTimesOnEverySurface(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	add := func(title string, start time.Time, length time.Duration, message string) store.MaintenanceDetail {
		t.Helper()
		m, err := f.st.AddMaintenance(ctx, actor, store.NewMaintenance{Title: title, Message: message,
			StartsAt: start, EndsAt: start.Add(length), Components: []int64{f.dns}})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	now := time.Now().UTC().Truncate(time.Minute)
	cancelled := add("Cancelled swap", now.Add(time.Hour), 2*time.Hour, "Swap the disks.")
	if err := f.st.CancelMaintenance(ctx, actor, cancelled.ID, "Postponed."); err != nil {
		t.Fatal(err)
	}
	cancelledAt, _ := f.st.Maintenance(ctx, cancelled.ID)
	past := add("Past patching", now.Add(-5*time.Hour), time.Hour, "")
	before := time.Now().Truncate(time.Millisecond)
	backdated := add("Backdated failover", now.Add(-time.Hour), 2*time.Hour, "Fail over.")
	add("Quiet upgrade", now.Add(3*time.Hour), time.Hour, "")
	finished := add("Early rollout", now.Add(-time.Minute), time.Hour, "Roll out.")
	if err := f.st.FinishMaintenance(ctx, actor, finished.ID, "Done."); err != nil {
		t.Fatal(err)
	}
	finishedAt, _ := f.st.Maintenance(ctx, finished.ID)

	_, h := f.server(t, web.Config{})
	var doc struct {
		ScheduledMaintenances []struct {
			Name           string
			Status         string
			Shortlink      string
			ScheduledFor   time.Time  `json:"scheduled_for"`
			ScheduledUntil time.Time  `json:"scheduled_until"`
			StartedAt      time.Time  `json:"started_at"`
			ResolvedAt     *time.Time `json:"resolved_at"`
			Updates        []struct {
				Status    string
				Body      string
				CreatedAt time.Time `json:"created_at"`
			} `json:"incident_updates"`
		} `json:"scheduled_maintenances"`
	}
	if err := json.Unmarshal(get(h, http.MethodGet, "/api/v2/scheduled-maintenances.json").Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	api := map[string]int{}
	for i, m := range doc.ScheduledMaintenances {
		api[m.Name] = i
	}
	for _, name := range []string{"Cancelled swap", "Past patching", "Backdated failover", "Quiet upgrade", "Early rollout"} {
		if _, ok := api[name]; !ok {
			t.Fatalf("%s is not in the API", name)
		}
	}
	page := func(shortlink string) string {
		t.Helper()
		_, path, _ := strings.Cut(shortlink, "/maintenance/")
		body := get(h, http.MethodGet, "/maintenance/"+path).Body.String()
		_, body, _ = strings.Cut(body, `<article class="window-page">`)
		body, _, _ = strings.Cut(body, "</article>")
		return html.UnescapeString(tags.ReplaceAllString(body, ""))
	}
	when := func(t time.Time) string { return t.UTC().Format("Jan 2, 2006 15:04 UTC") }
	feed := html.UnescapeString(get(h, http.MethodGet, "/history.atom").Body.String())

	c := doc.ScheduledMaintenances[api["Cancelled swap"]]
	if !c.ScheduledFor.Equal(cancelled.EffectiveStart()) || !c.ScheduledUntil.Equal(cancelled.PlannedEndsAt) || c.Status != "completed" ||
		c.ResolvedAt == nil || !c.ResolvedAt.Equal(cancelledAt.CancelledAt) {
		t.Errorf("cancelled window in the API: %s %v to %v, resolved %v; want %v to %v, resolved %v", c.Status, c.ScheduledFor, c.ScheduledUntil,
			c.ResolvedAt, cancelled.StartsAt, cancelled.PlannedEndsAt, cancelledAt.CancelledAt)
	}
	cancelledLine := "Cancelled before it began, at " + when(cancelledAt.CancelledAt)
	if p := page(c.Shortlink); !strings.Contains(p, "Maintenance · Cancelled · "+when(cancelled.StartsAt)+" – "+when(cancelled.PlannedEndsAt)) ||
		!strings.Contains(p, cancelledLine) {
		t.Errorf("cancelled window's page:\n%s", p)
	}
	if !strings.Contains(feed, "to "+when(cancelled.PlannedEndsAt)+" on DNS. "+cancelledLine) {
		t.Errorf("the feed does not say the window was cancelled")
	}

	p := doc.ScheduledMaintenances[api["Past patching"]]
	if !p.ScheduledFor.Equal(past.StartsAt) || !p.ScheduledUntil.Equal(past.EndsAt) || p.ResolvedAt == nil || !p.ResolvedAt.Equal(past.EndsAt) ||
		len(p.Updates) != 1 || p.Updates[0].Status != "completed" || p.Updates[0].Body != store.AfterTheFactText {
		t.Errorf("window posted after it ended, in the API: %+v", p)
	}
	if pg := page(p.Shortlink); strings.Contains(pg, "has started") || !strings.Contains(pg, "Posted after it had ended, at "+when(past.CreatedAt)) ||
		!strings.Contains(pg, when(past.StartsAt)+" – "+when(past.EndsAt)) {
		t.Errorf("window posted after it ended, its page:\n%s", pg)
	}

	b := doc.ScheduledMaintenances[api["Backdated failover"]]
	if b.ScheduledFor.Before(before) || !b.StartedAt.Equal(b.ScheduledFor) || b.Status != "in_progress" {
		t.Errorf("backdated window in the API: %s from %v (started %v), want from no earlier than %v", b.Status, b.ScheduledFor, b.StartedAt, before)
	}
	for _, u := range b.Updates {
		if u.CreatedAt.Before(before) {
			t.Errorf("backdated window's %s entry is dated %v, before it was scheduled", u.Status, u.CreatedAt)
		}
	}
	if pg := page(b.Shortlink); strings.Contains(pg, when(now.Add(-time.Hour))) || !strings.Contains(pg, when(backdated.EffectiveStart())) {
		t.Errorf("backdated window's page claims the start given (%s):\n%s", when(now.Add(-time.Hour)), pg)
	}

	e := doc.ScheduledMaintenances[api["Early rollout"]]
	if !e.ScheduledUntil.Equal(finished.PlannedEndsAt) || e.ResolvedAt == nil || !e.ResolvedAt.Equal(finishedAt.FinishedAt) {
		t.Errorf("window finished early in the API: until %v, resolved %v; want until %v, resolved %v", e.ScheduledUntil, e.ResolvedAt,
			finished.PlannedEndsAt, finishedAt.FinishedAt)
	}
	if pg := page(e.Shortlink); !strings.Contains(pg, when(finished.PlannedEndsAt)) || !strings.Contains(pg, "Finished early at "+when(finishedAt.FinishedAt)) {
		t.Errorf("window finished early, its page:\n%s", pg)
	}

	q := doc.ScheduledMaintenances[api["Quiet upgrade"]]
	if len(q.Updates) != 1 || q.Updates[0].Body != store.ScheduledText {
		t.Errorf("window scheduled without a message, in the API: %+v", q.Updates)
	}
	if pg := page(q.Shortlink); !strings.Contains(pg, store.ScheduledText) {
		t.Errorf("window scheduled without a message, its page:\n%s", pg)
	}
	_, entry, _ := strings.Cut(feed, "Quiet upgrade")
	entry, _, _ = strings.Cut(entry, "</entry>")
	if !strings.Contains(entry, store.ScheduledText) {
		t.Errorf("window scheduled without a message, its feed entry:\n%s", entry)
	}
}
