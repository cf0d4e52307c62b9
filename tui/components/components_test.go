package components

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	_ "github.com/charmbracelet/x/exp/golden" // takes -update, so go test ./... -update runs here too

	"beacon/store"
	"beacon/tui/internal/fixture"
	"beacon/tui/keys"
	"beacon/tui/shared"
)

// big is a dashboard of groups×per components, all expanded, one in major outage.
func big(groups, per int) store.Dashboard {
	var d store.Dashboard
	id := int64(0)
	for g := range groups {
		d.Groups = append(d.Groups, store.Group{ID: int64(g + 1), Name: fmt.Sprintf("Group %d", g+1), Collapse: store.Expanded})
		for range per {
			id++
			c := store.Component{ID: id, Name: fmt.Sprintf("Component %d", id), GroupID: int64(g + 1), Enabled: true,
				Status: store.Operational, Effective: store.Operational}
			if id == 500 {
				c.Effective = store.MajorOutage
			}
			d.Components = append(d.Components, c)
		}
	}
	return d
}

func press(s string) tea.KeyMsg { return fixture.Key(s) }

func TestDrawsOnlyTheScreen(t *testing.T) {
	m := New(fixture.Common(t, nil, 80, 20), keys.New(false))
	m.SetSize(80, 20)
	m.Update(shared.DashboardMsg{Dashboard: big(50, 20)})
	if n := len(m.rows); n != 1050 {
		t.Fatalf("%d rows, want 1050", n)
	}
	for _, keys := range [][]string{nil, {"G"}, {"g", "pgdown", "pgdown"}, {"k"}} {
		for _, k := range keys {
			m.Update(press(k))
		}
		v := m.View()
		if n := strings.Count(v, "\n") + 1; n != 20 {
			t.Errorf("after %v the view has %d lines, want 20", keys, n)
		}
		if !strings.Contains(v, "▌") {
			t.Errorf("after %v the cursor is off screen:\n%s", keys, v)
		}
	}
	m.Update(press("G"))
	if v := m.View(); !strings.Contains(v, "Component 1000") {
		t.Errorf("G does not show the last component:\n%s", v)
	}
}

func TestCursorFollowsItsRow(t *testing.T) {
	m := New(fixture.Common(t, nil, 80, 20), keys.New(false))
	m.SetSize(80, 20)
	d := big(5, 10)
	m.Update(shared.DashboardMsg{Dashboard: d})
	for range 30 {
		m.Update(press("j"))
	}
	want, _ := m.component()
	// A component above the cursor is removed: the cursor stays on its component.
	d = big(5, 10)
	d.Components = append(d.Components[:2], d.Components[3:]...)
	m.Update(shared.DashboardMsg{Dashboard: d})
	if got, ok := m.component(); !ok || got.ID != want.ID {
		t.Fatalf("cursor on %+v, want %s", got, want.Name)
	}
	m.Update(press("g"))
	m.Update(press(" "))
	m.Update(shared.DashboardMsg{Dashboard: d})
	if r := m.current(); r.kind != groupRow || m.cursor != 0 {
		t.Fatalf("the cursor left the folded group")
	}
	// The cursor's component disappears into a folded group: the cursor goes to the group.
	m2 := New(fixture.Common(t, nil, 80, 20), keys.New(false))
	m2.SetSize(80, 20)
	m2.Update(shared.DashboardMsg{Dashboard: big(5, 10)})
	for range 13 { // Group 2's third component
		m2.Update(press("j"))
	}
	c2, _ := m2.component()
	d3 := big(5, 10)
	d3.Groups[c2.GroupID-1].Collapse = store.Collapsed
	m2.Update(shared.DashboardMsg{Dashboard: d3})
	if r := m2.current(); r.kind != groupRow || m2.dash.Groups[r.index].ID != c2.GroupID {
		t.Errorf("the cursor did not fall back to the group of its hidden component")
	}
}

func TestResizeKeepsCursorVisible(t *testing.T) {
	m := New(fixture.Common(t, nil, 80, 40), keys.New(false))
	m.SetSize(80, 40)
	m.Update(shared.DashboardMsg{Dashboard: big(10, 10)})
	for range 35 {
		m.Update(press("j"))
	}
	m.SetSize(80, 10)
	if v := m.View(); !strings.Contains(v, "▌") || !strings.Contains(v, "Component 32") {
		t.Errorf("after shrinking, the cursor row is off screen:\n%s", v)
	}
}

