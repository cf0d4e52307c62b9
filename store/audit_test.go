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
	// 12 entries a second apart: 0 alice, 1 Bob Builder, 2 Alice Smith, 3 ada (SHA256:aB1/x+9), 4 alice, …
	if err := store.FillAudit(st, 12, start, "alice", "Bob Builder", "Alice Smith", "ada (SHA256:aB1/x+9)"); err != nil {
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
		{"newest first", store.AuditQuery{Limit: 3}, entry(11, 10, 9)},
		{"part of a name, any case", store.AuditQuery{Actor: "bob"}, entry(9, 5, 1)},
		{"a part two names hold", store.AuditQuery{Actor: "ALICE"}, entry(10, 8, 6, 4, 2, 0)},
		{"a whole name", store.AuditQuery{Actor: "Alice Smith"}, entry(10, 6, 2)},
		{"a word inside", store.AuditQuery{Actor: "builder"}, entry(9, 5, 1)},
		{"a key's fingerprint", store.AuditQuery{Actor: "SHA256:aB1/x+9"}, entry(11, 7, 3)},
		{"a whole actor with its fingerprint", store.AuditQuery{Actor: " ada (SHA256:aB1/x+9) "}, entry(11, 7, 3)},
		{"LIKE's wildcards are letters", store.AuditQuery{Actor: "a%e"}, nil},
		{"an underscore is a letter", store.AuditQuery{Actor: "b_b"}, nil},
		{"since, inclusive", store.AuditQuery{Since: start.Add(9 * time.Second)}, entry(11, 10, 9)},
		{"actor and since", store.AuditQuery{Actor: "bob", Since: start.Add(2 * time.Second)}, entry(9, 5)},
		{"the next page", store.AuditQuery{Actor: "alice", Before: 8, Limit: 2}, entry(6, 4)},
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
	if want := []string{"ada (SHA256:aB1/x+9)", "alice", "Alice Smith", "Bob Builder"}; !slices.Equal(actors, want) {
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
		{"absent-actor-accented", store.AuditQuery{Actor: "nöbody", Limit: 100}},
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

// TestAuditActorFoldsEveryLetter: the actor filter ignores the case of every letter, not only
// ASCII's, as SQLite's LIKE would.
func TestAuditActorFoldsEveryLetter(t *testing.T) {
	st := openTemp(t)
	if err := store.FillAudit(st, 2, time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC), "Émile Zola", "Ødegaard"); err != nil {
		t.Fatal(err)
	}
	for query, want := range map[string]string{"émile": "Émile Zola", "ÉMILE ZOLA": "Émile Zola", "øde": "Ødegaard", "zola": "Émile Zola"} {
		entries, err := st.AuditLog(context.Background(), store.AuditQuery{Actor: query})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 || entries[0].Actor != want {
			t.Errorf("--actor %q found %v, want the entry of %s", query, entries, want)
		}
	}
}
