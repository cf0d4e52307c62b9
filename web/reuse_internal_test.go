package web

import (
	"reflect"
	"slices"
	"testing"

	"beacon/store"
)

// TestIncidentKeyCoversEveryField holds the fields the page keys hash to the store's types: a
// field added there and not to the keyer would let an export reuse a page that changed.
func TestIncidentKeyCoversEveryField(t *testing.T) {
	hashed := map[reflect.Type][]string{
		reflect.TypeFor[store.IncidentDetail](): {"Incident", "Updates"},
		reflect.TypeFor[store.Incident]():       {"ID", "Title", "Status", "Visibility", "Pinned", "OccurredAt", "CreatedAt", "UpdatedAt", "ResolvedAt", "Impacts", "Lifted"},
		reflect.TypeFor[store.Impact]():         {"ComponentID", "ComponentName", "Status"},
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
