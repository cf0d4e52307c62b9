package tui

import (
	"bytes"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"beacon/tui/internal/fixture"
)

// The console's App style pads one column either side: screen column x is x-1 on the page.
// The header is 3 lines, so the page's first line is screen line 3.

func click(x, y int) tea.MouseMsg {
	return tea.MouseMsg{X: x, Y: y, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress}
}

func wheel(b tea.MouseButton) tea.MouseMsg {
	return tea.MouseMsg{X: 10, Y: 6, Button: b, Action: tea.MouseActionPress}
}

var (
	wheelDown = wheel(tea.MouseButtonWheelDown)
	wheelUp   = wheel(tea.MouseButtonWheelUp)
)

func TestMouse(t *testing.T) {
	st := fixture.Open(t)
	fixture.Fill(t, st)
	fixture.Maintenance(t, st)
	cases := []struct {
		name   string
		msgs   []tea.Msg
		active view
		show   string
	}{
		{"wheel down moves the cursor", []tea.Msg{wheelDown}, componentsView, "▌   API"},
		{"wheel up moves it back", []tea.Msg{wheelDown, wheelDown, wheelUp}, componentsView, "▌   API"},
		{"a click selects a row", []tea.Msg{click(5, 4)}, componentsView, "▌   API"},
		{"a second click opens it", []tea.Msg{click(5, 4), click(5, 4)}, componentsView, "held by incident #6"},
		{"a click under the last row does nothing", []tea.Msg{click(5, 20)}, componentsView, "▌ ▾ Core"},
		{"a release is not a click", []tea.Msg{tea.MouseMsg{X: 5, Y: 4, Button: tea.MouseButtonLeft, Action: tea.MouseActionRelease}}, componentsView, "▌ ▾ Core"},
		{"a click on a tab switches view", []tea.Msg{click(20, 1)}, incidentsView, "/ to filter"},
		{"a tab not available says why", []tea.Msg{click(30, 1)}, componentsView, "No incident open"},
		{"incidents: click twice opens", []tea.Msg{click(20, 1), click(5, 4), click(5, 4)}, incidentView, "#5 Database failover drill"},
		{"maintenance: click twice opens", []tea.Msg{click(60, 1), click(5, 6), click(5, 6)}, maintenanceView, "Timeline"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, m := start(t, st, 80, 24)
			for _, msg := range tc.msgs {
				d.Send(msg)
			}
			v := d.WaitView(tc.show)
			if m.active != tc.active {
				t.Errorf("active view %d, want %d; screen:\n%s", m.active, tc.active, v)
			}
		})
	}
}

// The wheel scrolls the incident's timeline as the arrow keys do.
func TestMouseWheelScrollsTheTimeline(t *testing.T) {
	st := fixture.Open(t)
	ids := fixture.Fill(t, st)
	d, _ := start(t, st, 80, 24)
	d.Send(openIncident(ids.Incidents["Card payments delayed"]))
	d.WaitView("update 1 of 8")
	d.Send(wheelDown)
	d.Send(wheelDown)
	d.Send(wheelDown)
	d.WaitView("update 2 of 8")
	d.Send(wheelUp)
	d.Send(wheelUp)
	d.Send(wheelUp)
	d.WaitView("update 1 of 8")
}

// The composer's text fields get no mouse events: a click on a tab leaves it open.
func TestMouseLeavesTheComposerAlone(t *testing.T) {
	st := fixture.Open(t)
	fixture.Fill(t, st)
	d, m := start(t, st, 80, 24)
	d.Keys("n")
	d.WaitFor("the composer", func() bool { return m.active == composerView })
	before := d.Model.View()
	d.Send(click(5, 1))
	d.Send(wheelDown)
	d.Send(click(5, 5))
	if m.active != composerView {
		t.Fatalf("a click left the composer for view %d", m.active)
	}
	if after := d.Model.View(); after != before {
		t.Errorf("mouse events changed the composer:\n%s\nwas\n%s", after, before)
	}
}

// quitAtOnce is a program that ends as soon as it starts.
type quitAtOnce struct{}

func (quitAtOnce) Init() tea.Cmd                       { return tea.Quit }
func (quitAtOnce) Update(tea.Msg) (tea.Model, tea.Cmd) { return quitAtOnce{}, nil }
func (quitAtOnce) View() string                        { return "" }

// ProgramOptions asks the terminal for mouse events (cell motion, SGR) unless told not to.
func TestProgramOptionsMouse(t *testing.T) {
	for _, mouse := range []bool{true, false} {
		var out bytes.Buffer
		opts := append(ProgramOptions(mouse), tea.WithInput(nil), tea.WithOutput(&out), tea.WithoutSignals())
		if _, err := tea.NewProgram(quitAtOnce{}, opts...).Run(); err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(out.String(), "\x1b[?1002h"); got != mouse {
			t.Errorf("mouse %v: output asks for mouse events: %v (%q)", mouse, got, out.String())
		}
	}
}
