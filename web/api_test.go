package web_test

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"path"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"beacon/web"
)

// The shapes of Statuspage's public Status API, written from its documentation: the page
// every Statuspage site serves at /api/v2/ ("Status API: Documentation and functionality",
// for example https://metastatus.statuspage.io/api/v2/ or https://www.githubstatus.com/api),
// whose examples for summary.json, status.json, components.json, incidents.json,
// incidents/unresolved.json and scheduled-maintenances*.json show these fields.
var statuspage = struct {
	page, status, component, incident, update, affected []string
	window, windowStatuses                              []string
	indicators, componentStatuses, incidentStatuses     []string
	impacts                                             []string
}{
	page:           []string{"id", "name", "url", "time_zone", "updated_at"},
	status:         []string{"indicator", "description"},
	component:      []string{"id", "name", "status", "created_at", "updated_at", "position", "description", "showcase", "start_date", "group_id", "page_id", "group", "only_show_if_degraded"},
	incident:       []string{"id", "name", "status", "created_at", "updated_at", "monitoring_at", "resolved_at", "impact", "shortlink", "started_at", "page_id", "incident_updates", "components"},
	window:         []string{"id", "name", "status", "created_at", "updated_at", "monitoring_at", "resolved_at", "impact", "shortlink", "started_at", "page_id", "incident_updates", "components", "scheduled_for", "scheduled_until"},
	windowStatuses: []string{"scheduled", "in_progress", "verifying", "completed"},
	update:         []string{"id", "status", "body", "incident_id", "created_at", "updated_at", "display_at", "affected_components", "deliver_notifications", "custom_tweet", "tweet_id"},
	affected:       []string{"code", "name", "old_status", "new_status"},

	indicators:        []string{"none", "minor", "major", "critical", "maintenance"},
	componentStatuses: []string{"operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance"},
	incidentStatuses:  []string{"investigating", "identified", "monitoring", "resolved", "postmortem"},
	impacts:           []string{"none", "minor", "major", "critical", "maintenance"},
}

// leftOut are Statuspage's fields Beacon does not send, and why (the README says the same).
var leftOut = map[string]string{
	"deliver_notifications": "Beacon has no per-update choice of notifying subscribers",
	"custom_tweet":          "Beacon posts nothing to Twitter",
	"tweet_id":              "Beacon posts nothing to Twitter",
	"affected_components":   "a maintenance window's updates change no component's status",
}

type object = map[string]any

