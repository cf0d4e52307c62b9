package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"beacon/glance"
	"beacon/sanitize"
	"beacon/store"
	"beacon/theme"
)

func newComponentCommand(a *app) *cobra.Command {
	return groupCommand("component", "List, add, edit, set the status of and remove components",
		newComponentListCommand(a), newComponentAddCommand(a), newComponentEditCommand(a), newComponentSetCommand(a), newComponentRemoveCommand(a))
}

// componentJSON is a component as `component list --json` prints it: the status summary's
// fields plus its own status, link and whether it is enabled.
type componentJSON struct {
	glance.Component
	OwnStatus string `json:"own_status"`
	Link      string `json:"link"`
	Enabled   bool   `json:"enabled"`
}

func newComponentListCommand(a *app) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:        "list",
		SuggestFor: []string{"ls"},
		Short:      "List every component with its group and effective status",
		Args:       noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			comps, err := listComponents(ctx, a)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				list := make([]componentJSON, len(comps))
				for i, c := range comps {
					list[i] = componentJSON{Component: glance.NewComponent(c), OwnStatus: c.Status.Statuspage(), Link: c.Link, Enabled: c.Enabled}
				}
				return writeJSON(out, list)
			}
			if len(comps) == 0 {
				fmt.Fprintln(out, "No components yet; add one with 'beacon component add NAME' or fill a demo with 'beacon demo'.")
				return nil
			}
			s := a.styles(out)
			t := newTable(out, "NAME", "GROUP", "STATUS", "NOTE")
			for _, c := range comps {
				var notes []string
				if c.Status != c.Effective {
					notes = append(notes, "own status "+c.Status.Glyph()+" "+c.Status.Label())
				}
				if !c.Enabled {
					notes = append(notes, "disabled")
				}
				t.row(sanitize.Line(c.Name), sanitize.Line(c.GroupName), s.StatusText(c.Effective), s.Faint.Render(strings.Join(notes, "; ")))
			}
			return t.flush()
		},
	}
	jsonFlag(cmd, &asJSON, "print the components as JSON")
	return overSSH(cmd, remoteRead, true)
}

