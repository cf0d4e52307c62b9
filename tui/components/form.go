package components

import (
	"errors"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"beacon/sanitize"
	"beacon/store"
	"beacon/theme"
	"beacon/tui/shared"
)

// formHeight is the add form's box: a border, a title, four fields, a blank line and a hint.
const formHeight = 2 + 1 + 4 + 1 + 1

// Fields of the add form, in tab order.
const (
	nameField = iota
	groupField
	descriptionField
	linkField
	fieldCount
)

// fieldNames name the fields in the form's messages.
var fieldNames = [fieldCount]string{"Name", "Group", "Description", "Link"}

// form adds a component: its name, its group (made when it does not exist yet), a
// description and a link, checked by the store as the command line's are.
type form struct {
	inputs [fieldCount]textinput.Model
	focus  int
	err    string // the store's reason the last try was refused, shown in the box
	field  int    // the field err is about, or -1
	busy   bool   // the write is under way
}

// addedMsg reports the outcome of adding a component.
type addedMsg struct {
	component store.Component
	err       error
}

func newForm(s *theme.Styles, group string) *form {
	f := &form{field: -1}
	f.inputs[nameField] = shared.NewInput(s, "Name         ", "e.g. Payments API", store.MaxNameLen)
	f.inputs[groupField] = shared.NewInput(s, "Group        ", "none, or a new or existing group", store.MaxNameLen)
	f.inputs[descriptionField] = shared.NewInput(s, "Description  ", "one line saying what it is", store.MaxDescLen)
	f.inputs[linkField] = shared.NewInput(s, "Link         ", "https://…", store.MaxDescLen)
	f.inputs[groupField].SetValue(group)
	f.inputs[nameField].Focus()
	return f
}

func (f *form) height() int { return formHeight }

func (f *form) setWidth(width int) {
	for i := range f.inputs {
		f.inputs[i].Width = max(1, min(50, width-20))
	}
}

func (f *form) help() []key.Binding {
	return []key.Binding{
		key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab/↓", "next field")),
		key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "add")),
		key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

// update handles a key while the form is open; it returns the command that adds the
// component when the form is submitted, and done when it was left.
func (f *form) update(msg tea.KeyMsg, c shared.Common) (cmd tea.Cmd, done bool) {
	if f.busy {
		return nil, false
	}
	switch msg.Type {
	case tea.KeyEsc:
		return nil, true
	case tea.KeyTab, tea.KeyDown:
		f.focusOn((f.focus + 1) % fieldCount)
		return nil, false
	case tea.KeyShiftTab, tea.KeyUp:
		f.focusOn((f.focus + fieldCount - 1) % fieldCount)
		return nil, false
	case tea.KeyEnter, tea.KeyCtrlS:
		return f.submit(c), false
	}
	var cmds []tea.Cmd
	for _, k := range shared.Typed(msg) {
		var cmd tea.Cmd
		f.inputs[f.focus], cmd = f.inputs[f.focus].Update(k)
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...), false
}

func (f *form) focusOn(i int) {
	f.inputs[f.focus].Blur()
	f.focus = i
	f.inputs[i].Focus()
}

// submit checks the name here (the one field that cannot be empty) and lets the store check
// the rest, in the write.
func (f *form) submit(c shared.Common) tea.Cmd {
	in := store.NewComponent{
		Name:        f.inputs[nameField].Value(),
		GroupName:   f.inputs[groupField].Value(),
		Description: f.inputs[descriptionField].Value(),
		Link:        f.inputs[linkField].Value(),
	}
	if strings.TrimSpace(in.Name) == "" {
		f.err, f.field = "a component needs a name", nameField
		f.focusOn(nameField)
		return nil
	}
	f.busy, f.err = true, ""
	return func() tea.Msg {
		comp, err := c.Writer.AddComponent(c.Ctx, c.Actor, in)
		return addedMsg{component: comp, err: err}
	}
}

// refused shows why the store refused the component, next to the field it is about.
func (f *form) refused(err error) {
	f.busy = false
	f.err, f.field = err.Error(), nameField
	var ve *store.ValidationError
	if errors.As(err, &ve) {
		f.err = ve.Msg
		switch ve.Field {
		case "group":
			f.field = groupField
		case "description":
			f.field = descriptionField
		case "link":
			f.field = linkField
		}
	}
	f.focusOn(f.field)
}

func (f *form) view(s *theme.Styles, width int) string {
	inner := min(width-s.Box.GetHorizontalFrameSize(), 76)
	lines := []string{shared.Truncate(s.Title.Render("Add a component"), inner)}
	for i := range f.inputs {
		mark := "  "
		if i == f.field && f.err != "" {
			mark = s.Error.Render("✖ ")
		}
		lines = append(lines, shared.Truncate(mark+f.inputs[i].View(), inner))
	}
	problem := ""
	if f.err != "" {
		problem = s.Error.Render(fieldNames[f.field] + ": " + sanitize.Line(f.err))
	}
	hint := "tab moves between fields · enter adds it · esc cancels"
	if f.busy {
		hint = "Adding…"
	}
	lines = append(lines, shared.Truncate(problem, inner), shared.Truncate(s.Faint.Render(hint), inner))
	return s.Box.Width(inner + s.Box.GetHorizontalPadding()).Render(strings.Join(lines, "\n"))
}
