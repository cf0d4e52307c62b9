package incident

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	_ "github.com/charmbracelet/x/exp/golden" // takes -update, so go test ./... -update runs here too

	"beacon/store"
	"beacon/tui/internal/fixture"
	"beacon/tui/keys"
)

func TestMain(m *testing.M) {
	time.Local = time.UTC
	os.Exit(m.Run())
}

// long is an incident with n updates of varied length, newest first.
func long(n int) store.IncidentDetail {
	d := store.IncidentDetail{Incident: store.Incident{ID: 7, Title: "Long", Status: store.Watching,
		Visibility: store.Public, OccurredAt: fixture.Now.Add(-48 * time.Hour)}}
	for i := n; i >= 1; i-- {
		msg := fmt.Sprintf("Update number %d.", i)
		if i%3 == 0 {
			msg += "\n\n- first point\n- second point"
		}
		if i%7 == 0 {
			msg += "\n\n" + strings.Repeat("A longer paragraph that wraps over more than one line. ", 4)
		}
		d.Updates = append(d.Updates, store.Update{ID: int64(i), IncidentID: 7, Status: store.Watching,
			Message: msg, Author: "bob", CreatedAt: fixture.Now.Add(-time.Duration(n-i) * time.Minute)})
	}
	return d
}

// open shows d in a w×h view, its commands (the renders) run as a program would run them.
func open(t *testing.T, d store.IncidentDetail, w, h int) (*fixture.Driver, *Model) {
	t.Helper()
	m := New(fixture.Common(t, nil, w, h), keys.New(false))
	m.SetSize(w, h)
	m.id = d.ID
	drv := fixture.Drive(t, m)
	drv.Send(loadedMsg{gen: m.gen, detail: d})
	return drv, m
}

// reference is the whole timeline as lines, every message rendered.
func reference(m *Model) []string {
	var out []string
	for i, u := range m.detail.Updates {
		m.md.render(u, m.vp.Width)
		out = append(out, m.block(i)...)
	}
	return out
}

func topLine(m *Model) string {
	return strings.TrimRight(strings.SplitN(m.vp.View(), "\n", 2)[0], " ")
}

// TestTimelineScrollsThroughEveryLine scrolls a 300-update timeline line by line and checks
// that the viewport shows each line of the whole timeline in turn, while holding only a few
// screens of it.
func TestTimelineScrollsThroughEveryLine(t *testing.T) {
	d, m := open(t, long(300), 80, 20)
	ref := reference(m)
	h := m.vp.Height
	limit := 4*h + 20 // a screen above, two below, and the update the reader is in
	if len(ref) < 5*limit {
		t.Fatalf("the timeline (%d lines) is too short to test the window", len(ref))
	}
	for pos := 0; ; pos++ {
		if got, want := topLine(m), strings.TrimRight(ref[pos], " "); got != want {
			t.Fatalf("line %d: viewport shows %q, want %q", pos, got, want)
		}
		if n := m.vp.TotalLineCount(); n > limit {
			t.Fatalf("line %d: the viewport holds %d lines (of %d)", pos, n, len(ref))
		}
		if m.AtBottom() {
			if want := len(ref) - h; pos != want {
				t.Fatalf("bottom reached at line %d, want %d", pos, want)
			}
			break
		}
		d.Keys("down")
	}
	for pos := len(ref) - h; pos > 0; pos-- {
		d.Keys("up")
		if got, want := topLine(m), strings.TrimRight(ref[pos-1], " "); got != want {
			t.Fatalf("up to line %d: viewport shows %q, want %q", pos-1, got, want)
		}
	}
	if !m.AtTop() {
		t.Fatal("back at the first line, but not at the top")
	}
}

func TestTimelineJumps(t *testing.T) {
	d, m := open(t, long(1000), 80, 20)
	ref := reference(m)
	d.Keys("G")
	if !m.AtBottom() || topLine(m) != strings.TrimRight(ref[len(ref)-m.vp.Height], " ") {
		t.Fatalf("G did not reach the oldest update: %q", topLine(m))
	}
	d.Keys("pgup")
	if got, want := topLine(m), strings.TrimRight(ref[len(ref)-2*m.vp.Height], " "); got != want {
		t.Fatalf("pgup from the bottom shows %q, want %q", got, want)
	}
	d.Keys("g")
	if !m.AtTop() || topLine(m) != strings.TrimRight(ref[0], " ") {
		t.Fatalf("g did not reach the newest update: %q", topLine(m))
	}
	d.Keys("pgdown")
	if got, want := topLine(m), strings.TrimRight(ref[m.vp.Height], " "); got != want {
		t.Fatalf("pgdown shows %q, want %q", got, want)
	}
}

