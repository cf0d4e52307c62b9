package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"beacon/store"
)

func TestIncidentIDsAndDetails(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	api := addComponent(t, st, "API")
	web := addComponent(t, st, "Web")
	a := open(t, st, "A", store.Public, api.ID, store.MajorOutage)
	b := open(t, st, "B", store.Internal, web.ID, store.PartialOutage)
	c := open(t, st, "C", store.Public, web.ID, store.PerformanceIssues)
	post(t, st, a, store.Fixed)
	post(t, st, b, store.Fixed)
	post(t, st, c, store.Identified, api.ID, store.PartialOutage)

	for _, tc := range []struct {
		q    store.IDQuery
		want []int64
	}{
		{store.IDQuery{}, []int64{a, b, c}},
		{store.IDQuery{PublicOnly: true}, []int64{a, c}},
		{store.IDQuery{ResolvedOnly: true}, []int64{a, b}},
		{store.IDQuery{PublicOnly: true, ResolvedOnly: true}, []int64{a}},
		{store.IDQuery{Newest: 2}, []int64{b, c}},
		{store.IDQuery{Since: time.Now().Add(time.Hour)}, nil},
	} {
		got, err := st.IncidentIDs(ctx, tc.q)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%+v: %v, want %v", tc.q, got, tc.want)
		}
	}

	details, err := st.IncidentDetails(ctx, []int64{c, 999, a})
	if err != nil {
		t.Fatal(err)
	}
	if len(details) != 2 || details[0].ID != c || details[1].ID != a {
		t.Fatalf("details: %+v", details)
	}
	for _, d := range details {
		one, err := st.Incident(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		for i := range one.Updates {
			one.Updates[i].Effects = nil
		}
		if !reflect.DeepEqual(d, one) {
			t.Errorf("incident %d in bulk:\n%+v\nalone:\n%+v", d.ID, d, one)
		}
	}
}
