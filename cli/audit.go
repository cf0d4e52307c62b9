package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"beacon/glance"
	"beacon/sanitize"
	"beacon/store"
	"beacon/when"
)

// auditPage is how many audit entries `beacon audit` reads at a time.
const auditPage = 500

// auditJSON is an audit entry as `audit --json` prints it.
type auditJSON struct {
	ID      int64  `json:"id"`
	At      string `json:"at"`
	Actor   string `json:"actor"`
	Action  string `json:"action"`
	Subject string `json:"subject"`
	Detail  string `json:"detail"`
}

func newAuditCommand(a *app) *cobra.Command {
	var actor, since string
	var limit int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "audit [--actor NAME] [--since TIME] [--json]",
		Short: "List the audit trail: who changed what, newest first",
		Long: "List the audit trail, newest first: every change to groups, components and incidents,\n" +
			"with who made it. --actor keeps one person's entries (the name as recorded, any case).\n" +
			"--since keeps those at or after a time: a duration ago (2h, 3d, or -2h), \"YYYY-MM-DD HH:MM\"\n" +
			"in local time, or RFC 3339 (2026-11-30T09:00:00Z).",
		Example: "  beacon audit --since 2h\n  beacon audit --actor ada --since \"2026-11-30 09:00\" --json",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if limit < 0 {
				return invalidError("--limit must be 0 (every entry) or more, got %d", limit)
			}
			q := store.AuditQuery{Actor: actor}
			if since != "" {
				t, err := parseSince(since, time.Now())
				if err != nil {
					return err
				}
				q.Since = t
			}
			ctx := cmd.Context()
			st, err := a.store(ctx)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			arr := newJSONArray(out)
			var t *table
			if !asJSON {
				t = newTable(out, "TIME", "ACTOR", "ACTION", "SUBJECT", "DETAIL")
			}
			n, more := 0, false
			for {
				q.Limit = auditPage
				if limit > 0 {
					q.Limit = min(auditPage, limit-n+1) // one more than wanted says whether there are more
				}
				page, err := st.AuditLog(ctx, q)
				if err != nil {
					return err
				}
				if limit > 0 && n+len(page) > limit {
					page, more = page[:limit-n], true
				}
				for _, e := range page {
					if asJSON {
						err = arr.write(auditJSON{ID: e.ID, At: glance.Time(e.At), Actor: e.Actor, Action: e.Action, Subject: e.Subject, Detail: e.Detail})
						if err != nil {
							return err
						}
						continue
					}
					t.row(localTime(e.At), sanitize.Line(e.Actor), sanitize.Line(e.Action), sanitize.Line(e.Subject), sanitize.Line(e.Detail))
				}
				n += len(page)
				if more || len(page) < q.Limit || len(page) == 0 {
					break
				}
				q.Before = page[len(page)-1].ID
			}
			if asJSON {
				return arr.close()
			}
			if n == 0 {
				_, err := fmt.Fprintln(out, "No audit entries match.")
				return err
			}
			if err := t.flush(); err != nil {
				return err
			}
			if more {
				_, err = fmt.Fprintln(out, a.styles(out).Faint.Render(fmt.Sprintf("The newest %d entries; --limit 0 lists every one.", limit)))
			}
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&actor, "actor", "", "only entries by an actor whose name holds this, in any case (bob finds \"Bob Builder\")")
	f.StringVar(&since, "since", "", "only entries at or after this time ("+when.PastHelp+"), or this long ago (2h, 3d)")
	f.IntVar(&limit, "limit", 100, "at most this many entries, newest first (0: every one)")
	jsonFlag(cmd, &asJSON, "print a JSON array of entries (indented on a terminal)")
	overSSH(cmd, remoteRead, false)
	_ = cmd.RegisterFlagCompletionFunc("actor", a.completeFlag(auditActors))
	_ = cmd.RegisterFlagCompletionFunc("since", cobra.FixedCompletions([]cobra.Completion{"1h", "24h", "7d"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// parseSince reads --since: any time the command line takes, or a bare duration meaning that
// long ago ("2h" is "-2h"). A time still to come is refused: nothing could match it. A time of
// day is the latest one ("09:00" after nine is this morning, before it yesterday's).
func parseSince(s string, now time.Time) (time.Time, error) {
	if d, err := when.Duration(s); err == nil {
		return now.Add(-d), nil
	}
	t, err := when.ParsePast(s, now)
	if err != nil {
		return t, invalidError("--since: %v, or a duration ago such as 2h", err)
	}
	return t, nil
}
