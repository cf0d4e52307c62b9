package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"beacon/sanitize"
)

func newGroupCommand(a *app) *cobra.Command {
	return groupCommand("group", "List, add and remove groups of components",
		newGroupListCommand(a), newGroupAddCommand(a), newGroupRemoveCommand(a))
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
	return overSSH(&cobra.Command{
		Use:     "add NAME",
		Short:   "Add a group at the end of the list",
		Example: `  beacon group add "Web services"`,
		Args:    exactArgs("NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, actor, err := a.writer(ctx)
			if err != nil {
				return err
			}
			g, err := st.AddGroup(ctx, actor, args[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Added group %s at position %d.\n", sanitize.Line(g.Name), g.Position)
			return nil
		},
	}, remoteWrite, false)
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
			st, actor, err := a.writer(ctx)
			if err != nil {
				return err
			}
			g, err := findGroup(ctx, st, args[0])
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
