package cli

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"beacon/store"
)

// Exit codes besides 0 (done) and those of `status --check`.
const (
	exitRuntime = 1 // something went wrong while doing it
	exitUsage   = 2 // a bad command line or bad input: nothing was done
)

// exitError is an error that asks for a particular exit code. A quiet one prints nothing
// (its command already said everything); a usage one points to the command's --help.
type exitError struct {
	code  int
	usage bool
	quiet bool
	err   error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageError is a bad command line: exit 2, and the message points to --help.
func usageError(format string, args ...any) error {
	return &exitError{code: exitUsage, usage: true, err: fmt.Errorf(format, args...)}
}

// invalidError is bad input that the usage would not help with: exit 2, message only.
func invalidError(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

// withCode makes err exit with code; a nil err exits with code and prints nothing.
func withCode(code int, err error) error {
	return &exitError{code: code, quiet: err == nil, err: err}
}

// classify maps an error to its exit code: 2 for usage and validation errors, unknown names
// and ids, and refused writes; 1 for everything else.
func classify(err error) (code int, usage, quiet bool) {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code, ee.usage, ee.quiet
	}
	var ve *store.ValidationError
	if errors.As(err, &ve) || errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrReadOnly) {
		return exitUsage, false, false
	}
	return exitRuntime, false, false
}

// noArgs refuses positional arguments as a usage error.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	if cmd.HasSubCommands() {
		msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
		if s := suggestions(cmd, args[0]); s != "" {
			msg += "; did you mean " + s + "?"
		}
		return usageError("%s", msg)
	}
	return usageError("%s takes no arguments, got %q%s", cmd.CommandPath(), args[0], quoteTwiceHint(cmd))
}

// quoteTwiceHint is what to add to a complaint about stray arguments when the command came
// over SSH: the client's shell took the quotes off a name with spaces, and the server split it
// again, so the name needs a second pair of quotes. "" for a local run.
func quoteTwiceHint(cmd *cobra.Command) string {
	if cmd.Root().Annotations[sessionAnnotation] == "" {
		return ""
	}
	return `; over SSH, quote a name with spaces twice, once for your shell and once for the server: ssh HOST 'uptime --component "Redis cache"'`
}

// flagError is a bad flag as a usage error. On a command that only holds subcommands, a
// mistyped subcommand is the real mistake (`beacon stauts --json`), so that is what it says.
func flagError(cmd *cobra.Command, err error) error {
	if args := cmd.Flags().Args(); cmd.HasSubCommands() && len(args) > 0 {
		return noArgs(cmd, args)
	}
	if typed, ok := strings.CutPrefix(err.Error(), "unknown flag: --"); ok {
		if near := nearestFlag(cmd, typed); near != "" {
			return usageError("%s; did you mean --%s?", err, near)
		}
	}
	return usageError("%s", err)
}

// nearestFlag is the name of cmd's flag closest to typed (two edits at most, or typed as a
// prefix of it), "" when none is.
func nearestFlag(cmd *cobra.Command, typed string) string {
	best, bestDist := "", 3
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		d := editDistance(typed, f.Name)
		if len(typed) >= 3 && strings.HasPrefix(f.Name, typed) {
			d = min(d, 1)
		}
		if d < bestDist {
			best, bestDist = f.Name, d
		}
	})
	return best
}

// editDistance is the Levenshtein distance between a and b, counted in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// suggestions is cobra's "did you mean" list for a mistyped subcommand of cmd, quoted and
// joined with "or"; "" when nothing is close.
func suggestions(cmd *cobra.Command, typed string) string {
	if cmd.SuggestionsMinimumDistance <= 0 {
		cmd.SuggestionsMinimumDistance = 2
	}
	var quoted []string
	for _, s := range cmd.SuggestionsFor(typed) {
		if q := strconv.Quote(s); !slices.Contains(quoted, q) {
			quoted = append(quoted, q)
		}
	}
	return strings.Join(quoted, " or ")
}

// exactArgs wants n positional arguments, none of them blank, named in the message when they
// are missing.
func exactArgs(names ...string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		switch {
		case len(args) < len(names):
			return usageError("%s needs %s", cmd.CommandPath(), names[len(args)])
		case len(args) > len(names):
			return usageError("%s takes %d argument(s), got %d; quote names with spaces%s", cmd.CommandPath(), len(names), len(args), quoteTwiceHint(cmd))
		}
		for i, arg := range args {
			if strings.TrimSpace(arg) == "" {
				return usageError("%s needs %s, not a blank one", cmd.CommandPath(), names[i])
			}
		}
		return nil
	}
}

// blankName refuses a --name flag given but blank, saying what it wants.
func blankName(cmd *cobra.Command) error {
	if v, _ := cmd.Flags().GetString("name"); cmd.Flags().Changed("name") && strings.TrimSpace(v) == "" {
		return usageError(`--name is blank: give the new name, e.g. --name "Public API"`)
	}
	return nil
}

// groupCommand is a command that only holds subcommands: alone it is a usage error.
func groupCommand(use, short string, subs ...*cobra.Command) *cobra.Command {
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return usageError("%s needs a subcommand", cmd.CommandPath())
		},
	}
	cmd.AddCommand(subs...)
	return cmd
}
