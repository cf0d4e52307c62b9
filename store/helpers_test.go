package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"beacon/store"
)

var actor = store.Actor{Name: "tester"}

func openTemp(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "beacon.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func addComponent(t testing.TB, st *store.Store, name string) store.Component {
	t.Helper()
	c, err := st.AddComponent(context.Background(), actor, store.NewComponent{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func dashboard(t testing.TB, st *store.Store) store.Dashboard {
	t.Helper()
	d, err := st.Dashboard(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// open declares an incident; pairs are component id, impact.
func open(t testing.TB, st *store.Store, title string, vis store.Visibility, pairs ...any) int64 {
	t.Helper()
	in := store.NewIncident{Title: title, Message: "Looking into it.", Visibility: vis}
	for i := 0; i < len(pairs); i += 2 {
		in.Impacts = append(in.Impacts, store.SetImpact{ComponentID: pairs[i].(int64), Status: pairs[i+1].(store.Status)})
	}
	inc, err := st.OpenIncident(context.Background(), actor, in)
	if err != nil {
		t.Fatal(err)
	}
	return inc.ID
}

// post adds an update; pairs are component id, impact ("" ends it).
func post(t testing.TB, st *store.Store, id int64, status store.IncidentStatus, pairs ...any) {
	t.Helper()
	in := store.NewUpdate{Status: status, Message: "Update."}
	for i := 0; i < len(pairs); i += 2 {
		in.Impacts = append(in.Impacts, store.SetImpact{ComponentID: pairs[i].(int64), Status: pairs[i+1].(store.Status)})
	}
	if _, err := st.PostUpdate(context.Background(), actor, id, in); err != nil {
		t.Fatal(err)
	}
}

func effective(t testing.TB, st *store.Store, id int64) store.Status {
	t.Helper()
	c, err := st.Component(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c.Effective
}