func checkKeys(t *testing.T, what string, obj object, want []string, extra ...string) {
	t.Helper()
	var missing []string
	for _, k := range want {
		if _, ok := obj[k]; !ok && leftOut[k] == "" {
			missing = append(missing, k)
		}
	}
	var unknown []string
	for k := range obj {
		if !slices.Contains(want, k) && !slices.Contains(extra, k) {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	if len(missing) > 0 || len(unknown) > 0 {
		t.Errorf("%s: missing %v, not Statuspage's %v", what, missing, unknown)
	}
}

func checkTime(t *testing.T, what string, v any, nullable bool) {
	t.Helper()
	if v == nil && nullable {
		return
	}
	s, ok := v.(string)
	if _, err := time.Parse(time.RFC3339, s); !ok || err != nil {
		t.Errorf("%s: %v is not an RFC 3339 time", what, v)
	}
}

func checkString(t *testing.T, what string, v any, allowed ...string) {
	t.Helper()
	s, ok := v.(string)
	if !ok || (len(allowed) > 0 && !slices.Contains(allowed, s)) {
		t.Errorf("%s: %v (want a string%s)", what, v, map[bool]string{true: " of " + strings.Join(allowed, ", ")}[len(allowed) > 0])
	}
}

func decode(t *testing.T, body []byte) object {
	t.Helper()
	var doc object
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatalf("%v\n%s", err, body)
	}
	return doc
}

func checkPage(t *testing.T, doc object, base string) {
	t.Helper()
	p, ok := doc["page"].(object)
	if !ok {
		t.Fatalf("no page object")
	}
	checkKeys(t, "page", p, statuspage.page)
	checkString(t, "page.id", p["id"])
	checkString(t, "page.name", p["name"], "Example")
	checkString(t, "page.url", p["url"], base) // Statuspage gives the address with no trailing slash
	checkString(t, "page.time_zone", p["time_zone"], "Etc/UTC")
	checkTime(t, "page.updated_at", p["updated_at"], false)
}

func checkComponents(t *testing.T, list []any) (groups, members int) {
	t.Helper()
	ids := map[string]bool{}
	for _, v := range list {
		c := v.(object)
		ids[c["id"].(string)] = true
	}
	for i, v := range list {
		c := v.(object)
		what := fmt.Sprintf("components[%d]", i)
		if c["group"] == true {
			groups++
			checkKeys(t, what, c, statuspage.component, "components")
			for _, m := range c["components"].([]any) {
				if !ids[m.(string)] {
					t.Errorf("%s lists member %v, which is not in the list", what, m)
				}
			}
		} else {
			members++
			checkKeys(t, what, c, statuspage.component)
			if g, ok := c["group_id"].(string); ok && !ids[g] {
				t.Errorf("%s: group_id %q is not in the list", what, g)
			}
		}
		checkString(t, what+".id", c["id"])
		checkString(t, what+".name", c["name"])
		checkString(t, what+".status", c["status"], statuspage.componentStatuses...)
		checkTime(t, what+".created_at", c["created_at"], false)
		checkTime(t, what+".updated_at", c["updated_at"], false)
		if _, ok := c["position"].(float64); !ok {
			t.Errorf("%s.position: %v", what, c["position"])
		}
		if _, ok := c["showcase"].(bool); !ok {
			t.Errorf("%s.showcase: %v", what, c["showcase"])
		}
		checkString(t, what+".page_id", c["page_id"])
	}
	return groups, members
}

func checkIncident(t *testing.T, what string, inc object, base string) {
	t.Helper()
	checkKeys(t, what, inc, statuspage.incident)
	checkString(t, what+".id", inc["id"])
	checkString(t, what+".name", inc["name"])
	checkString(t, what+".status", inc["status"], statuspage.incidentStatuses...)
	checkString(t, what+".impact", inc["impact"], statuspage.impacts...)
	checkString(t, what+".shortlink", inc["shortlink"], base+"/incidents/"+inc["id"].(string))
	for _, k := range []string{"created_at", "updated_at", "started_at"} {
		checkTime(t, what+"."+k, inc[k], false)
	}
	checkTime(t, what+".monitoring_at", inc["monitoring_at"], true)
	checkTime(t, what+".resolved_at", inc["resolved_at"], true)
	if (inc["status"] == "resolved") != (inc["resolved_at"] != nil) {
		t.Errorf("%s: status %v, resolved_at %v", what, inc["status"], inc["resolved_at"])
	}
	ups := inc["incident_updates"].([]any)
	if len(ups) == 0 {
		t.Errorf("%s has no updates", what)
	}
	for j, v := range ups {
		u := v.(object)
		uw := fmt.Sprintf("%s.incident_updates[%d]", what, j)
		checkKeys(t, uw, u, statuspage.update)
		checkString(t, uw+".status", u["status"], statuspage.incidentStatuses...)
		checkString(t, uw+".body", u["body"])
		checkString(t, uw+".incident_id", u["incident_id"], inc["id"].(string))
		for _, k := range []string{"created_at", "updated_at", "display_at"} {
			checkTime(t, uw+"."+k, u[k], false)
		}
		if j == 0 && u["status"] != inc["status"] {
			t.Errorf("%s: the newest update says %v, the incident %v", uw, u["status"], inc["status"])
		}
		if ac, ok := u["affected_components"].([]any); ok {
			for k, v := range ac {
				a := v.(object)
				aw := fmt.Sprintf("%s.affected_components[%d]", uw, k)
				checkKeys(t, aw, a, statuspage.affected)
				checkString(t, aw+".old_status", a["old_status"], statuspage.componentStatuses...)
				checkString(t, aw+".new_status", a["new_status"], statuspage.componentStatuses...)
			}
		} else if u["affected_components"] != nil {
			t.Errorf("%s.affected_components: %v", uw, u["affected_components"])
		}
	}
	for _, v := range inc["components"].([]any) {
		checkKeys(t, what+".components[]", v.(object), statuspage.component)
	}
}

func TestAPIShapes(t *testing.T) {
	f := newFixture(t)
	const base = "https://status.example.com"
	_, h := f.server(t, web.Config{Title: "Example", BaseURL: base})
	read := func(path string) object {
		w := get(h, "GET", path)
		if w.Code != http.StatusOK {
			t.Fatalf("%s: %d", path, w.Code)
		}
		return decode(t, w.Body.Bytes())
	}

	sum := read("/api/v2/summary.json")
	checkKeys(t, "summary.json", sum, []string{"page", "status", "components", "incidents", "scheduled_maintenances"})
	checkPage(t, sum, base)
	checkKeys(t, "status", sum["status"].(object), statuspage.status)
	checkString(t, "status.indicator", sum["status"].(object)["indicator"], statuspage.indicators...)
	groups, members := checkComponents(t, sum["components"].([]any))
	if groups != 4 || members != 13 {
		t.Errorf("%d groups and %d components, want the demo's 4 and 13", groups, members)
	}
	incs := sum["incidents"].([]any)
	if len(incs) != 1 {
		t.Errorf("summary lists %d unresolved incidents, want the demo's one public one", len(incs))
	}
	for i, v := range incs {
		inc := v.(object)
		checkIncident(t, fmt.Sprintf("summary.incidents[%d]", i), inc, base)
		if inc["resolved_at"] != nil {
			t.Errorf("summary lists a resolved incident")
		}
	}

	st := read("/api/v2/status.json")
	checkKeys(t, "status.json", st, []string{"page", "status"})
	checkPage(t, st, base)
	if st["status"].(object)["indicator"] != sum["status"].(object)["indicator"] {
		t.Error("status.json and summary.json disagree")
	}

	comps := read("/api/v2/components.json")
	checkKeys(t, "components.json", comps, []string{"page", "components"})
	checkComponents(t, comps["components"].([]any))

	windows := map[string]int{}
	for _, path := range []string{"/api/v2/summary.json", "/api/v2/scheduled-maintenances.json", "/api/v2/scheduled-maintenances/upcoming.json", "/api/v2/scheduled-maintenances/active.json"} {
		doc := read(path)
		if path != "/api/v2/summary.json" {
			checkKeys(t, path, doc, []string{"page", "scheduled_maintenances"})
			checkPage(t, doc, base)
		}
		list := doc["scheduled_maintenances"].([]any)
		windows[path] = len(list)
		for i, v := range list {
			m := v.(object)
			what := fmt.Sprintf("%s[%d]", path, i)
			checkKeys(t, what, m, statuspage.window)
			checkString(t, what+".status", m["status"], statuspage.windowStatuses...)
			checkString(t, what+".impact", m["impact"], "maintenance")
			checkString(t, what+".shortlink", m["shortlink"], base+"/maintenance/"+m["id"].(string))
			checkTime(t, what+".scheduled_for", m["scheduled_for"], false)
			checkTime(t, what+".scheduled_until", m["scheduled_until"], false)
			for j, u := range m["incident_updates"].([]any) {
				checkKeys(t, fmt.Sprintf("%s.incident_updates[%d]", what, j), u.(object), statuspage.update)
			}
		}
	}
	// The public windows scheduled: the demo's and the fixture's (its internal one never shows).
	if windows["/api/v2/summary.json"] != 2 || windows["/api/v2/scheduled-maintenances/upcoming.json"] != 2 || windows["/api/v2/scheduled-maintenances/active.json"] != 0 {
		t.Errorf("windows listed: %v; want the two public scheduled windows", windows)
	}

	for _, path := range []string{"/api/v2/incidents.json", "/api/v2/incidents/unresolved.json"} {
		doc := read(path)
		checkKeys(t, path, doc, []string{"page", "incidents"})
		checkPage(t, doc, base)
		list := doc["incidents"].([]any)
		for i, v := range list {
			checkIncident(t, fmt.Sprintf("%s[%d]", path, i), v.(object), base)
		}
		if path == "/api/v2/incidents.json" && len(list) != len(f.publicIncidents(t)) {
			t.Errorf("incidents.json lists %d, want every public one (%d)", len(list), len(f.publicIncidents(t)))
		}
	}
}

// Feeds, parsed back with structures of their own.
type atomDoc struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Entries []struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Link    struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Content struct {
			Type string `xml:"type,attr"`
			Body string `xml:",chardata"`
		} `xml:"content"`
	} `xml:"entry"`
}

