package cli

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"beacon/glance"
)

// checkUnknown is the exit code of a `status --check` that could not check: a bad command
// line or an unreadable database.
const checkUnknown = int(glance.CheckUnknown)

type statusOptions struct {
	json, check, all, public bool
}

func newStatusCommand(a *app) *cobra.Command {
	var opts statusOptions
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Print the overall status, every component and the open incidents",
		Long: "Print the banner, each group's components with their effective status, and the open\n" +
			"incidents. With more than 40 components, operational ones fold into a count per group.\n\n" +
			"--check is a monitoring plugin (Nagios guidelines): one status line,\n" +
			"  BEACON CRITICAL - 1 major outage: Website | operational=12;;; ... major_outage=1;;; ...\n" +
			"then a line per component that is not operational and per unresolved incident. It exits\n" +
			"2 CRITICAL for any major outage; 1 WARNING for partial outages, performance issues,\n" +
			"unknown status or an unresolved incident; 0 OK otherwise, maintenance included; 3 UNKNOWN,\n" +
			"with the reason on stdout, when the database cannot be read or the arguments are wrong.",
		Example: "  beacon status\n  beacon status --json | jq .status\n  beacon status --public --json\n  beacon status --check || page-someone",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return printStatus(cmd, a, opts)
		},
	}
	f := cmd.Flags()
	overSSH(cmd, remoteRead, true)
	jsonFlag(cmd, &opts.json, "print a Statuspage-shaped JSON summary (indented on a terminal)")
	f.BoolVar(&opts.check, "check", false, "monitoring plugin: exit 0 OK, 1 WARNING, 2 CRITICAL (any major outage), 3 UNKNOWN")
	f.BoolVar(&opts.all, "all", false, "list every component, even operational ones on a long list")
	f.BoolVar(&opts.public, "public", false, "show what the public sees: public incidents only, statuses without internal ones")
	return cmd
}

func printStatus(cmd *cobra.Command, a *app, opts statusOptions) error {
	ctx := cmd.Context()
	out := cmd.OutOrStdout()
	unreadable := func(err error) error {
		if opts.check {
			return withCode(checkUnknown, err)
		}
		return err
	}
	st, err := a.store(ctx)
	if err != nil {
		return unreadable(err)
	}
	if opts.check {
		// A damaged file may still answer the few reads below: check all of it.
		if err := st.CheckFile(ctx); err != nil {
			return unreadable(err)
		}
	}
	d, err := st.Dashboard(ctx)
	if err != nil {
		return unreadable(err)
	}
	if opts.public || a.public() {
		d = d.PublicOnly()
	}
	check := glance.Check(d)
	switch {
	case opts.json:
		sum, err := glance.Summarize(ctx, st, d)
		if err != nil {
			return unreadable(err)
		}
		if err := writeJSON(out, sum); err != nil {
			return err
		}
	case opts.check:
		if _, err := io.WriteString(out, check.Output); err != nil {
			return err
		}
	default:
		if _, err := io.WriteString(out, glance.Text(d, a.styles(out), glance.Options{All: opts.all})); err != nil {
			return err
		}
	}
	if opts.check && check.State != glance.CheckOK {
		return withCode(int(check.State), nil)
	}
	return nil
}

// checking reports whether a command line asks for `status --check`, even one that cannot be
// parsed: its errors are then the plugin's UNKNOWN, said on stdout where monitoring reads it.
func checking(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		if v, ok := strings.CutPrefix(a, "--check"); ok && (v == "" || v[0] == '=') {
			on, err := strconv.ParseBool(strings.TrimPrefix(v, "="))
			return v == "" || on || err != nil
		}
	}
	return false
}

// writeJSON prints v terminal-safe with a final newline: indented for a person at a terminal,
// compact (and quicker) for a program.
func writeJSON(w io.Writer, v any) error {
	data, err := glance.MarshalIndent(v, "", jsonIndent(w))
	if err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	_, err = w.Write(append(data, '\n'))
	return err
}
