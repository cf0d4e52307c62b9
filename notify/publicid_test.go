package notify_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"beacon/notify"
	"beacon/store"
	"beacon/web"
)

const siteURL = "https://status.example.com"

// siteRecord is an incident or window as the site's API names it: its public id and its
// updates' public ids, newest first.
type siteRecord struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Updates []struct {
		ID string `json:"id"`
	} `json:"incident_updates"`
}

// siteOf serves st's public site as `beacon serve --base-url` does.
func siteOf(t *testing.T, st *store.Store) http.Handler {
	t.Helper()
	site, err := web.New(st, nil, web.Config{BaseURL: siteURL})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.NewServer(site)
	if err != nil {
		t.Fatal(err)
	}
	return srv.Handler()
}

// get is the status and body of path on the site.
func get(h http.Handler, path string) (int, []byte) {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code, rec.Body.Bytes()
}

// siteRecords reads the incidents or windows of an API document by name.
func siteRecords(t *testing.T, h http.Handler, path, field string) map[string]siteRecord {
	t.Helper()
	code, body := get(h, path)
	if code != http.StatusOK {
		t.Fatalf("%s: %d", path, code)
	}
	var doc map[string]json.RawMessage
	var records []siteRecord
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(doc[field], &records); err != nil {
		t.Fatal(err)
	}
	out := map[string]siteRecord{}
	for _, r := range records {
		out[r.Name] = r
	}
	return out
}

// opens checks that link is on the site and answers 200 there.
func opens(t *testing.T, h http.Handler, what, link string) {
	t.Helper()
	path, ok := strings.CutPrefix(link, siteURL)
	if !ok {
		t.Errorf("%s: link %q is not on the site", what, link)
		return
	}
	if code, _ := get(h, path); code != http.StatusOK {
		t.Errorf("%s: link %s answers %d", what, link, code)
	}
}

