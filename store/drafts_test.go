package store_test

import (
	"context"
	"testing"

	"beacon/store"
)

// TestDraftsAreKeptByKey: an actor with a key keeps its drafts by the key, so another actor
// with the same name (another key, or anyone typing that name) never reads them.
func TestDraftsAreKeptByKey(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	ada := store.Actor{Name: "Ada", Key: "SHA256:ada"}
	if err := st.SaveDraft(ctx, ada, "new", []byte(`{"title":"mine"}`)); err != nil {
		t.Fatal(err)
	}
	for _, other := range []store.Actor{{Name: "Ada"}, {Name: "Ada", Key: "SHA256:other"}} {
		if _, ok, err := st.LoadDraft(ctx, other, "new"); err != nil || ok {
			t.Errorf("%+v reads Ada's draft: %v, %v", other, ok, err)
		}
	}
	if d, ok, err := st.LoadDraft(ctx, store.Actor{Name: "Ada renamed", Key: "SHA256:ada"}, "new"); err != nil || !ok || string(d.State) != `{"title":"mine"}` {
		t.Errorf("the key's own draft after a rename: %q, %v, %v", d.State, ok, err)
	}
}
