package audit

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"beacon/store"
	"beacon/tui/internal/fixture"
	"beacon/tui/keys"
)

// run runs cmd and gives its message (and any that follow) back to m.
func run(m *Model, cmd tea.Cmd) {
	for cmd != nil {
		msg := cmd()
		if msg == nil {
			return
		}
		_, cmd = m.Update(msg)
	}
}

func TestAuditTrail(t *testing.T) {
	ctx := context.Background()
	st := fixture.Open(t)
	for _, who := range []string{"Ada Lovelace", "bob"} {
		if _, err := st.AddComponent(ctx, store.Actor{Name: who}, store.NewComponent{Name: who + "'s API"}); err != nil {
			t.Fatal(err)
		}
	}
	c := fixture.Common(t, st, 100, 12)
	m := New(c, keys.New(true))
	m.SetSize(100, 12)
	run(m, m.Init())
	v := m.View()
	for _, want := range []string{"Audit trail", "bob", "component.add", "component bob's API", "Ada Lovelace", "1/2"} {
		if !strings.Contains(v, want) {
			t.Errorf("the trail lacks %q:\n%s", want, v)
		}
	}
	if strings.Index(v, "bob") > strings.Index(v, "Ada Lovelace") {
		t.Errorf("not newest first:\n%s", v)
	}

	run(m, m.setActor("ada lovelace"))
	if v := m.View(); strings.Contains(v, "bob's API") || !strings.Contains(v, "Ada Lovelace's API") || !m.Filtered() {
		t.Errorf("filtered by ada lovelace:\n%s", v)
	}
	run(m, m.ClearFilter())
	if v := m.View(); !strings.Contains(v, "bob's API") {
		t.Errorf("after clearing the filter:\n%s", v)
	}

	c.Reader = store.PublicOnly(st)
	if Available(c) {
		t.Error("the public's reader offers the audit trail")
	}
}
