package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"beacon/glance"
	"beacon/sanitize"
	"beacon/store"
)

// defaultResolveMessage is what `incident resolve` posts without --message.
const defaultResolveMessage = "This incident has been resolved."

func newIncidentOpenCommand(a *app) *cobra.Command {
	var title, status, at string
	var message messageInput
	var components []string
	var internal, asJSON bool
	cmd := &cobra.Command{
		Use:        "open --title T --component NAME=IMPACT [--component …] --message M",
		SuggestFor: []string{"new", "create", "declare"},
		Short:      "Open an incident on one or more components; prints its id (a sentence on a terminal)",
		Long: "Open an incident. Each --component names an affected component and the impact it has:\n" +
			"performance_issues, partial_outage or major_outage. Prints the new incident's id.",
		Example: `  beacon incident open --title "API errors" --component API=partial_outage --message "Looking into it."`,
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if strings.TrimSpace(title) == "" {
				return usageError(`--title is required: one line saying what is wrong, e.g. --title "API errors"`)
			}
			if len(components) == 0 {
				return usageError("--component is required: name an affected component and its impact, e.g. --component API=partial_outage")
			}
			stage, err := store.ParseIncidentStatus(status)
			if err != nil {
				return err
			}
			// Every update readers see says something, the first as much as the rest: the
			// console's composer asks for it too.
			text, err := message.require(cmd, "what readers should know first")
			if err != nil {
				return err
			}
			actor, err := a.actor()
			if err != nil {
				return err
			}
			db, err := a.store(ctx) // an incident needs components: a missing file cannot hold them
			if err != nil {
				return err
			}
			impacts, err := parseImpacts(ctx, db, components, false)
			if err != nil {
				return err
			}
			in := store.NewIncident{Title: title, Message: text, Status: stage, Visibility: store.Public, Impacts: impacts}
			if in.At, err = parseAt(at); err != nil {
				return err
			}
			if internal {
				in.Visibility = store.Internal
			}
			inc, err := db.OpenIncident(ctx, actor, in)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), glance.NewIncident(inc.Incident, inc.Updates))
			}
			return printMade(cmd.OutOrStdout(), inc.ID, fmt.Sprintf("Opened incident #%d %q (%s).", inc.ID, sanitize.Line(inc.Title), inc.Status.Label()))
		},
	}
	f := cmd.Flags()
	f.StringVar(&title, "title", "", "one line saying what is wrong (required)")
	f.StringArrayVar(&components, "component", nil, "NAME=IMPACT: an affected component and its impact (repeatable)")
	message.register(cmd, "the first update (required)")
	f.StringVar(&status, "status", "investigating", "investigating or identified")
	_ = cmd.RegisterFlagCompletionFunc("component", a.completeImpacts(false))
	_ = cmd.RegisterFlagCompletionFunc("status", completeIncidentStatuses(store.Investigating, store.Identified))
	f.BoolVar(&internal, "internal", false, "keep it off the public status")
	jsonFlag(cmd, &asJSON, "print the new incident as JSON instead of its id")
	addAtFlag(cmd, &at)
	return overSSH(cmd, remoteWrite, false)
}

func newIncidentUpdateCommand(a *app) *cobra.Command {
	var status, at string
	var message messageInput
	var components []string
	var expect int64
	cmd := &cobra.Command{
		Use:   "update ID --status S --message M [--component NAME=IMPACT|NAME=none …] [--expect-update N]",
		Short: "Post an update: a new status, a message, and impact changes",
		Long: "Post an update to an incident. --status is investigating, identified, watching or fixed\n" +
			"(fixed resolves it; anything else on a fixed incident reopens it). --component changes\n" +
			"or adds an impact; NAME=none ends one. --expect-update N posts only if N is still the\n" +
			"incident's newest update (its id, as 'incident show --json' gives it): an update written\n" +
			"while someone else posted is refused (exit 2) rather than posted over theirs.",
		Example: `  beacon incident update 12 --status identified --message "A bad deploy; rolling back." --component Web=none
  git log -1 --format=%B | beacon incident update 12 --status watching --message -
  beacon incident update 12 --expect-update 57 --status watching --message "Deployed the fix."`,
		Args:              exactArgs("ID"),
		ValidArgsFunction: a.completeArgs(openIncidents),
		RunE: func(cmd *cobra.Command, args []string) error {
			if status == "" {
				return usageError("--status is required: investigating, identified, watching or fixed")
			}
			stage, err := store.ParseIncidentStatus(status)
			if err != nil {
				return err
			}
			text, err := message.require(cmd, "what changed")
			if err != nil {
				return err
			}
			return postUpdate(cmd, a, args[0], store.NewUpdate{Status: stage, Message: text, ExpectUpdate: expect}, components, false, at)
		},
	}
	f := cmd.Flags()
	f.StringVar(&status, "status", "", "investigating, identified, watching or fixed (required)")
	f.Int64Var(&expect, "expect-update", 0, "post only if this is still the incident's newest update (its id)")
	message.register(cmd, "what changed (required)")
	f.StringArrayVar(&components, "component", nil, "NAME=IMPACT or NAME=none: change what the incident imposes (repeatable)")
	_ = cmd.RegisterFlagCompletionFunc("status", completeIncidentStatuses(store.IncidentStatuses...))
	_ = cmd.RegisterFlagCompletionFunc("component", a.completeImpacts(true))
	addAtFlag(cmd, &at)
	return overSSH(cmd, remoteWrite, false)
}

