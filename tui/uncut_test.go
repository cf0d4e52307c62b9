package tui

import (
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

// longUpdate is a maintenance update longer than any console line.
const longUpdate = "We move the start by a few minutes: the upgrade image is still being copied to the new hosts, " +
	"and we want it complete before any traffic moves over."

// TestGoldenUncut draws, at 80×24 and at the smallest size, what a user must be able to read
// whole (testdata/TestGoldenUncut/<case>_<size>.golden; -update rewrites them): long messages
// wrap, and the words that say what something is survive a long row's cut.
func TestGoldenUncut(t *testing.T) {
	cases := []goldenCase{
		{name: "maintenance-timeline-wraps", setup: postLongUpdate,
			steps: []step{{wait: "Status page"}, {keys: "5 enter", wait: "Timeline, newest first", also: "traffic moves"}}},
		{name: "maintenance-review-wraps", steps: []step{{wait: "Status page"}, {keys: "down down down m", wait: "1 selected"},
			{keys: "tab down down tab down tab", wait: "▸ 3 Title"}, {keys: typed("Reindex") + " tab", wait: "▸ 4 Message"},
			{keys: typed("Logins may pause for a minute while DNS records move over; sessions are kept, nobody is signed out.") + " tab",
				wait: "During the window", also: "signed out."}}},
		// API's own status set below what an incident holds it at: the notice says so, ending
		// in the hint to see why.
		{name: "status-notice-keeps-hint", steps: []step{{wait: "Status page"}, {keys: "j s", wait: "#6 holds it at Partial outage"},
			{keys: "j j j enter", wait: "(enter shows why)"}}},
		{name: "maintenance-internal-marked", setup: longInternalWindow,
			steps: []step{{wait: "Status page"}, {keys: "5", wait: "1 in progress · 3 scheduled"}}},
	}
	runGolden(t, cases)
}

// TestGoldenHints draws, at 80×24 and at the smallest size, what tells a user what a key will
// do (testdata/TestGoldenHints/<case>_<size>.golden; -update rewrites them).
func TestGoldenHints(t *testing.T) {
	runGolden(t, []goldenCase{
		// A declaration left with its draft kept: 4 says the draft is there and how to get it.
		{name: "composer-tab-new-draft", steps: []step{{wait: "Status page"}, {keys: "j n", wait: "Set the components", also: "1 selected"},
			{keys: "down space", wait: "2 selected"}, {keys: "esc", wait: "keep draft"}, {keys: "enter", wait: "s set status"}, {keys: "4", wait: "A draft incident is saved: n offers it back."}}},
		{name: "composer-tab-update-draft", steps: []step{{wait: "Status page"}, {keys: "2", wait: "Login failures"},
			{keys: "enter", wait: "#5 Database failover drill"}, {keys: "r", wait: "Resolve #5"}, {keys: "D o n e esc esc esc", wait: "keep draft"},
			{keys: "enter", wait: "r resolve"}, {keys: "4", wait: "Draft update to #5 saved: u on #5 offers it back."}}},
		// m on a group picks its members.
		{name: "maintenance-group-preselected", steps: []step{{wait: "Status page"}, {keys: "m", wait: "Pick the components", also: "3 selected"}}},
		// On a fixed incident an update reopens it: the footer says so, in the list and in the incident.
		{name: "incidents-fixed-reopen", steps: []step{{wait: "Status page"}, {keys: "2", wait: "Login failures"},
			{keys: "G", wait: "u reopen"}}},
		{name: "incident-fixed-reopen", steps: []step{{wait: "Status page"}, {keys: "2", wait: "Login failures"},
			{keys: "G enter", wait: "update 1 of 8", also: "u reopen"}}},
	})
}

// goldenCase is a view to draw: the data beyond the fixture's (with its maintenance), and the
// keys that get there.
type goldenCase struct {
	name  string
	setup func(t *testing.T, st *store.Store)
	steps []step
}

// runGolden draws each case at 80×24 and at the smallest size, and compares the final model's
// View with its golden file.
func runGolden(t *testing.T, cases []goldenCase) {
	t.Helper()
	for _, tc := range cases {
		for _, size := range formSizes {
			t.Run(fmt.Sprintf("%s_%dx%d", tc.name, size[0], size[1]), func(t *testing.T) {
				st := fixture.Open(t)
				fixture.Fill(t, st)
				fixture.Maintenance(t, st)
				if tc.setup != nil {
					tc.setup(t, st)
				}
				tm := teatest.NewTestModel(t, New(fixture.Common(t, st, 0, 0)), teatest.WithInitialTermSize(size[0], size[1]))
				for _, s := range tc.steps {
					s.run(t, tm)
				}
				golden.RequireEqual(t, []byte(finalView(t, tm)))
			})
		}
	}
}

// typed is the keys that type s, for a step.
func typed(s string) string { return strings.ReplaceAll(s, " ", " space ") }

// postLongUpdate posts longUpdate to the window in progress.
func postLongUpdate(t *testing.T, st *store.Store) {
	t.Helper()
	if _, err := st.PostMaintenanceUpdate(context.Background(), fixture.Actor, 1, longUpdate); err != nil {
		t.Fatal(err)
	}
}

// longInternalWindow schedules an internal window whose title fills a row.
func longInternalWindow(t *testing.T, st *store.Store) {
	t.Helper()
	web, err := st.ComponentByName(context.Background(), "Website")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddMaintenance(context.Background(), fixture.Actor, store.NewMaintenance{
		Title: "Website host migration to the new datacenter", StartsAt: fixture.Now.Add(155 * time.Minute),
		EndsAt: fixture.Now.Add(215 * time.Minute), Components: []int64{web.ID}, Visibility: store.Internal, Zone: time.UTC,
	}); err != nil {
		t.Fatal(err)
	}
}
