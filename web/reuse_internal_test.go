package web

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"beacon/demo"
	"beacon/publicid"
	"beacon/store"
)

// TestIncidentKeyCoversEveryField holds the fields the page keys hash to the store's types: a
// field added there and not to the keyer would let an export reuse a page that changed.
func TestIncidentKeyCoversEveryField(t *testing.T) {
	hashed := map[reflect.Type][]string{
		reflect.TypeFor[store.IncidentDetail](): {"Incident", "Updates"},
		reflect.TypeFor[store.Incident]():       {"ID", "Title", "Status", "Visibility", "Pinned", "OccurredAt", "CreatedAt", "UpdatedAt", "ResolvedAt", "Impacts", "Lifted"},
		reflect.TypeFor[store.Impact]():         {"ComponentID", "ComponentName", "Status", "Worst"},
		reflect.TypeFor[store.Update]():         {"ID", "IncidentID", "Status", "Message", "Author", "CreatedAt", "Changes", "Effects"},
		reflect.TypeFor[store.ImpactChange]():   {"ComponentID", "ComponentName", "Old", "New"},
		reflect.TypeFor[store.Effect]():         {"ComponentID", "ComponentName", "Old", "New"},
	}
	for typ, want := range hashed {
		var got []string
		for f := range typ.Fields() {
			got = append(got, f.Name)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%v has the fields %v; the export's page keys hash %v: add the new ones to keyer", typ, got, want)
		}
	}
}

// TestExportReuseNeedsTheSameKey: pages drawn with another key of public ids (another database
// with the same data) are never reused: the history links to incidents by their public ids.
func TestExportReuseNeedsTheSameKey(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "beacon.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := demo.Fill(ctx, st, store.Actor{Name: "tester"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "site")
	now := time.Now()
	for i, key := range []byte{1, 2} {
		site, err := New(st, nil, Config{})
		if err != nil {
			t.Fatal(err)
		}
		if site.ids, err = publicid.New(bytes.Repeat([]byte{key}, publicid.KeySize)); err != nil {
			t.Fatal(err)
		}
		stats, err := site.Export(ctx, dir, now)
		if err != nil {
			t.Fatal(err)
		}
		if stats.Reused != 0 {
			t.Errorf("export %d reused %d files", i+1, stats.Reused)
		}
		history, err := os.ReadFile(filepath.Join(dir, "history.html"))
		if err != nil {
			t.Fatal(err)
		}
		ids, err := st.IncidentIDs(ctx, store.IDQuery{PublicOnly: true, ResolvedOnly: true})
		if err != nil || len(ids) == 0 {
			t.Fatalf("%d resolved incidents: %v", len(ids), err)
		}
		for _, id := range ids {
			if !strings.Contains(string(history), `href="`+site.incidentPath(id)+`"`) {
				t.Errorf("export %d: the history does not link to %s", i+1, site.incidentPath(id))
			}
			if _, err := os.Stat(filepath.Join(dir, FilePath(site.incidentPath(id)))); err != nil {
				t.Errorf("export %d: %v", i+1, err)
			}
		}
	}
}
