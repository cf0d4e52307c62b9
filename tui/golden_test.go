package tui

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"

	"beacon/store"
	"beacon/tui/internal/fixture"
)

// goldenSizes are the terminal sizes every view is drawn at; formSizes those every form is,
// down to the smallest the console allows.
var (
	goldenSizes = [][2]int{{80, 24}, {120, 40}}
	formSizes   = [][2]int{{80, 24}, {MinWidth, MinHeight}}
)

// TestGolden draws each view in a running program and compares the final model's View with
// testdata/TestGolden/<view>_<size>.golden (go test ./tui/... -update rewrites them).
func TestGolden(t *testing.T) {
	cases := []struct {
		name  string
		empty bool     // on an empty database
		maint bool     // with maintenance windows (fixture.Maintenance)
		audit bool     // with a few writes on the audit trail at the tests' clock (auditTrail)
		small bool     // only at 80×24: at 120×40 the whole timeline fits, nothing scrolls
		sizes [][2]int // the sizes to draw at, when not goldenSizes
		steps []step   // keys to press, each followed by text to wait for
	}{
		{name: "components", steps: []step{{wait: "Status page"}}},
		{name: "components-bottom", steps: []step{{wait: "Status page"}, {keys: "G", wait: "▌ Status page"}}},
		{name: "components-picker", steps: []step{{wait: "Status page"}, {keys: "j s", wait: "Own status of API"}}},
		{name: "components-help", sizes: [][2]int{{80, 24}, {120, 40}, {MinWidth, MinHeight}}, steps: []step{{wait: "Status page"}, {keys: "?", wait: "page up"}}},
		{name: "components-folded", steps: []step{{wait: "Status page"}, {keys: "space", wait: "▸ Core"}}},
		{name: "component-narrow", sizes: [][2]int{{MinWidth, MinHeight}}, steps: []step{{wait: "Status page"}, {keys: "j enter", wait: "Elevated API error rates", also: "99."}}},
		{name: "component", steps: []step{{wait: "Status page"}, {keys: "j enter", wait: "Elevated API error rates", also: "99."}}},
		{name: "incidents-help", sizes: formSizes, steps: []step{{wait: "Status page"}, {keys: "2", wait: "2 unresolved"}, {keys: "?", wait: "page up"}}},
		{name: "incidents", steps: []step{{wait: "Status page"}, {keys: "2", wait: "Login failures"}}},
		{name: "incidents-narrow", sizes: [][2]int{{MinWidth, MinHeight}}, steps: []step{{wait: "Status page"}, {keys: "2", wait: "Login failures"}}},
		{name: "incidents-filter", steps: []step{{wait: "Status page"}, {keys: "2", wait: "Login failures"},
			{keys: "/ c d n enter", wait: "(esc clears)", also: "· 1/1 "}}},
		{name: "incidents-filter-component", small: true, steps: []step{{wait: "Status page"}, {keys: "2", wait: "Login failures"},
			{keys: "/ a p i enter", wait: "(esc clears)", also: "Card payments delayed"}}},
		{name: "incidents-filter-internal", small: true, steps: []step{{wait: "Status page"}, {keys: "2", wait: "Login failures"},
			{keys: "/ i s : i n t e r n a l enter", wait: "(esc clears)", also: "Slow builds"}}},
		{name: "composer-affected-narrow", sizes: [][2]int{{MinWidth, MinHeight}}, steps: []step{{wait: "Status page"},
			{keys: "j j n", wait: "1 selected"}}},
		{name: "composer-help", sizes: formSizes, steps: []step{{wait: "Status page"}, {keys: "n", wait: "Set the components"}, {keys: "?", wait: "next step"}}},
		{name: "composer-help-before-n", sizes: formSizes, steps: []step{{wait: "Status page"}, {keys: "?", wait: "page up"},
			{keys: "n", wait: "Set the components"}}},
		{name: "composer-filter", sizes: formSizes, steps: []step{{wait: "Status page"}, {keys: "n", wait: "Set the components"},
			{keys: "/ w e b", wait: "enter done"}, {keys: "enter", wait: "(esc clears)"}}},
		{name: "composer-filter-help", sizes: formSizes, steps: []step{{wait: "Status page"}, {keys: "n", wait: "Set the components"},
			{keys: "/ a p enter ?", wait: "previous step"}}},
		{name: "composer-title-help", sizes: formSizes, steps: []step{{wait: "Status page"}, {keys: "n", wait: "Set the components"},
			{keys: "space tab", wait: "2 Title"}, {keys: "W h y ? f1", wait: "previous step", also: "Why?"}}},
		{name: "composer-title-question-mark", small: true, steps: []step{{wait: "Status page"}, {keys: "n", wait: "Set the components"},
			{keys: "space tab", wait: "2 Title"}, {keys: "W h y ?", wait: "Why?"}}},
		// The review keeps every component's before → after and the banner in sight down to the
		// smallest size; a long message scrolls in the rows left.
		{name: "composer-review", sizes: [][2]int{{80, 24}, {MinWidth, MinHeight}, {MinWidth, MinHeight + 3}}, steps: []step{{wait: "Status page"},
			{keys: "2", wait: "Login failures"}, {keys: "j u", wait: "› Watching"}, {keys: "down enter enter", wait: "▸ 3 Message"},
			{keys: spell(reviewMessage) + " tab", wait: "Banner"}}},
		{name: "composer-review-scrolled", sizes: [][2]int{{MinWidth, MinHeight}}, steps: []step{{wait: "Status page"},
			{keys: "2", wait: "Login failures"}, {keys: "j u", wait: "› Watching"}, {keys: "down enter enter", wait: "▸ 3 Message"},
			{keys: spell(reviewMessage) + " tab", wait: "Banner"}, {keys: "down", wait: "1 more line"}}},
		{name: "incidents-audit", empty: true, audit: true, sizes: formSizes, steps: []step{{wait: "Postgres primary replica"},
			{keys: "2 A", wait: "Audit trail", also: "Bob Builder"}}},
		{name: "incidents-audit-entry", empty: true, audit: true, sizes: formSizes, steps: []step{{wait: "Postgres primary replica"},
			{keys: "2 A", wait: "Audit trail", also: "Bob Builder"}, {keys: "enter", wait: "hide entry"}}},
		{name: "incidents-audit-typing", empty: true, audit: true, sizes: formSizes, steps: []step{{wait: "Postgres primary replica"},
			{keys: "2 A", wait: "Audit trail", also: "Bob Builder"}, {keys: "/ b o b", wait: "actor: bob", also: "1/2"}}},
		{name: "incidents-audit-nobody", sizes: formSizes, steps: []step{{wait: "Status page"}, {keys: "2", wait: "2 unresolved"},
			{keys: "A", wait: "Audit trail"}, {keys: "/ n o b o d y enter", wait: "Nothing recorded by"}}},
		{name: "incident", steps: []step{{wait: "Status page"}, {keys: "2", wait: "Login failures"}, {keys: "j enter", wait: "update 1 of 2"}}},
		// At 60 columns the impacts do not all fit: those that do are named, the rest counted.
		{name: "incident-narrow", sizes: [][2]int{{MinWidth, MinHeight}}, steps: []step{{wait: "Status page"}, {keys: "2", wait: "Login failures"},
			{keys: "j enter", wait: "update 1 of 2", also: "+1 more"}}},
		{name: "incident-long", steps: []step{{wait: "Status page"}, {keys: "2", wait: "Login failures"}, {keys: "G enter", wait: "update 1 of 8"}}},
		{name: "incident-scrolled", small: true, steps: []step{{wait: "Status page"}, {keys: "2", wait: "Login failures"}, {keys: "G enter", wait: "update 1 of 8"},
			{keys: "j j j", wait: "update 2 of 8"}}},
		{name: "incident-bottom", small: true, steps: []step{{wait: "Status page"}, {keys: "2", wait: "Login failures"}, {keys: "G enter", wait: "update 1 of 8"},
			{keys: "G", wait: "Card payments are delayed by up to ten minutes.", also: "of 8 ─"}}},
		{name: "components-filter-typing", sizes: formSizes, steps: []step{{wait: "Status page"}, {keys: "/ a p", wait: "esc clear", also: "Public REST API"}}},
		{name: "components-filter", steps: []step{{wait: "Status page"}, {keys: "/ a p enter", wait: "(esc clears)", also: "Public REST API"}}},
		{name: "components-add", sizes: formSizes, steps: []step{{wait: "Status page"}, {keys: "j a", wait: "Add a component"}}},
		{name: "components-add-refused", sizes: formSizes, steps: []step{{wait: "Status page"},
			{keys: "a A P I enter", wait: "Name: a component named"}}},
		{name: "components-edit", sizes: formSizes, steps: []step{{wait: "Status page"}, {keys: "j e", wait: "Edit component API"}}},
		{name: "components-edit-enabled", sizes: formSizes, steps: []step{{wait: "Status page"}, {keys: "j e", wait: "Edit component API"},
			{keys: "shift+tab right", wait: "◂ no: not counted in the banner ▸"}}},
		{name: "components-edit-refused", sizes: formSizes, steps: []step{{wait: "Status page"}, {keys: "j e", wait: "Edit component API"},
			{keys: "tab tab tab ctrl+u a p i . e x a m p l e enter", wait: "Link: \"api.example\" is not"}}},
		{name: "components-edit-group", sizes: formSizes, steps: []step{{wait: "Status page"}, {keys: "e", wait: "Edit group Core"},
			{keys: "tab left", wait: "◂ collapsed ▸"}}},
		{name: "components-edit-help", sizes: formSizes, steps: []step{{wait: "Status page"}, {keys: "j e", wait: "Edit component API"},
			{keys: "f1", wait: "shift+tab previous"}}},
		{name: "components-add-group", sizes: formSizes, steps: []step{{wait: "Status page"}, {keys: "A", wait: "Add a group"}}},
		{name: "components-add-group-refused", sizes: formSizes, steps: []step{{wait: "Status page"}, {keys: "A", wait: "Add a group"},
			{keys: "c o r e enter", wait: "Name: a group named"}}},
		{name: "components-remove", sizes: formSizes, steps: []step{{wait: "Status page"}, {keys: "j j j x", wait: "Remove component Auth"}}},
		{name: "components-remove-blocked", sizes: formSizes, steps: []step{{wait: "Status page"}, {keys: "j x", wait: "Cannot remove component API"}}},
		{name: "components-remove-group", sizes: formSizes, steps: []step{{wait: "Status page"}, {keys: "x", wait: "Remove group"}}},
		{name: "components-maintenance", maint: true, steps: []step{{wait: "Status page", also: "in 20h"}}},
		{name: "maintenance", maint: true, steps: []step{{wait: "Status page"}, {keys: "5", wait: "1 in progress · 2 scheduled"}}},
		{name: "maintenance-window", maint: true, steps: []step{{wait: "Status page"}, {keys: "5 enter", wait: "Timeline, newest first", also: "has started"}}},
		{name: "maintenance-components", maint: true, steps: []step{{wait: "Status page"}, {keys: "down down down m", wait: "Pick the components", also: "1 selected"}}},
		{name: "maintenance-window-step", maint: true, steps: []step{{wait: "Status page"}, {keys: "down down down m", wait: "1 selected"},
			{keys: "tab", wait: "quick picks", also: "From 15:00"}}},
		{name: "maintenance-empty", sizes: formSizes, steps: []step{{wait: "Status page"}, {keys: "5", wait: "No maintenance in progress"}}},
		{name: "maintenance-start-refused", maint: true, sizes: formSizes, steps: []step{{wait: "Status page"}, {keys: "down down down m", wait: "1 selected"},
			{keys: "tab", wait: "quick picks"}, {keys: "2 5 : 9 9 enter", wait: "Start: not a time"}}},
		{name: "maintenance-title", maint: true, steps: []step{{wait: "Status page"}, {keys: "down down down m", wait: "1 selected"},
			{keys: "tab down down tab down tab", wait: "▸ 3 Title"}}},
		{name: "maintenance-message", maint: true, steps: []step{{wait: "Status page"}, {keys: "down down down m", wait: "1 selected"},
			{keys: "tab down down tab down tab", wait: "▸ 3 Title"}, {keys: "R e i n d e x tab", wait: "▸ 4 Message"}}},
		{name: "maintenance-review", maint: true, steps: []step{{wait: "Status page"}, {keys: "down down down m", wait: "1 selected"},
			{keys: "tab down down tab down tab", wait: "▸ 3 Title"}, {keys: "R e i n d e x tab", wait: "▸ 4 Message"},
			{keys: "S h o r t space p a u s e s tab", wait: "During the window"}}},
		{name: "welcome", empty: true, sizes: [][2]int{{80, 24}, {120, 40}, {MinWidth, MinHeight}}, steps: []step{{wait: "Welcome to Beacon"}}},
		{name: "welcome-add", empty: true, steps: []step{{wait: "Welcome to Beacon"}, {keys: "a", wait: "Name:"}}},
	}
	for _, tc := range cases {
		sizes := goldenSizes
		if tc.sizes != nil {
			sizes = tc.sizes
		}
		for _, size := range sizes {
			if tc.small && size[0] != 80 {
				continue
			}
			t.Run(fmt.Sprintf("%s_%dx%d", tc.name, size[0], size[1]), func(t *testing.T) {
				st := fixture.Open(t)
				if tc.audit {
					st.SetClock(func() time.Time { return fixture.Now }) // the trail shows when
				}
				if !tc.empty {
					fixture.Fill(t, st)
				}
				if tc.maint {
					fixture.Maintenance(t, st)
				}
				if tc.audit {
					auditTrail(t, st)
				}
				tm := teatest.NewTestModel(t, New(fixture.Common(t, st, 0, 0)), teatest.WithInitialTermSize(size[0], size[1]))
				steps := tc.steps
				if size[0] >= 96 && strings.HasPrefix(tc.name, "components") && steps[0].also == "" {
					// The list shows 90-day uptime this wide; it arrives after the first frame,
					// and a view taken before it would lack it.
					steps = append([]step{{wait: steps[0].wait, also: "100.00"}}, steps[1:]...)
				}
				for _, s := range steps {
					s.run(t, tm)
				}
				golden.RequireEqual(t, []byte(hidePath(finalView(t, tm), st.Path())))
			})
		}
	}
}

