// Package cli is Beacon's command line: the cobra commands for the glance, the demo data, and
// scripting groups, components and incidents, plus the exit-code and one-line-error contract
// that scripts and monitoring rely on.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"sync"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/spf13/cobra"

	"beacon/glance"
	"beacon/sanitize"
	"beacon/store"
	"beacon/theme"
	"beacon/tui"
)

// app is what every command of one run shares: the resolved flags and the lazily opened store.
// remote is set when the command runs inside `beacon serve` for an SSH session (RunRemote):
// then the store is the server's and the actor is the session's key.
type app struct {
	dbFlag    string
	actorFlag string
	theme     themeFlag
	noMouse   bool // --no-mouse: the console leaves the mouse to the terminal
	st        *store.Store
	remote    *Remote

	background struct { // this terminal's background, decided once a run
		once sync.Once
		dark bool
	}
}

// themeFlag is --theme: light or dark, "" to decide by BEACON_THEME, COLORFGBG or asking.
type themeFlag string

func (f *themeFlag) String() string { return string(*f) }
func (f *themeFlag) Type() string   { return "light|dark" }

func (f *themeFlag) Set(v string) error {
	if _, _, err := theme.KnownBackground(v, func(string) string { return "" }); err != nil {
		return fmt.Errorf("invalid theme %q: use light or dark", v)
	}
	*f = themeFlag(v)
	return nil
}

// Command is Beacon's root command with the state its subcommands share.
type Command struct {
	*cobra.Command
	app *app
}

// New builds the root command and every subcommand.
func New() *Command { return newCommand(&app{}) }

func newCommand(a *app) *Command {
	root := &cobra.Command{
		Use:   "beacon",
		Short: "A terminal status console: components, incidents and their timelines",
		Long: "Beacon tracks the health of your components and the incidents that affect them.\n" +
			"Run it with no command for the console; the commands below script it.",
		Args:          noArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runConsole(cmd, a)
		},
	}
	root.SetFlagErrorFunc(flagError)
	root.Version = Version()
	root.SetVersionTemplate("beacon {{.Version}}\n")
	if a.remote == nil {
		root.PersistentFlags().StringVar(&a.dbFlag, "db", "", "database file (default $BEACON_DB, else $XDG_DATA_HOME/beacon/beacon.db)")
		root.PersistentFlags().StringVar(&a.actorFlag, "actor", "", "who you are, recorded as author and in the audit trail (default: your login name)")
		root.Flags().BoolVar(&a.noMouse, "no-mouse", false, "leave the mouse to the terminal: no clicks or wheel in the console")
		root.PersistentFlags().Var(&a.theme, "theme", "colours for a light or dark terminal (default $BEACON_THEME, else $COLORFGBG, else ask the terminal)")
	}
	root.AddCommand(
		newStatusCommand(a),
		newDemoCommand(a),
		newComponentCommand(a),
		newGroupCommand(a),
		newIncidentCommand(a),
		newMaintenanceCommand(a),
		newAuditCommand(a),
		newServeCommand(a),
		newExportCommand(a),
		newUptimeCommand(a),
		newWebhookCommand(a),
		newVersionCommand(),
	)
	return &Command{Command: root, app: a}
}

// Run executes the command line args, closes the database, writes any error as one line on
// stderr, and returns the exit code the command asked for.
func (c *Command) Run(ctx context.Context, args []string) int {
	c.SetArgs(args)
	cmd, err := c.ExecuteContextC(ctx)
	if c.app.st != nil && c.app.remote == nil {
		if cerr := c.app.st.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}
	if err == nil {
		return 0
	}
	if c.app.st != nil {
		err = c.app.st.Explain(err)
	}
	code, usage, quiet := classify(err)
	msg := sanitize.Line(err.Error())
	// A refused value the user gave as a flag is named as the flag they typed.
	var ve *store.ValidationError
	if errors.As(err, &ve) && cmd != nil && cmd.Flags().Changed(ve.Field) && msg == sanitize.Line(ve.Error()) {
		msg = "--" + msg
	}
	if usage && cmd != nil && !strings.Contains(msg, "--help") {
		msg += fmt.Sprintf(" (run '%s --help' for usage)", cmd.CommandPath())
	}
	if !quiet && checking(args) && (cmd == nil || cmd == c.Command || cmd.Name() == "status") {
		fmt.Fprint(c.OutOrStdout(), glance.CheckFailed(msg))
		return checkUnknown
	}
	if !quiet {
		fmt.Fprintln(c.ErrOrStderr(), "beacon: "+msg)
	}
	return code
}

