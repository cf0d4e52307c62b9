package tui

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"beacon/demo"
	"beacon/store"
	"beacon/theme"
	"beacon/tui/internal/fixture"
	"beacon/tui/shared"
)

// BenchmarkChange is one change to the data as one SSH session on the components view handles
// it, on the demo data at 100×30 in 256 colours (what the server's fan-out measurement draws):
// the change message and every message its commands bring back, Update and View on each. The
// writes and the store reads run outside the timer. status: a component's status changes (a
// row, the header and the banner are drawn again); unseen: nothing on screen changes (a
// resolved incident is pinned and unpinned: the Incidents view would show it, not this one).
func BenchmarkChange(b *testing.B) {
	for _, seen := range []bool{true, false} {
		name := "unseen"
		if seen {
			name = "status"
		}
		b.Run(name, func(b *testing.B) {
			st := fixture.Open(b)
			ctx := context.Background()
			if err := demo.Fill(ctx, st, fixture.Actor, time.Now()); err != nil {
				b.Fatal(err)
			}
			web, err := st.ComponentByName(ctx, "Website")
			if err != nil {
				b.Fatal(err)
			}
			resolved, err := st.ResolvedIncidents(ctx, store.IncidentQuery{Limit: 1})
			if err != nil || len(resolved) == 0 {
				b.Fatal("no resolved incident", err)
			}
			r := lipgloss.NewRenderer(io.Discard)
			r.SetColorProfile(termenv.ANSI256)
			r.SetHasDarkBackground(true)
			c := fixture.Common(b, st, 100, 30)
			c.Styles = theme.New(r)
			d := fixture.Drive(b, New(c), "waitForChange")
			m := d.Model.(*UI)
			d.WaitFor("first load", func() bool { return m.loaded })
			m.View()
			closed := make(chan struct{})
			close(closed)
			m.changes = closed // the re-armed wait returns at once, with nothing
			statuses := []store.Status{store.MajorOutage, store.Operational}
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				b.StopTimer()
				if seen {
					err = st.SetComponentStatus(ctx, fixture.Actor, web.ID, statuses[i%2])
				} else {
					err = st.SetIncidentPinned(ctx, fixture.Actor, resolved[0].ID, i%2 == 0)
				}
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				load(b, m, shared.ChangedMsg{})
			}
		})
	}
}