// TestViewersManageNothing: a viewer's a and x open nothing, and the help offers neither.
func TestViewersManageNothing(t *testing.T) {
	for _, readOnly := range []bool{false, true} {
		m := New(fixture.Common(t, nil, 80, 20), keys.New(readOnly))
		m.SetSize(80, 20)
		m.Update(shared.DashboardMsg{Dashboard: big(2, 3)})
		var offered []string
		for _, b := range m.ShortHelp() {
			if b.Enabled() {
				offered = append(offered, b.Help().Key)
			}
		}
		if has := strings.Contains(strings.Join(offered, " "), "x"); has == readOnly {
			t.Errorf("read-only %v: help offers %v", readOnly, offered)
		}
		m.Update(press("a"))
		if opened := m.dialog != nil; opened == readOnly {
			t.Errorf("read-only %v: a opened a form: %v", readOnly, opened)
		}
		for _, k := range []string{"x", "e", "A"} {
			m.Update(press("esc"))
			m.Update(press(k))
			if opened := m.dialog != nil; opened == readOnly {
				t.Errorf("read-only %v: %s opened a box: %v", readOnly, k, opened)
			}
		}
		m.Update(press("esc"))
		var full []string
		for _, g := range m.FullHelp() {
			for _, b := range g {
				if b.Enabled() {
					full = append(full, b.Help().Desc)
				}
			}
		}
		if has := strings.Contains(strings.Join(full, ","), "edit"); has == readOnly {
			t.Errorf("read-only %v: the full help offers %v", readOnly, full)
		}
	}
}

// loaded is the view over the fixture's data at 80×30, its dashboard read.
func loaded(t *testing.T) (*Model, shared.Common, *store.Store) {
	t.Helper()
	st := fixture.Open(t)
	fixture.Fill(t, st)
	c := fixture.Common(t, st, 80, 30)
	m := New(c, keys.New(false))
	m.SetSize(80, 30)
	m.Update(shared.LoadDashboard(c)())
	return m, c, st
}

// TestFormsKeepWhatWasTyped: each form's refusal shows the store's reason next to its field
// and keeps every field as typed; a fixed value then saves.
func TestFormsKeepWhatWasTyped(t *testing.T) {
	st := fixture.Open(t)
	fixture.Fill(t, st)
	c := fixture.Common(t, st, 80, 30)
	cases := []struct {
		name   string
		keys   []string // from the first row (the group Core)
		field  string   // the field the reason is about
		reason string
		fix    []string // keys that make it right
		notice string
	}{
		{"add group, duplicate", []string{"A", "web"}, "Name", `a group named "web" already exists (as "Web")`,
			[]string{"ctrl+u", "Queues"}, "Added group Queues."},
		{"add group, empty", []string{"A", " "}, "Name", "is required", []string{"Q"}, "Added group Q."},
		{"edit group, duplicate", []string{"e", "ctrl+u", "Internal"}, "Name", `a group named "Internal" already exists`,
			[]string{"ctrl+u", "Platform"}, "Saved group Platform."},
		{"edit component, bad link", []string{"j", "e", "tab", "tab", "tab", "ftp://x"}, "Link", `"ftp://x" is not an http or https address`,
			[]string{"ctrl+u", "https://x.example"}, "Saved API."},
		{"edit component, duplicate", []string{"j", "e", "ctrl+u", "auth"}, "Name", `a component named "auth" already exists (as "Auth")`,
			[]string{"ctrl+u", "Gateway"}, "Saved Gateway."},
		{"add component, invisible group", []string{"a", "Queue", "tab", "ctrl+u", "Da\u200bta"}, "Group", "contains the invisible character U+200B",
			[]string{"ctrl+u", "Data"}, "Added Queue in Data."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := New(c, keys.New(false))
			m.SetSize(80, 30)
			m.Update(shared.LoadDashboard(c)())
			send := func(keys []string) {
				for _, k := range keys {
					if len(k) > 1 && fixture.Key(k).Type == tea.KeyRunes {
						m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)})
						continue
					}
					m.Update(press(k))
				}
			}
			submit := func() tea.Msg {
				t.Helper()
				_, cmd := m.Update(press("enter"))
				if cmd == nil {
					t.Fatal("enter wrote nothing")
				}
				_, cmd = m.Update(cmd())
				if cmd == nil {
					return nil
				}
				return cmd()
			}
			send(tc.keys)
			f, ok := m.dialog.(*form)
			if !ok {
				t.Fatalf("%v opened no form", tc.keys)
			}
			before := make([]string, len(f.fields))
			for i := range f.fields {
				before[i] = f.fields[i].value()
			}
			if msg := submit(); msg != nil {
				t.Fatalf("a refused write said %+v", msg)
			}
			v := m.View()
			if !strings.Contains(v, tc.field+": "+tc.reason) {
				t.Errorf("the form does not say %q:\n%s", tc.field+": "+tc.reason, v)
			}
			for i := range f.fields {
				if got := f.fields[i].value(); got != before[i] {
					t.Errorf("field %s is %q after the refusal, was %q", f.fields[i].label, got, before[i])
				}
			}
			if f.fields[f.focus].label != tc.field {
				t.Errorf("the focus is on %s, want %s", f.fields[f.focus].label, tc.field)
			}
			send(tc.fix)
			if n, ok := submit().(shared.NoticeMsg); !ok || n.Err || n.Text != tc.notice {
				t.Errorf("after the fix: %+v, want %q", n, tc.notice)
			}
			if m.dialog != nil {
				t.Error("the form stayed open after saving")
			}
		})
	}
}

