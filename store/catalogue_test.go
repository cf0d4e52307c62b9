package store_test

import (
	"context"
	"errors"
	"testing"

	"beacon/store"
)

// TestAddComponentNamesItsGroup: GroupName finds a group in any case or makes it, in the same
// write as the component, so a refused component leaves no group behind.
func TestAddComponentNamesItsGroup(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	web, err := st.AddGroup(ctx, actor, "Web")
	if err != nil {
		t.Fatal(err)
	}
	api, err := st.AddComponent(ctx, actor, store.NewComponent{Name: "API", GroupName: "web"})
	if err != nil || api.GroupID != web.ID || api.GroupName != "Web" {
		t.Fatalf("existing group: %+v, %v", api, err)
	}
	pg, err := st.AddComponent(ctx, actor, store.NewComponent{Name: "Postgres", GroupName: " Data "})
	if err != nil || pg.GroupName != "Data" || pg.GroupID == web.ID {
		t.Fatalf("new group: %+v, %v", pg, err)
	}
	if _, err := st.AddComponent(ctx, actor, store.NewComponent{Name: "api", GroupName: "Cache"}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("duplicate component: %v", err)
	}
	if _, err := st.AddComponent(ctx, actor, store.NewComponent{Name: "Redis", GroupName: "bad\x1bname"}); err == nil {
		t.Fatal("a group name with an escape was accepted")
	}
	groups, err := st.Groups(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 2 || groups[1].Name != "Data" || groups[1].Position != 2 {
		t.Errorf("groups = %+v; want Web, Data and nothing from the refused adds", groups)
	}
	entries, err := st.Audit(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action+" "+e.Subject)
	}
	want := []string{"component.add component Postgres in Data", "group.add group Data", "component.add component API in Web", "group.add group Web"}
	if len(actions) != len(want) {
		t.Fatalf("audit = %q, want %q", actions, want)
	}
	for i := range want {
		if actions[i] != want[i] {
			t.Errorf("audit[%d] = %q, want %q", i, actions[i], want[i])
		}
	}
}
