package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"beacon/glance"
	"beacon/sanitize"
	"beacon/store"
	"beacon/theme"
)

// listPage is how many resolved incidents `incident list --all` reads at a time.
const listPage = 200

func newIncidentCommand(a *app) *cobra.Command {
	return groupCommand("incident", "List, show, open, update, resolve and reopen incidents",
		newIncidentListCommand(a), newIncidentShowCommand(a), newIncidentOpenCommand(a),
		newIncidentUpdateCommand(a), newIncidentResolveCommand(a), newIncidentReopenCommand(a))
}

func newIncidentListCommand(a *app) *cobra.Command {
	var all, asJSON bool
	cmd := &cobra.Command{
		Use:        "list",
		SuggestFor: []string{"ls"},
		Short:      "List open incidents (--all adds resolved ones, newest first)",
		Args:       noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			st, err := a.reader(ctx)
			if err != nil {
				return err
			}
			open, err := st.UnresolvedIncidents(ctx)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			var w incidentWriter
			if asJSON {
				w = &jsonIncidents{arr: newJSONArray(out)}
			} else {
				w = &textIncidents{w: out, s: a.styles(out)}
			}
			if err := w.write(open); err != nil {
				return err
			}
			for before := int64(0); all; {
				page, err := st.ResolvedIncidents(ctx, store.IncidentQuery{Before: before, Limit: listPage})
				if err != nil {
					return err
				}
				if err := w.write(page); err != nil {
					return err
				}
				if len(page) < listPage {
					break
				}
				before = page[len(page)-1].ID
			}
			return w.close(all)
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "list resolved incidents too")
	jsonFlag(cmd, &asJSON, "print a JSON array of incidents, without their timelines (indented on a terminal)")
	return overSSH(cmd, remoteRead, true)
}

// incidentWriter streams incidents page by page, so a long history is never held at once.
type incidentWriter interface {
	write([]store.Incident) error
	close(all bool) error
}

type textIncidents struct {
	w io.Writer
	s *theme.Styles
	n int
}

func (t *textIncidents) write(list []store.Incident) error {
	var b strings.Builder
	for _, inc := range list {
		id := fmt.Sprintf("#%d", inc.ID)
		status := inc.Status.Label()
		fmt.Fprintf(&b, "%s%s %s%s %s", t.s.Faint.Render(id), strings.Repeat(" ", max(0, 7-len(id))),
			t.s.IncidentText(inc.Status), strings.Repeat(" ", max(0, 13-len(status))), t.s.Normal.Render(sanitize.Line(inc.Title)))
		if inc.Visibility == store.Internal {
			b.WriteString(t.s.Faint.Render(" · internal"))
		}
		if impacts := glance.IncidentImpacts(inc, t.s); impacts != "" {
			b.WriteString(t.s.Faint.Render(" · ") + impacts)
		}
		when := "since " + localTime(inc.CreatedAt)
		if inc.Resolved() {
			when = localTime(inc.CreatedAt) + " → " + localTime(inc.ResolvedAt)
		}
		b.WriteString(t.s.Faint.Render(" · "+when) + "\n")
	}
	t.n += len(list)
	_, err := io.WriteString(t.w, b.String())
	return err
}

func (t *textIncidents) close(all bool) error {
	if t.n > 0 {
		return nil
	}
	msg := "No open incidents; --all lists resolved ones too."
	if all {
		msg = "No incidents yet; open one with 'beacon incident open'."
	}
	_, err := fmt.Fprintln(t.w, msg)
	return err
}

// jsonIncidents streams incidents, without their timelines, as one JSON array.
type jsonIncidents struct{ arr *jsonArray }

func (j *jsonIncidents) write(list []store.Incident) error {
	items := make([]any, len(list))
	for i, inc := range list {
		items[i] = glance.NewIncident(inc, nil)
	}
	return j.arr.write(items...)
}

func (j *jsonIncidents) close(bool) error { return j.arr.close() }

func newIncidentShowCommand(a *app) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:               "show ID",
		Short:             "Show an incident: its status, impacts and timeline, newest first",
		Example:           "  beacon incident show 12\n  beacon incident show 12 --json | jq '.incident_updates[0].author'",
		Args:              exactArgs("ID"),
		ValidArgsFunction: a.completeArgs(recentIncidents),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := a.reader(ctx)
			if err != nil {
				return err
			}
			inc, err := findIncident(ctx, st, args[0])
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				return writeJSON(out, glance.NewIncident(inc.Incident, inc.Updates))
			}
			_, err = io.WriteString(out, showText(inc, a.styles(out), time.Now()))
			return err
		},
	}
	jsonFlag(cmd, &asJSON, "print the incident and its whole timeline as JSON")
	return overSSH(cmd, remoteRead, true)
}

// showText is `incident show`: a header, the impacts, and the timeline newest first.
func showText(inc store.IncidentDetail, s *theme.Styles, now time.Time) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", s.Faint.Render(fmt.Sprintf("#%d", inc.ID)), s.Title.Render(sanitize.Line(inc.Title)))
	facts := []string{s.IncidentText(inc.Status), sanitize.Line(string(inc.Visibility)), glance.IncidentImpact(inc.Incident) + " impact",
		"started " + localTime(inc.CreatedAt)}
	if inc.Resolved() {
		facts = append(facts, "resolved "+localTime(inc.ResolvedAt), "lasted "+duration(inc.ResolvedAt.Sub(inc.CreatedAt)))
	} else {
		facts = append(facts, "open for "+duration(now.Sub(inc.CreatedAt)))
	}
	if inc.Pinned {
		facts = append(facts, "pinned")
	}
	b.WriteString(strings.Join(facts, s.Faint.Render(" · ")) + "\n")
	switch affected := inc.Affected(); {
	case inc.Resolved() && len(affected) > 0:
		b.WriteString("At worst: " + glance.PeakImpacts(affected, s) + "\n")
	case !inc.Resolved():
		if len(inc.Impacts) > 0 {
			b.WriteString("Affects: " + glance.Impacts(inc.Impacts, s) + "\n")
		}
		if len(inc.Lifted) > 0 {
			b.WriteString("Earlier: " + glance.PeakImpacts(inc.Lifted, s) + "\n")
		}
	}
	for _, u := range inc.Updates {
		fmt.Fprintf(&b, "\n%s  %s  %s\n", s.Faint.Render(localTime(u.CreatedAt)), s.IncidentText(u.Status),
			s.Faint.Render("by "+sanitize.Line(u.Author)))
		if msg := sanitize.Text(u.Message); msg != "" {
			for _, line := range strings.Split(msg, "\n") {
				b.WriteString(strings.TrimRight("  "+line, " \t") + "\n")
			}
		}
		for _, ch := range u.Changes {
			fmt.Fprintf(&b, "  %s: %s → %s\n", sanitize.Line(ch.ComponentName), impactText(s, ch.Old), impactText(s, ch.New))
		}
	}
	return b.String()
}

func impactText(s *theme.Styles, st store.Status) string {
	if st == "" {
		return s.Faint.Render("no impact")
	}
	return s.StatusText(st)
}

// duration is a rough human duration: 45s, 12m, 3h20m, 2d4h.
func duration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%dd%dh", int(d.Hours())/24, int(d.Hours())%24)
}
