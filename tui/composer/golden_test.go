package composer

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
)

// goldenCase is one screen of the composer: how to open it, the text that shows it has
// loaded, the keys that lead to the screen, and text that shows they were all handled.
type goldenCase struct {
	name  string
	open  func(e *env) *Model
	ready string
	keys  []string // key names; "type:…" types the rest
	done  string
}

// filterCases are the component filter's screens, drawn down to the smallest size the
// console allows.
func filterCases() []goldenCase {
	declare := func(e *env) *Model { return NewDeclare(e.c, e.comps["API"]) }
	update := func(e *env) *Model { return NewUpdate(e.c, watchingIncident(e)) }
	return []goldenCase{
		{name: "declare/1_affected_filter_typing", open: declare, ready: "Set the components", keys: []string{"/", "type:da"},
			done: "enter done"},
		{name: "declare/1_affected_filter", open: declare, ready: "Set the components", keys: []string{"/", "type:edge", "enter", "down", "space"},
			done: "2 selected"},
		{name: "update/2_components_filter", open: update, ready: "definitely fixed", keys: []string{"down", "enter", "/", "type:dat", "enter"},
			done: "(esc clears)"},
	}
}

const (
	goldenTitle   = "Database failover"
	goldenMessage = "Writes to the **primary** fail.\n\n- its disk is full\n- failover is under way"
)

// watchingIncident opens an incident on API and Database and walks it to watching.
func watchingIncident(e *env) int64 {
	ctx := context.Background()
	inc, err := e.st.OpenIncident(ctx, alice, store.NewIncident{Title: goldenTitle, Message: "Writes fail.", Impacts: []store.SetImpact{
		{ComponentID: e.comps["API"], Status: store.PartialOutage},
		{ComponentID: e.comps["Database"], Status: store.MajorOutage},
	}})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, st := range []store.IncidentStatus{store.Identified, store.Watching} {
		if _, err := e.st.PostUpdate(ctx, bob, inc.ID, store.NewUpdate{Status: st, Message: "Disk grown; writes recover."}); err != nil {
			e.t.Fatal(err)
		}
	}
	return inc.ID
}

// heldIncident opens a second incident holding Database at performance issues.
func heldIncident(e *env) {
	if _, err := e.st.OpenIncident(context.Background(), bob, store.NewIncident{Title: "Slow queries", Message: "Reports run slowly.",
		Impacts: []store.SetImpact{{ComponentID: e.comps["Database"], Status: store.PerformanceIssues}}}); err != nil {
		e.t.Fatal(err)
	}
}

func goldenCases() []goldenCase {
	declare := func(e *env) *Model { return NewDeclare(e.c, e.comps["API"]) }
	declared := []string{"down", "space", "3", "tab", "type:" + goldenTitle, "enter"}
	update := func(e *env) *Model { return NewUpdate(e.c, watchingIncident(e)) }
	return []goldenCase{
		{"declare/1_affected", declare, "Set the components", []string{"down", "space", "3"}, "2 selected"},
		{"declare/1_affected_error", func(e *env) *Model { return NewDeclare(e.c, 0) }, "Set the components", []string{"tab"}, "Pick at least one"},
		{"declare/2_title", declare, "Set the components", []string{"tab", "type:" + goldenTitle}, "17/200"},
		{"declare/2_title_error", declare, "Set the components", []string{"tab", "enter"}, "Title is required"},
		{"declare/3_message", declare, "Set the components", append(declared, "type:"+goldenMessage, "ctrl+t"), "ctrl+t: investigating"},
		{"declare/4_review", declare, "Set the components", append(declared, "type:"+goldenMessage, "tab"), "Banner"},
		{"declare/4_review_internal", declare, "Set the components", append(declared, "type:"+goldenMessage, "tab", "v"), "(v: public)"},
		{"update/1_status", update, "definitely fixed", []string{"down"}, "whether it's important"},
		{"update/2_components", update, "definitely fixed", []string{"down", "enter", "down", "space", "down", "down", "2"}, "CDN ◐"},
		{"update/3_message", update, "definitely fixed", []string{"down", "enter", "tab", "type:Errors are back: a second disk fills."}, "second disk fills."},
		{"update/4_review", update, "definitely fixed", []string{"down", "enter", "left", "tab", "type:Errors are back: a second disk fills.", "tab"}, "Banner"},
		{"resolve/2_components", func(e *env) *Model { heldIncident(e); return NewResolve(e.c, watchingIncident(e)) },
			"definitely fixed", []string{"shift+tab"}, "impacts end"},
		{"resolve/4_review", func(e *env) *Model { heldIncident(e); return NewResolve(e.c, watchingIncident(e)) },
			"definitely fixed", []string{"type:Fixed for good: disks alert at 70%.", "tab"}, "Banner"},
		{"draft_offer", func(e *env) *Model {
			saveDraft(e, "new", `{"step":1,"title":"Database failover","message":"Writes fail.","status":"investigating","impacts":{"1":"partial_outage","2":"major_outage"}}`)
			return NewDeclare(e.c, 0)
		}, "Draft from", nil, "Draft from"},
		{"leave_confirm", declare, "Set the components", []string{"space", "esc"}, "Leave the composer?"},
		{"read_only", func(e *env) *Model { return NewDeclare(e.as(store.Actor{Name: "eve", ReadOnly: true}), 0) }, "Read-only", nil, "Read-only"},
	}
}

// filterSizes are the sizes the component filter is drawn at: the usual one and the smallest
// the console allows.
var filterSizes = [][2]int{{80, 24}, {60, 15}}

func saveDraft(e *env, target, state string) {
	if err := e.st.SaveDraft(context.Background(), alice, target, []byte(state)); err != nil {
		e.t.Fatal(err)
	}
}

// TestGolden runs each composer screen in a real program at 80×24 and 120×40 (the filter's at
// filterSizes) and compares the
// final model's View with testdata/TestGolden/<case>/<size>.golden (go test -update rewrites).
func TestGolden(t *testing.T) {
	var cases []goldenCase
	var sizes [][][2]int
	for _, tc := range goldenCases() {
		cases, sizes = append(cases, tc), append(sizes, [][2]int{{80, 24}, {120, 40}})
	}
	for _, tc := range filterCases() {
		cases, sizes = append(cases, tc), append(sizes, filterSizes)
	}
	for i, tc := range cases {
		for _, size := range sizes[i] {
			t.Run(fmt.Sprintf("%s/%dx%d", tc.name, size[0], size[1]), func(t *testing.T) {
				t.Parallel()
				e := newEnv(t)
				h := newHarness(tc.open(e))
				tm := teatest.NewTestModel(t, h, teatest.WithInitialTermSize(size[0], size[1]))
				waitFor(t, tm, tc.ready)
				for _, k := range tc.keys {
					if text, ok := strings.CutPrefix(k, "type:"); ok {
						for _, r := range text {
							if r == '\n' {
								tm.Send(keyMsg("enter"))
							} else {
								tm.Type(string(r))
							}
						}
						continue
					}
					tm.Send(keyMsg(k))
				}
				if len(tc.keys) > 0 {
					waitFor(t, tm, tc.done)
				}
				if err := tm.Quit(); err != nil {
					t.Fatal(err)
				}
				view := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).View()
				if got := strings.Count(view, "\n") + 1; got != size[1] {
					t.Errorf("the view is %d lines high, want %d", got, size[1])
				}
				golden.RequireEqual(t, []byte(view))
			})
		}
	}
}

func waitFor(t *testing.T, tm *teatest.TestModel, text string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(text)) },
		teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
}
