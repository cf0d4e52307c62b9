// Package glance is the one-screen summary of Beacon's state, as text, Statuspage-shaped JSON
// or a monitoring plugin's output. Its functions are pure over a store.Dashboard, so the command line and the SSH server
// (for sessions without a terminal) print the same thing.
package glance

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"beacon/sanitize"
	"beacon/store"
	"beacon/theme"
)

// FoldAbove is the number of enabled components above which Text folds operational ones into
// a count per group: more would not fit on one screen.
const FoldAbove = 40

// maxNameColumn caps how wide the name column grows for long component names.
const maxNameColumn = 32

// Options change what Text shows.
type Options struct {
	All bool // list every component even when there are more than FoldAbove
}

// Text renders the glance: the banner, each group with its enabled components (glyph and word
// of the effective status), and the unresolved incidents with their impacts. Every string from
// the database is sanitised. The result ends with a newline.
func Text(d store.Dashboard, s *theme.Styles, opts Options) string {
	var b strings.Builder
	b.WriteString(s.BannerText(d.Banner))
	b.WriteString("\n")

	sections := sectionsOf(d)
	enabled := 0
	for _, sec := range sections {
		enabled += len(sec.components)
	}
	fold := enabled > FoldAbove && !opts.All
	width := nameWidth(sections, fold)
	if len(sections) == 0 {
		b.WriteString("\n" + s.Faint.Render("No components yet: add one with 'beacon component add NAME', or try 'beacon demo'.") + "\n")
	}
	folded := 0
	for _, sec := range sections {
		b.WriteString("\n")
		folded += writeSection(&b, s, sec, fold, width)
	}
	if folded > 0 {
		fmt.Fprintf(&b, "\n%s\n", s.Faint.Render(fmt.Sprintf("%d operational components folded; --all lists every one", folded)))
	}

	b.WriteString("\n")
	writeIncidents(&b, s, d.Unresolved)
	writeMaintenance(&b, s, d)
	return b.String()
}

// section is a group (or the components in none) with its enabled components.
type section struct {
	name       string // "" when the dashboard has no groups at all
	components []store.Component
}

// sectionsOf splits the enabled components into their groups, in dashboard order; components in
// no group come last, under "Other components" when there are groups.
func sectionsOf(d store.Dashboard) []section {
	byGroup := make(map[int64][]store.Component, len(d.Groups))
	for _, c := range d.Components {
		if c.Enabled {
			byGroup[c.GroupID] = append(byGroup[c.GroupID], c)
		}
	}
	var out []section
	for _, g := range d.Groups {
		if cs := byGroup[g.ID]; len(cs) > 0 {
			out = append(out, section{name: g.Name, components: cs})
		}
	}
	if cs := byGroup[0]; len(cs) > 0 {
		name := ""
		if len(out) > 0 {
			name = "Other components"
		}
		out = append(out, section{name: name, components: cs})
	}
	return out
}

func nameWidth(sections []section, fold bool) int {
	w := 0
	for _, sec := range sections {
		for _, c := range sec.components {
			if fold && c.Effective == store.Operational {
				continue
			}
			w = max(w, lipgloss.Width(sanitize.Line(c.Name)))
		}
	}
	return min(w, maxNameColumn)
}

// writeSection writes one group and returns how many operational components it folded.
func writeSection(b *strings.Builder, s *theme.Styles, sec section, fold bool, width int) int {
	operational := 0
	var listed []store.Component
	for _, c := range sec.components {
		if fold && c.Effective == store.Operational {
			operational++
			continue
		}
		listed = append(listed, c)
	}
	indent := "  "
	switch {
	case sec.name == "" && operational == 0:
		indent = ""
	case sec.name == "":
		fmt.Fprintf(b, "%s %s\n", s.StatusGlyph(store.Operational), s.Faint.Render(fmt.Sprintf("%d operational", operational)))
	case operational > 0:
		fmt.Fprintf(b, "%s %s %s\n", s.Group.Render(sanitize.Line(sec.name)+":"), s.StatusGlyph(store.Operational),
			s.Faint.Render(fmt.Sprintf("%d operational", operational)))
	default:
		b.WriteString(s.Group.Render(sanitize.Line(sec.name)) + "\n")
	}
	for _, c := range listed {
		name := sanitize.Line(c.Name)
		pad := max(1, width-lipgloss.Width(name)+2)
		fmt.Fprintf(b, "%s%s%s%s\n", indent, s.Normal.Render(name), strings.Repeat(" ", pad), s.StatusText(c.Effective))
	}
	return operational
}

