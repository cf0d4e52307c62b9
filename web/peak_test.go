package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"beacon/glance"
	"beacon/store"
	"beacon/web"
)

// affectedLine is the page's line naming an incident's components, "" when it has none.
func affectedLine(page string) string {
	_, line, ok := strings.Cut(page, `<p class="affected">`)
	if !ok {
		return ""
	}
	line, _, _ = strings.Cut(line, "</p>")
	return line
}

var (
	pageImpact   = regexp.MustCompile(`<article class="incident-page i-([a-z]+)">`)
	statusInLine = regexp.MustCompile(`class="status s-([a-z_]+)"`)
)

// TestLoweredImpactOnEverySurface: an incident that went major outage → partial outage is a
// critical incident on its page, in the history, in the API and in the feed, and its page's
// line of components says the major outage, beside the partial one while it lasts, alone once
// it is fixed: never only the milder status beside a critical impact.
func TestLoweredImpactOnEverySurface(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	inc, err := f.st.OpenIncident(ctx, actor, store.NewIncident{
		Title: "Resolver errors", Message: "Looking.",
		Impacts: []store.SetImpact{{ComponentID: f.dns, Status: store.MajorOutage}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.PostUpdate(ctx, actor, inc.ID, store.NewUpdate{Status: store.Identified, Message: "Fewer errors.",
		Impacts: []store.SetImpact{{ComponentID: f.dns, Status: store.PartialOutage}}}); err != nil {
		t.Fatal(err)
	}
	apiImpact := func(h http.Handler, path string) string {
		t.Helper()
		var doc struct {
			Incidents []struct{ Name, Impact string } `json:"incidents"`
		}
		body := get(h, http.MethodGet, path).Body.Bytes()
		if err := json.Unmarshal(body, &doc); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, i := range doc.Incidents {
			if i.Name == "Resolver errors" {
				return i.Impact
			}
		}
		t.Fatalf("%s does not list the incident", path)
		return ""
	}
	for _, step := range []struct {
		name     string
		post     *store.NewUpdate
		line     string
		api      []string
		notInAPI string
	}{
		{"unresolved", nil,
			`DNS (<span class="status s-partial_outage"><span class="glyph" aria-hidden="true">◐</span> Partial outage</span>, ` +
				`<span class="status s-major_outage"><span class="glyph" aria-hidden="true">✖</span> Major outage</span> earlier)`,
			[]string{"/api/v2/incidents.json", "/api/v2/incidents/unresolved.json", "/api/v2/summary.json"}, ""},
		{"resolved", &store.NewUpdate{Status: store.Fixed, Message: "Fixed."},
			`At worst during the incident: DNS (<span class="status s-major_outage"><span class="glyph" aria-hidden="true">✖</span> Major outage</span>)`,
			[]string{"/api/v2/incidents.json"}, "Partial outage"},
	} {
		t.Run(step.name, func(t *testing.T) {
			if step.post != nil {
				if _, err := f.st.PostUpdate(ctx, actor, inc.ID, *step.post); err != nil {
					t.Fatal(err)
				}
			}
			_, h := f.server(t, web.Config{})
			page := get(h, http.MethodGet, f.incidentPath(inc.ID)).Body.String()
			if !strings.Contains(page, `<article class="incident-page i-critical">`) || !strings.Contains(page, "Critical impact") {
				t.Errorf("the page does not say a critical impact:\n%s", page)
			}
			line := affectedLine(page)
			if !strings.Contains(line, step.line) {
				t.Errorf("the page's components:\n%s\nwant %s", line, step.line)
			}
			if step.notInAPI != "" && strings.Contains(line, step.notInAPI) {
				t.Errorf("a resolved incident's components show the status at the fix (%s): %s", step.notInAPI, line)
			}
			for _, path := range step.api {
				if got := apiImpact(h, path); got != "critical" {
					t.Errorf("%s: impact %q, want critical", path, got)
				}
			}
			history := get(h, http.MethodGet, "/history").Body.String()
			if _, after, ok := strings.Cut(history, "Resolver errors</a>"); step.post != nil && (!ok || !strings.HasPrefix(after, ` <span class="impact i-critical">Critical impact`)) {
				t.Errorf("the history's line: %.80s", after)
			}
			feed := get(h, http.MethodGet, "/history.atom").Body.String()
			want := "DNS (Partial outage, Major outage earlier)"
			if step.post != nil {
				want = "At worst during the incident: DNS (Major outage)"
			}
			if !strings.Contains(feed, want) {
				t.Errorf("the feed entry does not say %q", want)
			}
		})
	}
}

// TestEveryPageAgreesWithItsImpact: on every public incident's page, the worst status its line
// of components names is the impact beside it, and the API and `incident show --json` say the
// same impact.
func TestEveryPageAgreesWithItsImpact(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	website, err := f.st.ComponentByName(ctx, "Website")
	if err != nil {
		t.Fatal(err)
	}
	lowered, err := f.st.OpenIncident(ctx, actor, store.NewIncident{Title: "Website errors", Message: "Looking.",
		Impacts: []store.SetImpact{{ComponentID: website.ID, Status: store.MajorOutage}}})
	if err != nil {
		t.Fatal(err)
	}
	lifted, err := f.st.OpenIncident(ctx, actor, store.NewIncident{Title: "Resolver down", Message: "Looking.",
		Impacts: []store.SetImpact{{ComponentID: f.dns, Status: store.MajorOutage}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct {
		id int64
		up store.NewUpdate
	}{
		{lowered.ID, store.NewUpdate{Status: store.Identified, Message: "Better.", Impacts: []store.SetImpact{{ComponentID: website.ID, Status: store.PartialOutage}}}},
		{lifted.ID, store.NewUpdate{Status: store.Watching, Message: "Back.", Impacts: []store.SetImpact{{ComponentID: f.dns}}}},
		{lowered.ID, store.NewUpdate{Status: store.Fixed, Message: "Fixed."}},
		{lifted.ID, store.NewUpdate{Status: store.Fixed, Message: "Fixed."}},
	} {
		if _, err := f.st.PostUpdate(ctx, actor, u.id, u.up); err != nil {
			t.Fatal(err)
		}
	}
	_, h := f.server(t, web.Config{})
	var api struct {
		Incidents []struct{ Name, Impact string } `json:"incidents"`
	}
	if err := json.Unmarshal(get(h, http.MethodGet, "/api/v2/incidents.json").Body.Bytes(), &api); err != nil {
		t.Fatal(err)
	}
	apiImpact := map[string]string{}
	for _, i := range api.Incidents {
		apiImpact[i.Name] = i.Impact
	}
	for _, id := range f.publicIncidents(t) {
		d, err := f.st.Incident(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		page := get(h, http.MethodGet, f.incidentPath(id)).Body.String()
		m := pageImpact.FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("#%d: no impact on the page", id)
		}
		worst := store.Operational
		for _, s := range statusInLine.FindAllStringSubmatch(affectedLine(page), -1) {
			worst = store.Worst(worst, store.Status(s[1]))
		}
		if got := glance.ImpactLevel(worst); got != m[1] {
			t.Errorf("#%d %q: the page says %s impact, its components at worst %s (%s)", id, d.Title, m[1], worst, affectedLine(page))
		}
		if got := apiImpact[d.Title]; got != m[1] {
			t.Errorf("#%d %q: the API says %s impact, the page %s", id, d.Title, got, m[1])
		}
		if got := glance.NewIncident(d.Incident, nil).Impact; got != m[1] {
			t.Errorf("#%d %q: the JSON says %s impact, the page %s", id, d.Title, got, m[1])
		}
	}
	if apiImpact["Website errors"] != "critical" || apiImpact["Resolver down"] != "critical" {
		t.Errorf("lowered and lifted major outages: %q, %q; want critical", apiImpact["Website errors"], apiImpact["Resolver down"])
	}
}