type rssFeed struct {
	Version string `xml:"version,attr"`
	Channel struct {
		Title string `xml:"title"`
		Items []struct {
			Title       string `xml:"title"`
			Link        string `xml:"link"`
			GUID        string `xml:"guid"`
			PubDate     string `xml:"pubDate"`
			Description string `xml:"description"`
		} `xml:"item"`
	} `xml:"channel"`
}

func TestFeeds(t *testing.T) {
	f := newFixture(t)
	const base = "https://status.example.com"
	_, h := f.server(t, web.Config{Title: "Example", BaseURL: base})
	var atom atomDoc
	if err := xml.Unmarshal(get(h, "GET", "/history.atom").Body.Bytes(), &atom); err != nil {
		t.Fatal(err)
	}
	var rss rssFeed
	if err := xml.Unmarshal(get(h, "GET", "/history.rss").Body.Bytes(), &rss); err != nil {
		t.Fatal(err)
	}
	public := f.publicIncidents(t)
	want := len(public) + 2 // and the public maintenance windows, the demo's and the fixture's
	if len(atom.Entries) != want || len(rss.Channel.Items) != want || rss.Version != "2.0" {
		t.Fatalf("%d Atom entries and %d RSS items (version %q), want %d", len(atom.Entries), len(rss.Channel.Items), rss.Version, want)
	}
	if _, err := time.Parse(time.RFC3339, atom.Updated); err != nil {
		t.Errorf("feed updated: %v", err)
	}
	byLink := map[string]int{}
	for i, e := range atom.Entries {
		byLink[e.Link.Href] = i
		// The id names the record, not where the site is: it is the same under any base URL.
		kind, pid := path.Split(strings.TrimPrefix(e.Link.Href, base+"/"))
		if want := "urn:beacon:" + map[string]string{"incidents/": "incident:", "maintenance/": "maintenance:"}[kind] + pid; e.ID != want {
			t.Errorf("entry %d: id %q, want %q", i, e.ID, want)
		}
		item := rss.Channel.Items[i]
		if item.GUID != e.ID || item.Link != e.Link.Href || item.Description != e.Content.Body || e.Content.Type != "html" {
			t.Errorf("entry %d: Atom and RSS disagree (%q, %q)", i, e.ID, item.GUID)
		}
		if _, err := time.Parse(time.RFC1123Z, item.PubDate); err != nil {
			t.Errorf("pubDate: %v", err)
		}
		if i > 0 && e.Updated > atom.Entries[i-1].Updated {
			t.Errorf("entry %d is newer than the one before it", i)
		}
	}
	if _, ok := byLink[base+f.maintenancePath(f.window)]; !ok {
		t.Error("no entry for the maintenance window")
	}
	newest := public[len(public)-1]
	for _, id := range public {
		url := base + f.incidentPath(id)
		i, ok := byLink[url]
		if !ok {
			t.Errorf("no entry for incident %d", id)
			continue
		}
		e := atom.Entries[i]
		det, err := f.st.Incident(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		if e.Link.Href != url || strings.Count(e.Content.Body, "<strong>") < len(det.Updates) {
			t.Errorf("entry %d: link %q, holds fewer than its %d updates:\n%s", id, e.Link.Href, len(det.Updates), e.Content.Body)
		}
	}

	// A new update keeps the entry's id and moves its updated time.
	before := atom.Entries[byLink[base+f.incidentPath(newest)]]
	time.Sleep(5 * time.Millisecond)
	if _, err := f.st.PostUpdate(t.Context(), actor, newest, webUpdate("An update after the fact.")); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		var next atomDoc
		if err := xml.Unmarshal(get(h, "GET", "/history.atom").Body.Bytes(), &next); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(next.Entries[0].Content.Body, "An update after the fact.") {
			if next.Entries[0].ID != before.ID {
				t.Errorf("the id moved from %q to %q", before.ID, next.Entries[0].ID)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the update never reached the feed")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
