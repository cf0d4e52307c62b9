package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"beacon/glance"
	"beacon/sanitize"
	"beacon/store"
	"beacon/theme"
	"beacon/when"
)

func newMaintenanceCommand(a *app) *cobra.Command {
	cmd := groupCommand("maintenance", "Schedule, list and change maintenance windows",
		newMaintenanceListCommand(a), newMaintenanceShowCommand(a), newMaintenanceAddCommand(a),
		newMaintenanceUpdateCommand(a), newMaintenanceFinishCommand(a), newMaintenanceCancelCommand(a))
	cmd.Aliases = []string{"maint"}
	cmd.Long = "Maintenance windows put components under maintenance for a planned time: they start\n" +
		"and end by the clock. TIME is " + when.Help + "."
	return cmd
}

func newMaintenanceListCommand(a *app) *cobra.Command {
	var all, asJSON bool
	cmd := &cobra.Command{
		Use:        "list",
		SuggestFor: []string{"ls"},
		Short:      "List maintenance in progress and scheduled (--all adds past windows, newest first)",
		Args:       noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			st, err := a.store(ctx)
			if err != nil {
				return err
			}
			list, err := st.Maintenances(ctx, store.MaintenanceQuery{All: all, PublicOnly: a.public()})
			if err != nil {
				return err
			}
			now := time.Now()
			out := cmd.OutOrStdout()
			if asJSON {
				arr := newJSONArray(out)
				for _, m := range list {
					if err := arr.write(glance.NewMaintenance(m, nil, now)); err != nil {
						return err
					}
				}
				return arr.close()
			}
			s := a.styles(out)
			if len(list) == 0 {
				msg := "No maintenance in progress or scheduled; --all lists past windows too."
				if all {
					msg = "No maintenance yet; schedule some with 'beacon maintenance add'."
				}
				_, err := fmt.Fprintln(out, msg)
				return err
			}
			t := newTable(out)
			t.rows = nil
			for _, m := range list {
				t.row(s.Faint.Render(fmt.Sprintf("#%d", m.ID)), maintenanceState(s, m, now), windowText(m),
					s.Normal.Render(sanitize.Line(m.Title))+s.Faint.Render(" · "+sanitize.Line(m.ComponentNames())+extras(m)))
			}
			return t.flush()
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "list completed and cancelled windows too")
	jsonFlag(cmd, &asJSON, "print a JSON array of windows, without their timelines (indented on a terminal)")
	return overSSH(cmd, remoteRead, true)
}

// maintenanceState is a window's state at now as glyph and word.
func maintenanceState(s *theme.Styles, m store.Maintenance, now time.Time) string {
	st := m.State(now)
	label := st.Label()
	if st == store.MaintenanceCompleted && !m.FinishedAt.IsZero() {
		label = "Finished early"
	}
	if st == store.MaintenanceInProgress {
		return s.StatusGlyph(store.UnderMaintenance) + " " + s.Normal.Render(label)
	}
	return s.Faint.Render("◇ " + label)
}

// windowText is a window's planned start and end in local time.
func windowText(m store.Maintenance) string {
	start, end := m.EffectiveStart().Local(), m.PlannedEndsAt.Local()
	endFmt := "15:04"
	if end.YearDay() != start.YearDay() || end.Year() != start.Year() {
		endFmt = "2006-01-02 15:04"
	}
	return start.Format("2006-01-02 15:04") + " → " + end.Format(endFmt+" MST")
}

func extras(m store.Maintenance) string {
	var out string
	if m.Every != store.Once {
		out += fmt.Sprintf(" · %s, #%d of the series", m.Every, m.Occurrence)
	}
	if m.Visibility == store.Internal {
		out += " · internal"
	}
	return out
}