func newIncidentResolveCommand(a *app) *cobra.Command {
	var at string
	var message messageInput
	cmd := &cobra.Command{
		Use:               "resolve ID [--message M]",
		SuggestFor:        []string{"close", "fix"},
		Short:             "Resolve an incident: its components go back to what they are without it",
		Example:           `  beacon incident resolve 12 --message "Fixed by rolling back the deploy."`,
		Args:              exactArgs("ID"),
		ValidArgsFunction: a.completeArgs(openIncidents),
		RunE: func(cmd *cobra.Command, args []string) error {
			text, err := message.read(cmd)
			if err != nil {
				return err
			}
			if strings.TrimSpace(text) == "" {
				text = defaultResolveMessage
			}
			return postUpdate(cmd, a, args[0], store.NewUpdate{Status: store.Fixed, Message: text}, nil, false, at)
		},
	}
	message.register(cmd, `the closing update (default "`+defaultResolveMessage+`")`)
	addAtFlag(cmd, &at)
	return overSSH(cmd, remoteWrite, false)
}

func newIncidentReopenCommand(a *app) *cobra.Command {
	var status, at string
	var message messageInput
	cmd := &cobra.Command{
		Use:   "reopen ID --message M [--status identified]",
		Short: "Reopen a resolved incident: its impacts hold its components again",
		Long: "Reopen a resolved incident with an update saying why. Its impacts count again, so its\n" +
			"components go back to what it imposes. --status is investigating (the default),\n" +
			"identified or watching.",
		Example:           `  beacon incident reopen 12 --message "Errors are back after the rollback."`,
		Args:              exactArgs("ID"),
		ValidArgsFunction: a.completeArgs(resolvedIncidents),
		RunE: func(cmd *cobra.Command, args []string) error {
			stage, err := store.ParseIncidentStatus(status)
			if err != nil {
				return err
			}
			if stage == store.Fixed {
				return invalidError("--status fixed would not reopen it; use investigating, identified or watching")
			}
			text, err := message.require(cmd, "why it is reopened")
			if err != nil {
				return err
			}
			return postUpdate(cmd, a, args[0], store.NewUpdate{Status: stage, Message: text}, nil, true, at)
		},
	}
	f := cmd.Flags()
	message.register(cmd, "why it is reopened (required)")
	f.StringVar(&status, "status", string(store.Investigating), "investigating, identified or watching")
	_ = cmd.RegisterFlagCompletionFunc("status", completeIncidentStatuses(store.Investigating, store.Identified, store.Watching))
	addAtFlag(cmd, &at)
	return overSSH(cmd, remoteWrite, false)
}

// postUpdate posts an update and prints the incident's status change and every component
// whose effective status it moved (read in the update's own transaction). reopen refuses an
// incident that is not resolved.
func postUpdate(cmd *cobra.Command, a *app, idArg string, up store.NewUpdate, components []string, reopen bool, at string) error {
	ctx := cmd.Context()
	var err error
	if up.At, err = parseAt(at); err != nil {
		return err
	}
	st, actor, err := a.writer(ctx)
	if err != nil {
		return err
	}
	inc, err := findIncident(ctx, st, idArg)
	if err != nil {
		return err
	}
	if up.Status == store.Fixed && inc.Resolved() {
		return invalidError("incident #%d is already resolved", inc.ID)
	}
	if reopen && !inc.Resolved() {
		return invalidError("incident #%d is still open (%s); post an update to it with 'beacon incident update %d'", inc.ID, inc.Status.Label(), inc.ID)
	}
	if up.Impacts, err = parseImpacts(ctx, st, components, true); err != nil {
		return err
	}
	posted, err := st.PostUpdate(ctx, actor, inc.ID, up)
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	s := a.styles(out)
	var b strings.Builder
	fmt.Fprintf(&b, "Incident #%d %s: %s → %s\n", inc.ID, sanitize.Line(inc.Title), s.IncidentText(inc.Status), s.IncidentText(up.Status))
	for _, e := range posted.Effects {
		b.WriteString(changeLine(s, e.ComponentName, e.Old, e.New) + "\n")
	}
	if len(posted.Effects) == 0 {
		b.WriteString("  no component's status changed\n")
	}
	b.WriteString(datedLine(up.At))
	_, err = io.WriteString(out, b.String())
	return err
}

// parseImpacts reads --component NAME=IMPACT flags; allowNone lets NAME=none end an impact.
func parseImpacts(ctx context.Context, st *store.Store, flags []string, allowNone bool) ([]store.SetImpact, error) {
	var out []store.SetImpact
	given := map[int64]string{} // component id → the flag that named it
	for _, f := range flags {
		i := strings.LastIndex(f, "=")
		if i <= 0 {
			return nil, invalidError("--component %q: use NAME=IMPACT, e.g. --component API=partial_outage", f)
		}
		impact, err := store.ParseImpact(f[i+1:])
		if err != nil {
			return nil, err
		}
		if impact == "" && !allowNone {
			return nil, invalidError("--component %q: a new incident imposes performance_issues, partial_outage or major_outage", f)
		}
		c, err := findComponent(ctx, st, f[:i])
		if err != nil {
			return nil, err
		}
		if first, ok := given[c.ID]; ok {
			return nil, invalidError("--component %q and --component %q both name %s; give each component once", first, f, sanitize.Line(c.Name))
		}
		given[c.ID] = f
		out = append(out, store.SetImpact{ComponentID: c.ID, Status: impact})
	}
	return out, nil
}
