package web_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"beacon/publicid"
	"beacon/store"
	"beacon/web"
)

// publicRecords is what the public may know of: public incidents with their updates, and
// public windows with theirs, by number; hidden is the public ids every internal record would
// have under each kind, which no output may hold.
type publicRecords struct {
	incidents, updates, windows, windowUpdates map[int64]bool
	updateOf, windowUpdateOf                   map[int64]int64 // an update's incident or window
	hidden                                     map[string]string
}

func readRecords(t *testing.T, f *fixture) publicRecords {
	t.Helper()
	ctx := context.Background()
	r := publicRecords{
		incidents: map[int64]bool{}, updates: map[int64]bool{}, windows: map[int64]bool{}, windowUpdates: map[int64]bool{},
		updateOf: map[int64]int64{}, windowUpdateOf: map[int64]int64{}, hidden: map[string]string{},
	}
	hide := func(kind publicid.Kind, what string, id int64) {
		r.hidden[f.ids.Encode(kind, id)] = fmt.Sprintf("%s %d", what, id)
	}
	all, err := f.st.IncidentIDs(ctx, store.IDQuery{})
	if err != nil {
		t.Fatal(err)
	}
	details, err := f.st.IncidentDetails(ctx, all)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range details {
		public := d.Visibility == store.Public
		if public {
			r.incidents[d.ID] = true
		} else {
			hide(publicid.Incident, "internal incident", d.ID)
		}
		for _, u := range d.Updates {
			if public {
				r.updates[u.ID], r.updateOf[u.ID] = true, d.ID
			} else {
				hide(publicid.IncidentUpdate, "update of an internal incident", u.ID)
			}
		}
	}
	windows, err := f.st.Maintenances(ctx, store.MaintenanceQuery{All: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range windows {
		d, err := f.st.Maintenance(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		public := d.Visibility == store.Public
		if public {
			r.windows[d.ID] = true
		} else {
			hide(publicid.Maintenance, "internal window", d.ID)
		}
		for _, u := range d.Updates {
			if public {
				r.windowUpdates[u.ID], r.windowUpdateOf[u.ID] = true, d.ID
			} else {
				hide(publicid.MaintenanceUpdate, "update of an internal window", u.ID)
			}
		}
	}
	if len(r.incidents) < 5 || len(r.hidden) < 8 || len(r.windows) < 2 || len(r.windowUpdates) < 2 {
		t.Fatalf("the fixture has too little to test: %d public incidents, %d windows, %d window updates, %d hidden ids",
			len(r.incidents), len(r.windows), len(r.windowUpdates), len(r.hidden))
	}
	return r
}

// linkRe finds the id of every link to an incident's or a window's page, absolute (feeds, API)
// or relative (pages), and every feed entry's URN.
var linkRe = regexp.MustCompile(`(?:\.com|href=")/(incidents|maintenance)/([^"<>\s&]*)|urn:beacon:(incident|maintenance):([^"<>\s&]*)`)

// TestPublicIDs: the public surfaces name incidents, updates and windows only by public ids;
// those decode to public records of their kind, hold no trace of internal ones, and show no
// order of the numbers; the numbers themselves find nothing.
func TestPublicIDs(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// Internal work between public records: an incident with two more updates, two windows.
	dns := f.dns
	inc, err := f.st.OpenIncident(ctx, actor, store.NewIncident{Title: "Quiet " + marker, Message: marker, Visibility: store.Internal,
		Impacts: []store.SetImpact{{ComponentID: dns, Status: store.PartialOutage}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, msg := range []string{"one " + marker, "two " + marker} {
		if _, err := f.st.PostUpdate(ctx, actor, inc.ID, store.NewUpdate{Status: store.Identified, Message: msg}); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now().Add(3 * time.Hour).Truncate(time.Minute)
	for _, vis := range []store.Visibility{store.Internal, store.Public} {
		if _, err := f.st.AddMaintenance(ctx, actor, store.NewMaintenance{
			Title: "Window " + string(vis), Message: "Planned.", Visibility: vis, StartsAt: start, EndsAt: start.Add(time.Hour),
			Components: []int64{dns},
		}); err != nil {
			t.Fatal(err)
		}
	}
	pub, err := f.st.OpenIncident(ctx, actor, store.NewIncident{Title: "After the quiet work", Message: "Looking."})
	if err != nil {
		t.Fatal(err)
	}
	rec := readRecords(t, f)

	const base = "https://status.example.com"
	_, h := f.server(t, web.Config{BaseURL: base})
	outputs := map[string][]byte{}
	for _, path := range f.routes(t) {
		outputs[path] = get(h, "GET", path).Body.Bytes()
	}
	site, err := web.New(f.st, nil, web.Config{BaseURL: base})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "site")
	if _, err := site.Export(ctx, dir, time.Now()); err != nil {
		t.Fatal(err)
	}
	for name, body := range readTree(t, dir) {
		if !strings.HasSuffix(name, ".gz") {
			outputs["export: "+name] = body
		}
		if m := regexp.MustCompile(`^(incidents|maintenance)/(.*)\.html$`).FindStringSubmatch(name); m != nil {
			checkID(t, f, rec, "file "+name, m[1], m[2])
		}
	}

	links := map[string]int{}
	for where, body := range outputs {
		for pid, what := range rec.hidden {
			if bytes.Contains(body, []byte(pid)) {
				t.Errorf("%s holds %s, the public id of %s", where, pid, what)
			}
		}
		for _, m := range linkRe.FindAllStringSubmatch(string(body), -1) {
			kind, id := m[1], m[2]
			if kind == "" {
				kind, id = m[3], m[4]
			}
			links[kind]++
			checkID(t, f, rec, where, kind, id)
		}
	}
	if links["incidents"]+links["incident"] < len(rec.incidents) || links["maintenance"] < len(rec.windows) {
		t.Errorf("found only %v links", links)
	}

	// The API's ids, field by field.
	var doc struct {
		Incidents             []apiRecord `json:"incidents"`
		ScheduledMaintenances []apiRecord `json:"scheduled_maintenances"`
	}
	var order []string
	for _, path := range []string{"/api/v2/incidents.json", "/api/v2/summary.json", "/api/v2/scheduled-maintenances.json"} {
		doc.Incidents, doc.ScheduledMaintenances = nil, nil
		if err := json.Unmarshal(outputs[path], &doc); err != nil {
			t.Fatal(err)
		}
		for _, inc := range doc.Incidents {
			id := decodeAs(t, f, path, publicid.Incident, inc.ID, rec.incidents)
			if path == "/api/v2/incidents.json" {
				order = append(order, inc.ID)
			}
			for _, u := range inc.Updates {
				if uid := decodeAs(t, f, path, publicid.IncidentUpdate, u.ID, rec.updates); rec.updateOf[uid] != id || u.IncidentID != inc.ID {
					t.Errorf("%s: update %s (incident %s) is not of incident %s", path, u.ID, u.IncidentID, inc.ID)
				}
			}
		}
		for _, m := range doc.ScheduledMaintenances {
			id := decodeAs(t, f, path, publicid.Maintenance, m.ID, rec.windows)
			for _, u := range m.Updates {
				if uid := decodeAs(t, f, path, publicid.MaintenanceUpdate, u.ID, rec.windowUpdates); rec.windowUpdateOf[uid] != id || u.IncidentID != m.ID {
					t.Errorf("%s: update %s (window %s) is not of window %s", path, u.ID, u.IncidentID, m.ID)
				}
			}
		}
	}
	// Listed newest first, that is by falling number: the ids must not follow.
	if len(order) != len(rec.incidents) || slices.IsSorted(order) || slices.IsSortedFunc(order, func(a, b string) int { return strings.Compare(b, a) }) {
		t.Errorf("incidents.json lists %d incidents (want %d) with ids sorted like their numbers: %v", len(order), len(rec.incidents), order)
	}
	// Without the key the ids decode to nothing in particular.
	key := make([]byte, publicid.KeySize)
	rand.Read(key)
	guess, err := publicid.New(key)
	if err != nil {
		t.Fatal(err)
	}
	for _, pid := range order {
		id, _ := f.ids.Decode(publicid.Incident, pid)
		if other, _ := guess.Decode(publicid.Incident, pid); other == id {
			t.Errorf("%s decodes to its number %d under another key", pid, id)
		}
	}

	// The numbers, and the ids of other kinds, find nothing: exactly like a missing page.
	missing := get(h, "GET", "/incidents/zzzzzzzzzzzz")
	if missing.Code != http.StatusNotFound {
		t.Fatalf("a made-up id: %d", missing.Code)
	}
	pidOf := func(kind publicid.Kind, id int64) string { return f.ids.Encode(kind, id) }
	for _, path := range []string{
		"/incidents/" + strconv.FormatInt(pub.ID, 10), "/incidents/" + strconv.FormatInt(f.hostile, 10),
		"/maintenance/" + strconv.FormatInt(f.window, 10),
		"/incidents/" + pidOf(publicid.Maintenance, f.window), "/maintenance/" + pidOf(publicid.Incident, pub.ID),
		"/incidents/" + pidOf(publicid.IncidentUpdate, pub.ID), "/incidents/" + pidOf(publicid.Incident, inc.ID),
		"/incidents/" + strings.ToUpper(pidOf(publicid.Incident, pub.ID)), "/incidents/" + pidOf(publicid.Incident, pub.ID) + "x",
		"/incidents/" + pidOf(publicid.Incident, pub.ID+1000),
	} {
		w := get(h, "GET", path)
		if w.Code != http.StatusNotFound || !bytes.Equal(w.Body.Bytes(), missing.Body.Bytes()) || w.Header().Get("ETag") != missing.Header().Get("ETag") {
			t.Errorf("%s: %d; want the 404 of a missing page", path, w.Code)
		}
		if _, err := os.Stat(filepath.Join(dir, web.FilePath(path))); err == nil {
			t.Errorf("the export has %s", web.FilePath(path))
		}
	}
	if w := get(h, "GET", f.incidentPath(pub.ID)); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "After the quiet work") {
		t.Errorf("%s: %d", f.incidentPath(pub.ID), w.Code)
	}
}

// apiRecord is the part of an incident or a window in the API that names records.
type apiRecord struct {
	ID      string `json:"id"`
	Updates []struct {
		ID         string `json:"id"`
		IncidentID string `json:"incident_id"`
	} `json:"incident_updates"`
}

// decodeAs decodes a public id of kind and checks it names a public record of that kind.
func decodeAs(t *testing.T, f *fixture, where string, kind publicid.Kind, pid string, public map[int64]bool) int64 {
	t.Helper()
	id, ok := f.ids.Decode(kind, pid)
	if !ok || !public[id] {
		t.Errorf("%s: %q (kind %d) is not the public id of a public record (%d, %v)", where, pid, kind, id, ok)
	}
	return id
}

// checkID checks an id found in a link or a file name.
func checkID(t *testing.T, f *fixture, rec publicRecords, where, kind, pid string) {
	t.Helper()
	if strings.HasPrefix(kind, "incident") {
		decodeAs(t, f, where, publicid.Incident, pid, rec.incidents)
	} else {
		decodeAs(t, f, where, publicid.Maintenance, pid, rec.windows)
	}
}