func TestReloadKeepsPlace(t *testing.T) {
	inc := long(50)
	d, m := open(t, inc, 80, 20)
	for range 37 {
		d.Keys("down")
	}
	before := topLine(m)
	newer := store.Update{ID: 51, IncidentID: 7, Status: store.Fixed, Message: "Done.", Author: "bob", CreatedAt: fixture.Now}
	inc.Updates = append([]store.Update{newer}, inc.Updates...)
	d.Send(loadedMsg{gen: m.gen, detail: inc})
	if got := topLine(m); got != before {
		t.Errorf("after a new update the reader sees %q, was %q", got, before)
	}
	// A reader at the top sees the new update.
	d.Keys("g")
	newest := store.Update{ID: 52, IncidentID: 7, Status: store.Investigating, Message: "Reopened.", Author: "bob", CreatedAt: fixture.Now}
	inc.Updates = append([]store.Update{newest}, inc.Updates...)
	d.Send(loadedMsg{gen: m.gen, detail: inc})
	if got := topLine(m); !strings.HasPrefix(got, "Investigating · bob") {
		t.Errorf("a reader at the top does not see the new update: %q", got)
	}
}

func TestResizeKeepsPlace(t *testing.T) {
	d, m := open(t, long(100), 80, 20)
	for range 120 {
		d.Keys("down")
	}
	b, _, _ := m.anchor()
	m.SetSize(120, 30)
	m.SetSize(60, 15)
	if got, _, _ := m.anchor(); got != b {
		t.Errorf("after resizing the reader is in update %d, was %d", got, b)
	}
}

func TestMarkdownIsCachedPerUpdateAndWidth(t *testing.T) {
	_, m := open(t, long(10), 80, 20)
	u := m.detail.Updates[0]
	first, ok := m.md.get(u.ID, 80)
	if !ok {
		t.Fatal("the update on screen was not rendered")
	}
	m.md.render(u, 80)
	if again, _ := m.md.get(u.ID, 80); &again[0] != &first[0] {
		t.Error("the same update at the same width was rendered again")
	}
	m.md.render(u, 60)
	if _, ok := m.md.get(u.ID, 80); ok || len(m.md.cache) != 1 {
		t.Errorf("a new width kept the old lines (%d cached)", len(m.md.cache))
	}
}

// TestRenderingIsNotInUpdate checks that Update shows messages as plain text at once and
// leaves the Markdown to a command, whose result replaces them.
func TestRenderingIsNotInUpdate(t *testing.T) {
	m := New(fixture.Common(t, nil, 80, 20), keys.New(false))
	m.SetSize(80, 20)
	m.id = 7
	_, cmd := m.Update(loadedMsg{gen: m.gen, detail: long(3)})
	v := m.View()
	if len(m.md.cache) != 0 || !strings.Contains(v, "formatting…") || !strings.Contains(v, "  - first point") {
		t.Fatalf("Update rendered Markdown, or the plain text is missing:\n%s", v)
	}
	fixture.Drive(t, m).Run(cmd) // the render command, and the rebuild it causes
	v = m.View()
	if strings.Contains(v, "formatting…") || !strings.Contains(v, "• first point") || !strings.Contains(v, "update 1 of 3") {
		t.Fatalf("after rendering:\n%s", v)
	}
}

func TestMessagesAreSanitizedBeforeMarkdown(t *testing.T) {
	inc := long(1)
	inc.Updates[0].Message = "**bold** \x1b]0;title\x07 \x1b[2J [link](http://x)"
	inc.Updates[0].Author = "eve\x1b[31m"
	_, m := open(t, inc, 80, 20)
	v := m.View()
	if strings.ContainsAny(v, "\x1b\x07") {
		t.Errorf("a control character reached the screen: %q", v)
	}
	for _, want := range []string{"␛]0;title␇", "␛[2J", "eve␛[31m"} {
		if !strings.Contains(v, want) {
			t.Errorf("the screen lacks %q:\n%s", want, v)
		}
	}
}

// TestCharacterReferencesStayInert: Markdown decodes &#27; into ESC; such references must
// reach the screen as written, never as a control character.
func TestCharacterReferencesStayInert(t *testing.T) {
	inc := long(1)
	inc.Updates[0].Message = "Hello &#27;]2;PWNED&#7; &#x1b;[41mRED &#x9b;2J &#233;"
	_, m := open(t, inc, 80, 20)
	v := m.View()
	if strings.ContainsAny(v, "\x1b\x07\u009b") {
		t.Fatalf("a decoded control character reached the screen: %q", v)
	}
	for _, want := range []string{"&#27;]2;PWNED&#7;", "&#x1b;[41mRED", "é"} {
		if !strings.Contains(v, want) {
			t.Errorf("the screen lacks %q:\n%s", want, v)
		}
	}
}

