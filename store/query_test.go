package store_test

import (
	"context"
	"slices"
	"testing"

	"beacon/store"
)

// TestResolvedIncidentsMatch: Text matches a title or an affected component's name; ID and
// Internal narrow the list; the public's reader never sees an internal one.
func TestResolvedIncidentsMatch(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	api := addComponent(t, st, "Payments API")
	db := addComponent(t, st, "Postgres")
	ids := []int64{
		open(t, st, "Checkout errors", store.Public, api.ID, store.MajorOutage),
		open(t, st, "Slow queries", store.Internal, db.ID, store.PerformanceIssues),
		open(t, st, "Postgres failover", store.Public, db.ID, store.PartialOutage),
	}
	for _, id := range ids {
		post(t, st, id, store.Fixed)
	}
	titles := func(r store.Reader, q store.IncidentQuery) []string {
		t.Helper()
		list, err := r.ResolvedIncidents(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, inc := range list {
			out = append(out, inc.Title)
		}
		return out
	}
	tests := []struct {
		name string
		r    store.Reader
		q    store.IncidentQuery
		want []string
	}{
		{"a title", st, store.IncidentQuery{Text: "CHECKOUT"}, []string{"Checkout errors"}},
		{"a component's name", st, store.IncidentQuery{Text: "postgres"}, []string{"Postgres failover", "Slow queries"}},
		{"part of a name", st, store.IncidentQuery{Text: "payments"}, []string{"Checkout errors"}},
		{"an id", st, store.IncidentQuery{ID: ids[1]}, []string{"Slow queries"}},
		{"internal only", st, store.IncidentQuery{Internal: true}, []string{"Slow queries"}},
		{"text and internal", st, store.IncidentQuery{Text: "postgres", Internal: true}, []string{"Slow queries"}},
		{"the public", store.PublicOnly(st), store.IncidentQuery{Text: "postgres"}, []string{"Postgres failover"}},
		{"like's wildcards are text", st, store.IncidentQuery{Text: "%"}, nil},
	}
	for _, tt := range tests {
		if got := titles(tt.r, tt.q); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}
