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
		m.Update(press("esc"))
		m.Update(press("x"))
		if opened := m.dialog != nil; opened == readOnly {
			t.Errorf("read-only %v: x asked to remove: %v", readOnly, opened)
		}
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
