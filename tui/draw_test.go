package tui

import (
	"context"
	"io"
	"strings"
	"testing"
	"unsafe"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"beacon/store"
	"beacon/theme"
	"beacon/tui/internal/fixture"
	"beacon/tui/shared"
)

// TestChangeIsOneMessage: a change to the data brings the session one message with everything
// its views reload (the dashboard and the incidents page), so it redraws once, not once a read.
func TestChangeIsOneMessage(t *testing.T) {
	st := fixture.Open(t)
	fixture.Fill(t, st)
	_, m := start(t, st, 100, 30)
	closed := make(chan struct{})
	close(closed)
	m.changes = closed // the re-armed wait brings nothing
	_, cmd := m.Update(shared.ChangedMsg{})
	msgs := run(cmd)
	if len(msgs) != 1 {
		t.Fatalf("a change brought %d messages, want 1: %#v", len(msgs), msgs)
	}
	g, ok := msgs[0].(gatheredMsg)
	if !ok {
		t.Fatalf("a change brought a %T, want the gathered reloads", msgs[0])
	}
	var dash, others int
	for _, msg := range g {
		if _, ok := msg.(shared.DashboardMsg); ok {
			dash++
		} else {
			others++
		}
	}
	if dash != 1 || others == 0 {
		t.Errorf("the gathered reloads hold %d dashboards and %d other messages, want 1 and the incidents page", dash, others)
	}
}

// TestUnchangedScreenIsNotDrawnAgain: when a change alters nothing on screen, the console
// hands back the very frame it drew before instead of drawing it again.
func TestUnchangedScreenIsNotDrawnAgain(t *testing.T) {
	st := fixture.Open(t)
	fixture.Fill(t, st)
	for _, keys := range [][]string{nil, {"2"}, {"?"}} {
		_, m := start(t, st, 100, 30)
		for _, k := range keys {
			m.Update(fixture.Key(k))
		}
		before := m.View()
		closed := make(chan struct{})
		close(closed)
		m.changes = closed
		untimed(m, shared.ChangedMsg{})
		after := m.View()
		if after != before {
			t.Fatalf("%v: the screen changed with the data unchanged:\n%s\n---\n%s", keys, before, after)
		}
		if unsafe.StringData(after) != unsafe.StringData(before) {
			t.Errorf("%v: an unchanged screen was drawn again", keys)
		}
	}
}

// TestKeptDrawingsMatchFreshOnes: a console that drew the screen before a change, and keeps
// what it drew, shows after the change exactly what a console started afterwards shows, view
// by view.
func TestKeptDrawingsMatchFreshOnes(t *testing.T) {
	ctx := context.Background()
	st := fixture.Open(t)
	ids := fixture.Fill(t, st)
	walk := [][]string{nil, {"j", "j"}, {"G"}, {"?"}, {"?"}, {"2"}, {"j"}, {"1"}}
	old, om := start(t, st, 100, 30)
	for _, keys := range walk {
		old.Keys(keys...)
		om.View()
	}
	old.Keys("2", "g", "1", "g") // both cursors back on top, where a fresh console's are
	om.View()

	if err := st.SetComponentStatus(ctx, fixture.Actor, ids.Components["CDN"], store.MajorOutage); err != nil {
		t.Fatal(err)
	}
	if _, err := st.OpenIncident(ctx, fixture.Actor, store.NewIncident{Title: "Search is slow", Message: "m"}); err != nil {
		t.Fatal(err)
	}
	old.WaitView("3 open incidents", "✖ Major outage")
	var done []string
	for _, keys := range walk {
		old.Keys(keys...)
		done = append(done, keys...)
		fresh, _ := start(t, st, 100, 30) // draws each screen once, from nothing
		fresh.Keys(done...)
		if o, f := old.Model.View(), fresh.Model.View(); o != f {
			t.Fatalf("after %v the console that drew before the change shows\n%s\nand a fresh one\n%s", done, o, f)
		}
	}
}

// TestFrameIsWhatLipglossDraws: the frame padded by hand is, byte for byte, what the app's
// style renders, on every view in colour and without; and the hand-padding is what runs.
func TestFrameIsWhatLipglossDraws(t *testing.T) {
	st := fixture.Open(t)
	fixture.Fill(t, st)
	for _, profile := range []termenv.Profile{termenv.Ascii, termenv.ANSI256, termenv.TrueColor} {
		for _, size := range [][2]int{{60, 15}, {100, 30}} {
			r := lipgloss.NewRenderer(io.Discard)
			r.SetColorProfile(profile)
			r.SetHasDarkBackground(true)
			c := fixture.Common(t, st, size[0], size[1])
			c.Styles = theme.New(r)
			d := fixture.Drive(t, New(c), "waitForChange")
			m := d.Model.(*UI)
			d.WaitFor("the dashboard", func() bool { return m.loaded })
			for _, keys := range [][]string{nil, {"?"}, {"?", "s"}, {"esc", "2"}, {"2", "?"}, {"?", "2", "enter"}, {"G"}, {"2", "/", "x"}} {
				d.Keys(keys...)
				got := m.View()
				if !m.frame.pad.ok {
					t.Fatal("the app style is not taken for padding only: every frame goes through lipgloss")
				}
				parts := []string{m.header(m.pageW), fit(m.pageView(), m.pageH), m.footer()}
				if want := m.c.Styles.App.Render(strings.Join(parts, "\n")); got != want {
					t.Fatalf("profile %d %v after %v: the frame is\n%q\nlipgloss draws\n%q", profile, size, keys, got, want)
				}
				d.Keys("esc", "esc", "1")
			}
		}
	}
}
