package cli

import (
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // --tz works on machines without a zone database

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"beacon/glance"
	"beacon/sanitize"
	"beacon/store"
	"beacon/theme"
)

type uptimeOptions struct {
	days       int
	components []string
	group      string
	tz         string
	weight     float64
	public     bool
	json       bool
}

func newUptimeCommand(a *app) *cobra.Command {
	var opts uptimeOptions
	cmd := &cobra.Command{
		Use:   "uptime",
		Short: "Print each component's uptime and a strip of its days",
		Long: "Print each group's and component's uptime over the last days (today included) and a\n" +
			"strip with one cell per day showing the worst status of that day.\n\n" +
			"Downtime is the time in major outage plus --partial-weight × the time in partial outage;\n" +
			"performance issues, maintenance and unknown count as up. Time counts from a component's\n" +
			"creation (earlier days show no data), uptime is rounded down to two decimals, and a\n" +
			"group is its worst member at each moment. Days are cut at midnight in --tz.",
		Example: "  beacon uptime\n  beacon uptime --days 30 --group Payments --tz Europe/Berlin\n" +
			"  beacon uptime --component API --json | jq '.components[0].uptime_percent'",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return printUptime(cmd, a, opts)
		},
	}
	f := cmd.Flags()
	f.IntVar(&opts.days, "days", store.DefaultUptimeDays, "how many days, today included")
	f.StringArrayVar(&opts.components, "component", nil, "only this component (repeatable)")
	f.StringVar(&opts.group, "group", "", "only this group: its record and its components'")
	f.StringVar(&opts.tz, "tz", "", "the time zone days are cut in, e.g. Europe/Berlin or UTC (default: local)")
	f.Float64Var(&opts.weight, "partial-weight", store.DefaultPartialWeight, "share of partial-outage time counted as down, 0 to 1")
	f.BoolVar(&opts.public, "public", false, "the public's record: leave internal incidents out")
	jsonFlag(cmd, &opts.json, "print the records as JSON")
	_ = cmd.RegisterFlagCompletionFunc("component", a.completeFlag(componentNames))
	_ = cmd.RegisterFlagCompletionFunc("group", a.completeFlag(groupNames))
	return overSSH(cmd, remoteRead, true)
}

func printUptime(cmd *cobra.Command, a *app, opts uptimeOptions) error {
	ctx := cmd.Context()
	if opts.days < 1 || opts.days > 3660 {
		return invalidError("--days %d is out of range; use 1 to 3660", opts.days)
	}
	if math.IsNaN(opts.weight) || opts.weight < 0 || opts.weight > 1 {
		return invalidError("--partial-weight %g is out of range; use a number from 0 to 1, e.g. 0.3", opts.weight)
	}
	loc := time.Local
	if opts.tz != "" {
		l, err := time.LoadLocation(opts.tz)
		if err != nil || strings.TrimSpace(opts.tz) == "" {
			return invalidError("--tz %q is not a time zone; use a name such as Europe/Berlin, America/New_York or UTC", opts.tz)
		}
		loc = l
	}
	st, err := a.store(ctx)
	if err != nil {
		return err
	}
	opts.public = opts.public || a.public() // the public's record only, over SSH without a key
	q := store.UptimeQuery{Days: opts.days, Location: loc, PartialWeight: opts.weight}
	if opts.public {
		q.Audience = store.ThePublic
	}
	for _, name := range opts.components {
		c, err := findComponent(ctx, st, name)
		if err != nil {
			return err
		}
		q.Components = append(q.Components, c.ID)
	}
	var group store.Group
	if opts.group != "" {
		if group, err = findGroup(ctx, st, opts.group); err != nil {
			return err
		}
		comps, err := st.Components(ctx)
		if err != nil {
			return err
		}
		ids := q.Components
		q.Components = nil
		for _, c := range comps {
			if c.GroupID == group.ID && (len(ids) == 0 || contains(ids, c.ID)) {
				q.Components = append(q.Components, c.ID)
			}
		}
		if len(q.Components) == 0 {
			return invalidError("group %q has no components%s", group.Name, map[bool]string{true: " among those named", false: ""}[len(ids) > 0])
		}
	}
	out := cmd.OutOrStdout()
	if opts.json {
		// A thousand components' records are megabytes: each is printed as it is counted.
		w := &uptimeJSON{out: out, days: opts.days}
		head, err := st.UptimeEach(ctx, q, func(head store.UptimeReport, u store.Uptime) error {
			if u.ComponentID == 0 && opts.group != "" && u.GroupID != group.ID {
				return nil
			}
			return w.record(head, u)
		})
		if err != nil {
			return err
		}
		return w.finish(head)
	}
	rep, err := st.Uptime(ctx, q)
	if err != nil {
		return err
	}
	if opts.group != "" {
		var keep []store.Uptime
		for _, g := range rep.Groups {
			if g.GroupID == group.ID {
				keep = append(keep, g)
			}
		}
		rep.Groups = keep
	}
	return writeUptimeText(out, a.styles(out), rep, opts)
}

