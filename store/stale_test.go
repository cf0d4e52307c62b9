package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"beacon/store"
)

// TestStalePostRefused: two stores on one file (two processes' worth). One responder composes
// an update against the incident as it stood; another resolves it meanwhile. The first post,
// carrying the version it was composed against, is refused with the resolve in the error, and
// the incident stays resolved: no silent reopen.
func TestStalePostRefused(t *testing.T) {
	ctx := context.Background()
	a := openTemp(t)
	b, err := store.Open(ctx, a.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	api := addComponent(t, a, "API")
	id := open(t, a, "Errors", store.Public, api.ID, store.MajorOutage)
	seen, err := a.Incident(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	version := seen.Updates[0].ID

	if _, err := b.PostUpdate(ctx, store.Actor{Name: "bob"}, id, store.NewUpdate{Status: store.Fixed, Message: "Fixed.", ExpectUpdate: version}); err != nil {
		t.Fatal(err)
	}
	_, err = a.PostUpdate(ctx, actor, id, store.NewUpdate{Status: store.Identified, Message: "Found it.", ExpectUpdate: version})
	var stale *store.StaleError
	if !errors.As(err, &stale) || !errors.Is(err, store.ErrConflict) {
		t.Fatalf("stale post: %v, want a StaleError", err)
	}
	if stale.Latest.Status != store.Fixed || stale.Latest.Author != "bob" || stale.Expected != version {
		t.Errorf("the conflict names %+v", stale)
	}
	now, err := a.Incident(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !now.Resolved() || len(now.Updates) != 2 || effective(t, a, api.ID) != store.Operational {
		t.Errorf("after the refused post: resolved %v, %d updates, API %s", now.Resolved(), len(now.Updates), effective(t, a, api.ID))
	}
	// Posting against the new version (a reopen, said as such) goes through.
	if _, err := a.PostUpdate(ctx, actor, id, store.NewUpdate{Status: store.Identified, Message: "Back.", ExpectUpdate: stale.Latest.ID}); err != nil {
		t.Errorf("post against the newest version: %v", err)
	}
}

// TestStalePostRace: a post and a resolve composed against the same version race from two
// stores, many times; exactly one of each pair lands.
func TestStalePostRace(t *testing.T) {
	ctx := context.Background()
	a := openTemp(t)
	b, err := store.Open(ctx, a.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	api := addComponent(t, a, "API")
	for i := 0; i < 20; i++ {
		id := open(t, a, "Errors", store.Public, api.ID, store.MajorOutage)
		d, err := a.Incident(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		version := d.Updates[0].ID
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for n, st := range []*store.Store{a, b} {
			status := []store.IncidentStatus{store.Identified, store.Fixed}[n]
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[n] = st.PostUpdate(ctx, actor, id, store.NewUpdate{Status: status, Message: "m", ExpectUpdate: version})
			}()
		}
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Fatalf("round %d: both or neither landed: %v, %v", i, errs[0], errs[1])
		}
		for _, err := range errs {
			if err != nil && !errors.Is(err, store.ErrConflict) {
				t.Fatalf("round %d: %v", i, err)
			}
		}
		if d, _ := a.Incident(ctx, id); len(d.Updates) != 2 {
			t.Fatalf("round %d: %d updates", i, len(d.Updates))
		}
		post(t, a, id, store.Fixed)
	}
}
