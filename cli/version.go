package cli

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Version is this build's version, from what the Go toolchain recorded in the binary: the
// module's version when it was installed as a module (go install beacon@v1.2.3), else "devel"
// with the commit it was built from, its time, and "modified" when the checkout had changes.
func Version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	return version(info)
}

func version(info *debug.BuildInfo) string {
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, at string
	modified := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev == "" {
		return "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	out := "devel " + rev
	switch {
	case at != "" && modified:
		out += " (" + at + ", modified)"
	case at != "":
		out += " (" + at + ")"
	case modified:
		out += " (modified)"
	}
	return out
}

// newVersionCommand is `beacon version`, the same as `beacon --version`.
func newVersionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print Beacon's version",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(cmd.OutOrStdout(), "beacon "+Version())
			return err
		},
	}
}
