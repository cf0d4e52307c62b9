package store_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"beacon/store"
)

// TestPeakImpact: an incident's impact is the worst status it imposed on any component at any
// time: impacts lowered since count at their worst, lifted ones too.
func TestPeakImpact(t *testing.T) {
	imp := func(st, worst store.Status) store.Impact {
		return store.Impact{ComponentName: "API", Status: st, Worst: worst}
	}
	for _, c := range []struct {
		name    string
		impacts []store.Impact
		lifted  []store.Impact
		want    store.Status
	}{
		{"no impacts", nil, nil, store.Operational},
		{"one impact", []store.Impact{imp(store.PartialOutage, store.PartialOutage)}, nil, store.PartialOutage},
		{"the worst of several", []store.Impact{imp(store.PerformanceIssues, store.PerformanceIssues), imp(store.MajorOutage, store.MajorOutage)}, nil, store.MajorOutage},
		{"lowered: its worst counts", []store.Impact{imp(store.PartialOutage, store.MajorOutage)}, nil, store.MajorOutage},
		{"lifted: its worst counts", nil, []store.Impact{imp(store.MajorOutage, store.MajorOutage)}, store.MajorOutage},
		{"lifted worse than what holds now", []store.Impact{imp(store.PerformanceIssues, store.PerformanceIssues)}, []store.Impact{imp(store.PartialOutage, store.PartialOutage)}, store.PartialOutage},
		{"worst unknown: the status counts", []store.Impact{{ComponentName: "API", Status: store.PartialOutage}}, nil, store.PartialOutage},
	} {
		t.Run(c.name, func(t *testing.T) {
			inc := store.Incident{Impacts: c.impacts, Lifted: c.lifted}
			if got := inc.PeakImpact(); got != c.want {
				t.Errorf("PeakImpact() = %s, want %s", got, c.want)
			}
		})
	}
}

// record names an incident's components with what it imposes now and the worst it imposed.
func record(inc store.Incident) string {
	var now, earlier []string
	for _, m := range inc.Impacts {
		now = append(now, fmt.Sprintf("%s=%s/%s", m.ComponentName, m.Status, m.Worst))
	}
	for _, m := range inc.Lifted {
		earlier = append(earlier, fmt.Sprintf("%s=%s/%s", m.ComponentName, m.Status, m.Worst))
	}
	return fmt.Sprintf("now %v, lifted %v", now, earlier)
}

// TestImpactKeepsItsWorst: the store keeps, for every component an incident affects, the worst
// it imposed there, through lowering, lifting, imposing anew, fixing and reopening; every way
// of reading incidents gives it, and so the same peak impact.
func TestImpactKeepsItsWorst(t *testing.T) {
	none := store.Status("")
	for _, c := range []struct {
		name  string
		open  store.Status
		posts []store.Status // A's impact, one update each
		fixed bool
		want  string
		peak  store.Status
	}{
		{"lowered", store.MajorOutage, []store.Status{store.PartialOutage}, true,
			"now [A=partial_outage/major_outage], lifted []", store.MajorOutage},
		{"lifted", store.MajorOutage, []store.Status{none}, true,
			"now [], lifted [A=major_outage/major_outage]", store.MajorOutage},
		{"raised", store.PerformanceIssues, []store.Status{store.PartialOutage}, false,
			"now [A=partial_outage/partial_outage], lifted []", store.PartialOutage},
		{"lifted then imposed anew, milder", store.MajorOutage, []store.Status{none, store.PerformanceIssues}, false,
			"now [A=performance_issues/major_outage], lifted []", store.MajorOutage},
		{"lowered, raised, lowered again", store.PerformanceIssues, []store.Status{store.MajorOutage, store.PartialOutage, store.PerformanceIssues}, true,
			"now [A=performance_issues/major_outage], lifted []", store.MajorOutage},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			st := openTemp(t)
			a := addComponent(t, st, "A").ID
			id := open(t, st, "Incident", store.Public, a, c.open)
			for _, s := range c.posts {
				post(t, st, id, store.Identified, a, s)
			}
			if c.fixed {
				post(t, st, id, store.Fixed)
			}
			want := c.want
			d, err := st.Incident(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			details, err := st.IncidentDetails(ctx, []int64{id})
			if err != nil || len(details) != 1 {
				t.Fatalf("IncidentDetails: %v, %v", details, err)
			}
			list := "unresolved"
			listed, err := st.UnresolvedIncidents(ctx)
			if c.fixed {
				list = "resolved"
				listed, err = st.ResolvedIncidents(ctx, store.IncidentQuery{})
			}
			if err != nil || len(listed) != 1 {
				t.Fatalf("%s incidents: %v, %v", list, listed, err)
			}
			for _, got := range []struct {
				how string
				inc store.Incident
			}{{"Incident", d.Incident}, {"IncidentDetails", details[0].Incident}, {list + " incidents", listed[0]}} {
				if r := record(got.inc); r != want {
					t.Errorf("%s: %s, want %s", got.how, r, want)
				}
				if p := got.inc.PeakImpact(); p != c.peak {
					t.Errorf("%s: peak impact %s, want %s", got.how, p, c.peak)
				}
			}
			if c.fixed {
				post(t, st, id, store.Investigating)
				if d, err = st.Incident(ctx, id); err != nil {
					t.Fatal(err)
				}
				if r := record(d.Incident); r != want {
					t.Errorf("reopened: %s, want %s", r, want)
				}
			}
		})
	}
}