func writeIncidents(b *strings.Builder, s *theme.Styles, incidents []store.Incident) {
	switch len(incidents) {
	case 0:
		b.WriteString(s.Faint.Render("No open incidents") + "\n")
		return
	case 1:
		b.WriteString(s.Title.Render("1 open incident") + "\n")
	default:
		b.WriteString(s.Title.Render(fmt.Sprintf("%d open incidents", len(incidents))) + "\n")
	}
	for _, inc := range incidents {
		b.WriteString("  " + IncidentLine(inc, s) + "\n")
		if len(inc.Impacts) > 0 {
			b.WriteString("    " + Impacts(inc.Impacts, s) + "\n")
		}
	}
}

// IncidentLine is an incident on one line: id, title, status word, and "internal" when it is.
func IncidentLine(inc store.Incident, s *theme.Styles) string {
	line := fmt.Sprintf("%s %s %s %s", s.Faint.Render(fmt.Sprintf("#%d", inc.ID)), s.Normal.Render(sanitize.Line(inc.Title)),
		s.Faint.Render("·"), s.IncidentText(inc.Status))
	if inc.Visibility == store.Internal {
		line += " " + s.Faint.Render("· internal")
	}
	return line
}

// Impacts lists what an incident imposes now: each component's name with glyph and word and,
// where the impact was lowered since, the worse one it had: "API ◐ Partial outage (✖ Major
// outage earlier)".
func Impacts(impacts []store.Impact, s *theme.Styles) string {
	parts := make([]string, len(impacts))
	for i, m := range impacts {
		parts[i] = s.Normal.Render(sanitize.Line(m.ComponentName)) + " " + s.StatusText(m.Status)
		if peak := m.Peak(); peak != m.Status {
			parts[i] += s.Faint.Render(" (") + s.StatusText(peak) + s.Faint.Render(" earlier)")
		}
	}
	return strings.Join(parts, s.Faint.Render(", "))
}

// PeakImpacts lists each component with the worst status the incident imposed on it: the
// record of a resolved incident, and the lifted impacts of an unresolved one.
func PeakImpacts(impacts []store.Impact, s *theme.Styles) string {
	parts := make([]string, len(impacts))
	for i, m := range impacts {
		parts[i] = s.Normal.Render(sanitize.Line(m.ComponentName)) + " " + s.StatusText(m.Peak())
	}
	return strings.Join(parts, s.Faint.Render(", "))
}

// IncidentImpacts names every component an incident affects or affected, for its line in a
// list, "" when none: a resolved incident's "at worst" each one's worst (PeakImpacts); an
// unresolved one's what it imposes now (Impacts), then the lifted ones, "Auth (✖ Major outage
// earlier)".
func IncidentImpacts(inc store.Incident, s *theme.Styles) string {
	if inc.Resolved() {
		if affected := inc.Affected(); len(affected) > 0 {
			return s.Faint.Render("at worst ") + PeakImpacts(affected, s)
		}
		return ""
	}
	parts := make([]string, 0, 2)
	if len(inc.Impacts) > 0 {
		parts = append(parts, Impacts(inc.Impacts, s))
	}
	for _, m := range inc.Lifted {
		parts = append(parts, s.Normal.Render(sanitize.Line(m.ComponentName))+s.Faint.Render(" (")+s.StatusText(m.Peak())+s.Faint.Render(" earlier)"))
	}
	return strings.Join(parts, s.Faint.Render(", "))
}
