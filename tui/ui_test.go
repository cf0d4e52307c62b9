package tui

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"beacon/store"
	"beacon/tui/composer"
	"beacon/tui/internal/fixture"
	"beacon/tui/shared"
)

// start runs a console on st at w×h with its first data loaded.
func start(t *testing.T, st *store.Store, w, h int) (*fixture.Driver, *UI) {
	t.Helper()
	d := fixture.Drive(t, New(fixture.Common(t, st, w, h)), "waitForChange")
	m := d.Model.(*UI)
	d.WaitFor("the dashboard", func() bool { return m.loaded })
	return d, m
}

// cursorLine is the line of the view that holds the cursor.
func cursorLine(view string) string {
	for _, l := range strings.Split(view, "\n") {
		if strings.Contains(l, "▌") && !strings.Contains(l, "│") {
			return l
		}
	}
	return ""
}

// other opens the same database file a second time, as another process would, once st's
// change poller is watching.
func other(t *testing.T, st *store.Store) *store.Store {
	t.Helper()
	o, err := store.Open(context.Background(), st.Path())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { o.Close() })
	armed(t, st, o)
	return o
}

// armed waits until st's poller has read the file's data_version: a write made before that is
// never reported (the poller takes the data_version it starts from as its baseline). The probe sets a
// component's own status to what it is: a data write (the poller announces only those, not
// draft saves) that changes nothing the console shows.
func armed(t *testing.T, st, o *store.Store) {
	t.Helper()
	ctx := context.Background()
	comps, err := o.Components(ctx)
	if err != nil || len(comps) == 0 {
		t.Fatalf("armed needs a component to probe with (err %v)", err)
	}
	probe := comps[len(comps)-1]
	ch, cancel := st.Subscribe()
	defer cancel()
	deadline := time.After(5 * time.Second)
	for {
		if err := o.SetComponentStatus(ctx, store.Actor{Name: "probe"}, probe.ID, probe.Status); err != nil {
			t.Fatal(err)
		}
		select {
		case <-ch:
			return
		case <-time.After(2 * store.PollInterval):
		case <-deadline:
			t.Fatal("the store's change poller never saw another connection's write")
		}
	}
}

func TestNavigation(t *testing.T) {
	st := fixture.Open(t)
	fixture.Fill(t, st)
	cases := []struct {
		keys   string
		active view
		show   string
	}{
		{"", componentsView, "▌ ▾ Core"},
		{"tab", incidentsView, "/ to filter"},
		{"tab tab", maintenanceView, "No maintenance in progress"}, // no incident open, no composer: both skipped
		{"tab tab tab", componentsView, "▌ ▾ Core"},
		{"shift+tab", maintenanceView, "No maintenance in progress"},
		{"shift+tab shift+tab", incidentsView, "/ to filter"},
		{"5 1", componentsView, "▌ ▾ Core"},
		{"2 1", componentsView, "▌ ▾ Core"},
		{"3", componentsView, "No incident open"},
		{"4", componentsView, "Nothing being written"},
		{"2 enter", incidentView, "#5 Database failover drill"},
		{"2 enter esc", incidentsView, "/ to filter"},
		{"2 enter 1 3", incidentView, "#5 Database failover drill"},
		{"2 enter tab", maintenanceView, "No maintenance in progress"},
		{"2 enter 1 esc", componentsView, "▌ ▾ Core"},
		{"j enter", componentsView, "held by incident #6 Elevated API error rates"}, // enter on API opens its page
		{"j enter enter", incidentView, "#6 Elevated API error rates"},              // and enter there its newest incident
		{"j enter enter esc", componentsView, "90 days"},
		{"j enter esc", componentsView, "▌   API"},
		{"j j j j j j j j j", componentsView, "▌ Status page"},
		{"G k", componentsView, "▌ ▸ Internal"},
		{"G g", componentsView, "▌ ▾ Core"},
	}
	for _, tc := range cases {
		t.Run(tc.keys, func(t *testing.T) {
			d, m := start(t, st, 80, 24)
			d.Keys(fields(tc.keys)...)
			v := d.WaitView(tc.show)
			if m.active != tc.active {
				t.Errorf("active view %d, want %d; screen:\n%s", m.active, tc.active, v)
			}
		})
	}
}

