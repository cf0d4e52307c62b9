package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"beacon/store"
)

// Remote is an SSH session running one command inside `beacon serve`: the server's store and
// who the session's key says it is.
type Remote struct {
	Store  *store.Store
	Actor  store.Actor // ReadOnly for a viewer
	Public bool        // an anonymous --public viewer: the public's view, and reads only
}

// remoteAnnotation marks a command that an SSH session may run, with remoteRead or
// remoteWrite; commands without it (serve, demo, anything that touches the server's files)
// are refused over SSH. A reading command that shows the public only what the public may see
// when a.remote.Public is set says so with publicAnnotation.
const (
	remoteAnnotation = "beacon/remote"
	remoteRead       = "read"  // any key may run it
	remoteWrite      = "write" // responders only
	publicAnnotation = "beacon/public"
)

// sessionAnnotation on the root command says that this run came over SSH (RunRemote), for
// messages that should say how to type a command there.
const sessionAnnotation = "beacon/session"

// overSSH marks cmd as runnable over SSH with access remoteRead or remoteWrite; public says
// that an anonymous viewer may run it too (it must then read through a.reader).
func overSSH(cmd *cobra.Command, access string, public bool) *cobra.Command {
	if cmd.Annotations == nil {
		cmd.Annotations = map[string]string{}
	}
	cmd.Annotations[remoteAnnotation] = access
	if public {
		cmd.Annotations[publicAnnotation] = "yes"
	}
	return cmd
}

// RunRemote runs a command line an SSH session sent (`ssh host incident list --json`) with the
// same command tree as the local one, against the server's store and as the session's actor.
// Only commands marked overSSH run; there is no --db or --actor, and no flag that names a
// file. Errors are one line on errOut; the result is the exit status.
func RunRemote(ctx context.Context, r Remote, args []string, in io.Reader, out, errOut io.Writer) int {
	c := newCommand(&app{st: r.Store, remote: &r})
	c.CompletionOptions.DisableDefaultCmd = true
	c.SetIn(in)
	c.SetOut(out)
	c.SetErr(errOut)
	hideLocalOnly(c.Command)
	c.Annotations = map[string]string{sessionAnnotation: "yes"}
	c.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error { return r.allow(cmd) }
	return c.Run(ctx, args)
}

// hideLocalOnly hides from help every command an SSH session may not run.
func hideLocalOnly(cmd *cobra.Command) {
	for _, sub := range cmd.Commands() {
		if sub.HasSubCommands() {
			hideLocalOnly(sub)
			hidden := true
			for _, s := range sub.Commands() {
				hidden = hidden && s.Hidden
			}
			sub.Hidden = hidden
			continue
		}
		if sub.Annotations[remoteAnnotation] == "" {
			sub.Hidden = true
		}
	}
}

// allow refuses what this session may not run: unmarked commands, writes by viewers, reads the
// public may not make, and flags that name a file on the server.
func (r *Remote) allow(cmd *cobra.Command) error {
	if cmd.HasSubCommands() {
		return nil // alone, a command group only says it needs a subcommand
	}
	switch access := cmd.Annotations[remoteAnnotation]; {
	case cmd.Name() == "help" && cmd.Parent() == cmd.Root():
	case access == "":
		return invalidError("%s is not available over SSH; run it on the server", cmd.CommandPath())
	case access == remoteWrite && r.Actor.ReadOnly:
		return invalidError("read-only: your key may look but not change anything (%s writes)", cmd.CommandPath())
	case r.Public && cmd.Annotations[publicAnnotation] == "":
		return invalidError("%s needs a key this server knows; without one, only the public status may be read", cmd.CommandPath())
	}
	var err error
	cmd.Flags().Visit(func(f *pflag.Flag) {
		if _, names := f.Annotations[cobra.BashCompFilenameExt]; names && err == nil {
			err = invalidError("--%s names a file, which SSH sessions cannot; %s", f.Name, fileAlternative(f.Name))
		}
	})
	return err
}

// fileAlternative says what to use instead of a file flag over SSH.
func fileAlternative(flag string) string {
	if flag == "message-file" {
		return "send the message on standard input with --message -"
	}
	return fmt.Sprintf("run the command on the server to use --%s", flag)
}

// reader is what a reading command reads through: the store, or, for an anonymous viewer over
// SSH, the store as the public sees it.
func (a *app) reader(ctx context.Context) (store.Reader, error) {
	st, err := a.store(ctx)
	if err != nil {
		return nil, err
	}
	if a.public() {
		return store.PublicOnly(st), nil
	}
	return st, nil
}

// public reports whether this run may show only what the public sees.
func (a *app) public() bool { return a.remote != nil && a.remote.Public }