func newMaintenanceShowCommand(a *app) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:               "show ID",
		Short:             "Show a maintenance window: its state, components and timeline, newest first",
		Example:           "  beacon maintenance show 3\n  beacon maintenance show 3 --json | jq .status",
		Args:              exactArgs("ID"),
		ValidArgsFunction: a.completeArgs(currentMaintenance),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := a.store(ctx)
			if err != nil {
				return err
			}
			m, err := findMaintenance(ctx, st, args[0])
			if err != nil {
				return err
			}
			if a.public() && m.Visibility == store.Internal {
				return invalidError("no maintenance #%d; run 'beacon maintenance list --all' to see the ids", m.ID)
			}
			now := time.Now()
			out := cmd.OutOrStdout()
			if asJSON {
				return writeJSON(out, glance.NewMaintenance(m.Maintenance, m.Updates, now))
			}
			s := a.styles(out)
			var b strings.Builder
			fmt.Fprintf(&b, "%s %s\n", s.Title.Render(fmt.Sprintf("#%d", m.ID)), s.Title.Render(sanitize.Line(m.Title)))
			fmt.Fprintf(&b, "%s · %s%s\n", maintenanceState(s, m.Maintenance, now), windowText(m.Maintenance), s.Faint.Render(extras(m.Maintenance)))
			if !m.FinishedAt.IsZero() {
				fmt.Fprintf(&b, "Finished early at %s\n", localTime(m.FinishedAt))
			}
			if !m.CancelledAt.IsZero() {
				fmt.Fprintf(&b, "Cancelled at %s\n", localTime(m.CancelledAt))
			}
			if m.AfterTheFact() {
				fmt.Fprintf(&b, "Posted after it had ended, at %s: it held nothing under maintenance\n", localTime(m.CreatedAt))
			}
			fmt.Fprintf(&b, "Components: %s\n", sanitize.Line(m.ComponentNames()))
			for _, u := range m.Updates {
				fmt.Fprintf(&b, "\n%s %s %s\n", s.Faint.Render(localTime(u.CreatedAt)), s.Normal.Render(u.Status.Label()),
					s.Faint.Render("· "+sanitize.Line(u.Author)))
				if msg := strings.TrimSpace(u.Body()); msg != "" {
					for _, line := range strings.Split(sanitize.Text(msg), "\n") {
						b.WriteString("  " + line + "\n")
					}
				}
			}
			_, err = io.WriteString(out, b.String())
			return err
		},
	}
	jsonFlag(cmd, &asJSON, "print the window and its timeline as JSON (indented on a terminal)")
	return overSSH(cmd, remoteRead, true)
}

type maintenanceAddFlags struct {
	title, start, end, length, every, until string
	count                                   int
	components                              []string
	internal, asJSON                        bool
	message                                 messageInput
}