func newComponentAddCommand(a *app) *cobra.Command {
	var group, description, link, at string
	cmd := &cobra.Command{
		Use:   "add NAME",
		Short: "Add an operational component, at the end of its group",
		Long: "Add an operational component at the end of its group. A --group that does not exist yet\n" +
			"is made, at the end of the list of groups.",
		Example: `  beacon component add API --group "Web services" --description "Public REST API"`,
		Args:    exactArgs("NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, actor, err := a.writer(ctx)
			if err != nil {
				return err
			}
			newGroup := false
			when, err := parseAt(at)
			if err != nil {
				return err
			}
			if group != "" {
				_, err := st.GroupByName(ctx, group)
				newGroup = errors.Is(err, store.ErrNotFound)
			}
			c, err := st.AddComponent(ctx, actor, store.NewComponent{Name: args[0], Description: description, Link: link, GroupName: group, At: when})
			if err != nil {
				return err
			}
			where := ""
			if c.GroupName != "" {
				where = " in " + sanitize.Line(c.GroupName)
			}
			if newGroup {
				where += " (a new group)"
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Added component %s%s: %s\n%s", sanitize.Line(c.Name), where, a.styles(cmd.OutOrStdout()).StatusText(c.Effective), datedLine(when))
			return nil
		},
	}
	addAtFlag(cmd, &at)
	f := cmd.Flags()
	f.StringVar(&group, "group", "", "the group to put it in, made if it does not exist yet")
	f.StringVar(&description, "description", "", "one line saying what it is")
	f.StringVar(&link, "link", "", "a URL for it")
	_ = cmd.RegisterFlagCompletionFunc("group", a.completeFlag(groupNames))
	cmd.ValidArgsFunction = cobra.NoFileCompletions
	return overSSH(cmd, remoteWrite, false)
}

func newComponentEditCommand(a *app) *cobra.Command {
	var name, description, link, group string
	var enable, disable bool
	cmd := &cobra.Command{
		Use:   "edit NAME",
		Short: "Rename, describe, link, regroup, enable or disable a component",
		Long: "Change what the flags name and keep the rest, in one write. A --group that does not exist\n" +
			"yet is made; --group \"\" takes it out of its group. A component that changes group goes\n" +
			"to the end of the new one.",
		Example: `  beacon component edit API --name "Public API" --link https://api.example.com` + "\n" +
			`  beacon component edit Legacy --disable`,
		Args:              exactArgs("NAME"),
		ValidArgsFunction: a.completeArgs(componentNames),
		RunE: func(cmd *cobra.Command, args []string) error {
			f := cmd.Flags()
			if enable && disable {
				return usageError("--enable and --disable go one at a time")
			}
			if !f.Changed("name") && !f.Changed("description") && !f.Changed("link") && !f.Changed("group") && !enable && !disable {
				return usageError("%s needs something to change: --name, --description, --link, --group, --enable or --disable", cmd.CommandPath())
			}
			if err := blankName(cmd); err != nil {
				return err
			}
			ctx := cmd.Context()
			st, actor, c, err := a.componentToWrite(ctx, args[0])
			if err != nil {
				return err
			}
			in := store.ComponentEdit{Name: c.Name, Description: c.Description, Link: c.Link, GroupName: c.GroupName, Enabled: c.Enabled}
			for flag, v := range map[string]*string{"name": &in.Name, "description": &in.Description, "link": &in.Link, "group": &in.GroupName} {
				if f.Changed(flag) {
					*v, _ = f.GetString(flag)
				}
			}
			in.Enabled = (in.Enabled || enable) && !disable
			if err := st.EditComponent(ctx, actor, c.ID, in); err != nil {
				return err
			}
			after, err := st.Component(ctx, c.ID)
			if err != nil {
				return err
			}
			where := "in no group"
			if after.GroupName != "" {
				where = "in " + sanitize.Line(after.GroupName)
			}
			state := "enabled"
			if !after.Enabled {
				state = "disabled"
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Component %s, %s, %s.\n", sanitize.Line(after.Name), where, state)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&name, "name", "", "its new name")
	f.StringVar(&description, "description", "", "one line saying what it is")
	f.StringVar(&link, "link", "", "a URL for it (\"\" removes it)")
	f.StringVar(&group, "group", "", "the group to move it to, made if it does not exist yet (\"\" for none)")
	f.BoolVar(&enable, "enable", false, "count it in the banner again")
	f.BoolVar(&disable, "disable", false, "keep it, but leave it out of the banner")
	_ = cmd.RegisterFlagCompletionFunc("group", a.completeFlag(groupNames))
	return overSSH(cmd, remoteWrite, false)
}

func newComponentSetCommand(a *app) *cobra.Command {
	var atFlag string
	cmd := &cobra.Command{
		Use:   "set NAME STATUS",
		Short: "Set a component's own status",
		Long: "Set a component's own status: " + statusWords() + ".\n" +
			"Its effective status is the worst of its own status and what open incidents impose.",
		Example:           "  beacon component set API performance_issues\n  beacon component set API operational",
		Args:              exactArgs("NAME", "STATUS"),
		ValidArgsFunction: a.completeArgs(componentNames, componentStatuses),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			status, err := store.ParseStatus(args[1])
			if err != nil {
				return err
			}
			at, err := parseAt(atFlag)
			if err != nil {
				return err
			}
			st, actor, err := a.writer(ctx)
			if err != nil {
				return err
			}
			before, err := findComponent(ctx, st, args[0])
			if err != nil {
				return err
			}
			if err := st.SetComponentStatusAt(ctx, actor, before.ID, status, at); err != nil {
				return err
			}
			after, err := st.Component(ctx, before.ID)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			s := a.styles(out)
			name := sanitize.Line(after.Name)
			fmt.Fprintf(out, "%s: own status %s → %s\n%s", name, s.StatusText(before.Status), s.StatusText(after.Status), datedLine(at))
			if after.Effective == after.Status {
				fmt.Fprintf(out, "%s is now %s\n", name, s.StatusText(after.Effective))
				return nil
			}
			holders, err := heldBy(ctx, st, after.ID)
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "%s stays %s: held by %s\n", name, s.StatusText(after.Effective), holders)
			return nil
		},
	}
	addAtFlag(cmd, &atFlag)
	return overSSH(cmd, remoteWrite, false)
}

// heldBy names the unresolved incidents that impose something on a component.
func heldBy(ctx context.Context, st *store.Store, componentID int64) (string, error) {
	incs, err := st.UnresolvedIncidents(ctx)
	if err != nil {
		return "", err
	}
	var names []string
	for _, inc := range incs {
		for _, m := range inc.Impacts {
			if m.ComponentID == componentID {
				names = append(names, fmt.Sprintf("incident #%d %s (%s)", inc.ID, sanitize.Line(inc.Title), m.Status.Label()))
			}
		}
	}
	if len(names) == 0 {
		return "an open incident", nil
	}
	return strings.Join(names, ", "), nil
}

func newComponentRemoveCommand(a *app) *cobra.Command {
	return overSSH(&cobra.Command{
		Use:               "remove NAME",
		SuggestFor:        []string{"rm", "delete", "del"},
		Short:             "Remove a component (refused while an open incident affects it)",
		Args:              exactArgs("NAME"),
		ValidArgsFunction: a.completeArgs(componentNames),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, actor, c, err := a.componentToWrite(ctx, args[0])
			if err != nil {
				return err
			}
			if err := st.RemoveComponent(ctx, actor, c.ID); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Removed component %s.\n", sanitize.Line(c.Name))
			return nil
		},
	}, remoteWrite, false)
}

// statusWords lists the component status words `component set` takes.
func statusWords() string {
	words := make([]string, len(store.Statuses))
	for i, s := range store.Statuses {
		words[i] = string(s)
	}
	return strings.Join(words, ", ")
}

// changeLine shows one component's effective status moving, or staying.
func changeLine(s *theme.Styles, name string, before, after store.Status) string {
	if before == after {
		return fmt.Sprintf("  %s stays %s", sanitize.Line(name), s.StatusText(after))
	}
	return fmt.Sprintf("  %s %s → %s", sanitize.Line(name), s.StatusText(before), s.StatusText(after))
}

// listComponents is every component with its effective status as this run may see it: the
// public's for an anonymous viewer over SSH.
func listComponents(ctx context.Context, a *app) ([]store.Component, error) {
	if !a.public() {
		st, err := a.store(ctx)
		if err != nil {
			return nil, err
		}
		return st.Components(ctx)
	}
	r, err := a.reader(ctx)
	if err != nil {
		return nil, err
	}
	d, err := r.Dashboard(ctx)
	return d.Components, err
}
