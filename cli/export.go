package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"beacon/sanitize"
	"beacon/web"
)

type exportOptions struct {
	baseURL string
	title   string
	watch   bool
	exec    string
}

func newExportCommand(a *app) *cobra.Command {
	var o exportOptions
	cmd := &cobra.Command{
		Use:   "export DIR",
		Short: "Write the public status site as static files, for any web server or bucket",
		Long: "Write the public status site into DIR as static files: the page, every public incident's\n" +
			"page, the history, the Statuspage API files, the feeds and the badge, the same bytes\n" +
			"`beacon serve --http` sends. The same data gives the same files, so a sync uploads only\n" +
			"what changed. The export is written beside DIR and then renamed into place, so a server\n" +
			"reading DIR never sees half of one; what DIR held before is replaced.\n\n" +
			"--watch exports again after every change (until interrupted); --exec runs a command\n" +
			"with sh after each export, with $BEACON_EXPORT_DIR set (for example a sync to a bucket).",
		Example: "  beacon export /var/www/status --base-url https://status.example.com\n" +
			"  beacon export ./site --watch --exec 'rclone sync --checksum \"$BEACON_EXPORT_DIR\" bucket:status'",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 || strings.TrimSpace(args[0]) == "" {
				return usageError("export needs one argument: the directory to write, like ./site")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error { return runExport(cmd, a, args[0], o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.baseURL, "base-url", "", "the site's public address, used in feeds and the API (else links stay relative)")
	f.StringVar(&o.title, "title", web.DefaultTitle, "the status page's name")
	f.BoolVar(&o.watch, "watch", false, "export again after every change, until interrupted")
	f.StringVar(&o.exec, "exec", "", "a command to run with sh after each export; $BEACON_EXPORT_DIR is the directory")
	return cmd
}

func runExport(cmd *cobra.Command, a *app, dir string, o exportOptions) error {
	// A link to the directory exports into where it points: replacing the link itself with a
	// directory would leave what it points to stale.
	if trimmed := strings.TrimRight(dir, string(filepath.Separator)); trimmed != "" {
		dir = trimmed // "link/" would follow the link, and the export would then replace it
	}
	if fi, err := os.Lstat(dir); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		target, err := filepath.EvalSymlinks(dir)
		if err != nil {
			return invalidError("%s is a link to nowhere: %s", sanitize.Line(dir), sanitize.Line(err.Error()))
		}
		dir = target
	}
	if err := web.CheckExportDir(dir); err != nil {
		return invalidError("%s", sanitize.Line(err.Error()))
	}
	ctx := cmd.Context()
	st, err := a.store(ctx)
	if err != nil {
		return err
	}
	site, err := web.New(st, nil, web.Config{Title: o.title, BaseURL: o.baseURL})
	if err != nil {
		return invalidError("--base-url: %v", err)
	}
	// Like mkdir -p, once nothing else can refuse: ./public/status needs no public made first.
	if parent := filepath.Dir(filepath.Clean(dir)); parent != "." {
		if err := os.MkdirAll(parent, 0o755); err != nil {
			return fmt.Errorf("export to %s: cannot make %s: %w", sanitize.Line(dir), sanitize.Line(parent), unwrapPath(err))
		}
	}
	out, errOut := cmd.OutOrStdout(), cmd.ErrOrStderr()
	if o.baseURL == "" {
		fmt.Fprintf(errOut, "beacon: %s.\n", noBaseURL)
	}
	if !o.watch {
		return exportOnce(ctx, site, dir, o, out, errOut)
	}
	changes, cancel := st.Subscribe()
	defer cancel()
	for {
		// The fingerprint is taken before the export, so that a change made during it exports
		// again; it is kept only once the export and --exec succeeded, so that a failed one is
		// made again at the next change of any kind.
		fp, fpErr := site.Fingerprint(ctx, time.Now())
		err := exportOnce(ctx, site, dir, o, out, errOut)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			fmt.Fprintf(errOut, "beacon: %s\n", sanitize.Line(err.Error()))
		}
		done := err == nil && fpErr == nil
		for {
			dayTurned, ok := waitForChange(ctx, changes)
			if !ok {
				return nil
			}
			// A change only responders can see (an internal incident's) exports nothing and
			// runs no --exec: a sync's timing would tell readers that internal work happened.
			now, err := site.Fingerprint(ctx, time.Now())
			if dayTurned || !done || err != nil || now != fp {
				break
			}
			fmt.Fprintln(errOut, "A change the public does not see: nothing exported.")
		}
	}
}

// waitForChange waits for a change (and lets a burst of them settle), or for the day to turn,
// since the page lists the last days; dayTurned says which, ok is false when it is time to
// stop.
func waitForChange(ctx context.Context, changes <-chan struct{}) (dayTurned, ok bool) {
	now := time.Now().UTC()
	midnight := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, time.UTC)
	select {
	case <-ctx.Done():
		return false, false
	case _, ok := <-changes:
		if !ok {
			return false, false
		}
	case <-time.After(midnight.Sub(now)):
		dayTurned = true
	}
	settle := time.NewTimer(200 * time.Millisecond)
	defer settle.Stop()
	for {
		select {
		case <-ctx.Done():
			return false, false
		case <-changes:
		case <-settle.C:
			return dayTurned, true
		}
	}
}

// exportGCPercent is the garbage collector's target while an export runs: an export
// allocates several gigabytes at scale while keeping little, and collecting less often
// saves a good part of its CPU for a few hundred megabytes more of memory.
const exportGCPercent = 400

func exportOnce(ctx context.Context, site *web.Site, dir string, o exportOptions, out, errOut io.Writer) error {
	if old := debug.SetGCPercent(exportGCPercent); old < 0 || old > exportGCPercent {
		debug.SetGCPercent(old) // GOGC asked for less collecting than this already
	} else {
		defer debug.SetGCPercent(old)
	}
	start := time.Now()
	stats, err := site.Export(ctx, dir, start)
	var pe *fs.PathError
	abs, _ := filepath.Abs(dir)
	if parent := filepath.Dir(abs); errors.As(err, &pe) && filepath.Dir(pe.Path) == parent {
		// The error names the directory written beside DIR, which the user never asked for.
		return fmt.Errorf("export to %s: cannot write in %s, where the export is written before it is swapped in (%v): make that directory writable, or export elsewhere", dir, parent, pe.Err)
	}
	if err != nil {
		return fmt.Errorf("export to %s: %w", dir, err)
	}
	reused := ""
	if stats.Reused > 0 {
		reused = fmt.Sprintf(", %d of them unchanged since the last export", stats.Reused)
	}
	fmt.Fprintf(out, "Exported %d files (%.1f MB%s) to %s in %.2fs.\n", stats.Files, float64(stats.Bytes)/1e6, reused, sanitize.Line(dir), time.Since(start).Seconds())
	if o.exec == "" {
		return nil
	}
	c := exec.CommandContext(ctx, "sh", "-c", o.exec)
	c.Env = append(os.Environ(), "BEACON_EXPORT_DIR="+dir)
	c.Stdout, c.Stderr = out, errOut
	if err := c.Run(); err != nil {
		return fmt.Errorf("--exec %q: %w", o.exec, err)
	}
	return nil
}

// unwrapPath is a path error's cause alone, for a message that names the path itself.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
