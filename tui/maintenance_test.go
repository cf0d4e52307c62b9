package tui

import (
	"context"
	"strings"
	"testing"

	"beacon/store"
	"beacon/tui/internal/fixture"
)

// TestScheduleAndFinishMaintenance schedules a window from the Components view through the
// guided steps, then finishes the one in progress and cancels one from the Maintenance view.
func TestScheduleAndFinishMaintenance(t *testing.T) {
	st := fixture.Open(t)
	fixture.Fill(t, st)
	fixture.Maintenance(t, st)
	ctx := context.Background()
	d, _ := start(t, st, 100, 30)
	d.WaitView("Status page")
	d.Keys("down", "down", "down", "m")
	d.WaitView("Pick the components", "[x] Auth")
	d.Keys("tab")
	d.WaitView("quick picks", "Start     now")
	d.Keys("tab")
	d.WaitView("Duration  1h")
	d.Type("90m")
	d.WaitView("Duration  90m", "to 16:30")
	d.Keys("tab")
	d.WaitView("▸ 3 Title")
	d.Keys("tab")
	d.WaitView("A title is needed")
	d.Type("Auth keys rotation")
	d.Keys("tab")
	d.WaitView("▸ 4 Message")
	d.Type("Logins may fail for a minute.")
	d.Keys("tab")
	d.WaitView("During the window", "Auth  ● Operational → ◆ Under maintenance")
	d.Keys("enter")
	d.WaitView("Scheduled maintenance #4 Auth keys rotation.", "2 in progress · 2 scheduled")
	m, err := st.Maintenance(ctx, 4)
	if err != nil || m.Title != "Auth keys rotation" || m.ComponentNames() != "Auth" || m.Updates[len(m.Updates)-1].Message != "Logins may fail for a minute." {
		t.Fatalf("scheduled %+v, %v", m, err)
	}

	// The first row is the oldest in progress: open it and finish it with a word for readers;
	// after that it refuses any change.
	d.Keys("enter")
	d.WaitView("#1 CDN provider switch", "Timeline, newest first")
	d.Keys("f")
	d.WaitView("Finish #1 CDN provider switch")
	d.Type("All done.")
	d.Keys("enter")
	d.WaitView("#1 CDN provider switch is finished.")
	d.WaitView("Finished early", "All done.")
	d.Keys("u")
	d.WaitView("#1 is completed; it can no longer change.")
	d.Keys("esc")
	if m, _ := st.Maintenance(ctx, 1); m.FinishedAt.IsZero() || m.Updates[0].Message != "All done." {
		t.Errorf("after f: %+v", m)
	}
	// A scheduled window cannot be finished, only cancelled.
	d.WaitView("1 in progress · 2 scheduled")
	d.Keys("down", "f")
	d.WaitView("has not started: x cancels it instead.")
	d.Keys("x", "enter")
	d.WaitView("is cancelled.")
	list, err := st.Maintenances(ctx, store.MaintenanceQuery{})
	if err != nil || len(list) != 2 {
		t.Errorf("after cancelling one: %+v, %v", list, err)
	}
}

// TestScheduleRefusesABadWindow: a start that is not a time is refused on the first enter,
// with the focus left on it and the field named; shift+tab goes back a field.
func TestScheduleRefusesABadWindow(t *testing.T) {
	st := fixture.Open(t)
	fixture.Fill(t, st)
	d, m := start(t, st, 60, 15)
	d.Keys("down", "down", "down", "m")
	d.WaitView("1 selected")
	d.Keys("tab")
	d.WaitView("Start     now")
	d.Type("25:99")
	d.Keys("enter")
	v := d.WaitView("Start     25:99", "Start: not a time; try now, +1h or")
	for _, l := range strings.Split(v, "\n") {
		if strings.Contains(l, "not a time") && strings.Contains(l, "…") {
			t.Errorf("the reason is cut: %q", l)
		}
	}
	// The focus stayed: typing edits the start and clears the reason; a good start moves on,
	// shift+tab comes back to it.
	d.Keys("backspace", "backspace", "backspace", "backspace", "backspace")
	d.Type("+2h")
	v = d.WaitView("Start     +2h")
	if strings.Contains(v, "not a time") {
		t.Errorf("the reason stayed after the start was changed:\n%s", v)
	}
	d.Keys("enter")
	d.Type("soon")
	d.Keys("enter")
	d.WaitView("Duration  soon", "Duration: say how long")
	d.Keys("shift+tab")
	d.Type("x")
	d.WaitView("Start     +2hx")
	d.Keys("shift+tab")
	d.WaitView("Pick the components", "1 selected")
	d.Keys("shift+tab")
	if !m.maint.Scheduling() {
		t.Errorf("shift+tab on the first step left the steps")
	}
}