// TestTimelineShowsEffects: an update lists the status moves it caused, unless an impact
// change of the same update already says so, with sanitised names.
func TestTimelineShowsEffects(t *testing.T) {
	inc := long(2)
	inc.Updates[0].Status = store.Fixed
	inc.Updates[0].Effects = []store.Effect{
		{ComponentID: 1, ComponentName: "Public\x1b[31m API", Old: store.PartialOutage, New: store.Operational},
	}
	inc.Updates[1].Changes = []store.ImpactChange{{ComponentID: 2, ComponentName: "DB", Old: "", New: store.MajorOutage}}
	inc.Updates[1].Effects = []store.Effect{{ComponentID: 2, ComponentName: "DB", Old: store.Operational, New: store.MajorOutage}}
	_, m := open(t, inc, 80, 20)
	v := m.View()
	if strings.Contains(v, "\x1b") {
		t.Fatalf("a control character reached the screen: %q", v)
	}
	for _, tc := range []struct {
		want string
		n    int
	}{
		{"Public␛[31m API: ◐ Partial outage → ● Operational", 1},
		{"DB: no impact → ✖ Major outage", 1},
		{"DB: ● Operational", 0},
	} {
		if got := strings.Count(v, tc.want); got != tc.n {
			t.Errorf("%q shows %d times, want %d:\n%s", tc.want, got, tc.n, v)
		}
	}
}

func TestHeaderShowsWebhooks(t *testing.T) {
	inc := long(3)
	drv, m := open(t, inc, 100, 20)
	if strings.Contains(m.View(), "webhooks") {
		t.Fatalf("an incident without deliveries mentions webhooks:\n%s", m.View())
	}
	failed := []store.Delivery{
		{ID: 9, EndpointID: 2, EndpointURL: "https://hooks.example.com/secret/token", EventType: store.EventIncidentUpdated,
			State: store.DeliveryFailed, LastStatus: 410, LastAnswer: "410 Gone: bye\x1b[2J\nnow"},
	}
	drv.Send(loadedMsg{gen: m.gen, detail: inc, notes: store.NotificationSummary{Delivered: 3, Pending: 2, Retrying: 1, Failed: 1}, failed: failed})
	v := m.View()
	lines := strings.Split(v, "\n")
	if !strings.Contains(lines[0], "webhooks: ✓ 3 delivered … 1 sending ↻ 1 retrying ✖ 1 failed · public") {
		t.Errorf("title line: %q", lines[0])
	}
	want := "✖ webhook failed · #2 hooks.example.com · incident.updated · 410 Gone: bye␛[2J now"
	if !strings.Contains(lines[3], want) {
		t.Errorf("failed line: %q, want %q", lines[3], want)
	}
	if strings.Contains(v, "secret/token") || strings.Contains(v, "\x1b") {
		t.Errorf("the header shows a URL path or an escape:\n%s", v)
	}
	if got := len(lines); got != 20 {
		t.Errorf("view is %d lines tall, want 20: the extra header line must come out of the timeline", got)
	}
	if !strings.HasPrefix(lines[4], "── Timeline") {
		t.Errorf("the rule moved: %q", lines[4])
	}
}

// TestHeaderNamesLiftedComponents: the header names what the incident affects now and, apart,
// what it affected earlier, so a component whose impact was lifted stays on the record.
func TestHeaderNamesLiftedComponents(t *testing.T) {
	inc := long(2)
	inc.Impacts = []store.Impact{{ComponentID: 1, ComponentName: "Postgres primary", Status: store.PartialOutage}}
	inc.Lifted = []store.Impact{{ComponentID: 2, ComponentName: "Auth\x1b[2J service", Status: store.MajorOutage}}
	_, m := open(t, inc, 100, 20)
	v := m.View()
	want := "Impacts: ◐ Partial outage Postgres primary · Earlier: ✖ Major outage Auth␛[2J service"
	if !strings.Contains(v, want) {
		t.Errorf("the header does not read %q:\n%s", want, v)
	}
	inc.Impacts = nil
	_, m = open(t, inc, 100, 20)
	if v := m.View(); !strings.Contains(v, "Earlier: ✖ Major outage Auth") || strings.Contains(v, "No components affected") {
		t.Errorf("with only a lifted component the header reads:\n%s", v)
	}
}

// TestHeaderSaysTheWorst: an unresolved incident's header says what it does now and the worse
// it did earlier; a resolved one's says each component at its worst, under "At worst", so the
// status words do not read as the components' state now.
func TestHeaderSaysTheWorst(t *testing.T) {
	lowered := store.Impact{ComponentID: 1, ComponentName: "Website", Status: store.PartialOutage, Worst: store.MajorOutage}
	lifted := store.Impact{ComponentID: 2, ComponentName: "DNS", Status: store.PerformanceIssues, Worst: store.PerformanceIssues}
	for _, c := range []struct {
		name     string
		resolved bool
		want     string
	}{
		{"unresolved", false, "Impacts: ◐ Partial outage Website (✖ Major outage earlier) · Earlier: ▲ Performance issues DNS"},
		{"resolved", true, "At worst: ✖ Major outage Website · ▲ Performance issues DNS"},
	} {
		t.Run(c.name, func(t *testing.T) {
			inc := long(2)
			inc.Impacts, inc.Lifted = []store.Impact{lowered}, []store.Impact{lifted}
			if c.resolved {
				inc.Status, inc.ResolvedAt = store.Fixed, fixture.Now
			}
			_, m := open(t, inc, 120, 20)
			if v := m.View(); !strings.Contains(v, c.want) {
				t.Errorf("the header does not read %q:\n%s", c.want, v)
			}
		})
	}
}
