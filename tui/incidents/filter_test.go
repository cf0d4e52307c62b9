package incidents

import (
	"testing"
	"time"

	"beacon/store"
)

func TestFilter(t *testing.T) {
	names := map[int64]string{1: "Payments API", 2: "Postgres"}
	resolved := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	incs := []store.Incident{
		{ID: 7, Title: "Checkout errors", Visibility: store.Public, Impacts: []store.Impact{{ComponentID: 1}}},
		{ID: 8, Title: "Slow queries", Visibility: store.Internal, Impacts: []store.Impact{{ComponentID: 2}}},
		{ID: 9, Title: "Failover", Visibility: store.Public, ResolvedAt: resolved, Impacts: []store.Impact{{ComponentID: 2}}},
	}
	tests := []struct {
		query string
		want  filter
		ids   []int64
	}{
		{"checkout", filter{text: "checkout"}, []int64{7}},
		{"payments", filter{text: "payments"}, []int64{7}},
		{"postgres", filter{text: "postgres"}, []int64{8, 9}},
		{"#8", filter{id: 8}, []int64{8}},
		{"is:open postgres", filter{text: "postgres", open: true}, []int64{8}},
		{"IS:INTERNAL", filter{internal: true}, []int64{8}},
		{"#x slow", filter{text: "#x slow"}, nil},
	}
	for _, tt := range tests {
		f := parseFilter(tt.query)
		if f != tt.want {
			t.Errorf("parseFilter(%q) = %+v, want %+v", tt.query, f, tt.want)
		}
		var ids []int64
		for _, inc := range incs {
			if f.matches(inc, names) {
				ids = append(ids, inc.ID)
			}
		}
		if len(ids) != len(tt.ids) || (len(ids) > 0 && ids[0] != tt.ids[0]) || (len(ids) > 1 && ids[1] != tt.ids[1]) {
			t.Errorf("%q matches %v, want %v", tt.query, ids, tt.ids)
		}
	}
	if q := parseFilter("postgres is:internal #3").query(100, 50); q != (store.IncidentQuery{Limit: 100, Before: 50, Text: "postgres", ID: 3, Internal: true}) {
		t.Errorf("query = %+v", q)
	}
}
