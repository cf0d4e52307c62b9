package components

import (
	"errors"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"beacon/sanitize"
	"beacon/store"
	"beacon/theme"
	"beacon/tui/shared"
)

// labelWidth is the width of a field's label, so that the fields line up.
const labelWidth = 13

// field is one line of a form: a text field, or a choice among a few words when choices is set.
type field struct {
	label   string // "Name"; also how the form's messages name it
	key     string // the field a store.ValidationError names when it is about this one
	input   textinput.Model
	choices []choice
	choice  int
}

// choice is one word a choice field offers: its value and how it reads.
type choice struct{ value, label string }

// value is what the field holds: the text typed, or the chosen value.
func (f *field) value() string {
	if f.choices != nil {
		return f.choices[f.choice].value
	}
	return f.input.Value()
}

// form is a guided form under the list: a title, fields in tab order, and the store's reason
// when it refused the last try, next to its field; the footer lists its keys. The store checks
// every field, as it does for the command line; what was typed stays after a refusal.
type form struct {
	title   string
	verb    string // what enter does: "add", "save"
	doing   string // said while the write is under way: "Adding…"
	fields  []field
	focus   int
	err     string // the store's reason the last try was refused
	errAt   int    // the field err is about
	busy    bool   // the write is under way
	save    func(values []string) func(c shared.Common) tea.Msg
	s       *theme.Styles
	width   int
	initial []string // an edit's values as it opened
	keys    formKeys
}

// savedMsg reports the outcome of a form's write: on success the notice to show and the row
// to put the cursor on once the list holds it.
type savedMsg struct {
	notice string
	want   rowKey
	err    error
}

func newForm(s *theme.Styles, title, verb, doing string, save func(values []string) func(c shared.Common) tea.Msg) *form {
	return &form{s: s, title: title, verb: verb, doing: doing, save: save, keys: newFormKeys(verb)}
}

// text adds a text field holding value.
func (f *form) text(label, key, placeholder, value string, limit int) *form {
	in := shared.NewInput(f.s, shared.Pad(label, labelWidth), placeholder, limit)
	in.SetValue(value)
	f.fields = append(f.fields, field{label: label, key: key, input: in})
	f.focusOn(0)
	return f
}

// pick adds a choice field set on the choice whose value is value.
func (f *form) pick(label, key, value string, choices ...choice) *form {
	fl := field{label: label, key: key, choices: choices}
	for i, c := range choices {
		if c.value == value {
			fl.choice = i
		}
	}
	f.fields = append(f.fields, fl)
	return f
}

// formFrame is a form's lines besides its fields: a border, a title, and a line for the
// store's reason (or the write under way).
const formFrame = 2 + 1 + 1

// height is the form's box: one more line while the reason needs two.
func (f *form) height() int { return formFrame + len(f.fields) + max(0, len(f.reason())-1) }

func (f *form) setWidth(width int) {
	f.width = width
	for i := range f.fields {
		f.fields[i].input.Width = max(1, min(50, width-20))
	}
}

// inner is the width inside the box.
func (f *form) inner() int { return min(f.width-f.s.Box.GetHorizontalFrameSize(), 76) }

// reason is the store's reason the last try was refused, in one line or, when it is longer
// than the box is wide, two.
func (f *form) reason() []string {
	if f.err == "" {
		return nil
	}
	text := f.fields[f.errAt].label + ": " + sanitize.Line(f.err)
	lines := strings.Split(f.s.Error.Width(f.inner()).Render(text), "\n")
	if len(lines) > 2 {
		lines = []string{lines[0], shared.Truncate(strings.Join(lines[1:], " "), f.inner())}
	}
	return lines
}

func (f *form) help() []key.Binding {
	var out []key.Binding
	if f.fields[f.focus].choices != nil {
		out = append(out, f.keys.change)
	}
	return append(out, f.keys.enter, f.keys.next, f.keys.esc, f.keys.prev)
}

// fullHelp is help in pairs, short enough to leave the form room on a small terminal.
func (f *form) fullHelp() [][]key.Binding {
	out := [][]key.Binding{{f.keys.enter, f.keys.esc}, {f.keys.next, f.keys.prev}}
	if f.fields[f.focus].choices != nil {
		out = append(out, []key.Binding{f.keys.change})
	}
	return out
}

// formKeys are a form's keys, as its help shows them.
type formKeys struct{ enter, esc, next, prev, change key.Binding }