func contains(ids []int64, id int64) bool {
	for _, v := range ids {
		if v == id {
			return true
		}
	}
	return false
}

// percentText is an uptime as people read it: two decimals, or "no data".
func percentText(u store.Uptime) string {
	if !u.HasData() {
		return "no data"
	}
	return strconv.FormatFloat(u.Percent(), 'f', 2, 64) + "%"
}

// writeUptimeText prints a heading, one line per group and component (percentage and strip),
// and a legend. On a terminal too narrow for one cell a day, each cell covers several days.
func writeUptimeText(out io.Writer, s *theme.Styles, rep store.UptimeReport, opts uptimeOptions) error {
	if len(rep.Components) == 0 {
		_, err := fmt.Fprintln(out, "No components yet; add one with 'beacon component add NAME' or fill a demo with 'beacon demo'.")
		return err
	}
	groupOf := map[int64]store.Uptime{}
	for _, g := range rep.Groups {
		groupOf[g.GroupID] = g
	}
	type line struct {
		name string
		u    store.Uptime
	}
	var lines []line
	shown := map[int64]bool{}
	for _, c := range rep.Components {
		if g, ok := groupOf[c.GroupID]; ok && !shown[c.GroupID] {
			shown[c.GroupID] = true
			lines = append(lines, line{sanitize.Line(g.Name), g})
		}
		indent := ""
		if _, ok := groupOf[c.GroupID]; ok {
			indent = "  "
		}
		lines = append(lines, line{indent + sanitize.Line(c.Name), c})
	}
	nameWidth := 0
	for _, l := range lines {
		nameWidth = max(nameWidth, len([]rune(l.name)))
	}
	nameWidth = min(nameWidth, 40)
	per, width := 1, 0
	if f, ok := out.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
			width = w
			room := max(w-nameWidth-2-len("100.00%")-2, 10)
			per = (opts.days + room - 1) / room
		}
	}
	var b strings.Builder
	zone := rep.Location.String()
	if rep.Location == time.Local {
		zone = rep.To.Format("MST") + ", local"
	}
	fmt.Fprintf(&b, "%s over %d days, %s to %s (%s)\n",
		map[bool]string{true: "Public uptime", false: "Uptime"}[opts.public], opts.days,
		rep.From.Format("2006-01-02"), rep.To.Format("2006-01-02 15:04"), zone)
	note := fmt.Sprintf("partial outages weigh %g; a cell is a day's worst status", rep.PartialWeight)
	if per > 1 {
		note = fmt.Sprintf("partial outages weigh %g; a cell is the worst of %d days (widen for one a day)", rep.PartialWeight, per)
	}
	b.WriteString(s.Faint.Render(note) + "\n")
	b.WriteString("\n")
	for _, l := range lines {
		name := truncateRunes(l.name, nameWidth)
		fmt.Fprintf(&b, "%-*s  %7s  %s\n", nameWidth+len(name)-len([]rune(name)), name, percentText(l.u), s.UptimeStrip(l.u.Days, per))
	}
	b.WriteString("\n" + s.UptimeLegend(width) + "\n")
	_, err := io.WriteString(out, b.String())
	return err
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// uptimeJSON prints a report for programs, record by record as they come, in pieces of
// about 128 KB. It is written by hand: a thousand components of ninety days each are ninety
// thousand objects, and reflection would triple the time.
type uptimeJSON struct {
	out      io.Writer
	days     int
	b        []byte
	dates    []string // every record has the same days: their dates are formatted once
	started  bool
	inGroups bool
	n        int // records in the array being written
}

