package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"beacon/store"
	"beacon/when"
)

// table prints aligned columns; cells may hold colour, widths are measured without it.
type table struct {
	w    io.Writer
	rows [][]string
}

func newTable(w io.Writer, header ...string) *table {
	return &table{w: w, rows: [][]string{header}}
}

func (t *table) row(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) flush() error {
	var widths []int
	for _, r := range t.rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], lipgloss.Width(c))
		}
	}
	var b strings.Builder
	for _, r := range t.rows {
		var line strings.Builder
		for i, c := range r {
			line.WriteString(c)
			if i < len(r)-1 {
				line.WriteString(strings.Repeat(" ", widths[i]-lipgloss.Width(c)+2))
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
	_, err := io.WriteString(t.w, b.String())
	return err
}

// findComponent looks a component up by name, saying how to see the names when it is unknown.
func findComponent(ctx context.Context, st *store.Store, name string) (store.Component, error) {
	c, err := st.ComponentByName(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return c, invalidError("unknown component %q; run 'beacon component list' to see the names", name)
	}
	return c, err
}

// findGroup looks a group up by name, saying how to see the names when it is unknown.
func findGroup(ctx context.Context, st *store.Store, name string) (store.Group, error) {
	g, err := st.GroupByName(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return g, invalidError("unknown group %q; run 'beacon group list' to see the names", name)
	}
	return g, err
}

// componentToWrite is the store and actor to write with and the component named name.
func (a *app) componentToWrite(ctx context.Context, name string) (*store.Store, store.Actor, store.Component, error) {
	st, actor, err := a.writer(ctx)
	if err != nil {
		return nil, actor, store.Component{}, err
	}
	c, err := findComponent(ctx, st, name)
	return st, actor, c, err
}

// groupToWrite is the store and actor to write with and the group named name.
func (a *app) groupToWrite(ctx context.Context, name string) (*store.Store, store.Actor, store.Group, error) {
	st, actor, err := a.writer(ctx)
	if err != nil {
		return nil, actor, store.Group{}, err
	}
	g, err := findGroup(ctx, st, name)
	return st, actor, g, err
}

// parseID reads an incident id as 'beacon incident list' prints it, with or without '#'.
func parseID(s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(s), "#"), 10, 64)
	if err != nil || id <= 0 {
		return 0, invalidError("%q is not an incident id; use the number 'beacon incident list' shows", s)
	}
	return id, nil
}

// findIncident reads an incident with its timeline, saying how to find ids when it is unknown.
func findIncident(ctx context.Context, st store.Reader, arg string) (store.IncidentDetail, error) {
	id, err := parseID(arg)
	if err != nil {
		return store.IncidentDetail{}, err
	}
	inc, err := st.Incident(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return inc, invalidError("no incident #%d; run 'beacon incident list --all' to see the ids", id)
	}
	return inc, err
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// printMade says what a command made: the sentence for a person at a terminal, the bare id
// for a script that reads it (id=$(beacon incident open …)).
func printMade(w io.Writer, id int64, sentence string) error {
	line := strconv.FormatInt(id, 10)
	if isTerminal(w) {
		line = sentence
	}
	_, err := fmt.Fprintln(w, line)
	return err
}

// jsonIndent is how JSON is indented on w: for people on a terminal, not for programs.
func jsonIndent(w io.Writer) string {
	if isTerminal(w) {
		return "  "
	}
	return ""
}

// localTime shows a stored time in the local zone, naming the zone (its abbreviation, or its
// offset where it has none) so that a time pasted elsewhere stays unambiguous.
func localTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format("2006-01-02 15:04 MST")
}

// addAtFlag gives a writing command --at, for writes made after the fact.
func addAtFlag(cmd *cobra.Command, v *string) {
	cmd.Flags().StringVar(v, "at", "", "record it as made at this earlier time, not before the history it follows: "+when.PastHelp)
}

// parseAt reads --at; no value (or "now") is the zero time, which the store takes as now.
func parseAt(s string) (time.Time, error) {
	if strings.TrimSpace(s) == "" || strings.EqualFold(strings.TrimSpace(s), "now") {
		return time.Time{}, nil
	}
	t, err := when.ParsePast(s, time.Now())
	if err != nil {
		return time.Time{}, invalidError("--at: %v", err)
	}
	return t, nil
}

// datedLine says when a write made after the fact was recorded, or nothing for one made now.
func datedLine(at time.Time) string {
	if at.IsZero() {
		return ""
	}
	return "Recorded at " + localTime(at) + " (backdated; the audit trail keeps the real time)\n"
}