func newFormKeys(verb string) formKeys {
	return formKeys{
		enter:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", verb)),
		esc:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		next:   key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab/↓", "next field")),
		prev:   key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab", "previous")),
		change: key.NewBinding(key.WithKeys("left", "right", " "), key.WithHelp("←/→", "change")),
	}
}

// update handles a key while the form is open; it returns the command that writes when the
// form is submitted, and done when it was left.
func (f *form) update(msg tea.KeyMsg, c shared.Common) (cmd tea.Cmd, done bool) {
	if f.busy {
		return nil, false
	}
	n := len(f.fields)
	switch msg.Type {
	case tea.KeyEsc:
		return nil, true
	case tea.KeyTab, tea.KeyDown:
		f.focusOn((f.focus + 1) % n)
		return nil, false
	case tea.KeyShiftTab, tea.KeyUp:
		f.focusOn((f.focus + n - 1) % n)
		return nil, false
	case tea.KeyEnter, tea.KeyCtrlS:
		return f.submit(c), false
	}
	fl := &f.fields[f.focus]
	if fl.choices != nil {
		switch msg.String() {
		case "left", "h":
			fl.choice = (fl.choice + len(fl.choices) - 1) % len(fl.choices)
		case "right", "l", " ":
			fl.choice = (fl.choice + 1) % len(fl.choices)
		}
		return nil, false
	}
	if msg.Type == tea.KeyRunes {
		// What the store would refuse and a terminal would obey (bidi overrides) never
		// reaches the field, as the field itself drops control characters.
		msg.Runes = slices.DeleteFunc(slices.Clone(msg.Runes), sanitize.Unsafe)
		if len(msg.Runes) == 0 {
			return nil, false
		}
	}
	var cmds []tea.Cmd
	for _, k := range shared.Typed(msg) {
		var cmd tea.Cmd
		fl.input, cmd = fl.input.Update(k)
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...), false
}

func (f *form) focusOn(i int) {
	f.fields[f.focus].input.Blur()
	f.focus = i
	if f.fields[i].choices == nil {
		f.fields[i].input.Focus()
	}
}

// submit hands the values to the store, which checks them as it checks the command line's.
func (f *form) submit(c shared.Common) tea.Cmd {
	values := f.values()
	if f.initial != nil && slices.Equal(values, f.initial) {
		return shared.Cmd(savedMsg{notice: "Nothing changed."})
	}
	f.busy, f.err = true, ""
	write := f.save(values)
	return func() tea.Msg { return write(c) }
}

// values is what each field holds, in order.
func (f *form) values() []string {
	out := make([]string, len(f.fields))
	for i := range f.fields {
		out[i] = f.fields[i].value()
	}
	return out
}

// editing marks the form as an edit of what its fields now hold: enter with nothing changed
// then closes it without a write.
func (f *form) editing() *form {
	f.initial = f.values()
	return f
}

// refused shows why the store refused the write, next to the field it is about (the first,
// the name, when the reason names none, as a name already taken does); what was typed stays.
func (f *form) refused(err error) {
	f.busy = false
	f.err, f.errAt = err.Error(), 0
	var ve *store.ValidationError
	if errors.As(err, &ve) {
		f.err = ve.Msg
		for i, fl := range f.fields {
			if fl.key == ve.Field {
				f.errAt = i
			}
		}
	}
	f.focusOn(f.errAt)
}

func (f *form) view(s *theme.Styles, width int) string {
	inner := f.inner()
	lines := []string{shared.Truncate(s.Title.Render(f.title), inner)}
	for i := range f.fields {
		mark := "  "
		if i == f.errAt && f.err != "" {
			mark = s.Error.Render("✖ ")
		}
		lines = append(lines, shared.Truncate(mark+f.fieldView(s, i), inner))
	}
	switch {
	case f.busy:
		lines = append(lines, s.Faint.Render(f.doing))
	case f.err != "":
		lines = append(lines, f.reason()...)
	default:
		lines = append(lines, "")
	}
	return s.Box.Width(inner + s.Box.GetHorizontalPadding()).Render(strings.Join(lines, "\n"))
}

func (f *form) fieldView(s *theme.Styles, i int) string {
	fl := &f.fields[i]
	if fl.choices == nil {
		return fl.input.View()
	}
	word := fl.choices[fl.choice].label
	if i == f.focus {
		return s.Accent.Render(shared.Pad(fl.label, labelWidth)) + s.Accent.Render("◂ ") + s.Selected.Render(word) + s.Accent.Render(" ▸")
	}
	return s.Accent.Render(shared.Pad(fl.label, labelWidth)) + s.Normal.Render(word)
}
