package store

import (
	"fmt"
	"strings"

	"beacon/sanitize"
)

// Status is a component's health, stored as its slug.
type Status string

// Component statuses, in order of severity (lowest first).
const (
	Operational       Status = "operational"
	Unknown           Status = "unknown"
	UnderMaintenance  Status = "under_maintenance"
	PerformanceIssues Status = "performance_issues"
	PartialOutage     Status = "partial_outage"
	MajorOutage       Status = "major_outage"
)

// Statuses lists every component status from least to most severe.
var Statuses = []Status{Operational, Unknown, UnderMaintenance, PerformanceIssues, PartialOutage, MajorOutage}

// Impacts lists the statuses an incident may impose on a component, least severe first.
var Impacts = []Status{PerformanceIssues, PartialOutage, MajorOutage}

type statusInfo struct {
	label, glyph, statuspage string
	cachet                   int
}

var statusInfos = map[Status]statusInfo{
	Operational:       {"Operational", "●", "operational", 1},
	Unknown:           {"Unknown", "?", "unknown", 0},
	UnderMaintenance:  {"Under maintenance", "◆", "under_maintenance", 6},
	PerformanceIssues: {"Performance issues", "▲", "degraded_performance", 2},
	PartialOutage:     {"Partial outage", "◐", "partial_outage", 3},
	MajorOutage:       {"Major outage", "✖", "major_outage", 4},
}

// Severity orders statuses: a higher number is worse. The empty status (no impact) is below
// every status; an unrecognised slug counts as Unknown.
func (s Status) Severity() int {
	if s == "" {
		return -1
	}
	for i, v := range Statuses {
		if v == s {
			return i
		}
	}
	return 1
}

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool { _, ok := statusInfos[s]; return ok }

// IsImpact reports whether s may be imposed by an incident.
func (s Status) IsImpact() bool {
	return s == PerformanceIssues || s == PartialOutage || s == MajorOutage
}

// Label is the status in words, as shown to people; a value that is no status is shown made
// safe for a terminal.
func (s Status) Label() string {
	if info, ok := statusInfos[s]; ok {
		return info.label
	}
	return sanitize.Line(string(s))
}

// Glyph is the one-character symbol shown with the label.
func (s Status) Glyph() string { return statusInfos[s].glyph }

// Statuspage is the status's name in Statuspage's API.
func (s Status) Statuspage() string { return statusInfos[s].statuspage }

// Cachet is the status's numeric code in Cachet.
func (s Status) Cachet() int { return statusInfos[s].cachet }

// Worst returns the most severe of the given statuses, Operational when there are none.
func Worst(statuses ...Status) Status {
	w := Operational
	for _, s := range statuses {
		if s.Severity() > w.Severity() {
			w = s
		}
	}
	return w
}

// ParseStatus reads a component status from its slug, label, Statuspage name or Cachet code.
func ParseStatus(s string) (Status, error) {
	k := normalizeWord(s)
	for _, v := range Statuses {
		info := statusInfos[v]
		if k == string(v) || k == normalizeWord(info.label) || k == info.statuspage || k == fmt.Sprint(info.cachet) ||
			(v == Unknown && k == "5") { // Cachet 3.x's code for unknown
			return v, nil
		}
	}
	return "", &ValidationError{Field: "status", Msg: fmt.Sprintf("unknown status %q; use one of %s", s, joinStatuses(Statuses))}
}

// ParseImpact reads the status an incident imposes; "none" (or "operational") yields "" meaning no impact.
func ParseImpact(s string) (Status, error) {
	k := normalizeWord(s)
	if k == "none" || k == "operational" {
		return "", nil
	}
	st, err := ParseStatus(s)
	if err != nil || !st.IsImpact() {
		return "", &ValidationError{Field: "impact", Msg: fmt.Sprintf("unknown impact %q; use one of %s or none", s, joinStatuses(Impacts))}
	}
	return st, nil
}

