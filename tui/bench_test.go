package tui

import (
	"context"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"beacon/store"
	"beacon/tui/incident"
	"beacon/tui/internal/fixture"
	"beacon/tui/shared"
)

// benchSizes are the data sets each keypress is measured on: the small fixture and the full
// scale database, to show the cost does not grow with the data.
var benchSizes = []string{"small", "scale"}

func benchStore(b *testing.B, size string) *store.Store {
	b.Helper()
	if size == "small" {
		st := fixture.Open(b)
		fixture.Fill(b, st)
		return st
	}
	st, err := store.Open(context.Background(), fixture.ScaleDB(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

// started is a console on st at 80×24 with its dashboard loaded.
func started(b *testing.B, st *store.Store) (*fixture.Driver, *UI) {
	b.Helper()
	d := fixture.Drive(b, New(fixture.Common(b, st, 80, 24)), "waitForChange")
	m := d.Model.(*UI)
	d.WaitFor("first load", func() bool { return m.loaded })
	return d, m
}

// press is one keypress as the program handles it: Update and View on the key, then on every
// message its commands bring back (the commands themselves run outside the timer, as the
// program runs them in other goroutines).
func press(b *testing.B, m *UI, k tea.KeyMsg) {
	_, cmd := m.Update(k)
	m.View()
	settle(b, m, cmd)
}

// settle runs cmd outside the timer and handles what it brings back, until nothing is left.
func settle(b *testing.B, m *UI, cmd tea.Cmd) {
	for cmd != nil {
		b.StopTimer()
		msgs := run(cmd)
		b.StartTimer()
		var next []tea.Cmd
		for _, msg := range msgs {
			_, c := m.Update(msg)
			m.View()
			next = append(next, c)
		}
		cmd = tea.Batch(next...)
	}
}

// untimed handles msg and all its commands bring back, with the timer as it is.
func untimed(m *UI, msg tea.Msg) {
	msgs := []tea.Msg{msg}
	for len(msgs) > 0 {
		_, cmd := m.Update(msgs[0])
		msgs = append(msgs[1:], run(cmd)...)
	}
}

// run runs a command and the commands of the batches it returns, and gives their messages.
func run(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	switch msg := cmd().(type) {
	case nil:
		return nil
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range msg {
			out = append(out, run(c)...)
		}
		return out
	default:
		return []tea.Msg{msg}
	}
}

// BenchmarkComponentsMove moves the cursor through the whole component list, every group
// unfolded, and back.
func BenchmarkComponentsMove(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(size, func(b *testing.B) {
			st := benchStore(b, size)
			_, m := started(b, st)
			dash, err := st.Dashboard(context.Background())
			if err != nil {
				b.Fatal(err)
			}
			for i := range dash.Groups {
				dash.Groups[i].Collapse = store.Expanded
			}
			m.Update(shared.DashboardMsg{Dashboard: dash})
			rows := len(dash.Groups) + len(dash.Components)
			down, up := fixture.Key("down"), fixture.Key("up")
			k, pos := down, 0
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				switch pos {
				case rows - 1:
					k = up
				case 0:
					k = down
				}
				if k.Type == tea.KeyDown {
					pos++
				} else {
					pos--
				}
				press(b, m, k)
			}
			b.ReportMetric(float64(rows), "rows")
		})
	}
}

// load handles msg as press handles a key.
func load(b *testing.B, m *UI, msg tea.Msg) {
	_, cmd := m.Update(msg)
	m.View()
	settle(b, m, cmd)
}

// BenchmarkOpenLongIncident opens an incident with 1,000 updates: Update and View on the open
// request, on the loaded incident and on the rendered messages. The store read and the
// Markdown rendering run in commands, outside the timer; store-read measures the read alone.
// cold is the first incident a session opens; warm opens it again, its messages rendered.
func BenchmarkOpenLongIncident(b *testing.B) {
	st := benchStore(b, "scale")
	id := fixture.LongIncident(b, st)
	other := id - 1
	for _, warm := range []bool{false, true} {
		name := "cold"
		if warm {
			name = "warm"
		}
		b.Run(name, func(b *testing.B) {
			_, m := started(b, st)
			m.Update(fixture.Key("2"))
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				if warm {
					untimed(m, shared.OpenIncidentMsg{ID: other})
				} else {
					m.incident = incident.New(m.c, m.keys)
					m.incident.SetSize(m.pageW, m.pageH)
				}
				b.StartTimer()
				load(b, m, shared.OpenIncidentMsg{ID: id})
			}
		})
	}
	b.Run("store-read", func(b *testing.B) {
		for range b.N {
			if _, err := st.Incident(context.Background(), id); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkScrollTimeline scrolls that incident's timeline line by line, to its end and back.
func BenchmarkScrollTimeline(b *testing.B) {
	st := benchStore(b, "scale")
	id := fixture.LongIncident(b, st)
	_, m := started(b, st)
	load(b, m, shared.OpenIncidentMsg{ID: id})
	m.View()
	down, up := fixture.Key("down"), fixture.Key("up")
	k := down
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		switch {
		case m.incident.AtBottom():
			k = up
		case m.incident.AtTop():
			k = down
		}
		press(b, m, k)
	}
}

// BenchmarkFirstFrame is start to first complete frame: New, Init's dashboard read, View.
func BenchmarkFirstFrame(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(size, func(b *testing.B) {
			st := benchStore(b, size)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				ctx, cancel := context.WithCancel(context.Background())
				c := fixture.Common(b, st, 80, 24)
				c.Ctx = ctx
				d := fixture.Drive(b, New(c), "waitForChange")
				m := d.Model.(*UI)
				d.WaitFor("first frame", func() bool { return m.loaded })
				m.View()
				cancel()
			}
		})
	}
}
