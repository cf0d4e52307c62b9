package components

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"beacon/sanitize"
	"beacon/store"
	"beacon/theme"
	"beacon/tui/shared"
)

// The forms that manage the catalogue: each reads its fields in the order they are added and
// writes through the session's Writer, which checks them as the command line's are checked.

// collapseChoices are the collapse modes a group's forms offer, in the command line's words.
var collapseChoices = []choice{
	{string(store.CollapsedUnlessIssues), "collapsed unless issues"},
	{string(store.Expanded), "expanded"},
	{string(store.Collapsed), "collapsed"},
}

// enabledChoices say whether a component is enabled.
var enabledChoices = []choice{{"yes", "yes"}, {"no", "no: not counted in the banner"}}

// addComponentForm adds a component: its name, its group (made when it does not exist yet),
// a description and a link.
func addComponentForm(s *theme.Styles, group string) *form {
	return newForm(s, "Add a component", "add", "Adding…", func(v []string) func(shared.Common) tea.Msg {
		in := store.NewComponent{Name: v[0], GroupName: v[1], Description: v[2], Link: v[3]}
		return func(c shared.Common) tea.Msg {
			comp, err := c.Writer.AddComponent(c.Ctx, c.Actor, in)
			where := ""
			if comp.GroupName != "" {
				where = " in " + sanitize.Line(comp.GroupName)
			}
			return savedMsg{notice: "Added " + sanitize.Line(comp.Name) + where + ".", want: rowKey{componentRow, comp.ID}, err: err}
		}
	}).
		text("Name", "name", "e.g. Payments API", "", store.MaxNameLen).
		text("Group", "group", "none, or a new or existing group", group, store.MaxNameLen).
		text("Description", "description", "one line saying what it is", "", store.MaxDescLen).
		text("Link", "link", "e.g. https://example.com", "", store.MaxDescLen)
}

// editComponentForm changes a component's name, group, description, link and whether it is
// enabled, in one write.
func editComponentForm(s *theme.Styles, comp store.Component) *form {
	enabled := "no"
	if comp.Enabled {
		enabled = "yes"
	}
	id := comp.ID
	return newForm(s, "Edit component "+sanitize.Line(comp.Name), "save", "Saving…", func(v []string) func(shared.Common) tea.Msg {
		in := store.ComponentEdit{Name: v[0], GroupName: v[1], Description: v[2], Link: v[3], Enabled: v[4] == "yes"}
		return func(c shared.Common) tea.Msg {
			err := c.Writer.EditComponent(c.Ctx, c.Actor, id, in)
			return savedMsg{notice: "Saved " + sanitize.Line(strings.TrimSpace(in.Name)) + ".", want: rowKey{componentRow, id}, err: err}
		}
	}).
		text("Name", "name", "e.g. Payments API", comp.Name, store.MaxNameLen).
		text("Group", "group", "none, or a new or existing group", comp.GroupName, store.MaxNameLen).
		text("Description", "description", "one line saying what it is", comp.Description, store.MaxDescLen).
		text("Link", "link", "e.g. https://example.com", comp.Link, store.MaxDescLen).
		pick("Enabled", "enabled", enabled, enabledChoices...).
		editing()
}

// addGroupForm adds a group at the end of the list.
func addGroupForm(s *theme.Styles) *form {
	return newForm(s, "Add a group", "add", "Adding…", func(v []string) func(shared.Common) tea.Msg {
		in := store.NewGroup{Name: v[0], Collapse: store.Collapse(v[1])}
		return func(c shared.Common) tea.Msg {
			g, err := c.Writer.CreateGroup(c.Ctx, c.Actor, in)
			return savedMsg{notice: "Added group " + sanitize.Line(g.Name) + ".", want: rowKey{groupRow, g.ID}, err: err}
		}
	}).
		text("Name", "name", "e.g. Web services", "", store.MaxNameLen).
		pick("Collapse", "collapse", string(store.CollapsedUnlessIssues), collapseChoices...)
}

// editGroupForm renames a group and sets its collapse mode, in one write.
func editGroupForm(s *theme.Styles, g store.Group) *form {
	id := g.ID
	return newForm(s, "Edit group "+sanitize.Line(g.Name), "save", "Saving…", func(v []string) func(shared.Common) tea.Msg {
		in := store.GroupEdit{Name: v[0], Collapse: store.Collapse(v[1])}
		return func(c shared.Common) tea.Msg {
			err := c.Writer.EditGroup(c.Ctx, c.Actor, id, in)
			return savedMsg{notice: "Saved group " + sanitize.Line(strings.TrimSpace(in.Name)) + ".", want: rowKey{groupRow, id}, err: err}
		}
	}).
		text("Name", "name", "e.g. Web services", g.Name, store.MaxNameLen).
		pick("Collapse", "collapse", string(g.Collapse), collapseChoices...).
		editing()
}
