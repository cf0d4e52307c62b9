package composer

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"beacon/store"
	"beacon/tui/shared"
)

// TestViewFits: every step, dialog and state draws exactly the size it was given, at the
// sizes the console uses and at absurd ones, without a panic.
func TestViewFits(t *testing.T) {
	e := newEnv(t)
	id := watchingIncident(e)
	long := strings.Repeat("A long line of text that wraps. ", 40)
	walks := map[string]func() *driver{
		"declare": func() *driver {
			d := drive(t, NewDeclare(e.c, e.comps["API"]), 80, 23)
			return d
		},
		"update": func() *driver { return drive(t, NewUpdate(e.c, id), 80, 23) },
	}
	steps := [][]string{nil, {"tab"}, {"type:" + long, "enter"}, {"type:" + long + "\n\n" + long, "tab"}, {"esc", "esc", "esc", "esc"}}
	for name, open := range walks {
		d := open()
		for i, keys := range steps {
			for _, k := range keys {
				if text, ok := strings.CutPrefix(k, "type:"); ok {
					d.typeText(text)
				} else {
					d.press(k)
				}
			}
			for _, size := range [][2]int{{80, 23}, {120, 39}, {40, 10}, {20, 6}, {10, 3}, {1, 1}} {
				d.m.SetSize(size[0], size[1])
				v := d.m.View()
				lines := strings.Split(v, "\n")
				if len(lines) != size[1] {
					t.Errorf("%s step %d at %dx%d: %d lines", name, i, size[0], size[1], len(lines))
				}
				for _, l := range lines {
					if w := ansi.StringWidth(l); w > size[0] {
						t.Errorf("%s step %d at %dx%d: line %q is %d wide", name, i, size[0], size[1], l, w)
					}
				}
			}
			d.m.SetSize(80, 23)
		}
	}
}

// TestListScrolls: with more components than rows the list draws only what fits and keeps
// the cursor on screen, with its group heading when there is room.
func TestListScrolls(t *testing.T) {
	e := scaleEnv(t, 200)
	d := drive(t, NewDeclare(e.c, 0), 80, 23)
	rows := d.m.listHeight()
	for _, tc := range []struct {
		keys []string
		want string
	}{
		{nil, "› [ ] component-0000"},
		{[]string{"pgdown"}, "› [ ] component-0016"},
		{[]string{"pgdown", "pgdown", "pgdown"}, "› [ ] component-0064"},
		{[]string{"down", "down", "down", "down"}, "› [ ] component-0068"},
		{[]string{"pgup"}, "› [ ] component-0052"},
	} {
		d.press(tc.keys...)
		v := d.view()
		d.mustShow(tc.want)
		if n := strings.Count(v, "[ ]") + strings.Count(v, "[x]"); n > rows {
			t.Fatalf("%d component rows drawn in %d:\n%s", n, rows, v)
		}
	}
	for i := 0; i < 300; i++ {
		d.press("down")
	}
	d.mustShow("› [ ] component-0199")
	d.press("space")
	d.mustShow("1 selected: component-0199 ◐")
}

// TestReviewScrolls: a message longer than the review's room scrolls with ↑/↓.
func TestReviewScrolls(t *testing.T) {
	e := newEnv(t)
	d := drive(t, NewDeclare(e.c, e.comps["API"]), 80, 23)
	d.press("tab")
	d.typeText("Long")
	d.press("enter")
	for i := 1; i <= 40; i++ {
		d.typeText(fmt.Sprintf("Paragraph %d.\n\n", i))
	}
	d.press("tab")
	d.mustShow("Paragraph 1.", "more lines (↑/↓ scroll)", "Banner")
	for i := 0; i < 200; i++ {
		d.press("down")
	}
	d.mustShow("Paragraph 40.", "Banner")
	if strings.Contains(d.view(), "Paragraph 1.") || strings.Contains(d.view(), "more lines") {
		t.Fatalf("not scrolled to the end:\n%s", d.view())
	}
	d.press("up")
	d.mustShow("more lines")
}

