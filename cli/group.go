package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"beacon/sanitize"
	"beacon/store"
)

func newGroupCommand(a *app) *cobra.Command {
	return groupCommand("group", "List, add, edit and remove groups of components",
		newGroupListCommand(a), newGroupAddCommand(a), newGroupEditCommand(a), newGroupRemoveCommand(a))
}

// groupJSON is a group as `group list --json` prints it.
type groupJSON struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	Position   int    `json:"position"`
	Collapse   string `json:"collapse"`
	Components int    `json:"components"`
}

func newGroupListCommand(a *app) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:        "list",
		SuggestFor: []string{"ls"},
		Short:      "List the groups: position, name, collapse mode and number of components",
		Args:       noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			st, err := a.store(ctx)
			if err != nil {
				return err
			}
			groups, err := st.Groups(ctx)
			if err != nil {
				return err
			}
			comps, err := st.Components(ctx)
			if err != nil {
				return err
			}
			count := map[int64]int{}
			for _, c := range comps {
				count[c.GroupID]++
			}
			out := cmd.OutOrStdout()
			if asJSON {
				list := make([]groupJSON, len(groups))
				for i, g := range groups {
					list[i] = groupJSON{ID: g.ID, Name: g.Name, Position: g.Position, Collapse: string(g.Collapse), Components: count[g.ID]}
				}
				return writeJSON(out, list)
			}
			if len(groups) == 0 {
				fmt.Fprintln(out, "No groups yet; add one with 'beacon group add NAME'.")
				return nil
			}
			t := newTable(out, "POS", "NAME", "COLLAPSE", "COMPONENTS")
			for _, g := range groups {
				t.row(fmt.Sprint(g.Position), sanitize.Line(g.Name), string(g.Collapse), fmt.Sprint(count[g.ID]))
			}
			return t.flush()
		},
	}
	jsonFlag(cmd, &asJSON, "print the groups as JSON")
	return overSSH(cmd, remoteRead, true)
}

func newGroupAddCommand(a *app) *cobra.Command {
	var collapse string
	cmd := &cobra.Command{
		Use:     "add NAME",
		Short:   "Add a group at the end of the list",
		Example: `  beacon group add "Web services"` + "\n" + `  beacon group add Data --collapse expanded`,
		Args:    exactArgs("NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, actor, err := a.writer(ctx)
			if err != nil {
				return err
			}
			g, err := st.CreateGroup(ctx, actor, store.NewGroup{Name: args[0], Collapse: store.Collapse(collapse)})
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Added group %s at position %d.\n", sanitize.Line(g.Name), g.Position)
			return nil
		},
	}
	collapseFlag(cmd, &collapse, " (default collapsed_unless_issues)")
	return overSSH(cmd, remoteWrite, false)
}

// collapseFlag adds --collapse, completed with the modes; more is said after them in the usage.
func collapseFlag(cmd *cobra.Command, collapse *string, more string) {
	cmd.Flags().StringVar(collapse, "collapse", "", "how the console shows its components: "+collapseWords+more)
	_ = cmd.RegisterFlagCompletionFunc("collapse", cobra.FixedCompletions(
		[]string{string(store.Expanded), string(store.Collapsed), string(store.CollapsedUnlessIssues)}, cobra.ShellCompDirectiveNoFileComp))
}

const collapseWords = "expanded, collapsed or collapsed_unless_issues"

func newGroupEditCommand(a *app) *cobra.Command {
	var name, collapse string
	cmd := &cobra.Command{
		Use:   "edit NAME",
		Short: "Rename a group or set its collapse mode",
		Example: `  beacon group edit Web --name "Web services"` + "\n" +
			`  beacon group edit Data --collapse expanded`,
		Args:              exactArgs("NAME"),
		ValidArgsFunction: a.completeArgs(groupNames),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("name") && !cmd.Flags().Changed("collapse") {
				return usageError("%s needs --name or --collapse", cmd.CommandPath())
			}
			if err := blankName(cmd); err != nil {
				return err
			}
			ctx := cmd.Context()
			st, actor, g, err := a.groupToWrite(ctx, args[0])
			if err != nil {
				return err
			}
			in := store.GroupEdit{Name: g.Name, Collapse: g.Collapse}
			if cmd.Flags().Changed("name") {
				in.Name = name
			}
			if cmd.Flags().Changed("collapse") {
				in.Collapse = store.Collapse(collapse)
			}
			if err := st.EditGroup(ctx, actor, g.ID, in); err != nil {
				return err
			}
			after, err := findGroup(ctx, st, strings.TrimSpace(in.Name))
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Group %s: %s.\n", sanitize.Line(after.Name), after.Collapse)
			return nil
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "its new name")
	collapseFlag(cmd, &collapse, "")
	return overSSH(cmd, remoteWrite, false)
}

func newGroupRemoveCommand(a *app) *cobra.Command {
	return overSSH(&cobra.Command{
		Use:               "remove NAME",
		SuggestFor:        []string{"rm", "delete", "del"},
		Short:             "Remove a group; its components stay, in no group",
		Args:              exactArgs("NAME"),
		ValidArgsFunction: a.completeArgs(groupNames),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, actor, g, err := a.groupToWrite(ctx, args[0])
			if err != nil {
				return err
			}
			if err := st.RemoveGroup(ctx, actor, g.ID); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Removed group %s.\n", sanitize.Line(g.Name))
			return nil
		},
	}, remoteWrite, false)
}
