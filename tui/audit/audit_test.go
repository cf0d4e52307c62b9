package audit

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"beacon/store"
	"beacon/tui/internal/fixture"
	"beacon/tui/keys"
	"beacon/tui/shared"
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

// twoActors is a store on which Ada Lovelace, then bob, added a component each.
func twoActors(t *testing.T) *store.Store {
	t.Helper()
	st := fixture.Open(t)
	for _, who := range []string{"Ada Lovelace", "bob"} {
		if _, err := st.AddComponent(context.Background(), store.Actor{Name: who}, store.NewComponent{Name: who + "'s API"}); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

func TestAuditTrail(t *testing.T) {
	st := twoActors(t)
	c := fixture.Common(t, st, 100, 12)
	m := New(c, keys.New(true))
	m.SetSize(100, 12)
	run(m, m.Init())
	v := m.View()
	for _, want := range []string{"Audit trail", "bob", "component.add", "bob's API", "Ada Lovelace", "1/2"} {
		if !strings.Contains(v, want) {
			t.Errorf("the trail lacks %q:\n%s", want, v)
		}
	}
	if strings.Index(v, "bob") > strings.Index(v, "Ada Lovelace") {
		t.Errorf("not newest first:\n%s", v)
	}

	run(m, m.setActor("ada lovelace"))
	if v := m.View(); strings.Contains(v, "bob's API") || !strings.Contains(v, "Ada Lovelace's API") || m.actor == "" {
		t.Errorf("filtered by ada lovelace:\n%s", v)
	}
	ok, cmd := m.Back()
	if !ok {
		t.Error("esc did not clear the filter")
	}
	run(m, cmd)
	if v := m.View(); !strings.Contains(v, "bob's API") {
		t.Errorf("after clearing the filter:\n%s", v)
	}

	c.Reader = store.PublicOnly(st)
	if Available(c) {
		t.Error("the public's reader offers the audit trail")
	}
}

// TestAuditFilterAsTyped: the list follows the name as it is typed, before enter; esc clears.
func TestAuditFilterAsTyped(t *testing.T) {
	st := twoActors(t)
	m := New(fixture.Common(t, st, 80, 12), keys.New(true))
	m.SetSize(80, 12)
	run(m, m.Init())
	run(m, m.updateKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'/'}}))
	for _, r := range "OB" { // part of the name, in another case
		_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		run(m, cmd)
	}
	if v := m.View(); !m.filtering || strings.Contains(v, "Ada Lovelace's API") || !strings.Contains(v, "bob's API") {
		t.Errorf("while typing OB (filtering %v):\n%s", m.filtering, v)
	}
	_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyEsc})
	run(m, cmd)
	if v := m.View(); m.filtering || !strings.Contains(v, "Ada Lovelace's API") {
		t.Errorf("after esc (filtering %v):\n%s", m.filtering, v)
	}
}

// TestAuditEnter: enter on an entry about an incident opens the incident; on any other entry
// it shows the whole entry under the list, which esc closes.
func TestAuditEnter(t *testing.T) {
	ctx := context.Background()
	st := fixture.Open(t)
	c, err := st.AddComponent(ctx, store.Actor{Name: "ada"}, store.NewComponent{Name: "Postgres primary replica", Description: "The replica in the second zone"})
	if err != nil {
		t.Fatal(err)
	}
	inc, err := st.OpenIncident(ctx, store.Actor{Name: "ada"}, store.NewIncident{Title: "Replica lagging", Message: "Looking.",
		Impacts: []store.SetImpact{{ComponentID: c.ID, Status: store.PerformanceIssues}}})
	if err != nil {
		t.Fatal(err)
	}
	m := New(fixture.Common(t, st, 60, 12), keys.New(true))
	m.SetSize(60, 12)
	run(m, m.Init())
	enter := tea.KeyMsg{Type: tea.KeyEnter}
	_, cmd := m.Update(enter)
	if cmd == nil {
		t.Fatal("enter on the incident's entry did nothing")
	}
	if msg, ok := cmd().(shared.OpenIncidentMsg); !ok || msg.ID != inc.ID {
		t.Fatalf("enter on the incident's entry gave %#v, want incident #%d", msg, inc.ID)
	}
	m.Update(tea.KeyMsg{Type: tea.KeyDown})
	m.Update(enter)
	v := m.View()
	if !m.shown || !strings.Contains(v, "component Postgres primary replica") {
		t.Fatalf("enter on the component's entry does not show it whole:\n%s", v)
	}
	if ok, _ := m.Back(); !ok || m.shown {
		t.Errorf("esc did not close the entry")
	}
}
