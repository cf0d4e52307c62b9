package composer

import (
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"beacon/store"
	"beacon/tui/shared"
)

// burst is runes typed faster than the terminal is read: one key with all of them.
func burst(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

// TestFilterSelectsAndPosts: the filter narrows the list by component and by group name, keys
// typed into it never act on the list, selections made while narrowed survive clearing it,
// and the post carries every one of them.
func TestFilterSelectsAndPosts(t *testing.T) {
	e := newEnv(t)
	d := drive(t, NewDeclare(e.c, 0), 80, 23)
	d.mustShow("Set the components")
	mustHelp(t, d.m, "/ filter")

	d.press("/")
	d.send(burst("dat"))
	d.press("space")
	d.send(burst("jk"))
	if len(d.m.impacts) != 0 {
		t.Fatalf("keys typed into the filter selected %v", d.m.impacts)
	}
	if got := d.m.filter.Value(); got != "dat jk" {
		t.Fatalf("filter holds %q, want %q", got, "dat jk")
	}
	d.mustShow("No component or group name contains “dat jk”.")
	mustHelp(t, d.m, "enter done", "esc clear")
	d.press("backspace", "backspace", "backspace", "enter")
	d.mustShow("/ dat  (esc clears)", "Database", "Nothing selected.")
	mustHelp(t, d.m, "esc clear filter", "space select")
	if v := d.view(); strings.Contains(v, "API") || strings.Contains(v, "CDN") {
		t.Fatalf("the filter shows more than Database:\n%s", v)
	}
	d.press("space", "3")

	d.press("/")
	for range "dat" {
		d.press("backspace")
	}
	d.send(burst("EDGE"))
	d.press("enter")
	if v := d.view(); strings.Contains(v, "API") || !strings.Contains(v, "CDN") || !strings.Contains(v, "DNS") {
		t.Fatalf("a group's name shows its components, and only them:\n%s", v)
	}
	d.press("down", "space")
	d.mustShow("2 selected: Database ✖, DNS ◐")

	d.press("esc")
	if d.m.kind() != kindAffected || d.closed() || d.m.phase != phaseEditing {
		t.Fatalf("esc with a filter left the step:\n%s", d.view())
	}
	d.mustShow("API", "Web app", "CDN", "2 selected: Database ✖, DNS ◐")
	if strings.Contains(d.view(), "esc clears") {
		t.Fatalf("the filter is still shown:\n%s", d.view())
	}
	if id := d.m.picker.current(); id != e.comps["DNS"] {
		t.Fatalf("cursor on component %d after clearing, want DNS (%d)", id, e.comps["DNS"])
	}

	d.press("/")
	d.send(burst("web"))
	d.press("esc")
	d.mustShow("API", "2 selected: Database ✖, DNS ◐")
	if d.m.filtering || d.m.filter.Value() != "" {
		t.Fatalf("esc while typing left the filter %q (typing %v)", d.m.filter.Value(), d.m.filtering)
	}

	d.press("tab")
	d.typeText("Storage fails")
	d.press("tab")
	d.typeText("Writes fail.")
	d.press("ctrl+s")
	inc := e.incident(d.posted())
	got := map[int64]store.Status{}
	for _, im := range inc.Impacts {
		got[im.ComponentID] = im.Status
	}
	want := map[int64]store.Status{e.comps["Database"]: store.MajorOutage, e.comps["DNS"]: store.PartialOutage}
	if len(got) != len(want) || got[e.comps["Database"]] != store.MajorOutage || got[e.comps["DNS"]] != store.PartialOutage {
		t.Fatalf("posted impacts %v, want %v", got, want)
	}
}

// TestFilterSurvivesReload: a change elsewhere reloads the components; the list stays narrowed.
func TestFilterSurvivesReload(t *testing.T) {
	e := newEnv(t)
	d := drive(t, NewDeclare(e.c, 0), 80, 23)
	d.press("/")
	d.send(burst("cdn"))
	d.press("enter")
	d.send(shared.ChangedMsg{})
	d.mustShow("/ cdn  (esc clears)", "CDN")
	if strings.Contains(d.view(), "API") {
		t.Fatalf("a reload dropped the filter:\n%s", d.view())
	}
}

// mustHelp checks that the footer's keys include each "key description".
func mustHelp(t *testing.T, m *Model, want ...string) {
	t.Helper()
	var got []string
	for _, b := range m.ShortHelp() {
		got = append(got, b.Help().Key+" "+b.Help().Desc)
	}
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Fatalf("the footer's keys %q lack %q", got, w)
		}
	}
}

// TestFilterMatchingNothingKeepsCursor: a filter that hides every component, once cleared,
// puts the cursor back where it was.
func TestFilterMatchingNothingKeepsCursor(t *testing.T) {
	e := newEnv(t)
	d := drive(t, NewDeclare(e.c, e.comps["CDN"]), 80, 23)
	d.press("/")
	d.send(burst("cd"))
	d.send(burst("zz"))
	d.mustShow("No component or group name contains “cdzz”.")
	d.press("space", "esc")
	if id := d.m.picker.current(); id != e.comps["CDN"] {
		t.Fatalf("cursor on component %d after clearing, want CDN (%d)", id, e.comps["CDN"])
	}
	d.mustShow("1 selected: CDN ◐")
}

// TestPostFromFilter: ctrl+s works while the filter has the keys, as on every step.
func TestPostFromFilter(t *testing.T) {
	e := newEnv(t)
	d := drive(t, NewDeclare(e.c, e.comps["API"]), 80, 23)
	d.press("/")
	d.send(burst("dns"))
	d.press("ctrl+s")
	if d.m.kind() != kindTitle || d.m.filtering {
		t.Fatalf("ctrl+s in the filter: step %d, filtering %v, want the title step:\n%s", d.m.kind(), d.m.filtering, d.view())
	}
	d.mustShow("✖ Title is required")
	d.press("shift+tab")
	d.mustShow("/ dns  (esc clears)", "1 selected: API ◐")
}
