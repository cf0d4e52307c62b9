package notify_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"beacon/notify"
	"beacon/publicid"
	"beacon/store"
)

// The shapes of Statuspage's webhook bodies: every field with the JSON type it holds
// ("null|string" for a field that is null until set). Sources: Statuspage's documentation,
// https://support.atlassian.com/statuspage/docs/enable-webhook-notifications/ (a body holds
// meta, page, and either incident or component_update with component), and bodies Statuspage
// sent, kept as test fixtures by Zulip's Statuspage integration:
// https://github.com/zulip/zulip/blob/main/zerver/webhooks/statuspage/fixtures/incident_update.json
// https://github.com/zulip/zulip/blob/main/zerver/webhooks/statuspage/fixtures/component_status_update.json
var (
	statuspageCommonShape = map[string]string{
		"meta":                    "object",
		"meta.unsubscribe":        "null|string",
		"meta.documentation":      "string",
		"meta.generated_at":       "string",
		"page":                    "object",
		"page.id":                 "string",
		"page.status_indicator":   "string",
		"page.status_description": "string",
	}
	statuspageIncidentShape = map[string]string{
		"incident":                                                     "object",
		"incident.id":                                                  "string",
		"incident.page_id":                                             "string",
		"incident.name":                                                "string",
		"incident.status":                                              "string",
		"incident.impact":                                              "string",
		"incident.impact_override":                                     "null|string",
		"incident.created_at":                                          "string",
		"incident.updated_at":                                          "string",
		"incident.monitoring_at":                                       "null|string",
		"incident.resolved_at":                                         "null|string",
		"incident.shortlink":                                           "string",
		"incident.backfilled":                                          "bool",
		"incident.scheduled_for":                                       "null|string",
		"incident.scheduled_until":                                     "null|string",
		"incident.scheduled_remind_prior":                              "bool",
		"incident.scheduled_reminded_at":                               "null|string",
		"incident.scheduled_auto_in_progress":                          "bool",
		"incident.scheduled_auto_completed":                            "bool",
		"incident.postmortem_body":                                     "null|string",
		"incident.postmortem_body_last_updated_at":                     "null|string",
		"incident.postmortem_ignored":                                  "bool",
		"incident.postmortem_published_at":                             "null|string",
		"incident.postmortem_notified_subscribers":                     "bool",
		"incident.postmortem_notified_twitter":                         "bool",
		"incident.incident_updates":                                    "array",
		"incident.incident_updates[]":                                  "object",
		"incident.incident_updates[].id":                               "string",
		"incident.incident_updates[].incident_id":                      "string",
		"incident.incident_updates[].status":                           "string",
		"incident.incident_updates[].body":                             "string",
		"incident.incident_updates[].created_at":                       "string",
		"incident.incident_updates[].updated_at":                       "string",
		"incident.incident_updates[].display_at":                       "string",
		"incident.incident_updates[].wants_twitter_update":             "bool",
		"incident.incident_updates[].twitter_updated_at":               "null|string",
		"incident.incident_updates[].custom_tweet":                     "null|string",
		"incident.incident_updates[].deliver_notifications":            "bool",
		"incident.incident_updates[].affected_components":              "array",
		"incident.incident_updates[].affected_components[]":            "object",
		"incident.incident_updates[].affected_components[].code":       "string",
		"incident.incident_updates[].affected_components[].name":       "string",
		"incident.incident_updates[].affected_components[].old_status": "string",
		"incident.incident_updates[].affected_components[].new_status": "string",
		"incident.components":                                          "array",
		"incident.components[]":                                        "object",
		"incident.components[].id":                                     "string",
		"incident.components[].page_id":                                "string",
		"incident.components[].group_id":                               "null|string",
		"incident.components[].name":                                   "string",
		"incident.components[].status":                                 "string",
		"incident.components[].description":                            "null|string",
		"incident.components[].position":                               "number",
		"incident.components[].showcase":                               "bool",
		"incident.components[].created_at":                             "string",
		"incident.components[].updated_at":                             "string",
	}
	statuspageComponentShape = map[string]string{
		"component_update":                "object",
		"component_update.id":             "string",
		"component_update.component_id":   "string",
		"component_update.component_type": "string",
		"component_update.old_status":     "string",
		"component_update.new_status":     "string",
		"component_update.created_at":     "string",
		"component":                       "object",
		"component.id":                    "string",
		"component.page_id":               "string",
		"component.group_id":              "null|string",
		"component.name":                  "string",
		"component.status":                "string",
		"component.description":           "null|string",
		"component.position":              "number",
		"component.showcase":              "bool",
		"component.created_at":            "string",
		"component.updated_at":            "string",
	}
)