// TestEventIncidentAsOfItsUpdate: a webhook event about an earlier update carries the incident's
// impacts, their worst and the lifted ones as they stood after that update, not as they stand.
func TestEventIncidentAsOfItsUpdate(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	addWebhook(t, st, true)
	a := addComponent(t, st, "A").ID
	b := addComponent(t, st, "B").ID
	id := open(t, st, "Incident", store.Public, a, store.MajorOutage, b, store.PerformanceIssues)
	var events []int64
	lastEvent := func() int64 {
		t.Helper()
		var newest int64
		for _, d := range deliveries(t, st, store.DeliveryQuery{IncidentID: id, Limit: 1000}) {
			if strings.HasPrefix(string(d.EventType), "incident.") && d.EventID > newest {
				newest = d.EventID
			}
		}
		return newest
	}
	events = append(events, lastEvent())
	post(t, st, id, store.Identified, a, store.PartialOutage, b, store.Status(""))
	events = append(events, lastEvent())
	post(t, st, id, store.Watching, b, store.PartialOutage)
	events = append(events, lastEvent())
	for i, want := range []string{
		"now [A=major_outage/major_outage B=performance_issues/performance_issues], lifted []",
		"now [A=partial_outage/major_outage], lifted [B=performance_issues/performance_issues]",
		"now [A=partial_outage/major_outage B=partial_outage/partial_outage], lifted []",
	} {
		ev, err := st.Event(ctx, events[i])
		if err != nil {
			t.Fatal(err)
		}
		if ev.Incident == nil {
			t.Fatalf("event %d has no incident", events[i])
		}
		got := ev.Incident.Incident
		sort.Slice(got.Impacts, func(x, y int) bool { return got.Impacts[x].ComponentName < got.Impacts[y].ComponentName })
		if r := record(got); r != want {
			t.Errorf("event after update %d: %s, want %s", i+1, r, want)
		}
	}
}

// TestMigrateImpactWorst: a database from before impacts kept their worst finds it in the
// updates' record.
func TestMigrateImpactWorst(t *testing.T) {
	path := databaseAt(t, migrationsBefore(t, "impact_worst"),
		`INSERT INTO components (id, name, created_at, updated_at) VALUES (1, 'api', 1000, 1000), (2, 'db', 1000, 1000), (3, 'web', 1000, 1000)`,
		`INSERT INTO incidents (id, title, status, occurred_at, created_at, updated_at, resolved_at) VALUES
			(1, 'Errors', 'fixed', 2000, 2000, 4000, 4000)`,
		`INSERT INTO updates (id, incident_id, status, created_at) VALUES
			(1, 1, 'investigating', 2000), (2, 1, 'identified', 3000), (3, 1, 'fixed', 4000)`,
		`INSERT INTO impacts (incident_id, component_id, status) VALUES (1, 1, 'partial_outage'), (1, 2, 'partial_outage'), (1, 3, 'performance_issues')`,
		`INSERT INTO update_impacts (update_id, component_id, old_status, new_status) VALUES
			(1, 1, NULL, 'major_outage'), (1, 2, NULL, 'performance_issues'), (2, 1, 'major_outage', 'partial_outage'),
			(2, 2, 'performance_issues', 'partial_outage')`,
	)
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	d, err := st.Incident(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	// web's impact has no record in the updates (written by hand): its status is its worst.
	want := "now [api=partial_outage/major_outage db=partial_outage/partial_outage web=performance_issues/performance_issues], lifted []"
	if got := record(d.Incident); got != want {
		t.Errorf("migrated: %s, want %s", got, want)
	}
	if got := d.PeakImpact(); got != store.MajorOutage {
		t.Errorf("migrated peak impact %s, want major_outage", got)
	}
}