// runConsole is what plain `beacon` does: the console on a terminal, else the glance as
// `beacon status` prints it (so `beacon | less` still says something useful).
func runConsole(cmd *cobra.Command, a *app) error {
	if !isTerminal(cmd.OutOrStdout()) || !isTerminal(os.Stdin) {
		return printStatus(cmd, a, statusOptions{})
	}
	st, err := a.creatingStore(cmd.Context())
	if err != nil {
		return err
	}
	actor, err := a.actor()
	if err != nil {
		return err
	}
	return tui.Run(cmd.Context(), st, actor, string(a.theme), !a.noMouse)
}

// dbPath is --db, else $BEACON_DB, else $XDG_DATA_HOME/beacon/beacon.db (when that is an
// absolute path), else ~/.local/share/beacon/beacon.db.
func (a *app) dbPath() (string, error) {
	if a.remote != nil {
		return a.st.Path(), nil
	}
	if a.dbFlag != "" {
		return a.dbFlag, nil
	}
	if p := os.Getenv("BEACON_DB"); p != "" {
		return p, nil
	}
	// The XDG spec says a relative path in XDG_DATA_HOME is invalid and must be ignored.
	if d := os.Getenv("XDG_DATA_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "beacon", "beacon.db"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", errors.New("cannot find your home directory; pass --db PATH or set BEACON_DB")
	}
	return filepath.Join(home, ".local", "share", "beacon", "beacon.db"), nil
}

// actor is --actor, else the login name, else $USER.
func (a *app) actor() (store.Actor, error) {
	if a.remote != nil {
		return a.remote.Actor, nil
	}
	name := a.actorFlag
	if name == "" {
		if u, err := user.Current(); err == nil {
			name = u.Username
		}
	}
	if name == "" {
		name = os.Getenv("USER")
	}
	if name == "" {
		return store.Actor{}, usageError("cannot tell who you are; pass --actor NAME")
	}
	clean, err := store.CleanName("actor", name)
	if err != nil {
		return store.Actor{}, err
	}
	return store.Actor{Name: clean}, nil
}

// writer is what a command that writes needs: the store (created if it does not exist yet)
// and who is writing.
func (a *app) writer(ctx context.Context) (*store.Store, store.Actor, error) {
	actor, err := a.actor()
	if err != nil {
		return nil, store.Actor{}, err
	}
	st, err := a.creatingStore(ctx)
	return st, actor, err
}

// store opens the database on first use for a command that reads: a file that does not exist
// is refused (errNoDatabase), so that a mistyped --db never reads as an empty, healthy system.
// Run closes it.
func (a *app) store(ctx context.Context) (*store.Store, error) { return a.open(ctx, false) }

// creatingStore is store for what writes or may start from nothing (the console, the server):
// a missing file is created, with its directory.
func (a *app) creatingStore(ctx context.Context) (*store.Store, error) { return a.open(ctx, true) }

// errNoDatabase is a reading command's answer to a database path where there is no file: a
// validation error (exit 2) naming the path and how to make one.
func errNoDatabase(path string) error {
	return invalidError("no database at %s: check --db or $BEACON_DB, or create one with 'beacon demo' or 'beacon component add NAME'", path)
}

func (a *app) open(ctx context.Context, create bool) (*store.Store, error) {
	if a.st != nil {
		return a.st, nil
	}
	path, err := a.dbPath()
	if err != nil {
		return nil, err
	}
	if !create {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, errNoDatabase(path)
		}
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	// Any command is a process that may be first to see a maintenance boundary pass. Reads
	// are right by the clock without this write, so a failure here stops nothing.
	_, _ = st.RecordBoundaries(ctx)
	a.st = st
	return st, nil
}

// styles builds the styles for w: colour only when w is a terminal, none under NO_COLOR, for
// the terminal's background (darkBackground).
func (a *app) styles(w io.Writer) *theme.Styles {
	r := lipgloss.NewRenderer(w)
	if f, ok := w.(*os.File); ok && r.ColorProfile() != termenv.Ascii {
		r.SetHasDarkBackground(a.darkBackground(f))
	}
	return theme.New(r)
}

// darkBackground is whether this terminal's background is dark: as --theme, BEACON_THEME or
// COLORFGBG say, else as the terminal answers (asked at most once a run, for at most
// theme.QueryTimeout), else dark.
func (a *app) darkBackground(out *os.File) bool {
	a.background.once.Do(func() {
		dark, known, _ := theme.KnownBackground(string(a.theme), os.Getenv)
		if !known {
			dark, known = theme.QueryBackground(os.Stdin, out, theme.QueryTimeout)
		}
		a.background.dark = dark || !known
	})
	return a.background.dark
}
