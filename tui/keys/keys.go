// Package keys holds the console's key bindings. A KeyMap is a value built per session, so a
// viewer's session can switch its writing keys off without touching anyone else's.
package keys

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// KeyMap is every key the console knows, as README.md lists them.
type KeyMap struct {
	NextView key.Binding
	PrevView key.Binding
	View1    key.Binding
	View2    key.Binding
	View3    key.Binding
	View4    key.Binding
	View5    key.Binding

	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding
	Move     key.Binding // up and down in one entry of the short help

	Open   key.Binding // enter: open the row under the cursor
	Toggle key.Binding // space or enter on a group: fold or unfold it
	Back   key.Binding
	Filter key.Binding
	Audit  key.Binding // A in Incidents: the audit trail

	Declare   key.Binding
	Update    key.Binding
	Resolve   key.Binding
	SetStatus key.Binding
	Schedule  key.Binding // m: schedule maintenance on the component under the cursor
	Finish    key.Binding // f: finish a maintenance window early
	Cancel    key.Binding // x: cancel a maintenance window
	Demo      key.Binding // welcome screen: fill with demo data
	Add       key.Binding // add a component
	AddGroup  key.Binding // A in Components: add a group
	Edit      key.Binding // edit the component or group under the cursor
	Remove    key.Binding // remove the component or group under the cursor
	MoveUp    key.Binding // move the component or group under the cursor up the list
	MoveDown  key.Binding // and down

	Help      key.Binding // ? (and f1): all keys
	FieldHelp key.Binding // f1: all keys, also while a text field has the keys and ? is text
	Quit      key.Binding
	ForceQuit key.Binding
}

// New builds a session's key map; a read-only session gets the writing keys disabled, so they
// neither act nor show in the help.
func New(readOnly bool) KeyMap {
	k := KeyMap{
		NextView: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab/1-5", "views")),
		PrevView: key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous view")),
		View1:    key.NewBinding(key.WithKeys("1")),
		View2:    key.NewBinding(key.WithKeys("2")),
		View3:    key.NewBinding(key.WithKeys("3")),
		View4:    key.NewBinding(key.WithKeys("4")),
		View5:    key.NewBinding(key.WithKeys("5")),

		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+d"), key.WithHelp("pgdn", "page down")),
		Move:     key.NewBinding(key.WithKeys("up", "down", "k", "j"), key.WithHelp("↑/↓", "move")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g/home", "top")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G/end", "bottom")),

		Open:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Toggle: key.NewBinding(key.WithKeys(" ", "enter"), key.WithHelp("space", "fold group")),
		Back:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Filter: key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Audit:  key.NewBinding(key.WithKeys("A"), key.WithHelp("A", "audit trail")),

		Declare:   key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "declare")),
		Update:    key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "update")),
		Resolve:   key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "resolve")),
		SetStatus: key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "set status")),
		Schedule:  key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "schedule")),
		Finish:    key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "finish")),
		Cancel:    key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "cancel")),
		Demo:      key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "demo data")),
		Add:       key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "add component")),
		AddGroup:  key.NewBinding(key.WithKeys("A"), key.WithHelp("A", "add group")),
		Edit:      key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit")),
		Remove:    key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "remove")),
		MoveUp:    key.NewBinding(key.WithKeys("K", "shift+up"), key.WithHelp("K", "move up")),
		MoveDown:  key.NewBinding(key.WithKeys("J", "shift+down"), key.WithHelp("J", "move down")),

		Help:      key.NewBinding(key.WithKeys("?", "f1"), key.WithHelp("?", "help")),
		FieldHelp: key.NewBinding(key.WithKeys("f1"), key.WithHelp("f1", "help")),
		Quit:      key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		ForceQuit: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
	}
	if readOnly {
		for _, b := range []*key.Binding{&k.Declare, &k.Update, &k.Resolve, &k.SetStatus, &k.Schedule, &k.Finish, &k.Cancel, &k.Demo, &k.Add, &k.AddGroup, &k.Edit, &k.Remove, &k.MoveUp, &k.MoveDown} {
			b.SetEnabled(false)
		}
	}
	return k
}

// Movement is how far a list's cursor moves for msg: a row, a page of page rows, or to either
// end of total rows; ok is false when msg is no movement key.
func (k KeyMap) Movement(msg tea.KeyMsg, page, total int) (rows int, ok bool) {
	switch {
	case key.Matches(msg, k.Up):
		return -1, true
	case key.Matches(msg, k.Down):
		return 1, true
	case key.Matches(msg, k.PageUp):
		return -page, true
	case key.Matches(msg, k.PageDown):
		return page, true
	case key.Matches(msg, k.Top):
		return -total, true
	case key.Matches(msg, k.Bottom):
		return total, true
	}
	return 0, false
}

// UpdateOn is the update key for an incident: on a resolved one an update reopens it, and the
// key says so.
func (k KeyMap) UpdateOn(resolved bool) key.Binding {
	b := k.Update
	if resolved {
		b.SetHelp(b.Help().Key, "reopen")
	}
	return b
}