func TestGroupsFoldByMode(t *testing.T) {
	st := fixture.Open(t)
	fixture.Fill(t, st)
	d, _ := start(t, st, 80, 24)
	v := d.Model.View()
	for _, want := range []string{"▾ Core", "API", "▾ Web", "Website", "▸ Internal"} {
		if !strings.Contains(v, want) {
			t.Errorf("screen lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "Metrics") {
		t.Errorf("a collapsed group shows its components:\n%s", v)
	}
	d.Keys("G", "k", "enter") // unfold Internal
	d.WaitView("▾ Internal", "Metrics", "◆ Under maintenance")
	d.Keys("g", " ") // fold Core
	v = d.WaitView("▸ Core")
	if strings.Contains(v, "Database") {
		t.Errorf("a folded group shows its components:\n%s", v)
	}
}

func TestCollapsedUnlessIssues(t *testing.T) {
	st := fixture.Open(t)
	ids := fixture.Fill(t, st)
	ctx := context.Background()
	if _, err := st.PostUpdate(ctx, fixture.Actor, ids.Incidents["Elevated API error rates"], store.NewUpdate{
		Status: store.Fixed, Message: "Rolled back.",
		Impacts: []store.SetImpact{{ComponentID: ids.Components["API"]}, {ComponentID: ids.Components["Database"]}},
	}); err != nil {
		t.Fatal(err)
	}
	d, _ := start(t, st, 80, 24)
	v := d.WaitView("▸ Core")
	if strings.Contains(v, "Database") {
		t.Fatalf("Core has no issues, yet it is unfolded:\n%s", v)
	}
	// Another process sets a Core component down: the group unfolds by itself.
	if err := other(t, st).SetComponentStatus(ctx, fixture.Actor, ids.Components["Auth"], store.MajorOutage); err != nil {
		t.Fatal(err)
	}
	d.WaitView("▾ Core", "Auth", "✖ Major outage")
}

func TestSetOwnStatus(t *testing.T) {
	st := fixture.Open(t)
	ids := fixture.Fill(t, st)
	d, m := start(t, st, 80, 24)
	d.Keys("j", "j", "j", "j", "j", "j", "s") // CDN
	d.WaitView("Own status of CDN", "▌ ● Operational")
	d.Keys("j", "j", "j", "j", "j", "enter")
	v := d.WaitView("CDN is now ✖ Major outage")
	if m.components.Capturing() || strings.Contains(v, "Own status of") {
		t.Errorf("the picker stayed open:\n%s", v)
	}
	c, err := st.Component(context.Background(), ids.Components["CDN"])
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != store.MajorOutage {
		t.Fatalf("CDN's own status is %s, want major_outage", c.Status)
	}
	d.WaitFor("CDN in major outage under the cursor", func() bool {
		l := cursorLine(d.Model.View())
		return strings.Contains(l, "CDN") && strings.Contains(l, "✖ Major outage")
	})
	// esc leaves the picker without writing.
	d.Keys("s", "k", "esc")
	d.WaitView("▌   CDN")
	if c, _ := st.Component(context.Background(), ids.Components["CDN"]); c.Status != store.MajorOutage {
		t.Errorf("esc wrote %s", c.Status)
	}
}

// TestSetOwnStatusWhileHeld: setting the own status of a component an open incident holds at
// something worse says that it is still held, not that it is now what was picked; picking the
// own status it already has writes nothing and says so.
func TestSetOwnStatusWhileHeld(t *testing.T) {
	st := fixture.Open(t)
	ids := fixture.Fill(t, st)
	d, _ := start(t, st, 80, 24)
	d.Keys("j", "s") // API, held at partial outage by an open incident
	d.WaitView("Own status of API", "▌ ● Operational")
	d.Keys("enter")
	d.WaitView("API's own status is already ● Operational: nothing changed")
	d.Keys("s", "j", "j", "j", "enter")
	v := d.WaitView("API: ▲ Performance issues, still ◐ Partial outage (enter shows why)")
	if strings.Contains(v, "API is now") {
		t.Errorf("the notice claims a change that did not show:\n%s", v)
	}
	c, err := st.Component(context.Background(), ids.Components["API"])
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != store.PerformanceIssues || c.Effective != store.PartialOutage {
		t.Errorf("API own %s, effective %s; want performance_issues held at partial_outage", c.Status, c.Effective)
	}
}

func TestLiveRefreshKeepsCursor(t *testing.T) {
	st := fixture.Open(t)
	ids := fixture.Fill(t, st)
	d, _ := start(t, st, 80, 24)
	d.Keys("j", "j", "j", "j", "j", "j") // CDN
	if l := cursorLine(d.Model.View()); !strings.Contains(l, "CDN") {
		t.Fatalf("cursor is not on CDN: %q", l)
	}
	// Another process adds a component above the cursor and sets CDN's status.
	o := other(t, st)
	ctx := context.Background()
	if _, err := o.AddComponent(ctx, fixture.Actor, store.NewComponent{Name: "Queue", GroupID: ids.Groups["Core"]}); err != nil {
		t.Fatal(err)
	}
	if err := o.SetComponentStatus(ctx, fixture.Actor, ids.Components["CDN"], store.PartialOutage); err != nil {
		t.Fatal(err)
	}
	v := d.WaitView("Queue", "◐ Partial outage")
	if l := cursorLine(v); !strings.Contains(l, "CDN") || !strings.Contains(l, "◐ Partial outage") {
		t.Errorf("cursor left CDN after the reload: %q\n%s", l, v)
	}
}

func TestLiveIncidentKeepsPlace(t *testing.T) {
	st := fixture.Open(t)
	ids := fixture.Fill(t, st)
	d, m := start(t, st, 80, 24)
	d.Send(openIncident(ids.Incidents["Card payments delayed"]))
	d.WaitView("update 1 of 8")
	d.Keys("j", "j", "j")
	v := d.WaitView("update 2 of 8")
	first := timelineTop(v)
	o := other(t, st)
	if _, err := o.PostUpdate(context.Background(), fixture.Actor, ids.Incidents["Card payments delayed"],
		store.NewUpdate{Status: store.Fixed, Message: "Post-mortem published."}); err != nil {
		t.Fatal(err)
	}
	v = d.WaitView("update 3 of 9")
	if got := timelineTop(v); got != first {
		t.Errorf("the timeline moved under the reader: top line %q, was %q", got, first)
	}
	if m.active != incidentView {
		t.Errorf("the open incident was closed by the reload")
	}
	// At the top, a new update shows at the top.
	d.Keys("g")
	d.WaitView("update 1 of 9", "Post-mortem published.")
	if _, err := o.PostUpdate(context.Background(), fixture.Actor, ids.Incidents["Card payments delayed"],
		store.NewUpdate{Status: store.Fixed, Message: "Follow-up actions assigned."}); err != nil {
		t.Fatal(err)
	}
	d.WaitView("update 1 of 10", "Follow-up actions assigned.")
}

// timelineTop is the first line under the timeline's rule.
func timelineTop(view string) string {
	lines := strings.Split(view, "\n")
	for i, l := range lines {
		if strings.Contains(l, "Timeline, newest first") && i+1 < len(lines) {
			return lines[i+1]
		}
	}
	return ""
}

func TestLiveIncidentList(t *testing.T) {
	st := fixture.Open(t)
	ids := fixture.Fill(t, st)
	d, _ := start(t, st, 80, 24)
	d.Keys("2", "j", "j") // the newest resolved incident, CDN cache misses
	d.WaitView("· 3/6 ")
	if l := cursorLine(d.Model.View()); !strings.Contains(l, "CDN cache misses") {
		t.Fatalf("cursor not on CDN cache misses: %q", l)
	}
	if _, err := other(t, st).OpenIncident(context.Background(), fixture.Actor, store.NewIncident{
		Title: "Search is slow", Message: "Looking.",
		Impacts: []store.SetImpact{{ComponentID: ids.Components["Website"], Status: store.PerformanceIssues}},
	}); err != nil {
		t.Fatal(err)
	}
	v := d.WaitView("Search is slow", "3 unresolved · 4/7 ")
	if l := cursorLine(v); !strings.Contains(l, "CDN cache misses") {
		t.Errorf("cursor left its incident: %q\n%s", l, v)
	}
}

func TestIncidentsLoadInPages(t *testing.T) {
	st := fixture.Open(t)
	base := fixture.Now.Add(-1000 * time.Hour)
	err := st.Load(context.Background(), fixture.Actor, "pages", func(l *store.Loader) error {
		for i := range 250 {
			at := base.Add(time.Duration(i) * time.Hour)
			if _, _, err := l.Incident(store.HistoricIncident{Title: "Incident " + itoa(i+1), Updates: []store.HistoricUpdate{
				{Status: store.Investigating, Message: "Looking.", Author: "bob", At: at},
				{Status: store.Fixed, Message: "Done.", Author: "bob", At: at.Add(time.Minute)},
			}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	d, m := start(t, st, 80, 24)
	d.Keys("2")
	d.WaitView("· 1/100+ ")
	if n := len(m.incidents.View()); n == 0 {
		t.Fatal("no incidents drawn")
	}
	for i := 0; i < 10 && !strings.Contains(d.Model.View(), "250/250 "); i++ {
		d.Keys("G")
	}
	v := d.WaitView("· 250/250 ")
	if l := cursorLine(v); !strings.Contains(l, "Incident 1 ") && !strings.HasSuffix(strings.Fields(l)[3], "1") {
		t.Errorf("the last row is not the oldest incident: %q", l)
	}
	// The filter asks the store; esc clears it.
	d.Keys("/")
	d.Type("incident 17")
	d.Keys("enter")
	v = d.WaitView("(esc clears)", "· 1/11 ") // 17 and 170–179
	if !strings.Contains(v, "Incident 179") || strings.Contains(v, "Incident 18 ") {
		t.Errorf("filter shows the wrong incidents:\n%s", v)
	}
	d.Keys("esc")
	d.WaitView("/ to filter", "· 1/100+ ")
}

func itoa(i int) string { return strconv.Itoa(i) }

func openIncident(id int64) tea.Msg { return shared.OpenIncidentMsg{ID: id} }

func TestSanitizesEverythingFromTheDatabase(t *testing.T) {
	st := fixture.Open(t)
	ids := fixture.Fill(t, st)
	hostile := "\x1b]0;pwned\x07\x1b[31mred\x1b[0m\x1b]52;c;Y2xpcA==\x07\u009b2J"
	raw, err := sql.Open("sqlite", st.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	inc := ids.Incidents["Elevated API error rates"]
	for _, q := range []struct {
		sql string
		arg any
	}{
		{"UPDATE incidents SET title = 'T' || ? WHERE id = ?", inc},
		{"UPDATE components SET name = 'C' || ?, description = 'D' || ? WHERE id = ?", ids.Components["API"]},
		{"UPDATE groups SET name = 'G' || ? WHERE id = ?", ids.Groups["Core"]},
		{"UPDATE updates SET message = 'M' || ?, author = 'A' || ? WHERE incident_id = ?", inc},
	} {
		args := []any{}
		for range strings.Count(q.sql, "?") - 1 {
			args = append(args, hostile)
		}
		if _, err := raw.Exec(q.sql, append(args, q.arg)...); err != nil {
			t.Fatal(err)
		}
	}
	inert := "␛]0;pwned␇␛[31mred␛[0m"
	d, _ := start(t, st, 120, 40)
	views := []string{d.WaitView("G" + inert)}
	d.Keys("j")
	views = append(views, d.WaitView("C"+inert, "D"+inert))
	d.Keys("2")
	views = append(views, d.WaitView("T"+inert))
	d.Send(openIncident(inc))
	views = append(views, d.WaitView("#"+itoa(int(inc))+" T"+inert, "A"+inert, "M"+inert))
	for _, v := range views {
		if strings.ContainsAny(v, "\x1b\x07\u009b") {
			t.Errorf("a control character reached the screen: %q", v)
		}
	}
}

func TestTooSmall(t *testing.T) {
	st := fixture.Open(t)
	fixture.Fill(t, st)
	d, m := start(t, st, 80, 24)
	d.Keys("2", "j", "j")
	before := cursorLine(d.WaitView("· 3/6 "))
	for _, size := range [][2]int{{59, 24}, {80, 14}, {20, 5}} {
		d.Send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		v := d.Model.View()
		if want := shortened("terminal too small: need at least 60×15", size[0]); v != want {
			t.Errorf("at %dx%d the screen is %q, want %q", size[0], size[1], v, want)
		}
	}
	d.Send(tea.WindowSizeMsg{Width: 60, Height: 15})
	v := d.Model.View()
	if n := strings.Count(v, "\n") + 1; n != 15 || strings.Contains(v, "too small") {
		t.Errorf("at the minimum, %d lines:\n%s", n, v)
	}
	d.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
	if got := cursorLine(d.Model.View()); got != before || m.active != incidentsView {
		t.Errorf("resizing lost the place: %q, was %q", got, before)
	}
}

func shortened(s string, w int) string {
	r := []rune(s)
	if len(r) <= w {
		return s
	}
	return string(r[:w-1]) + "…"
}

func TestNotReady(t *testing.T) {
	st := fixture.Open(t)
	m := New(fixture.Common(t, st, 0, 0))
	if v := m.View(); v != "" {
		t.Errorf("before a size the view is %q", v)
	}
	// Over SSH the first size comes from the pty: the first frame has it.
	d := fixture.Drive(t, New(fixture.Common(t, st, 100, 30)), "waitForChange")
	v := d.WaitView("Welcome to Beacon")
	if n := strings.Count(v, "\n") + 1; n != 30 {
		t.Errorf("first frame has %d lines, want 30", n)
	}
}

func TestEveryViewFillsTheScreen(t *testing.T) {
	st := fixture.Open(t)
	fixture.Fill(t, st)
	for _, size := range [][2]int{{60, 15}, {80, 24}, {120, 40}, {200, 60}} {
		d, _ := start(t, st, size[0], size[1])
		for _, keys := range [][]string{nil, {"?"}, {"?", "s"}, {"esc", "2"}, {"2", "?"}, {"2", "enter"}, {"2", "enter", "G"}} {
			d.Keys(keys...)
			v := d.Model.View()
			lines := strings.Split(v, "\n")
			if len(lines) != size[1] {
				t.Errorf("%v at %dx%d: %d lines", keys, size[0], size[1], len(lines))
			}
			for _, l := range lines {
				if w := lipgloss.Width(l); w != size[0] {
					t.Errorf("%v at %dx%d: a line %d wide: %q", keys, size[0], size[1], w, l)
					break
				}
			}
			d.Keys("esc", "1")
		}
	}
}

func TestViewerIsOfferedNoWrites(t *testing.T) {
	st := fixture.Open(t)
	fixture.Fill(t, st)
	c := fixture.Common(t, st, 80, 24)
	c.Actor = store.Actor{Name: "guest", ReadOnly: true}
	d := fixture.Drive(t, New(c), "waitForChange")
	m := d.Model.(*UI)
	v := d.WaitView("guest (viewer)", "Status page")
	if strings.Contains(v, "Composer") || strings.Contains(v, "declare") || strings.Contains(v, "set status") {
		t.Errorf("a viewer is offered writes:\n%s", v)
	}
	d.Keys("j", "s", "n")
	if m.components.Capturing() || m.composer != nil || strings.Contains(d.Model.View(), "Own status") {
		t.Errorf("s or n acted for a viewer:\n%s", d.Model.View())
	}
	d.Keys("2", "enter", "u", "r")
	if m.composer != nil || m.active != incidentView {
		t.Errorf("u or r opened the composer for a viewer")
	}
	// An empty database offers a viewer nothing to do.
	empty := fixture.Open(t)
	c = fixture.Common(t, empty, 80, 24)
	c.Actor = store.Actor{Name: "guest", ReadOnly: true}
	d = fixture.Drive(t, New(c), "waitForChange")
	v = d.WaitView("Welcome to Beacon")
	if strings.Contains(v, "demo data") || strings.Contains(v, "add a first") || strings.Contains(v, empty.Path()) {
		t.Errorf("the welcome screen offers a viewer writes:\n%s", v)
	}
	d.Keys("d", "a")
	if e, _ := empty.Empty(context.Background()); !e {
		t.Error("a viewer's keys wrote to the database")
	}
}

func TestWelcomeFillsDemoData(t *testing.T) {
	st := fixture.Open(t)
	d, m := start(t, st, 80, 24)
	d.WaitView("Welcome to Beacon", "demo data")
	d.Keys("d")
	d.WaitFor("the demo data", func() bool { return m.loaded && !m.empty })
	v := d.WaitView("[1 Components]", "open incident")
	if m.active != componentsView {
		t.Errorf("after the demo the console shows view %d:\n%s", m.active, v)
	}
}

func TestWelcomeAddsAComponent(t *testing.T) {
	st := fixture.Open(t)
	d, _ := start(t, st, 80, 24)
	d.Keys("a")
	d.Type("q1?")       // printable keys type, even q
	d.Keys("backspace") // and editing works
	d.Keys("enter")
	d.WaitView("▌ q1", "● Operational")
	if _, err := st.ComponentByName(context.Background(), "q1"); err != nil {
		t.Fatal(err)
	}
}

func TestComposerOpensAndCloses(t *testing.T) {
	st := fixture.Open(t)
	ids := fixture.Fill(t, st)
	d, m := start(t, st, 80, 24)
	d.Keys("j", "n") // declare on API
	if m.active != composerView || m.composer == nil {
		t.Fatalf("n did not open the composer; screen:\n%s", d.Model.View())
	}
	d.WaitView("[4 Composer]")
	// Keys go to the composer now: 2 is an impact there, not the Incidents view.
	d.Keys("2")
	if m.active != composerView {
		t.Fatalf("a digit switched views while composing")
	}
	d.Send(composer.ClosedMsg{})
	if m.active != componentsView || m.composer != nil {
		t.Fatalf("leaving the composer did not go back: view %d", m.active)
	}
	// After a post the incident opens.
	d.Keys("2", "n")
	d.Send(composer.PostedMsg{IncidentID: ids.Incidents["Login failures"]})
	d.WaitView("#2 Login failures")
	if m.active != incidentView || m.composer != nil {
		t.Fatalf("after a post the view is %d", m.active)
	}
	d.Keys("esc")
	if m.active != incidentsView {
		t.Errorf("esc from the posted incident went to %d, want the list it was declared from", m.active)
	}
	// u opens it on an incident.
	d.Keys("3", "u")
	if m.active != composerView {
		t.Fatalf("u did not open the composer")
	}
	d.Send(composer.ClosedMsg{})
	if m.active != incidentView {
		t.Fatalf("leaving went to %d, want the incident", m.active)
	}
	d.Keys("r") // resolved already: nothing to do
	if m.composer != nil {
		t.Errorf("r opened the composer on a resolved incident")
	}
}

func TestComposerDeclaresEndToEnd(t *testing.T) {
	st := fixture.Open(t)
	fixture.Fill(t, st)
	d, m := start(t, st, 100, 30)
	d.Keys("j", "n") // API preselected
	d.WaitFor("the composer", func() bool { return m.composer != nil })
	d.Keys("tab")
	d.Type("Queue stuck")
	d.Keys("tab")
	d.Type("Jobs wait.")
	d.Keys("ctrl+s")
	v := d.WaitView("Queue stuck", "Timeline")
	if m.active != incidentView || m.composer != nil {
		t.Fatalf("after posting the view is %d:\n%s", m.active, v)
	}
	list, err := st.UnresolvedIncidents(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got *store.Incident
	for i := range list {
		if list[i].Title == "Queue stuck" {
			got = &list[i]
		}
	}
	if got == nil || got.Status != store.Investigating || len(got.Impacts) != 1 || got.Impacts[0].ComponentName != "API" {
		t.Errorf("the store holds %+v", list)
	}
}

func TestSubscriptionEndsWithTheSession(t *testing.T) {
	st := fixture.Open(t)
	c := fixture.Common(t, st, 80, 24)
	ctx, cancel := context.WithCancel(context.Background())
	c.Ctx = ctx
	m := New(c).(*UI)
	m.Init()
	done := make(chan tea.Msg)
	go func() { done <- waitForChange(m.changes)() }()
	cancel()
	select {
	case msg := <-done:
		if msg != nil {
			t.Errorf("after the session ended the feed sent %T", msg)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the change feed outlived the session")
	}
}

// TestLongNameLeavesTheTabs: a key named by its fingerprint is cut to the room the tabs leave,
// never the tabs.
func TestLongNameLeavesTheTabs(t *testing.T) {
	st := fixture.Open(t)
	fixture.Fill(t, st)
	c := fixture.Common(t, st, 80, 24)
	c.Actor = store.Actor{Name: "SHA256:n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg"}
	d := fixture.Drive(t, New(c), "waitForChange")
	v := d.WaitView("Status page")
	tabs := strings.Split(v, "\n")[1]
	if !strings.Contains(tabs, "5 Maintenance") || !strings.Contains(tabs, "SHA256:") {
		t.Errorf("the tabs line lost a tab or the name:\n%s", tabs)
	}
}

// burst is the key Bubble Tea v1 reports for printable keys read together: one key with all
// their runes.
func burst(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

// TestKeysReadTogether: keys that reach the console in one read act as if pressed one by one,
// and a text field still gets every rune typed, in order.
func TestKeysReadTogether(t *testing.T) {
	st := fixture.Open(t)
	fixture.Fill(t, st)
	for _, tc := range []struct {
		name   string
		bursts []string
		active view
		cursor string // on the line with the cursor
	}{
		{"down three rows", []string{"jjj"}, componentsView, "Auth"},
		{"down and back up", []string{"jjjk"}, componentsView, "Database"},
		{"a view and a move", []string{"2G"}, incidentsView, "#1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, m := start(t, st, 80, 24)
			for _, b := range tc.bursts {
				d.Send(burst(b))
			}
			v := d.Model.View()
			if m.active != tc.active {
				t.Fatalf("active view %d, want %d; screen:\n%s", m.active, tc.active, v)
			}
			if l := cursorLine(v); !strings.Contains(l, tc.cursor) {
				t.Errorf("cursor on %q, want %q; screen:\n%s", l, tc.cursor, v)
			}
		})
	}

	t.Run("typed into a title", func(t *testing.T) {
		d, m := start(t, st, 80, 24)
		d.Keys("n")
		d.WaitView("Set the components")
		d.Keys(" ", "tab")
		d.WaitView("2 Title")
		// "down" and "tab" spell keys' names; "qj" would quit and move outside a text field.
		for _, b := range []string{"Checkout", " ", "down", " ", "tab", " ", "qj"} {
			d.Send(burst(b))
		}
		v := d.WaitView("Checkout down tab qj")
		if m.active != composerView || d.Quit {
			t.Fatalf("typing left the title field; screen:\n%s", v)
		}
	})
}

// TestHeaderFits: every tab, the banner's words and the responder's name show whole, at the
// smallest size and at 80 columns.
func TestHeaderFits(t *testing.T) {
	st := fixture.Open(t)
	fixture.Fill(t, st)
	for _, tc := range []struct {
		w, h int
		want []string
	}{
		{80, 24, []string{"Some systems are experiencing issues", "2 open incidents", "1 Components", "5 Maintenance", "Ada Lovelace"}},
		{MinWidth, MinHeight, []string{"Some systems are experiencing issues", "2 open", "[1 Components] 2  3  4  5", "Ada Lovelace"}},
	} {
		c := fixture.Common(t, st, tc.w, tc.h)
		c.Actor = store.Actor{Name: "Ada Lovelace"}
		d := fixture.Drive(t, New(c), "waitForChange")
		m := d.Model.(*UI)
		d.WaitFor("the dashboard", func() bool { return m.loaded })
		v := d.Model.View()
		head := strings.Join(strings.Split(v, "\n")[:2], "\n")
		for _, w := range tc.want {
			if !strings.Contains(head, w) {
				t.Errorf("at %d×%d the header lacks %q:\n%s", tc.w, tc.h, w, head)
			}
		}
		// A click on a tab as drawn switches to it.
		x := strings.Index(strings.Split(v, "\n")[1], "5")
		d.Send(tea.MouseMsg{X: len([]rune(strings.Split(v, "\n")[1][:x])), Y: 1, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
		if m.active != maintenanceView {
			t.Errorf("at %d×%d a click on tab 5 (column %d) does not switch to it", tc.w, tc.h, x)
		}
	}
}

// TestKeysThatCannotActSaySo: a key that can do nothing here says why in the footer, rather
// than doing nothing.
func TestKeysThatCannotActSaySo(t *testing.T) {
	st := fixture.Open(t)
	fixture.Fill(t, st)
	for _, tc := range []struct {
		name   string
		viewer bool
		keys   string
		show   []string
	}{
		{"r on a fixed incident in the list", false, "2 j j r", []string{"#4 is already fixed: u reopens it with an update."}},
		{"r on a fixed incident open", false, "2 j j enter r", []string{"#4 is already fixed: u reopens it with an update."}},
		{"n for a viewer", true, "n", []string{"n (declare) is for responders: this session only reads."}},
		{"r for a viewer", true, "2 r", []string{"r (resolve) is for responders"}},
		{"m on a component's page", false, "j enter m", []string{"Schedule maintenance", "1 selected", "[x] API"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := fixture.Common(t, st, 80, 24)
			c.Actor.ReadOnly = tc.viewer
			d := fixture.Drive(t, New(c), "waitForChange")
			m := d.Model.(*UI)
			d.WaitFor("the dashboard", func() bool { return m.loaded })
			d.Keys(fields(tc.keys)...)
			d.WaitView(tc.show...)
		})
	}
}
