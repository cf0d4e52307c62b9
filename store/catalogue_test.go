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

// auditSince is the audit entries after the newest one seen before, oldest first, as
// "action subject: detail".
func auditSince(t *testing.T, st *store.Store, after int64) []string {
	t.Helper()
	entries, err := st.Audit(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(entries) - 1; i >= 0; i-- {
		if e := entries[i]; e.ID > after {
			out = append(out, e.Action+" "+e.Subject+": "+e.Detail)
		}
	}
	return out
}

// newestAudit is the id of the newest audit entry.
func newestAudit(t *testing.T, st *store.Store) int64 {
	t.Helper()
	entries, err := st.Audit(context.Background(), 1)
	if err != nil || len(entries) == 0 {
		t.Fatalf("audit: %v, %d entries", err, len(entries))
	}
	return entries[0].ID
}

// wantRefusal checks that in was refused: with a reason about field, or as a conflict when
// field is "".
func wantRefusal(t *testing.T, in any, err error, field string) {
	t.Helper()
	var ve *store.ValidationError
	switch {
	case field == "" && !errors.Is(err, store.ErrConflict):
		t.Errorf("%+v: %v, want a conflict", in, err)
	case field != "" && (!errors.As(err, &ve) || ve.Field != field):
		t.Errorf("%+v: %v, want a reason about %s", in, err, field)
	}
}

func equalLists(t *testing.T, what string, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s = %q, want %q", what, got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%s[%d] = %q, want %q", what, i, got[i], want[i])
		}
	}
}

// TestCreateGroup: a group is made with the collapse mode asked for (by default collapsed
// unless its components have issues), and refused with the field's reason.
func TestCreateGroup(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	web, err := st.CreateGroup(ctx, actor, store.NewGroup{Name: " Web "})
	if err != nil || web.Name != "Web" || web.Collapse != store.CollapsedUnlessIssues || web.Position != 1 {
		t.Fatalf("default group: %+v, %v", web, err)
	}
	data, err := st.CreateGroup(ctx, actor, store.NewGroup{Name: "Data", Collapse: store.Expanded})
	if err != nil || data.Collapse != store.Expanded || data.Position != 2 {
		t.Fatalf("expanded group: %+v, %v", data, err)
	}
	equalLists(t, "audit", auditSince(t, st, 0), []string{"group.add group Web: ", "group.add group Data: expanded"})
	for _, tc := range []struct {
		in    store.NewGroup
		field string // the ValidationError's field, or "" for a conflict
	}{
		{store.NewGroup{Name: "  "}, "name"},
		{store.NewGroup{Name: "a\x1bb"}, "name"},
		{store.NewGroup{Name: "web"}, ""},
		{store.NewGroup{Name: "Cache", Collapse: "folded"}, "collapse"},
	} {
		_, err := st.CreateGroup(ctx, actor, tc.in)
		wantRefusal(t, tc.in, err, tc.field)
	}
	if groups, _ := st.Groups(ctx); len(groups) != 2 {
		t.Errorf("refused groups were made: %+v", groups)
	}
	if _, err := st.CreateGroup(ctx, store.Actor{Name: "viewer", ReadOnly: true}, store.NewGroup{Name: "Cache"}); !errors.Is(err, store.ErrReadOnly) {
		t.Errorf("a viewer made a group: %v", err)
	}
}

// TestEditGroup: the name and the collapse mode change in one write, each audited, and a
// refusal changes neither.
func TestEditGroup(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	web, _ := st.AddGroup(ctx, actor, "Web")
	if _, err := st.AddGroup(ctx, actor, "Data"); err != nil {
		t.Fatal(err)
	}
	seen := newestAudit(t, st)
	if err := st.EditGroup(ctx, actor, web.ID, store.GroupEdit{Name: "Front end", Collapse: store.Collapsed}); err != nil {
		t.Fatal(err)
	}
	equalLists(t, "audit", auditSince(t, st, seen), []string{"group.rename group Web: renamed to Front end", "group.collapse group Front end: collapsed"})
	seen = newestAudit(t, st)
	if err := st.EditGroup(ctx, actor, web.ID, store.GroupEdit{Name: "Front end", Collapse: store.Collapsed}); err != nil {
		t.Fatal(err)
	}
	equalLists(t, "audit after an edit that changes nothing", auditSince(t, st, seen), nil)
	for _, tc := range []struct {
		in    store.GroupEdit
		field string // the ValidationError's field, or "" for a conflict
	}{
		{store.GroupEdit{Name: "DATA", Collapse: store.Expanded}, ""},
		{store.GroupEdit{Name: "", Collapse: store.Expanded}, "name"},
		{store.GroupEdit{Name: "Web", Collapse: "sideways"}, "collapse"},
	} {
		wantRefusal(t, tc.in, st.EditGroup(ctx, actor, web.ID, tc.in), tc.field)
	}
	groups, _ := st.Groups(ctx)
	if g := groups[0]; g.Name != "Front end" || g.Collapse != store.Collapsed {
		t.Errorf("after refused edits the group is %+v", g)
	}
	if err := st.EditGroup(ctx, actor, 999, store.GroupEdit{Name: "X", Collapse: store.Expanded}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a missing group: %v", err)
	}
}

