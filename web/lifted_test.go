package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"beacon/store"
	"beacon/web"
)

// TestLiftedImpactOnRecord: a component whose impact was lifted before the fix is still named
// on the incident's page, in its feed entry and in the API's components.
func TestLiftedImpactOnRecord(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	auth, err := f.st.AddComponent(ctx, actor, store.NewComponent{Name: "Sign-in service"})
	if err != nil {
		t.Fatal(err)
	}
	inc, err := f.st.OpenIncident(ctx, actor, store.NewIncident{
		Title: "Sign-in failing", Message: "Looking.",
		Impacts: []store.SetImpact{{ComponentID: auth.ID, Status: store.MajorOutage}, {ComponentID: f.dns, Status: store.PartialOutage}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, up := range []store.NewUpdate{
		{Status: store.Watching, Message: "Sign-in is back.", Impacts: []store.SetImpact{{ComponentID: auth.ID}}},
		{Status: store.Fixed, Message: "Fixed."},
	} {
		if _, err := f.st.PostUpdate(ctx, actor, inc.ID, up); err != nil {
			t.Fatal(err)
		}
	}
	_, h := f.server(t, web.Config{})
	page := get(h, http.MethodGet, f.incidentPath(inc.ID)).Body.String()
	if !strings.Contains(page, "At worst during the incident: ") || !strings.Contains(page, `Sign-in service (<span class="status s-major_outage">`) {
		t.Errorf("the incident page does not name the lifted component at its worst:\n%s", page)
	}
	if feed := get(h, http.MethodGet, "/history.atom").Body.String(); !strings.Contains(feed, "Sign-in service (Major outage)") {
		t.Error("the feed entry does not name the lifted component")
	}
	var api struct {
		Incidents []struct {
			Name       string
			Components []struct{ Name string } `json:"components"`
		} `json:"incidents"`
	}
	body := get(h, http.MethodGet, "/api/v2/incidents.json").Body.Bytes()
	if err := json.Unmarshal(body, &api); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	var names []string
	for _, i := range api.Incidents {
		if i.Name == "Sign-in failing" {
			for _, c := range i.Components {
				names = append(names, c.Name)
			}
		}
	}
	if got := strings.Join(names, ", "); !strings.Contains(got, "Sign-in service") {
		t.Errorf("API components %q, want the lifted one too", got)
	}
}

// TestImpactKeepsItsPeak: an incident whose components all recovered before the fix keeps
// the impact it amounted to, in the API and in the history, rather than "none".
func TestImpactKeepsItsPeak(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	inc, err := f.st.OpenIncident(ctx, actor, store.NewIncident{
		Title: "Resolver down", Message: "Looking.",
		Impacts: []store.SetImpact{{ComponentID: f.dns, Status: store.MajorOutage}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, up := range []store.NewUpdate{
		{Status: store.Watching, Message: "Answers again.", Impacts: []store.SetImpact{{ComponentID: f.dns}}},
		{Status: store.Fixed, Message: "Fixed."},
	} {
		if _, err := f.st.PostUpdate(ctx, actor, inc.ID, up); err != nil {
			t.Fatal(err)
		}
	}
	_, h := f.server(t, web.Config{})
	var api struct {
		Incidents []struct{ Name, Impact string } `json:"incidents"`
	}
	body := get(h, http.MethodGet, "/api/v2/incidents.json").Body.Bytes()
	if err := json.Unmarshal(body, &api); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	found := false
	for _, i := range api.Incidents {
		if i.Name == "Resolver down" {
			found = true
			if i.Impact != "critical" {
				t.Errorf("API impact %q, want critical", i.Impact)
			}
		}
	}
	if !found {
		t.Fatal("the incident is not in the API")
	}
	history := get(h, http.MethodGet, "/history").Body.String()
	_, line, _ := strings.Cut(history, "Resolver down</a>")
	line, _, _ = strings.Cut(line, "\n")
	if !strings.Contains(line, `class="impact i-critical"`) {
		t.Errorf("the history's line for an incident that was a major outage: %s", line)
	}
}
