package store_test

import (
	"context"
	"fmt"
	"testing"

	"beacon/store"
)

// affected names an incident's components: what it holds now, then what it lifted.
func affected(inc store.Incident) string {
	var now, earlier []string
	for _, m := range inc.Impacts {
		now = append(now, m.ComponentName+"="+string(m.Status))
	}
	for _, m := range inc.Lifted {
		earlier = append(earlier, m.ComponentName+"="+string(m.Status))
	}
	return fmt.Sprintf("now %v, lifted %v", now, earlier)
}

// TestLiftedImpactsStayOnRecord: a component whose impact is lifted before the fix stays in the
// incident's record with the worst status the incident imposed on it; the component's own
// list of incidents and the search of resolved incidents by component still find it; an impact
// imposed anew is current again, not lifted.
func TestLiftedImpactsStayOnRecord(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	auth := addComponent(t, st, "Auth service").ID
	db := addComponent(t, st, "Postgres primary").ID
	id := open(t, st, "Sign-in failing", store.Public, auth, store.MajorOutage, db, store.PerformanceIssues)
	post(t, st, id, store.Identified, auth, store.PartialOutage, db, store.PartialOutage)
	post(t, st, id, store.Watching, auth, store.Status(""))

	inc, err := st.Incident(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := affected(inc.Incident), "now [Postgres primary=partial_outage], lifted [Auth service=major_outage]"; got != want {
		t.Errorf("while watching: %s, want %s", got, want)
	}
	if effective(t, st, auth) != store.Operational {
		t.Errorf("a lifted impact still holds Auth service: %s", effective(t, st, auth))
	}
	post(t, st, id, store.Fixed)
	inc, err = st.Incident(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(inc.Affected()); got != 2 {
		t.Errorf("the fixed incident's record has %d components, want 2: %s", got, affected(inc.Incident))
	}
	list, err := st.ComponentIncidents(ctx, auth, 0)
	if err != nil || len(list) != 1 || list[0].ID != id {
		t.Errorf("Auth service's incidents: %v, %v; want #%d", list, err, id)
	}
	found, err := st.ResolvedIncidents(ctx, store.IncidentQuery{Text: "auth"})
	if err != nil || len(found) != 1 || found[0].ID != id {
		t.Errorf("resolved incidents about auth: %v, %v; want #%d", found, err, id)
	}

	again := open(t, st, "Again", store.Public, auth, store.PerformanceIssues)
	post(t, st, again, store.Identified, auth, store.Status(""))
	post(t, st, again, store.Watching, auth, store.MajorOutage)
	inc, err = st.Incident(ctx, again)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := affected(inc.Incident), "now [Auth service=major_outage], lifted []"; got != want {
		t.Errorf("imposed anew: %s, want %s", got, want)
	}
}

// TestMigrateLiftedImpacts: a database from before lifted impacts were kept finds them in the
// updates' record, with the worst status each held.
func TestMigrateLiftedImpacts(t *testing.T) {
	path := databaseAt(t, migrationsBefore(t, "lifted_impacts"),
		`INSERT INTO components (id, name, created_at, updated_at) VALUES (1, 'auth', 1000, 1000), (2, 'db', 1000, 1000)`,
		`INSERT INTO incidents (id, title, status, occurred_at, created_at, updated_at, resolved_at) VALUES
			(1, 'Sign-in', 'fixed', 2000, 2000, 4000, 4000)`,
		`INSERT INTO updates (id, incident_id, status, created_at) VALUES
			(1, 1, 'investigating', 2000), (2, 1, 'identified', 3000), (3, 1, 'fixed', 4000)`,
		`INSERT INTO impacts (incident_id, component_id, status) VALUES (1, 2, 'partial_outage')`,
		`INSERT INTO update_impacts (update_id, component_id, old_status, new_status) VALUES
			(1, 1, NULL, 'major_outage'), (1, 2, NULL, 'partial_outage'), (2, 1, 'major_outage', 'partial_outage'), (3, 1, 'partial_outage', NULL)`,
	)
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	inc, err := st.Incident(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := affected(inc.Incident), "now [db=partial_outage], lifted [auth=major_outage]"; got != want {
		t.Errorf("migrated: %s, want %s", got, want)
	}
}
