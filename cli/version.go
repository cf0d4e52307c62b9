package cli

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// commit is the revision a build names itself, for builds where Go records none (in a git
// worktree, or with -buildvcs=false):
//
//	go build -ldflags "-X beacon/cli.commit=$(git rev-parse HEAD)" .
var commit string

// Version is this build's version, from what the Go toolchain recorded in the binary: the
// module's version when it was installed as a module (go install beacon@v1.2.3) or when Go
// made one from the git commit it built (v0.0.0-<time>-<commit>, "+dirty" with changes); else
// "devel" with the commit Go recorded, its time, and "modified" when the checkout had changes;
// where Go recorded no commit, the one the build named with -ldflags; else just "devel".
func Version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		info = &debug.BuildInfo{}
	}
	return version(info, commit)
}

func version(info *debug.BuildInfo, named string) string {
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
		rev = named
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