// Every format names incidents, updates and windows by the site's public ids, and links to
// pages that open; only an endpoint that receives internal events gets the store's numbers.
func TestWebhooksUseTheSitesPublicIDs(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	c := newClock()
	api := addComponent(t, st, "API")
	kinds := []string{store.KindIncident, store.KindMaintenance}
	sp := newReceiver(t, nil)
	slack := newReceiver(t, nil)
	js := newReceiver(t, nil)
	inner := newReceiver(t, nil)
	addEndpoint(t, st, sp.URL, store.FormatStatuspage, false, kinds...)
	addEndpoint(t, st, slack.URL, store.FormatSlack, false, kinds...)
	addEndpoint(t, st, js.URL, store.FormatJSON, false, kinds...)
	addEndpoint(t, st, inner.URL, store.FormatJSON, true, kinds...)

	// Internal records first, so that the public ones' numbers are not 1.
	hidden := openIncident(t, st, "Quiet trouble", store.Internal)
	postUpdate(t, st, hidden, store.Fixed, "Fixed quietly.")
	id := openIncident(t, st, "API errors", store.Public, store.SetImpact{ComponentID: api.ID, Status: store.PartialOutage})
	postUpdate(t, st, id, store.Identified, "Found it.")
	start := time.Now().Add(3 * time.Hour).Truncate(time.Minute)
	m, err := st.AddMaintenance(ctx, actor, store.NewMaintenance{Title: "Database upgrade", Message: "Expect short pauses.",
		StartsAt: start, EndsAt: start.Add(time.Hour), Components: []int64{api.ID}})
	if err != nil {
		t.Fatal(err)
	}
	s := sender(st, c)
	s.Page = notify.Page{ID: "acme", URL: siteURL + "/"}
	drain(t, s)

	h := siteOf(t, st)
	inc := siteRecords(t, h, "/api/v2/incidents.json", "incidents")["API errors"]
	win := siteRecords(t, h, "/api/v2/scheduled-maintenances.json", "scheduled_maintenances")["Database upgrade"]
	if len(inc.ID) != 12 || len(inc.Updates) != 2 || len(win.ID) != 12 || len(win.Updates) != 1 {
		t.Fatalf("the site's records: %+v %+v", inc, win)
	}

	// The bodies of a public endpoint: incident opened, incident updated, window scheduled.
	bodies := func(r *receiver) [][]byte {
		t.Helper()
		got := r.requests()
		if len(got) != 3 {
			t.Fatalf("got %d bodies, want 3", len(got))
		}
		var out [][]byte
		for _, g := range got {
			out = append(out, g.body)
		}
		return out
	}
	// No public body holds a number of a record: neither as a value nor in a link.
	numbers := regexp.MustCompile(`"(number|update_number)"|/(incidents|maintenance)/\d+\b|#\d`)
	for _, r := range []*receiver{sp, slack, js} {
		for _, b := range bodies(r) {
			if numbers.Match(b) {
				t.Errorf("a public endpoint got a record's number: %s", b)
			}
		}
	}

	t.Run("statuspage", func(t *testing.T) {
		b := bodies(sp)
		for i, want := range []struct {
			rec     siteRecord
			updates int
		}{{inc, 1}, {inc, 2}, {win, 1}} {
			var doc struct {
				Incident struct {
					ID        string `json:"id"`
					Shortlink string `json:"shortlink"`
					Updates   []struct {
						ID         string `json:"id"`
						IncidentID string `json:"incident_id"`
					} `json:"incident_updates"`
				} `json:"incident"`
			}
			if err := json.Unmarshal(b[i], &doc); err != nil {
				t.Fatal(err)
			}
			if doc.Incident.ID != want.rec.ID {
				t.Errorf("body %d: id %q, the site's %q", i, doc.Incident.ID, want.rec.ID)
			}
			if len(doc.Incident.Updates) != want.updates {
				t.Fatalf("body %d: %d updates, want %d", i, len(doc.Incident.Updates), want.updates)
			}
			for j, u := range doc.Incident.Updates {
				site := want.rec.Updates[len(want.rec.Updates)-want.updates+j]
				if u.ID != site.ID || u.IncidentID != want.rec.ID {
					t.Errorf("body %d: update %d is %q of %q, the site's %q of %q", i, j, u.ID, u.IncidentID, site.ID, want.rec.ID)
				}
			}
			opens(t, h, "shortlink", doc.Incident.Shortlink)
		}
	})

	t.Run("slack", func(t *testing.T) {
		link := regexp.MustCompile(`<(https?://[^|>]+)\|details>`)
		for i, want := range []string{"/incidents/" + inc.ID, "/incidents/" + inc.ID, "/maintenance/" + win.ID} {
			found := link.FindSubmatch(slack.requests()[i].body)
			if found == nil || string(found[1]) != siteURL+want {
				t.Errorf("message %d: details link %q, want %s", i, found, siteURL+want)
				continue
			}
			opens(t, h, "slack details", string(found[1]))
		}
	})

	type jsonUpdate struct {
		ID     string `json:"id"`
		Number int64  `json:"number"`
	}
	type jsonRecord struct {
		ID      string       `json:"id"`
		Number  int64        `json:"number"`
		URL     string       `json:"url"`
		Updates []jsonUpdate `json:"incident_updates"`
	}
	type jsonEvent struct {
		Data struct {
			Incident     *jsonRecord `json:"incident"`
			Maintenance  *jsonRecord `json:"maintenance"`
			UpdateID     string      `json:"update_id"`
			UpdateNumber int64       `json:"update_number"`
		} `json:"data"`
	}
	decode := func(t *testing.T, body []byte) jsonEvent {
		t.Helper()
		var ev jsonEvent
		if err := json.Unmarshal(body, &ev); err != nil {
			t.Fatal(err)
		}
		return ev
	}

	t.Run("json", func(t *testing.T) {
		b := bodies(js)
		updated := decode(t, b[1])
		if r := updated.Data.Incident; r == nil || r.ID != inc.ID || r.URL != siteURL+"/incidents/"+inc.ID ||
			len(r.Updates) != 2 || r.Updates[0].ID != inc.Updates[0].ID || r.Updates[1].ID != inc.Updates[1].ID {
			t.Errorf("incident %+v, the site's %+v", r, inc)
		} else {
			opens(t, h, "json url", r.URL)
		}
		if updated.Data.UpdateID != inc.Updates[0].ID {
			t.Errorf("update_id %q, the site's %q", updated.Data.UpdateID, inc.Updates[0].ID)
		}
		scheduled := decode(t, b[2])
		if r := scheduled.Data.Maintenance; r == nil || r.ID != win.ID || r.URL != siteURL+"/maintenance/"+win.ID ||
			len(r.Updates) != 1 || r.Updates[0].ID != win.Updates[0].ID {
			t.Errorf("window %+v, the site's %+v", r, win)
		} else {
			opens(t, h, "json url", r.URL)
		}
	})

	t.Run("json to an internal endpoint", func(t *testing.T) {
		got := inner.requests()
		if len(got) != 5 {
			t.Fatalf("got %d bodies, want 5", len(got))
		}
		// The internal incident: a public id and its number, and no link (it has no page).
		quiet := decode(t, got[1].body).Data.Incident
		if quiet == nil || quiet.Number != hidden || quiet.URL != "" || len(quiet.ID) != 12 {
			t.Errorf("internal incident %+v", quiet)
		}
		if bytes.Contains(got[1].body, []byte(siteURL)) {
			t.Errorf("an internal incident links to the site: %s", got[1].body)
		}
		updated := decode(t, got[3].body)
		r := updated.Data.Incident
		if r == nil || r.ID != inc.ID || r.Number != id || r.URL != siteURL+"/incidents/"+inc.ID ||
			len(r.Updates) != 2 || r.Updates[0].ID != inc.Updates[0].ID || r.Updates[0].Number == 0 {
			t.Errorf("incident %+v", r)
		} else if updated.Data.UpdateID != inc.Updates[0].ID || updated.Data.UpdateNumber != r.Updates[0].Number {
			t.Errorf("update %q #%d", updated.Data.UpdateID, updated.Data.UpdateNumber)
		}
		if w := decode(t, got[4].body).Data.Maintenance; w == nil || w.ID != win.ID || w.Number != m.ID {
			t.Errorf("window %+v", w)
		}
	})

	// A link by number finds nothing, so the checks above would notice one.
	if code, _ := get(h, "/incidents/"+strconv.FormatInt(id, 10)); code != http.StatusNotFound {
		t.Errorf("/incidents/%d answers %d", id, code)
	}
}
