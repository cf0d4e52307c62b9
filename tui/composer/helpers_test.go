package composer

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"beacon/store"
	"beacon/theme"
	"beacon/tui/shared"
)

// env is a real store on a temporary file with a few grouped components.
type env struct {
	t     testing.TB
	st    *store.Store
	c     shared.Common
	comps map[string]int64
}

var (
	alice = store.Actor{Name: "alice"}
	bob   = store.Actor{Name: "bob"}
)

func newEnv(t testing.TB) *env {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "beacon.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	// The clock runs 12½ minutes ahead of the store's, so "12m ago" is stable in goldens.
	now := time.Now().Add(12*time.Minute + 30*time.Second)
	e := &env{t: t, st: st, comps: map[string]int64{}, c: shared.Common{
		Ctx: ctx, Reader: st, Writer: st, Actor: alice, Styles: theme.New(r),
		Now: func() time.Time { return now }, Width: 80, Height: 24,
	}}
	for _, g := range []struct {
		name  string
		comps []string
	}{
		{"Core", []string{"API", "Database", "Web app"}},
		{"Edge", []string{"CDN", "DNS"}},
	} {
		grp, err := st.AddGroup(ctx, alice, g.name)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range g.comps {
			c, err := st.AddComponent(ctx, alice, store.NewComponent{Name: name, GroupID: grp.ID})
			if err != nil {
				t.Fatal(err)
			}
			e.comps[name] = c.ID
		}
	}
	return e
}

func (e *env) as(a store.Actor) shared.Common {
	c := e.c
	c.Actor = a
	return c
}

func (e *env) effective(name string) store.Status {
	e.t.Helper()
	c, err := e.st.Component(context.Background(), e.comps[name])
	if err != nil {
		e.t.Fatal(err)
	}
	return c.Effective
}

func (e *env) incident(id int64) store.IncidentDetail {
	e.t.Helper()
	inc, err := e.st.Incident(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return inc
}

// driver runs a composer without a program: it feeds keys to Update, runs every Cmd it gets
// back and feeds their messages in turn, and keeps what the composer emits for its parent.
type driver struct {
	t       testing.TB
	m       *Model
	emitted []tea.Msg
}

func drive(t testing.TB, m *Model, w, h int) *driver {
	t.Helper()
	m.debounce = 0 // draft ticks fire at once, so every save happens inside run
	m.SetSize(w, h)
	d := &driver{t: t, m: m}
	d.run(m.Init())
	return d
}

// run executes cmd and everything it leads to, breadth first.
func (d *driver) run(cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for n := 0; len(queue) > 0; n++ {
		if n > 10000 {
			d.t.Fatal("composer keeps producing commands")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case PostedMsg, ClosedMsg:
			d.emitted = append(d.emitted, msg)
		default:
			_, next := d.m.Update(msg)
			queue = append(queue, next)
		}
	}
}

func (d *driver) send(msg tea.Msg) {
	_, cmd := d.m.Update(msg)
	d.run(cmd)
}

// press sends named keys ("tab", "ctrl+s", "space", "3") one by one.
func (d *driver) press(keys ...string) {
	for _, k := range keys {
		d.send(keyMsg(k))
	}
}

// typeText sends each rune of s as its own key press, as a person types.
func (d *driver) typeText(s string) {
	for _, r := range s {
		if r == '\n' {
			d.send(tea.KeyMsg{Type: tea.KeyEnter})
			continue
		}
		d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

func (d *driver) view() string { return d.m.View() }

func (d *driver) posted() int64 {
	d.t.Helper()
	for _, msg := range d.emitted {
		if p, ok := msg.(PostedMsg); ok {
			return p.IncidentID
		}
	}
	d.t.Fatalf("nothing posted; the composer shows:\n%s", d.view())
	return 0
}

func (d *driver) closed() bool {
	for _, msg := range d.emitted {
		if _, ok := msg.(ClosedMsg); ok {
			return true
		}
	}
	return false
}

func (d *driver) mustShow(parts ...string) {
	d.t.Helper()
	v := d.view()
	for _, p := range parts {
		if !strings.Contains(v, p) {
			d.t.Fatalf("view lacks %q:\n%s", p, v)
		}
	}
}

var namedKeys = map[string]tea.KeyType{
	"tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab, "enter": tea.KeyEnter, "esc": tea.KeyEsc,
	"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
	"pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "backspace": tea.KeyBackspace,
	"ctrl+s": tea.KeyCtrlS, "ctrl+r": tea.KeyCtrlR, "ctrl+t": tea.KeyCtrlT, "ctrl+c": tea.KeyCtrlC,
}

func keyMsg(k string) tea.KeyMsg {
	if k == "space" {
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	}
	if t, ok := namedKeys[k]; ok {
		return tea.KeyMsg{Type: t}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// harness is the composer's parent in program tests: it gives the composer the window less
// a footer line, draws bubbles/help under it, and quits when the composer is done.
type harness struct {
	m    *Model
	help help.Model
}

func newHarness(m *Model) *harness {
	s := m.c.Styles
	h := help.New()
	h.Styles = help.Styles{
		ShortKey: s.Help.Key, ShortDesc: s.Help.Desc, ShortSeparator: s.Help.Sep,
		FullKey: s.Help.Key, FullDesc: s.Help.Desc, FullSeparator: s.Help.Sep, Ellipsis: s.Help.Sep,
	}
	return &harness{m: m, help: h}
}

func (h *harness) Init() tea.Cmd { return h.m.Init() }

func (h *harness) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		h.m.SetSize(msg.Width, msg.Height-1)
		h.help.Width = msg.Width
		return h, nil
	case PostedMsg, ClosedMsg:
		return h, tea.Quit
	}
	_, cmd := h.m.Update(msg)
	return h, cmd
}

func (h *harness) View() string { return h.m.View() + "\n" + h.help.View(h.m) }