// shape flattens a JSON document into path → type.
func shape(v any, path string, out map[string]string) {
	kind := "null"
	switch x := v.(type) {
	case map[string]any:
		kind = "object"
		for k, e := range x {
			p := k
			if path != "" {
				p = path + "." + k
			}
			shape(e, p, out)
		}
	case []any:
		kind = "array"
		for _, e := range x {
			shape(e, path+"[]", out)
		}
	case string:
		kind = "string"
	case bool:
		kind = "bool"
	case float64:
		kind = "number"
	}
	if path != "" {
		if prev, ok := out[path]; !ok || prev == "null" {
			out[path] = kind
		}
	}
}

func compareShape(t *testing.T, body []byte, want ...map[string]string) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	shape(doc, "", got)
	all := map[string]string{}
	for _, w := range want {
		for k, v := range w {
			all[k] = v
		}
	}
	var keys []string
	for k := range all {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		g, ok := got[k]
		switch {
		case !ok && emptyArray(got, k):
			// The element fields of an array this body sends empty cannot be seen.
		case !ok:
			t.Errorf("missing %s (%s)", k, all[k])
		case all[k] == "null|string" && (g == "null" || g == "string"):
		case g != all[k]:
			t.Errorf("%s is %s, Statuspage sends %s", k, g, all[k])
		}
	}
	for k := range got {
		if _, ok := all[k]; !ok {
			t.Errorf("%s is not in Statuspage's shape", k)
		}
	}
	return doc
}

// emptyArray reports whether path lies inside an array element that the body does not have.
func emptyArray(got map[string]string, path string) bool {
	for i := strings.Index(path, "[]"); i >= 0; {
		if _, ok := got[path[:i+2]]; !ok {
			return true
		}
		j := strings.Index(path[i+2:], "[]")
		if j < 0 {
			break
		}
		i += 2 + j
	}
	return false
}

// at reads a value by a dotted path with [i] indexes.
func at(doc any, path string) any {
	for _, part := range strings.Split(path, ".") {
		name, idx, _ := strings.Cut(part, "[")
		if m, ok := doc.(map[string]any); ok {
			doc = m[name]
		}
		if idx != "" {
			var i int
			fmt.Sscanf(idx, "%d]", &i)
			list, _ := doc.([]any)
			if i >= len(list) {
				return nil
			}
			doc = list[i]
		}
	}
	return doc
}