// TestReorder: J and K move the component or group under the cursor, in the store.
func TestReorder(t *testing.T) {
	st := fixture.Open(t)
	fixture.Fill(t, st)
	c := fixture.Common(t, st, 80, 30)
	m := New(c, keys.New(false))
	m.SetSize(80, 30)
	load := func() {
		t.Helper()
		m.Update(shared.LoadDashboard(c)())
	}
	press := func(k string) {
		t.Helper()
		_, cmd := m.Update(fixture.Key(k))
		if cmd == nil {
			t.Fatalf("%s did nothing", k)
		}
		if msg := cmd(); msg != nil {
			if _, cmd := m.Update(msg); cmd != nil {
				if n, ok := cmd().(shared.NoticeMsg); ok && n.Err {
					t.Fatalf("%s: %s", k, n.Text)
				}
			}
		}
		load()
	}
	load()
	names := func(group int64) []string {
		var out []string
		for _, i := range m.members[group] {
			out = append(out, m.dash.Components[i].Name)
		}
		return out
	}
	core := m.dash.Groups[0]
	before := names(core.ID)
	m.Update(fixture.Key("j")) // the first component of the first group
	press("J")
	after := names(core.ID)
	if after[0] != before[1] || after[1] != before[0] {
		t.Fatalf("after J on %s: %v, was %v", before[0], after, before)
	}
	if got, _ := m.component(); got.Name != before[0] {
		t.Errorf("the cursor did not follow: it is on %s", got.Name)
	}
	press("K")
	if got := names(core.ID); got[0] != before[0] {
		t.Errorf("after K: %v, want %v", got, before)
	}
	m.Update(fixture.Key("g"))
	press("J") // the first group goes second
	if m.dash.Groups[1].ID != core.ID {
		t.Errorf("groups after J: %+v", m.dash.Groups)
	}
}

// TestEditWithoutChangeWritesNothing: enter in an edit form that changes nothing closes it
// and writes nothing (no audit entry).
func TestEditWithoutChangeWritesNothing(t *testing.T) {
	st := fixture.Open(t)
	fixture.Fill(t, st)
	c := fixture.Common(t, st, 80, 30)
	before, err := st.Audit(c.Ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, pressed := range [][]string{{"e"}, {"j", "e"}} {
		m := New(c, keys.New(false))
		m.SetSize(80, 30)
		m.Update(shared.LoadDashboard(c)())
		for _, k := range pressed {
			m.Update(press(k))
		}
		_, cmd := m.Update(press("enter"))
		_, cmd = m.Update(cmd())
		if n, ok := cmd().(shared.NoticeMsg); !ok || n.Text != "Nothing changed." || m.dialog != nil {
			t.Errorf("%v enter: %+v, form open %v", pressed, n, m.dialog != nil)
		}
	}
	after, err := st.Audit(c.Ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if after[0].ID != before[0].ID {
		t.Errorf("an edit without change wrote %+v", after[0])
	}
}

// TestCollapseModeShows: a collapse mode saved in the group's form shows at once, even over
// a fold made by hand before.
func TestCollapseModeShows(t *testing.T) {
	m, c, _ := loaded(t)
	m.Update(press(" ")) // fold Core by hand
	if strings.Contains(m.View(), "Database") {
		t.Fatal("Core did not fold")
	}
	m.Update(press("e"))
	m.Update(press("tab"))
	for m.dialog.(*form).fields[1].value() != string(store.Expanded) {
		m.Update(press("right"))
	}
	_, cmd := m.Update(press("enter"))
	m.Update(cmd())
	m.Update(shared.LoadDashboard(c)())
	if v := m.View(); !strings.Contains(v, "Database") || !strings.Contains(v, "▾ Core") {
		t.Errorf("Core set to expanded does not show its components:\n%s", v)
	}
}

// TestEditOfRemoved: saving an edit of a component someone removed meanwhile closes the form
// and says so.
func TestEditOfRemoved(t *testing.T) {
	m, c, st := loaded(t)
	m.Update(press("G")) // Status page, in no group and in no incident
	m.Update(press("e"))
	m.Update(press("!"))
	comp, _ := m.component()
	if err := st.RemoveComponent(c.Ctx, fixture.Actor, comp.ID); err != nil {
		t.Fatal(err)
	}
	_, cmd := m.Update(press("enter"))
	_, cmd = m.Update(cmd())
	if n, ok := cmd().(shared.NoticeMsg); !ok || !n.Err || !strings.Contains(n.Text, "removed it meanwhile") || m.dialog != nil {
		t.Errorf("%+v, form open %v", n, m.dialog != nil)
	}
}
