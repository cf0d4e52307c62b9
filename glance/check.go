package glance

import (
	"fmt"
	"strings"

	"beacon/sanitize"
	"beacon/store"
)

// CheckState is a monitoring plugin's state; its value is the plugin's exit code.
type CheckState int

// The states of the Nagios plugin guidelines, by exit code.
const (
	CheckOK       CheckState = 0
	CheckWarning  CheckState = 1
	CheckCritical CheckState = 2
	CheckUnknown  CheckState = 3
)

// String is the state as the status line names it.
func (s CheckState) String() string {
	switch s {
	case CheckOK:
		return "OK"
	case CheckWarning:
		return "WARNING"
	case CheckCritical:
		return "CRITICAL"
	}
	return "UNKNOWN"
}

// checkNames is how many component names a summary lists for one status before "and N more".
const checkNames = 3

// CheckResult is `beacon status --check`: a state, its one status line and detail lines.
type CheckResult struct {
	State  CheckState
	Output string // "BEACON <STATE> - <summary> | <perfdata>\n" then a line per problem
}

// Check applies the monitoring rule to the enabled components' effective statuses and the
// unresolved incidents: CRITICAL for any major outage; WARNING for partial outages,
// performance issues, unknown status or an unresolved incident; OK otherwise, maintenance
// included (and said). The status line carries a count per status as performance data
// (`operational=12;;;`), then each component that is not operational and each unresolved
// incident gets a detail line. Every name is sanitised and holds no '|', which would start
// the performance data.
func Check(d store.Dashboard) CheckResult {
	by := map[store.Status][]string{}
	total := 0
	for _, c := range d.Components {
		if c.Enabled {
			by[c.Effective] = append(by[c.Effective], checkText(c.Name))
			total++
		}
	}
	state := CheckOK
	switch {
	case len(by[store.MajorOutage]) > 0:
		state = CheckCritical
	case len(by[store.PartialOutage])+len(by[store.PerformanceIssues])+len(by[store.Unknown])+len(d.Unresolved) > 0:
		state = CheckWarning
	}

	var parts []string
	for i := len(store.Statuses) - 1; i >= 1; i-- { // worst first; operational is the rest
		st := store.Statuses[i]
		if names := by[st]; len(names) > 0 {
			parts = append(parts, fmt.Sprintf("%s: %s", countStatus(len(names), st), listNames(names)))
		}
	}
	if n := len(d.Unresolved); n > 0 {
		parts = append(parts, plural(n, "unresolved incident", "unresolved incidents"))
	}
	switch {
	case total == 0:
		parts = append([]string{"no components"}, parts...)
	case len(by[store.Operational]) == total:
		parts = append([]string{fmt.Sprintf("all %s operational", plural(total, "component", "components"))}, parts...)
	}

	var perf []string
	for _, st := range store.Statuses {
		perf = append(perf, fmt.Sprintf("%s=%d;;;", st, len(by[st])))
	}
	perf = append(perf, fmt.Sprintf("unresolved_incidents=%d;;;", len(d.Unresolved)))

	var b strings.Builder
	fmt.Fprintf(&b, "BEACON %s - %s | %s\n", state, strings.Join(parts, "; "), strings.Join(perf, " "))
	for i := len(store.Statuses) - 1; i >= 1; i-- {
		st := store.Statuses[i]
		for _, name := range by[st] {
			fmt.Fprintf(&b, "%s: %s\n", name, st.Label())
		}
	}
	for _, inc := range d.Unresolved {
		fmt.Fprintf(&b, "#%d %s: %s (%s)\n", inc.ID, checkText(inc.Title), inc.Status.Label(), checkText(string(inc.Visibility)))
	}
	return CheckResult{State: state, Output: b.String()}
}

// CheckFailed is the status line of a check that could not be made (UNKNOWN): the reason, on
// one line.
func CheckFailed(reason string) string {
	return fmt.Sprintf("BEACON %s - %s\n", CheckUnknown, checkText(reason))
}

// checkText makes text from the database or an error fit a plugin's output: one line, no
// control characters, no '|'.
func checkText(s string) string {
	return strings.ReplaceAll(sanitize.Line(s), "|", "¦")
}

func countStatus(n int, st store.Status) string {
	switch st {
	case store.MajorOutage:
		return plural(n, "major outage", "major outages")
	case store.PartialOutage:
		return plural(n, "partial outage", "partial outages")
	case store.PerformanceIssues:
		return fmt.Sprintf("%d with performance issues", n)
	case store.UnderMaintenance:
		return fmt.Sprintf("%d under maintenance", n)
	}
	return fmt.Sprintf("%d %s", n, strings.ToLower(st.Label()))
}

func listNames(names []string) string {
	if len(names) <= checkNames {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:checkNames], ", "), len(names)-checkNames)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