func TestStatuspageBodies(t *testing.T) {
	st := openStore(t)
	c := newClock()
	rcv := newReceiver(t, nil)
	api := addComponent(t, st, "API")
	web := addComponent(t, st, "Website")
	addEndpoint(t, st, rcv.URL, store.FormatStatuspage, false)
	s := sender(st, c)
	s.Page = notify.Page{ID: "acme", URL: "https://status.example.com/"}
	ids := publicIDs(st)
	id := openIncident(t, st, "API errors", store.Public, store.SetImpact{ComponentID: api.ID, Status: store.MajorOutage})
	postUpdate(t, st, id, store.Watching, "Fix deployed.", store.SetImpact{ComponentID: web.ID, Status: store.PerformanceIssues})
	drain(t, s)
	got := rcv.requests()
	// opened, API down, watching, Website degraded.
	if len(got) != 4 {
		t.Fatalf("got %d bodies", len(got))
	}

	t.Run("incident", func(t *testing.T) {
		doc := compareShape(t, got[2].body, statuspageCommonShape, statuspageIncidentShape)
		for path, want := range map[string]any{
			"page.id":                             "acme",
			"page.status_indicator":               "critical",
			"page.status_description":             "Some systems are experiencing major issues",
			"incident.id":                         ids.Encode(publicid.Incident, id),
			"incident.name":                       "API errors",
			"incident.status":                     "monitoring",
			"incident.impact":                     "critical",
			"incident.shortlink":                  "https://status.example.com/incidents/" + ids.Encode(publicid.Incident, id),
			"incident.resolved_at":                nil,
			"incident.incident_updates[0].status": "monitoring",
			"incident.incident_updates[0].body":   "Fix deployed.",
			"incident.incident_updates[1].status": "investigating",
			"incident.incident_updates[1].body":   "Looking into it.",
			"incident.incident_updates[0].affected_components[0].code":       fmt.Sprint(web.ID),
			"incident.incident_updates[0].affected_components[0].name":       "Website",
			"incident.incident_updates[0].affected_components[0].old_status": "operational",
			"incident.incident_updates[0].affected_components[0].new_status": "degraded_performance",
			"incident.incident_updates[1].affected_components[0].new_status": "major_outage",
			"incident.components[0].name":                                    "API",
			"incident.components[0].status":                                  "major_outage",
			"incident.components[1].name":                                    "Website",
			"incident.components[1].status":                                  "degraded_performance",
		} {
			if g := at(doc, path); fmt.Sprint(g) != fmt.Sprint(want) {
				t.Errorf("%s = %v, want %v", path, g, want)
			}
		}
		if at(doc, "incident.monitoring_at") == nil {
			t.Error("monitoring_at is null after a watching update")
		}
	})

	t.Run("incident as it stood", func(t *testing.T) {
		// The opened event was sent after the second update was posted; it still shows the
		// incident as it was when opened.
		doc := compareShape(t, got[0].body, statuspageCommonShape, statuspageIncidentShape)
		if n := len(at(doc, "incident.incident_updates").([]any)); n != 1 {
			t.Errorf("the opened event carries %d updates, want 1", n)
		}
		if s := at(doc, "incident.status"); s != "investigating" {
			t.Errorf("status %v", s)
		}
	})

	t.Run("component", func(t *testing.T) {
		doc := compareShape(t, got[1].body, statuspageCommonShape, statuspageComponentShape)
		for path, want := range map[string]any{
			"component_update.component_id":   fmt.Sprint(api.ID),
			"component_update.component_type": "Component",
			"component_update.old_status":     "operational",
			"component_update.new_status":     "major_outage",
			"component.id":                    fmt.Sprint(api.ID),
			"component.name":                  "API",
			"component.status":                "major_outage",
			"component.group_id":              nil,
		} {
			if g := at(doc, path); fmt.Sprint(g) != fmt.Sprint(want) {
				t.Errorf("%s = %v, want %v", path, g, want)
			}
		}
	})

	t.Run("resolved", func(t *testing.T) {
		postUpdate(t, st, id, store.Fixed, "All good.")
		c.Add(2 * time.Second)
		drain(t, s)
		all := rcv.requests()
		var doc map[string]any
		for _, r := range all[4:] {
			var d map[string]any
			json.Unmarshal(r.body, &d)
			if d["incident"] != nil {
				doc = d
			}
		}
		if doc == nil {
			t.Fatal("no incident body after resolving")
		}
		compareShape(t, mustJSON(t, doc), statuspageCommonShape, statuspageIncidentShape)
		if at(doc, "incident.status") != "resolved" || at(doc, "incident.resolved_at") == nil || at(doc, "page.status_indicator") != "none" {
			t.Errorf("resolved body: status %v, resolved_at %v, indicator %v", at(doc, "incident.status"), at(doc, "incident.resolved_at"), at(doc, "page.status_indicator"))
		}
	})
}