// TestEditComponent: name, description, link, enabled and group change in one write, each
// audited as the single-purpose writes audit them; a new group is made on first use; a
// refusal (a taken name, a bad link) changes nothing at all.
func TestEditComponent(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	api, err := st.AddComponent(ctx, actor, store.NewComponent{Name: "API", GroupName: "Web"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddComponent(ctx, actor, store.NewComponent{Name: "Redis", GroupName: "Data"}); err != nil {
		t.Fatal(err)
	}
	seen := newestAudit(t, st)
	edit := store.ComponentEdit{Name: "Public API", Description: "REST", Link: "https://api.example.com", GroupName: "data", Enabled: false}
	if err := st.EditComponent(ctx, actor, api.ID, edit); err != nil {
		t.Fatal(err)
	}
	equalLists(t, "audit", auditSince(t, st, seen), []string{
		"component.rename component API: renamed to Public API",
		"component.describe component Public API: REST",
		"component.disable component Public API: ",
		"component.move component Public API: to Data, position 2",
	})
	got, err := st.Component(ctx, api.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Public API" || got.Description != "REST" || got.Link != "https://api.example.com" || got.GroupName != "Data" ||
		got.Position != 2 || got.Enabled {
		t.Fatalf("after the edit: %+v", got)
	}

	seen = newestAudit(t, st)
	if err := st.EditComponent(ctx, actor, api.ID, edit); err != nil {
		t.Fatal(err)
	}
	equalLists(t, "audit after an edit that changes nothing", auditSince(t, st, seen), nil)

	// Out of its group, then into a group made for it.
	if err := st.EditComponent(ctx, actor, api.ID, store.ComponentEdit{Name: "Public API", Enabled: true}); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.Component(ctx, api.ID); got.GroupID != 0 || !got.Enabled || got.Link != "" {
		t.Errorf("out of its group: %+v", got)
	}
	if err := st.EditComponent(ctx, actor, api.ID, store.ComponentEdit{Name: "Public API", GroupName: "Edge", Enabled: true}); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.Component(ctx, api.ID); got.GroupName != "Edge" {
		t.Errorf("into a new group: %+v", got)
	}

	seen = newestAudit(t, st)
	for _, tc := range []struct {
		in    store.ComponentEdit
		field string // the ValidationError's field, or "" for a conflict
	}{
		{store.ComponentEdit{Name: "redis", GroupName: "Other"}, ""},
		{store.ComponentEdit{Name: " ", GroupName: "Other"}, "name"},
		{store.ComponentEdit{Name: "X", Link: "javascript:alert(1)", GroupName: "Other"}, "link"},
		{store.ComponentEdit{Name: "X", Link: "example.com", GroupName: "Other"}, "link"},
		{store.ComponentEdit{Name: "X", Description: "two\nlines", GroupName: "Other"}, "description"},
		{store.ComponentEdit{Name: "X", GroupName: "bad\x1bgroup"}, "group"},
	} {
		wantRefusal(t, tc.in, st.EditComponent(ctx, actor, api.ID, tc.in), tc.field)
	}
	equalLists(t, "audit after refused edits", auditSince(t, st, seen), nil)
	if groups, _ := st.Groups(ctx); len(groups) != 3 {
		t.Errorf("a refused edit left a group behind: %+v", groups)
	}
	if err := st.EditComponent(ctx, actor, 999, store.ComponentEdit{Name: "X"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a missing component: %v", err)
	}
	if err := st.EditComponent(ctx, store.Actor{Name: "viewer", ReadOnly: true}, api.ID, store.ComponentEdit{Name: "Y"}); !errors.Is(err, store.ErrReadOnly) {
		t.Errorf("a viewer edited a component: %v", err)
	}
}