const uptimeJSONPiece = 128 << 10

func (w *uptimeJSON) start(head store.UptimeReport) {
	w.started = true
	w.b = make([]byte, 0, uptimeJSONPiece+160+w.days*100)
	w.b = append(w.b, `{"from":`...)
	w.b = strconv.AppendQuote(w.b, head.From.Format(time.RFC3339))
	w.b = append(w.b, `,"to":`...)
	w.b = strconv.AppendQuote(w.b, head.To.Format(time.RFC3339))
	w.b = append(w.b, `,"time_zone":`...)
	w.b = strconv.AppendQuote(w.b, head.Location.String())
	w.b = append(w.b, `,"days":`...)
	w.b = strconv.AppendInt(w.b, int64(w.days), 10)
	w.b = append(w.b, `,"partial_weight":`...)
	w.b = strconv.AppendFloat(w.b, head.PartialWeight, 'g', -1, 64)
	w.b = append(w.b, `,"components":[`...)
}

// groups ends the components' array and begins the groups'.
func (w *uptimeJSON) groups() {
	w.b = append(w.b, `],"groups":[`...)
	w.inGroups, w.n = true, 0
}

// record prints one record: a component's, or (ComponentID 0) a group's after every component's.
func (w *uptimeJSON) record(head store.UptimeReport, u store.Uptime) error {
	if !w.started {
		w.start(head)
	}
	kind := "component"
	if u.ComponentID == 0 {
		kind = "group"
		if !w.inGroups {
			w.groups()
		}
	}
	if w.n > 0 {
		w.b = append(w.b, ',')
	}
	w.n++
	if w.dates == nil {
		for _, d := range u.Days {
			w.dates = append(w.dates, d.Date.Format("2006-01-02"))
		}
	}
	w.b = appendUptimeJSON(w.b, u, kind, w.dates)
	if len(w.b) < uptimeJSONPiece {
		return nil
	}
	_, err := w.out.Write(w.b)
	w.b = w.b[:0]
	return err
}

// finish prints what is left, the end of the report.
func (w *uptimeJSON) finish(head store.UptimeReport) error {
	if !w.started {
		w.start(head)
	}
	if !w.inGroups {
		w.groups()
	}
	w.b = append(w.b, "]}\n"...)
	_, err := w.out.Write(w.b)
	return err
}

func appendUptimeJSON(b []byte, u store.Uptime, kind string, dates []string) []byte {
	b = append(b, `{"name":`...)
	name, _ := glance.MarshalIndent(u.Name, "", "") // a string always encodes
	b = append(b, name...)
	b = append(b, `,"kind":"`...)
	b = append(b, kind...)
	b = append(b, `","uptime_percent":`...)
	if u.HasData() {
		b = strconv.AppendFloat(b, u.Percent(), 'f', 2, 64)
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"observed_minutes":`...)
	b = appendMinutes(b, u.Observed)
	b = append(b, `,"downtime_minutes":`...)
	b = appendMinutes(b, u.Down)
	b = append(b, `,"days":[`...)
	for i, d := range u.Days {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"date":"`...)
		if i < len(dates) {
			b = append(b, dates[i]...)
		} else {
			b = d.Date.AppendFormat(b, "2006-01-02")
		}
		b = append(b, `","major_minutes":`...)
		b = appendMinutes(b, d.Major)
		b = append(b, `,"partial_minutes":`...)
		b = appendMinutes(b, d.Partial)
		b = append(b, `,"worst_status":`...)
		if d.Worst == "" {
			b = append(b, "null"...)
		} else {
			b = append(b, '"')
			b = append(b, d.Worst...)
			b = append(b, '"')
		}
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

// appendMinutes writes a duration in minutes, to the millisecond.
func appendMinutes(b []byte, d time.Duration) []byte {
	if d == 0 {
		return append(b, '0') // most days of most components
	}
	return strconv.AppendFloat(b, math.Round(d.Minutes()*1e5)/1e5, 'f', -1, 64)
}