func mustJSON(t *testing.T, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestJSONFormat(t *testing.T) {
	st := openStore(t)
	c := newClock()
	rcv := newReceiver(t, nil)
	api := addComponent(t, st, "API")
	addEndpoint(t, st, rcv.URL, store.FormatJSON, false, store.KindIncident)
	id := openIncident(t, st, "API errors", store.Public, store.SetImpact{ComponentID: api.ID, Status: store.PartialOutage})
	drain(t, sender(st, c))
	var ev struct {
		Type string `json:"type"`
		At   string `json:"at"`
		Data struct {
			Incident struct {
				ID              string
				Number          int64
				Name            string
				Status          string
				IncidentUpdates []struct{ Body string } `json:"incident_updates"`
			} `json:"incident"`
			UpdateID     string `json:"update_id"`
			UpdateNumber int64  `json:"update_number"`
		} `json:"data"`
	}
	if err := json.Unmarshal(rcv.requests()[0].body, &ev); err != nil {
		t.Fatal(err)
	}
	if ev.Type != "incident.opened" || ev.Data.Incident.ID != publicIDs(st).Encode(publicid.Incident, id) || ev.Data.Incident.Name != "API errors" ||
		ev.Data.Incident.Status != "investigating" || len(ev.Data.Incident.IncidentUpdates) != 1 || len(ev.Data.UpdateID) != publicid.Length ||
		ev.Data.Incident.Number != 0 || ev.Data.UpdateNumber != 0 {
		t.Errorf("json event: %+v", ev)
	}
	if _, err := time.Parse(time.RFC3339, ev.At); err != nil {
		t.Errorf("at %q: %v", ev.At, err)
	}
}

// Statuspage sends scheduled maintenance in its incident body, with scheduled_for and
// scheduled_until set and the maintenance statuses (scheduled, in_progress, completed).
func TestStatuspageMaintenanceBodies(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	c := newClock()
	sp := newReceiver(t, nil)
	js := newReceiver(t, nil)
	api := addComponent(t, st, "API")
	addEndpoint(t, st, sp.URL, store.FormatStatuspage, false, store.KindMaintenance)
	addEndpoint(t, st, js.URL, store.FormatJSON, false, store.KindMaintenance)
	start := time.Now().Add(3 * time.Hour).Truncate(time.Minute)
	m, err := st.AddMaintenance(ctx, actor, store.NewMaintenance{Title: "Database upgrade", Message: "Expect short pauses.",
		StartsAt: start, EndsAt: start.Add(time.Hour), Components: []int64{api.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CancelMaintenance(ctx, actor, m.ID, "Not needed after all."); err != nil {
		t.Fatal(err)
	}
	drain(t, sender(st, c))
	got := sp.requests()
	if len(got) != 2 {
		t.Fatalf("got %d bodies, want scheduled and cancelled", len(got))
	}
	for i, want := range []map[string]any{
		{"incident.status": "scheduled", "incident.resolved_at": nil, "incident.incident_updates[0].body": "Expect short pauses."},
		{"incident.status": "completed", "incident.incident_updates[0].body": "Not needed after all.", "incident.incident_updates[1].status": "scheduled"},
	} {
		doc := compareShape(t, got[i].body, statuspageCommonShape, statuspageIncidentShape)
		want["incident.id"] = publicIDs(st).Encode(publicid.Maintenance, m.ID)
		want["incident.name"] = "Database upgrade"
		want["incident.impact"] = "maintenance"
		want["incident.scheduled_for"] = glanceTime(start)
		want["incident.scheduled_until"] = glanceTime(start.Add(time.Hour))
		want["incident.components[0].name"] = "API"
		want["incident.components[0].status"] = "operational"
		for path, w := range want {
			if g := at(doc, path); fmt.Sprint(g) != fmt.Sprint(w) {
				t.Errorf("body %d: %s = %v, want %v", i, path, g, w)
			}
		}
		if i == 1 && at(doc, "incident.resolved_at") == nil {
			t.Error("a cancelled window has no resolved_at")
		}
	}
	var ev struct {
		Type string `json:"type"`
		Data struct {
			Maintenance struct {
				ID          string  `json:"id"`
				Status      string  `json:"status"`
				CancelledAt *string `json:"cancelled_at"`
			} `json:"maintenance"`
		} `json:"data"`
	}
	jsGot := js.requests()
	if len(jsGot) != 2 {
		t.Fatalf("json endpoint got %d", len(jsGot))
	}
	json.Unmarshal(jsGot[0].body, &ev)
	if ev.Type != "maintenance.scheduled" || ev.Data.Maintenance.ID != publicIDs(st).Encode(publicid.Maintenance, m.ID) || ev.Data.Maintenance.Status != "scheduled" || ev.Data.Maintenance.CancelledAt != nil {
		t.Errorf("json scheduled event as it stood: %+v", ev)
	}
	json.Unmarshal(jsGot[1].body, &ev)
	if ev.Type != "maintenance.cancelled" || ev.Data.Maintenance.CancelledAt == nil {
		t.Errorf("json cancelled event: %+v", ev)
	}
}

func glanceTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z07:00") }
