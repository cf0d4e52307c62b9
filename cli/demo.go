package cli

import (
	"context"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"beacon/demo"
	"beacon/sanitize"
	"beacon/store"
	"beacon/theme"
)

func newDemoCommand(a *app) *cobra.Command {
	var scale bool
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Fill an empty database with realistic demo data",
		Long: "Fill an empty database with a realistic demo: groups, components, an open incident and\n" +
			"resolved ones with their timelines, and 90 days of status history. --scale fills the\n" +
			"scale data set instead (1,000 components, 100,000 incidents), used for benchmarks.\n" +
			"A database that already holds data is refused.",
		Example: "  beacon --db /tmp/demo.db demo\n  beacon --db /tmp/scale.db demo --scale",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			st, actor, err := a.writer(ctx)
			if err != nil {
				return err
			}
			start := time.Now()
			if !scale {
				if err := demo.Fill(ctx, st, actor, start); err != nil {
					return err
				}
				return reportDemo(ctx, cmd.OutOrStdout(), st, time.Since(start))
			}
			bar := newProgressBar(cmd.ErrOrStderr(), a.styles)
			err = demo.FillScale(ctx, st, actor, start, demo.FullScale, bar.show)
			bar.done()
			if err != nil {
				return err
			}
			sc := demo.FullScale
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "Filled %s with scale data: %d groups, %d components, %d incidents (%d open) with %d updates, in %.1fs.\n",
				sanitize.Line(st.Path()), sc.Groups, sc.Components, sc.Incidents, sc.Unresolved, sc.Incidents*sc.UpdatesPerIncident, time.Since(start).Seconds())
			return err
		},
	}
	cmd.Flags().BoolVar(&scale, "scale", false, "fill the scale data set (about a minute) instead of the demo")
	return cmd
}

// reportDemo says what the demo created.
func reportDemo(ctx context.Context, w io.Writer, st *store.Store, took time.Duration) error {
	d, err := st.Dashboard(ctx)
	if err != nil {
		return err
	}
	resolved := 0
	for before := int64(0); ; {
		page, err := st.ResolvedIncidents(ctx, store.IncidentQuery{Before: before, Limit: listPage})
		if err != nil {
			return err
		}
		resolved += len(page)
		if len(page) < listPage {
			break
		}
		before = page[len(page)-1].ID
	}
	_, err = fmt.Fprintf(w, "Filled %s with demo data: %d groups, %d components, %d incidents (%d open), in %.1fs.\nRun 'beacon' to look around.\n",
		sanitize.Line(st.Path()), len(d.Groups), len(d.Components), resolved+len(d.Unresolved), len(d.Unresolved), took.Seconds())
	return err
}

// progressBar draws a bar on a terminal, redrawn in place with \r; elsewhere it draws nothing.
// (bubbles/progress would draw it, but its spring dependency, harmonica, is not in go.sum.)
type progressBar struct {
	w     io.Writer
	s     *theme.Styles
	width int
}

func newProgressBar(w io.Writer, styles func(io.Writer) *theme.Styles) *progressBar {
	if !isTerminal(w) {
		return &progressBar{w: w}
	}
	return &progressBar{w: w, s: styles(w), width: 40}
}

func (p *progressBar) show(done, total int) {
	if p.s == nil || total <= 0 {
		return
	}
	fmt.Fprintf(p.w, "\r%s %d/%d incidents", p.view(float64(done)/float64(total)), done, total)
}

// view is the bar at percent (0 to 1) with the percentage after it.
func (p *progressBar) view(percent float64) string {
	percent = min(max(percent, 0), 1)
	full := int(math.Round(percent * float64(p.width)))
	return p.s.Accent.Render(strings.Repeat("█", full)) + p.s.Rule.Render(strings.Repeat("░", p.width-full)) +
		fmt.Sprintf(" %3.0f%%", percent*100)
}

func (p *progressBar) done() {
	if p.s != nil {
		fmt.Fprintln(p.w)
	}
}