func joinStatuses(ss []Status) string {
	names := make([]string, len(ss))
	for i, s := range ss {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

func normalizeWord(s string) string {
	return strings.NewReplacer(" ", "_", "-", "_").Replace(strings.ToLower(strings.TrimSpace(s)))
}

// IncidentStatus is the stage an incident is in: the status of its newest update.
type IncidentStatus string

// Incident statuses, in the order an incident normally moves through them.
const (
	Investigating IncidentStatus = "investigating"
	Identified    IncidentStatus = "identified"
	Watching      IncidentStatus = "watching"
	Fixed         IncidentStatus = "fixed"
)

// IncidentStatuses lists the incident statuses in their normal order.
var IncidentStatuses = []IncidentStatus{Investigating, Identified, Watching, Fixed}

// Label is the incident status in words.
func (s IncidentStatus) Label() string {
	switch s {
	case Investigating:
		return "Investigating"
	case Identified:
		return "Identified"
	case Watching:
		return "Watching"
	case Fixed:
		return "Fixed"
	}
	return sanitize.Line(string(s))
}

// Statuspage is the incident status's name in Statuspage's API.
func (s IncidentStatus) Statuspage() string {
	switch s {
	case Watching:
		return "monitoring"
	case Fixed:
		return "resolved"
	}
	return string(s)
}

// Cachet is the incident status's numeric code in Cachet.
func (s IncidentStatus) Cachet() int {
	for i, v := range IncidentStatuses {
		if v == s {
			return i + 1
		}
	}
	return 0
}

// Valid reports whether s is one of IncidentStatuses.
func (s IncidentStatus) Valid() bool { return s.Cachet() > 0 }

// Guidance is the one line of advice the composer shows when writing an update with this status.
func (s IncidentStatus) Guidance() string {
	switch s {
	case Investigating:
		return "Be clear about what happens."
	case Identified:
		return "Explain what the problem is and whether it's important."
	case Watching:
		return "Say it should be fixed and that you are watching."
	case Fixed:
		return "Explain the details and say it's definitely fixed."
	}
	return ""
}

// ParseIncidentStatus reads an incident status from its slug, Statuspage name or Cachet code.
func ParseIncidentStatus(s string) (IncidentStatus, error) {
	k := normalizeWord(s)
	for _, v := range IncidentStatuses {
		if k == string(v) || k == v.Statuspage() || k == fmt.Sprint(v.Cachet()) {
			return v, nil
		}
	}
	return "", &ValidationError{Field: "status", Msg: fmt.Sprintf("unknown incident status %q; use one of investigating, identified, watching, fixed", s)}
}

// NextStatuses proposes what an update to an incident at cur should say, best first:
// the next step of investigating → identified → watching → fixed; from watching, fixed or
// back to identified; a fixed incident may be reopened as investigating.
func NextStatuses(cur IncidentStatus) []IncidentStatus {
	switch cur {
	case Investigating:
		return []IncidentStatus{Identified, Watching, Fixed, Investigating}
	case Identified:
		return []IncidentStatus{Watching, Fixed, Identified}
	case Watching:
		return []IncidentStatus{Fixed, Identified, Watching}
	case Fixed:
		return []IncidentStatus{Investigating, Identified}
	}
	return []IncidentStatus{Investigating}
}

// Indicator is the overall status of the page, named as Statuspage's status.indicator.
type Indicator string

// Overall indicators, from best to worst.
const (
	IndicatorNone        Indicator = "none"
	IndicatorMaintenance Indicator = "maintenance"
	IndicatorMinor       Indicator = "minor"
	IndicatorMajor       Indicator = "major"
	IndicatorCritical    Indicator = "critical"
)

// Banner is the one-line overall status shown on top of every view.
type Banner struct {
	Indicator   Indicator
	Description string
}

// DefaultCriticalShare is the share of components in major outage that makes the banner critical.
const DefaultCriticalShare = 0.25

// ComputeBanner applies the overall-status rule (first match wins) to the effective statuses of
// the enabled components and whether any unresolved public incident exists:
// critical when at least criticalShare of them are in major outage; major on any major or
// partial outage; minor on any performance issues or unknown status or an unresolved public
// incident; maintenance when any is under maintenance; otherwise none.
func ComputeBanner(statuses []Status, unresolvedPublic bool, criticalShare float64) Banner {
	var major, partial, minor, maint int
	for _, s := range statuses {
		switch s {
		case MajorOutage:
			major++
		case PartialOutage:
			partial++
		case PerformanceIssues, Unknown:
			minor++
		case UnderMaintenance:
			maint++
		}
	}
	switch {
	case major > 0 && float64(major) >= criticalShare*float64(len(statuses)):
		return Banner{IndicatorCritical, "Some systems are experiencing major issues"}
	case major+partial > 0:
		return Banner{IndicatorMajor, "Some systems are experiencing issues"}
	case minor > 0 || unresolvedPublic:
		return Banner{IndicatorMinor, "Some systems are experiencing issues"}
	case maint > 0:
		return Banner{IndicatorMaintenance, "Some systems are under maintenance"}
	}
	return Banner{IndicatorNone, "All systems are operational"}
}
