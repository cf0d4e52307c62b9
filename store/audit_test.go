package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"beacon/store"
)

func TestAuditLogFilters(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	start := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	// 10 entries a second apart: 0 alice, 1 bob, 2 Alice Smith, 3 alice, …
	if err := store.FillAudit(st, 10, start, "alice", "bob", "Alice Smith"); err != nil {
		t.Fatal(err)
	}
	subjects := func(q store.AuditQuery) []string {
		t.Helper()
		entries, err := st.AuditLog(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range entries {
			out = append(out, e.Subject)
		}
		return out
	}
	entry := func(ns ...int) []string {
		var out []string
		for _, n := range ns {
			out = append(out, fmt.Sprintf("entry %d", n))
		}
		return out
	}
	tests := []struct {
		name string
		q    store.AuditQuery
		want []string
	}{
		{"newest first", store.AuditQuery{Limit: 3}, entry(9, 8, 7)},
		{"one actor, any case", store.AuditQuery{Actor: "ALICE"}, entry(9, 6, 3, 0)},
		{"the whole name only", store.AuditQuery{Actor: "Alice Smith"}, entry(8, 5, 2)},
		{"since, inclusive", store.AuditQuery{Since: start.Add(7 * time.Second)}, entry(9, 8, 7)},
		{"actor and since", store.AuditQuery{Actor: "bob", Since: start.Add(2 * time.Second)}, entry(7, 4)},
		{"the next page", store.AuditQuery{Actor: "alice", Before: 7, Limit: 2}, entry(3, 0)},
		{"nobody", store.AuditQuery{Actor: "carol"}, nil},
	}
	for _, tt := range tests {
		if got := subjects(tt.q); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	actors, err := st.AuditActors(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"alice", "Alice Smith", "bob"}; !slices.Equal(actors, want) {
		t.Errorf("actors = %q, want %q", actors, want)
	}
}

// BenchmarkAuditLog reads the newest page of a 100,000-entry trail: all of it, one actor's,
// and since an hour ago.
func BenchmarkAuditLog(b *testing.B) {
	ctx := context.Background()
	st := openTemp(b)
	start := time.Now().Add(-100_000 * time.Second)
	if err := store.FillAudit(st, 100_000, start, "alice", "bob", "carol", "dave", "rare"); err != nil {
		b.Fatal(err)
	}
	for _, bm := range []struct {
		name string
		q    store.AuditQuery
	}{
		{"newest", store.AuditQuery{Limit: 100}},
		{"actor", store.AuditQuery{Actor: "rare", Limit: 100}},
		{"since-1h", store.AuditQuery{Since: time.Now().Add(-time.Hour), Limit: 100}},
		{"actor-since-1h", store.AuditQuery{Actor: "rare", Since: time.Now().Add(-time.Hour), Limit: 100}},
		{"absent-actor", store.AuditQuery{Actor: "nobody", Limit: 100}},
	} {
		b.Run(bm.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := st.AuditLog(ctx, bm.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
