package cli

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"beacon/sanitize"
	"beacon/store"
)

// Shell completion (cobra's `completion` command writes the scripts): besides commands and
// flags, arguments complete from the database — component and group names, statuses, incident
// ids. Completing never creates a database and never fails loudly: with no database, or one
// that cannot be read, there is simply nothing to offer.

// completer is a completion function that reads the store.
type completer func(ctx context.Context, st *store.Store, toComplete string) []cobra.Completion

// completeFrom runs fn against the database the command line names, when it exists.
func (a *app) completeFrom(cmd *cobra.Command, fn completer, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	path, err := a.dbPath()
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	if fi, err := os.Stat(path); err != nil || fi.IsDir() {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	st, err := a.store(ctx)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return fn(ctx, st, toComplete), cobra.ShellCompDirectiveNoFileComp
}

// completeArgs completes the nth positional argument with the nth function; past the last
// there is nothing to complete.
func (a *app) completeArgs(fns ...completer) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) >= len(fns) {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return a.completeFrom(cmd, fns[len(args)], toComplete)
	}
}

// completeFlag completes a flag's value with fn.
func (a *app) completeFlag(fn completer) cobra.CompletionFunc {
	return func(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return a.completeFrom(cmd, fn, toComplete)
	}
}

// componentNames completes component names, described by group and effective status.
func componentNames(ctx context.Context, st *store.Store, _ string) []cobra.Completion {
	comps, err := st.Components(ctx)
	if err != nil {
		return nil
	}
	out := make([]cobra.Completion, 0, len(comps))
	for _, c := range comps {
		desc := c.Effective.Label()
		if c.GroupName != "" {
			desc = sanitize.Line(c.GroupName) + " · " + desc
		}
		out = append(out, cobra.CompletionWithDesc(sanitize.Line(c.Name), desc))
	}
	return out
}

// groupNames completes group names.
func groupNames(ctx context.Context, st *store.Store, _ string) []cobra.Completion {
	groups, err := st.Groups(ctx)
	if err != nil {
		return nil
	}
	out := make([]cobra.Completion, 0, len(groups))
	for _, g := range groups {
		out = append(out, sanitize.Line(g.Name))
	}
	return out
}

// auditActors completes the names the audit trail records.
func auditActors(ctx context.Context, st *store.Store, _ string) []cobra.Completion {
	names, err := st.AuditActors(ctx)
	if err != nil {
		return nil
	}
	for i, n := range names {
		names[i] = sanitize.Line(n)
	}
	return names
}

// openIncidents completes the ids of unresolved incidents, described by status and title.
func openIncidents(ctx context.Context, st *store.Store, _ string) []cobra.Completion {
	incs, err := st.UnresolvedIncidents(ctx)
	if err != nil {
		return nil
	}
	return incidentIDs(incs)
}

// recentIncidents completes open incident ids, then the most recently resolved ones.
func recentIncidents(ctx context.Context, st *store.Store, toComplete string) []cobra.Completion {
	out := openIncidents(ctx, st, toComplete)
	return append(out, resolvedIncidents(ctx, st, toComplete)...)
}

// resolvedIncidents completes the ids of the most recently resolved incidents.
func resolvedIncidents(ctx context.Context, st *store.Store, _ string) []cobra.Completion {
	incs, err := st.ResolvedIncidents(ctx, store.IncidentQuery{Limit: 20})
	if err != nil {
		return nil
	}
	return incidentIDs(incs)
}

func incidentIDs(incs []store.Incident) []cobra.Completion {
	out := make([]cobra.Completion, 0, len(incs))
	for _, inc := range incs {
		out = append(out, cobra.CompletionWithDesc(fmt.Sprint(inc.ID), inc.Status.Label()+" · "+sanitize.Line(inc.Title)))
	}
	return out
}

// componentStatuses completes the component status slugs, described by their words.
func componentStatuses(context.Context, *store.Store, string) []cobra.Completion {
	out := make([]cobra.Completion, len(store.Statuses))
	for i, s := range store.Statuses {
		out[i] = cobra.CompletionWithDesc(string(s), s.Glyph()+" "+s.Label())
	}
	return out
}

// completeIncidentStatuses completes the incident statuses a command takes.
func completeIncidentStatuses(statuses ...store.IncidentStatus) cobra.CompletionFunc {
	out := make([]cobra.Completion, len(statuses))
	for i, s := range statuses {
		out[i] = cobra.CompletionWithDesc(string(s), s.Guidance())
	}
	return cobra.FixedCompletions(out, cobra.ShellCompDirectiveNoFileComp)
}

// impactPairs completes --component NAME=IMPACT: component names followed by "=" first, then,
// once the "=" is typed, the impacts (and none, where an impact may end).
func impactPairs(allowNone bool) completer {
	return func(ctx context.Context, st *store.Store, toComplete string) []cobra.Completion {
		if name, _, found := strings.Cut(toComplete, "="); found {
			impacts := store.Impacts
			var out []cobra.Completion
			for _, s := range impacts {
				out = append(out, cobra.CompletionWithDesc(name+"="+string(s), s.Glyph()+" "+s.Label()))
			}
			if allowNone {
				out = append(out, cobra.CompletionWithDesc(name+"=none", "end this component's impact"))
			}
			return out
		}
		var out []cobra.Completion
		for _, c := range componentNames(ctx, st, toComplete) {
			name, desc, _ := strings.Cut(c, "\t")
			out = append(out, cobra.CompletionWithDesc(name+"=", desc))
		}
		return out
	}
}

// completeImpacts is the completion function of a --component NAME=IMPACT flag.
func (a *app) completeImpacts(allowNone bool) cobra.CompletionFunc {
	fn := impactPairs(allowNone)
	return func(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		out, dir := a.completeFrom(cmd, fn, toComplete)
		if !strings.Contains(toComplete, "=") {
			dir |= cobra.ShellCompDirectiveNoSpace
		}
		return out, dir
	}
}
