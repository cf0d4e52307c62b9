package component

import (
	"context"
	"strings"
	"testing"

	"beacon/store"
	"beacon/tui/internal/fixture"
	"beacon/tui/keys"
	"beacon/tui/shared"
)

// BenchmarkOpen opens a component's page on the full scale data set as the console does: the
// open message, the read it starts (its 90-day record and the incidents that touched it), and
// the page drawn with them. Target: 5 ms.
func BenchmarkOpen(b *testing.B) {
	ctx := context.Background()
	st, err := store.Open(ctx, fixture.ScaleDB(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	d, err := st.Dashboard(ctx)
	if err != nil {
		b.Fatal(err)
	}
	c := fixture.Common(b, st, 120, 40)
	m := New(c, keys.New(false))
	m.SetSize(120, 34)
	m.Update(shared.DashboardMsg{Dashboard: d})
	n := 0
	for b.Loop() {
		id := d.Components[n%len(d.Components)].ID
		n++
		_, cmd := m.Update(shared.OpenComponentMsg{ID: id})
		m.Update(cmd())
		if v := m.View(); !strings.Contains(v, "90 days") {
			b.Fatalf("the page is not drawn:\n%s", v)
		}
	}
}
