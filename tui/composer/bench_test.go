package composer

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"beacon/store"
)

// scaleEnv is an env whose store holds n components in groups of 20 (and nothing else).
func scaleEnv(b testing.TB, n int) *env {
	b.Helper()
	e := newEnv(b)
	st, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "scale.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	err = st.Load(context.Background(), alice, "bench", func(l *store.Loader) error {
		var g int64
		for i := 0; i < n; i++ {
			if i%20 == 0 {
				if g, err = l.Group(fmt.Sprintf("Group %02d", i/20), i/20, store.Expanded); err != nil {
					return err
				}
			}
			if _, err := l.Component(g, i%20, fmt.Sprintf("component-%04d", i), "", store.Operational); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	e.st, e.c.Reader, e.c.Writer = st, st, st
	return e
}

// BenchmarkTypeInMessage is one key typed in the message step (Update + View), with n
// components in the database and one selected; it must not grow with n.
func BenchmarkTypeInMessage(b *testing.B) {
	for _, n := range []int{10, 1000} {
		b.Run(fmt.Sprintf("components=%d", n), func(b *testing.B) {
			e := scaleEnv(b, n)
			d := drive(b, NewDeclare(e.c, 1), 80, 23)
			d.press("tab")
			d.typeText("Database failover")
			d.press("enter")
			d.typeText("Writes fail on the primary; we are looking into it.\n\n")
			m := d.m
			m.debounce = draftDelay // as in the console: a tick is scheduled, not run
			if m.kind() != kindMessage {
				b.Fatalf("on step %d", m.kind())
			}
			keys := []tea.KeyMsg{{Type: tea.KeyRunes, Runes: []rune{'a'}}, {Type: tea.KeyBackspace}}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				m.Update(keys[i%2])
				_ = m.View()
			}
		})
	}
}

// BenchmarkMoveInList is one cursor move in the component list (Update + View).
func BenchmarkMoveInList(b *testing.B) {
	for _, n := range []int{10, 1000} {
		b.Run(fmt.Sprintf("components=%d", n), func(b *testing.B) {
			e := scaleEnv(b, n)
			d := drive(b, NewDeclare(e.c, 1), 80, 23)
			m := d.m
			keys := []tea.KeyMsg{{Type: tea.KeyDown}, {Type: tea.KeyUp}}
			m.Update(keys[0])
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				m.Update(keys[(i/(n/2+1))%2])
				_ = m.View()
			}
		})
	}
}

// BenchmarkReview draws the review step (Preview over every component plus the rendered message).
func BenchmarkReview(b *testing.B) {
	for _, n := range []int{10, 1000} {
		b.Run(fmt.Sprintf("components=%d", n), func(b *testing.B) {
			e := scaleEnv(b, n)
			d := drive(b, NewDeclare(e.c, 1), 80, 23)
			d.press("tab")
			d.typeText("Database failover")
			d.press("enter")
			d.typeText("Writes fail on the **primary**.")
			d.press("tab")
			m := d.m
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				_ = m.View()
			}
		})
	}
}

// BenchmarkTypeInFilter is one key typed into the component filter (Update + View): the list
// narrowed from n components to the few that contain "component-00", then widened again.
func BenchmarkTypeInFilter(b *testing.B) {
	for _, n := range []int{10, 1000} {
		b.Run(fmt.Sprintf("components=%d", n), func(b *testing.B) {
			e := scaleEnv(b, n)
			d := drive(b, NewDeclare(e.c, 1), 80, 23)
			d.press("/")
			d.typeText("component-0")
			m := d.m
			keys := []tea.KeyMsg{{Type: tea.KeyRunes, Runes: []rune{'0'}}, {Type: tea.KeyBackspace}}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				m.Update(keys[i%2])
				_ = m.View()
			}
		})
	}
}