// TestReviewAtSmallSizes: down to the smallest console (the composer's room at 60×15, 60×18
// and 80×24 less the console's header and footer), the review always shows each component's
// before → after and the banner, whatever the message's length; the message scrolls in the
// rows left, and scrolling reveals all of it, counting what is left ("1 more line").
func TestReviewAtSmallSizes(t *testing.T) {
	long := "Writes failed on the primary from 14:02 as its disk filled. We grew the volume, failed over to the replica and now watch the lag fall." // 134 characters
	for _, size := range [][2]int{{58, 11}, {58, 14}, {78, 20}} {
		for _, msg := range []string{"Writes recover.", long} {
			t.Run(fmt.Sprintf("%dx%d/%d", size[0], size[1], len(msg)), func(t *testing.T) {
				e := newEnv(t)
				d := drive(t, NewUpdate(e.c, watchingIncident(e)), size[0], size[1])
				d.press("enter", "enter") // fixed
				d.typeText(msg)
				d.press("tab")
				seen := ""
				for i := 0; i < 10; i++ {
					v := d.view()
					d.mustShow("API       ◐ Partial outage → ● Operational", "Database  ✖ Major outage   → ● Operational",
						"Banner      ◐ Some systems are experiencing issues", "→ ● All systems are operational")
					if strings.Contains(v, " 1 more lines") {
						t.Errorf("plural for one line:\n%s", v)
					}
					seen += v
					d.press("down")
				}
				for _, word := range strings.Fields(msg) {
					if !strings.Contains(seen, word) {
						t.Fatalf("scrolling never shows %q of the message; last view:\n%s", word, d.view())
					}
				}
			})
		}
	}
}

// TestReviewNoticeGivesWay: on the smallest console a notice of several lines (here a
// rebase's) is cut short on the review rather than hiding the components and the banner.
func TestReviewNoticeGivesWay(t *testing.T) {
	e := newEnv(t)
	id := watchingIncident(e)
	d := drive(t, NewUpdate(e.c, id), 58, 11)
	d.press("enter", "enter")
	d.typeText("Disk grown.")
	postElsewhere(t, e, id, store.NewUpdate{Status: store.Fixed, Message: "Fixed by other."})
	d.send(shared.ChangedMsg{})
	d.press("ctrl+r", "tab")
	d.mustShow("Fixed · public · a note on fixed #1", "Disk grown.", "API       ● Operational  unchanged",
		"Database  ● Operational  unchanged", "Banner      ● All systems are operational  unchanged", "Rebased on bob's update (Fixed).")
	lines := strings.Split(d.view(), "\n")
	if last := lines[len(lines)-1]; !strings.HasSuffix(strings.TrimSpace(last), "…") {
		t.Errorf("the notice is not shown cut short: %q", last)
	}
}

// TestFullHelpSaysEachKeyOnce: on every step the expanded help (?) lists each key once.
func TestFullHelpSaysEachKeyOnce(t *testing.T) {
	e := newEnv(t)
	for name, d := range map[string]*driver{
		"declare": drive(t, NewDeclare(e.c, e.comps["API"]), 80, 23),
		"update":  drive(t, NewUpdate(e.c, watchingIncident(e)), 80, 23),
	} {
		for step := 0; step < len(d.m.steps); step++ {
			if step > 0 {
				d.typeText("Text")
				d.press("tab")
			}
			seen := map[string]bool{}
			for _, col := range d.m.FullHelp() {
				for _, b := range col {
					k := b.Help().Key
					if seen[k] {
						t.Errorf("%s, step %s: the help lists %q twice", name, d.m.stepLabel(d.m.kind()), k)
					}
					seen[k] = true
				}
			}
		}
	}
}

// TestDeclareReviewAtSmallestSize: a declared incident's review at the composer's room on the
// smallest console shows its title, a row of the message, both components and the banner,
// taking the blank row under the guidance when nothing else is left.
func TestDeclareReviewAtSmallestSize(t *testing.T) {
	e := newEnv(t)
	d := drive(t, NewDeclare(e.c, e.comps["API"]), 58, 11)
	d.press("down", "space", "tab")
	d.typeText("Checkout is slow for some customers")
	d.press("enter")
	d.typeText("Writes failed on the primary from 14:02 as its disk filled. We grew the volume and now watch the lag fall.")
	d.press("tab")
	d.mustShow("Checkout is slow for some customers", "Investigating · public", "Writes failed on the primary",
		"API       ● Operational → ◐ Partial outage", "Database  ● Operational → ◐ Partial outage",
		"Banner      ● All systems are operational", "→ ◐ Some systems are experiencing issues")
}
