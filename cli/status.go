package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"beacon/glance"
	"beacon/store"
)

// Exit codes of `status --check`, the Nagios plugin convention.
const (
	checkOK       = 0
	checkWarning  = 1
	checkCritical = 2
	checkUnknown  = 3
)

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
			"--check exits 0 when all is operational, 1 on minor issues, maintenance or a major\n" +
			"issue, 2 when critical, 3 when the database cannot be read (for monitoring).",
		Example: "  beacon status\n  beacon status --json | jq .status\n  beacon status --public --json\n  beacon status --check || page-someone",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return printStatus(cmd, a, opts)
		},
	}
	f := cmd.Flags()
	overSSH(cmd, remoteRead, true)
	jsonFlag(cmd, &opts.json, "print a Statuspage-shaped JSON summary (indented on a terminal)")
	f.BoolVar(&opts.check, "check", false, "exit 0 none, 1 minor/maintenance/major, 2 critical, 3 unreadable")
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
	if opts.check {
		// A mistyped path must not become a new, empty and therefore healthy database.
		path, err := a.dbPath()
		if err != nil {
			return unreadable(err)
		}
		if _, err := os.Stat(path); err != nil {
			return unreadable(fmt.Errorf("no database at %s; status --check never creates one", path))
		}
	}
	st, err := a.store(ctx)
	if err != nil {
		return unreadable(err)
	}
	d, err := st.Dashboard(ctx)
	if err != nil {
		return unreadable(err)
	}
	if opts.public || a.public() {
		d = d.PublicOnly()
	}
	if opts.json {
		sum, err := glance.Summarize(ctx, st, d)
		if err != nil {
			return unreadable(err)
		}
		if err := writeJSON(out, sum); err != nil {
			return err
		}
	} else if _, err := io.WriteString(out, glance.Text(d, styles(out), glance.Options{All: opts.all})); err != nil {
		return err
	}
	if !opts.check {
		return nil
	}
	if code := checkCode(d.Banner.Indicator); code != checkOK {
		return withCode(code, nil)
	}
	return nil
}

// checkCode maps the banner's indicator to the exit code of `status --check`.
func checkCode(i store.Indicator) int {
	switch i {
	case store.IndicatorNone:
		return checkOK
	case store.IndicatorCritical:
		return checkCritical
	}
	return checkWarning
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