func newMaintenanceAddCommand(a *app) *cobra.Command {
	var f maintenanceAddFlags
	cmd := &cobra.Command{
		Use:        "add --title T --start TIME (--end TIME | --for DURATION) --component NAME [--component …]",
		SuggestFor: []string{"new", "create", "schedule"},
		Short:      "Schedule a maintenance window over one or more components; prints its id (a sentence on a terminal)",
		Long: "Schedule a maintenance window. While it is in progress its components are under\n" +
			"maintenance, unless an incident holds them at something worse; they come back by\n" +
			"themselves at its end.\n\n" +
			"TIME is " + when.Help + ".\n" +
			"DURATION is 90m, 2h, 1h30m or 1d.\n\n" +
			"--every daily, weekly or monthly repeats the window (each occurrence is its own\n" +
			"maintenance; the next is scheduled as soon as one starts) until --until DATE\n" +
			"(YYYY-MM-DD, the last day an occurrence may start) or for --count N occurrences.",
		Example: `  beacon maintenance add --title "Database upgrade" --start "2026-03-01 22:00" --for 2h --component "Postgres primary"
  beacon maintenance add --title "Failover test" --start +10m --end +40m --component API --component Web --internal
  beacon maintenance add --title "Weekly patching" --start "2026-03-03 06:00" --for 1h --component Workers --every weekly --count 8`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return addMaintenance(cmd, a, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.title, "title", "", "one line saying what the work is (required)")
	fl.StringVar(&f.start, "start", "", "when it starts: TIME (required)")
	fl.StringVar(&f.end, "end", "", "when it ends: TIME")
	fl.StringVar(&f.length, "for", "", "how long it lasts: DURATION (instead of --end)")
	fl.StringArrayVar(&f.components, "component", nil, "a component it covers (repeatable; at least one)")
	f.message.register(cmd, "what readers should know")
	fl.BoolVar(&f.internal, "internal", false, "keep it off the public status")
	fl.StringVar(&f.every, "every", "", "repeat it: daily, weekly or monthly")
	fl.StringVar(&f.until, "until", "", "with --every: the last day (YYYY-MM-DD) an occurrence may start")
	fl.IntVar(&f.count, "count", 0, "with --every: how many occurrences in all")
	jsonFlag(cmd, &f.asJSON, "print the new window as JSON instead of its id")
	_ = cmd.RegisterFlagCompletionFunc("component", a.completeFlag(componentNames))
	_ = cmd.RegisterFlagCompletionFunc("every", cobra.FixedCompletions([]cobra.Completion{"daily", "weekly", "monthly"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("start", cobra.FixedCompletions([]cobra.Completion{"now", "+1h"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("for", cobra.FixedCompletions([]cobra.Completion{"30m", "1h", "2h"}, cobra.ShellCompDirectiveNoFileComp))
	return overSSH(cmd, remoteWrite, false)
}

func addMaintenance(cmd *cobra.Command, a *app, f maintenanceAddFlags) error {
	ctx := cmd.Context()
	switch {
	case strings.TrimSpace(f.title) == "":
		return usageError(`--title is required: one line saying what the work is, e.g. --title "Database upgrade"`)
	case f.start == "":
		return usageError(`--start is required: ` + when.Help)
	case f.end == "" && f.length == "":
		return usageError("give --end TIME or --for DURATION: when the window closes")
	case f.end != "" && f.length != "":
		return usageError("give --end or --for, not both")
	case len(f.components) == 0:
		return usageError("--component is required: name a component the window covers, e.g. --component API")
	case f.every == "" && (f.until != "" || cmd.Flags().Changed("count")):
		return usageError("--until and --count end a series: they need --every daily, weekly or monthly")
	case f.until != "" && cmd.Flags().Changed("count"):
		return usageError("give --until or --count, not both")
	case cmd.Flags().Changed("count") && f.count < 1:
		return invalidError("--count %d: a series has at least one occurrence", f.count)
	}
	now := time.Now()
	start, err := when.Parse(f.start, now)
	if err != nil {
		return invalidError("--start: %v", err)
	}
	var end time.Time
	if f.end != "" {
		if end, err = when.Parse(f.end, now); err != nil {
			return invalidError("--end: %v", err)
		}
		if !end.After(start) {
			return invalidError("--end %s is not after --start %s; the window must close after it opens", localTime(end), localTime(start))
		}
	} else {
		d, err := when.Duration(f.length)
		if err != nil {
			return invalidError("--for: %v", err)
		}
		end = start.Add(d)
	}
	in := store.NewMaintenance{Title: f.title, StartsAt: start, EndsAt: end, Visibility: store.Public, Count: f.count, Zone: time.Local}
	if f.internal {
		in.Visibility = store.Internal
	}
	if f.every != "" {
		if in.Every, err = store.ParseRecurrence(f.every); err != nil {
			return invalidError("--every %q: use daily, weekly or monthly", f.every)
		}
	}
	if f.until != "" {
		if in.Until, err = untilDate(f.until, now); err != nil {
			return err
		}
	}
	if in.Message, err = f.message.read(cmd); err != nil {
		return err
	}
	st, actor, err := a.writer(ctx)
	if err != nil {
		return err
	}
	for _, name := range f.components {
		c, err := findComponent(ctx, st, name)
		if err != nil {
			return err
		}
		in.Components = append(in.Components, c.ID)
	}
	m, err := st.AddMaintenance(ctx, actor, in)
	if err != nil {
		return err
	}
	if note := pastStartNote(m.Maintenance, f.start, start, now); note != "" {
		fmt.Fprintln(cmd.ErrOrStderr(), "beacon: note: "+note)
	}
	if f.asJSON {
		return writeJSON(cmd.OutOrStdout(), glance.NewMaintenance(m.Maintenance, m.Updates, time.Now()))
	}
	return printMade(cmd.OutOrStdout(), m.ID, fmt.Sprintf("Scheduled maintenance #%d %q: %s%s.", m.ID, sanitize.Line(m.Title), windowText(m.Maintenance), extras(m.Maintenance)))
}

// pastStartNote is what to tell someone who scheduled a window whose start (given as typed,
// read as start) had already passed before the minute it was typed in: it is accepted, and
// starts at once, never earlier, so a mistyped sign ("-1h" for "+1h") must not go unnoticed.
// "" otherwise.
func pastStartNote(m store.Maintenance, typed string, start, now time.Time) string {
	if !start.Before(now.Truncate(time.Minute)) {
		return ""
	}
	past := fmt.Sprintf("--start %s (%s) had already passed", typed, localTime(start))
	if m.AfterTheFact() {
		return fmt.Sprintf("%s, and so had its end (%s): the window is recorded after the fact, as completed, and held nothing under maintenance", past, localTime(m.EndsAt))
	}
	return fmt.Sprintf("%s: the window is in progress from now (%s) until %s (for a start to come, use a time such as +1h)", past, localTime(m.EffectiveStart()), localTime(m.EndsAt))
}

// untilDate reads --until: a day (YYYY-MM-DD, an occurrence may start on it) or a time.
func untilDate(s string, now time.Time) (time.Time, error) {
	if day, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), now.Location()); err == nil {
		return day.AddDate(0, 0, 1), nil
	}
	t, err := when.Date(s, now)
	if err != nil {
		return t, invalidError("--until: %v", err)
	}
	return t, nil
}

func newMaintenanceUpdateCommand(a *app) *cobra.Command {
	var message messageInput
	cmd := &cobra.Command{
		Use:               "update ID --message M",
		Short:             "Post an update to a maintenance window's timeline",
		Example:           `  beacon maintenance update 3 --message "The upgrade is halfway; all is well."`,
		Args:              exactArgs("ID"),
		ValidArgsFunction: a.completeArgs(currentMaintenance),
		RunE: func(cmd *cobra.Command, args []string) error {
			text, err := message.require(cmd, "what to tell readers")
			if err != nil {
				return err
			}
			return changeMaintenance(cmd, a, args[0], func(ctx context.Context, st *store.Store, actor store.Actor, id int64) error {
				_, err := st.PostMaintenanceUpdate(ctx, actor, id, text)
				return err
			})
		},
	}
	message.register(cmd, "what to tell readers (required)")
	return overSSH(cmd, remoteWrite, false)
}

// defaultFinishMessage is what `maintenance finish` posts without --message.
const defaultFinishMessage = "The maintenance is finished."

func newMaintenanceFinishCommand(a *app) *cobra.Command {
	var message messageInput
	cmd := &cobra.Command{
		Use:               "finish ID [--message M]",
		SuggestFor:        []string{"end", "done", "complete"},
		Short:             "End a window in progress now: its components come back",
		Example:           `  beacon maintenance finish 3 --message "Done early; all services are back."`,
		Args:              exactArgs("ID"),
		ValidArgsFunction: a.completeArgs(currentMaintenance),
		RunE: func(cmd *cobra.Command, args []string) error {
			text, err := message.read(cmd)
			if err != nil {
				return err
			}
			if strings.TrimSpace(text) == "" {
				text = defaultFinishMessage
			}
			return changeMaintenance(cmd, a, args[0], func(ctx context.Context, st *store.Store, actor store.Actor, id int64) error {
				return st.FinishMaintenance(ctx, actor, id, text)
			})
		},
	}
	message.register(cmd, `the closing update (default "`+defaultFinishMessage+`")`)
	return overSSH(cmd, remoteWrite, false)
}

// defaultCancelMessage is what `maintenance cancel` posts without --message.
const defaultCancelMessage = "This maintenance is cancelled."

func newMaintenanceCancelCommand(a *app) *cobra.Command {
	var message messageInput
	cmd := &cobra.Command{
		Use:   "cancel ID [--message M]",
		Short: "Call a window off, before or during it",
		Long: "Cancel a maintenance window. Before its start it never begins; during it, its\n" +
			"components come back now. Cancelling a scheduled occurrence of a series ends the\n" +
			"series: no later occurrence is scheduled.",
		Example:           `  beacon maintenance cancel 3 --message "Postponed to next week."`,
		Args:              exactArgs("ID"),
		ValidArgsFunction: a.completeArgs(currentMaintenance),
		RunE: func(cmd *cobra.Command, args []string) error {
			text, err := message.read(cmd)
			if err != nil {
				return err
			}
			if strings.TrimSpace(text) == "" {
				text = defaultCancelMessage
			}
			return changeMaintenance(cmd, a, args[0], func(ctx context.Context, st *store.Store, actor store.Actor, id int64) error {
				return st.CancelMaintenance(ctx, actor, id, text)
			})
		},
	}
	message.register(cmd, `why (default "`+defaultCancelMessage+`")`)
	return overSSH(cmd, remoteWrite, false)
}

// changeMaintenance makes one change to a window and prints its state after it.
func changeMaintenance(cmd *cobra.Command, a *app, idArg string, change func(context.Context, *store.Store, store.Actor, int64) error) error {
	ctx := cmd.Context()
	st, actor, err := a.writer(ctx)
	if err != nil {
		return err
	}
	m, err := findMaintenance(ctx, st, idArg)
	if err != nil {
		return err
	}
	if err := change(ctx, st, actor, m.ID); err != nil {
		return err
	}
	after, err := st.Maintenance(ctx, m.ID)
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	s := a.styles(out)
	_, err = fmt.Fprintf(out, "Maintenance #%d %s: %s\n", m.ID, sanitize.Line(m.Title), maintenanceState(s, after.Maintenance, time.Now()))
	return err
}

// findMaintenance reads a window with its timeline, saying how to find ids when it is unknown.
func findMaintenance(ctx context.Context, st *store.Store, arg string) (store.MaintenanceDetail, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(arg), "#"), 10, 64)
	if err != nil || id <= 0 {
		return store.MaintenanceDetail{}, invalidError("%q is not a maintenance id; use the number 'beacon maintenance list' shows", arg)
	}
	m, err := st.Maintenance(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return m, invalidError("no maintenance #%d; run 'beacon maintenance list --all' to see the ids", id)
	}
	return m, err
}

// currentMaintenance completes the ids of windows in progress and scheduled.
func currentMaintenance(ctx context.Context, st *store.Store, _ string) []cobra.Completion {
	list, err := st.Maintenances(ctx, store.MaintenanceQuery{Limit: 50})
	if err != nil {
		return nil
	}
	out := make([]cobra.Completion, 0, len(list))
	for _, m := range list {
		out = append(out, cobra.CompletionWithDesc(fmt.Sprint(m.ID), m.State(time.Now()).Label()+" · "+sanitize.Line(m.Title)))
	}
	return out
}