// reviewMessage is an update's message of 150 characters: three lines at the smallest size.
const reviewMessage = "The gateway rollback is done and error rates are back under 0.1%. We keep watching the EU region for an hour or so before we call it fixed for good."

// spell is the keys that type s, for a step's keys.
func spell(s string) string {
	keys := make([]string, 0, len(s))
	for _, r := range s {
		if r == ' ' {
			keys = append(keys, "space")
		} else {
			keys = append(keys, string(r))
		}
	}
	return strings.Join(keys, " ")
}

// auditTrail writes a few entries at the store's clock: long names, a long detail.
func auditTrail(t *testing.T, st *store.Store) {
	t.Helper()
	ctx := context.Background()
	bob, ada := store.Actor{Name: "Bob Builder"}, store.Actor{Name: "Ada Lovelace"}
	api, err := st.AddComponent(ctx, bob, store.NewComponent{Name: "API"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddComponent(ctx, ada, store.NewComponent{
		Name: "Postgres primary replica", Description: "The read replica in the second zone, behind the pooler"}); err != nil {
		t.Fatal(err)
	}
	if err := st.SetComponentStatus(ctx, bob, api.ID, store.PartialOutage); err != nil {
		t.Fatal(err)
	}
}

// TestGoldenTooSmall draws the one-line message shown below the minimum size.
func TestGoldenTooSmall(t *testing.T) {
	st := fixture.Open(t)
	fixture.Fill(t, st)
	tm := teatest.NewTestModel(t, New(fixture.Common(t, st, 0, 0)), teatest.WithInitialTermSize(59, 24))
	step{wait: "terminal too small"}.run(t, tm)
	golden.RequireEqual(t, []byte(finalView(t, tm)))
}

// step presses keys (space-separated names) and waits until the screen shows wait (and also,
// when given).
type step struct {
	keys string
	wait string
	also string
}

func (s step) run(t *testing.T, tm *teatest.TestModel) {
	t.Helper()
	for _, k := range fields(s.keys) {
		tm.Send(fixture.Key(k))
	}
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte(s.wait)) && bytes.Contains(b, []byte(s.also))
	},
		teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
}

func fields(s string) []string {
	var out []string
	for _, f := range bytes.Fields([]byte(s)) {
		k := string(f)
		if k == "space" {
			k = " "
		}
		out = append(out, k)
	}
	return out
}

func finalView(t *testing.T, tm *teatest.TestModel) string {
	t.Helper()
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	return tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).View()
}

// hidePath replaces the database's path, which differs on every run, with $DB, and drops the
// trailing spaces its length left on that line.
func hidePath(view, path string) string {
	lines := strings.Split(view, "\n")
	for i, l := range lines {
		if strings.Contains(l, path) {
			lines[i] = strings.TrimRight(strings.ReplaceAll(l, path, "$DB"), " ")
		}
	}
	return strings.Join(lines, "\n")
}
