package composer

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"beacon/sanitize"
	"beacon/store"
)

// mode says whether the composer declares a new incident or updates one.
type mode int

const (
	modeDeclare mode = iota
	modeUpdate
)

// stepKind is what a step asks for; the same kinds serve declaring and updating.
type stepKind int

const (
	kindAffected stepKind = iota // components and their impacts
	kindTitle
	kindStatus
	kindMessage
	kindReview
)

func stepsFor(md mode) []stepKind {
	if md == modeDeclare {
		return []stepKind{kindAffected, kindTitle, kindMessage, kindReview}
	}
	return []stepKind{kindStatus, kindAffected, kindMessage, kindReview}
}

func (m *Model) kind() stepKind { return m.steps[m.step] }

func (m *Model) stepIndex(k stepKind) int {
	for i, s := range m.steps {
		if s == k {
			return i
		}
	}
	return 0
}

// stepLabel is a step's name in the step bar.
func (m *Model) stepLabel(k stepKind) string {
	switch k {
	case kindAffected:
		if m.mode == modeDeclare {
			return "Affected"
		}
		return "Components"
	case kindTitle:
		return "Title"
	case kindStatus:
		return "Status"
	case kindMessage:
		return "Message"
	}
	return "Review"
}

// guidance is the one line of advice shown under the step bar (ARCHITECTURE.md, the guided flow).
func (m *Model) guidance() string {
	switch m.kind() {
	case kindAffected:
		if m.mode == modeUpdate && m.status == store.Fixed {
			return "Fixed ends every impact: each returns to its own status."
		}
		if m.mode == modeUpdate {
			return "Change the impacts, or add components now affected too."
		}
		return "Set the components that are affected, and how badly."
	case kindTitle:
		return "Name the problem in one line, as readers will see it."
	case kindStatus:
		return m.status.Guidance()
	case kindMessage:
		return m.status.Guidance()
	}
	return "Check what readers will see, then post."
}

// statusOptionLabel names a choice of the status step relative to where the incident is.
func statusOptionLabel(cur, next store.IncidentStatus) string {
	switch {
	case cur == store.Watching && next == store.Identified:
		return "Not fixed: back to identified"
	case cur == store.Fixed && next != store.Fixed:
		return "Reopen: " + strings.ToLower(next.Label())
	case cur == store.Fixed: // offered only when an update may add a note to a fixed incident
		return "Still fixed: add a note"
	case cur == next:
		return "Still " + strings.ToLower(next.Label())
	}
	return next.Label()
}

// stepError is why the given step cannot be left forwards yet, "" when it can.
func (m *Model) stepError(k stepKind) string {
	switch k {
	case kindAffected:
		if m.mode == modeDeclare && len(m.impacts) == 0 {
			return "Pick at least one component (space), then how badly."
		}
	case kindTitle:
		if m.mode == modeDeclare {
			if _, err := store.CleanTitle(m.title.Value()); err != nil {
				return sentence(err)
			}
		}
	case kindStatus:
		if m.has(loadedIncident) && m.inc.Resolved() && m.status == store.Fixed && !m.addsNote() {
			return fmt.Sprintf("Incident #%d is already fixed: reopen it, or leave (esc).", m.incidentID)
		}
	case kindMessage:
		v := m.message.Value()
		if strings.TrimSpace(v) == "" {
			return "Message is required: tell readers what happens."
		}
		if _, err := store.CleanMessage(v); err != nil {
			return sentence(err)
		}
	}
	return ""
}

// firstInvalid is the first step whose input is not valid, -1 when all are.
func (m *Model) firstInvalid() int {
	for i, k := range m.steps {
		if m.stepError(k) != "" {
			return i
		}
	}
	return -1
}

// sentence turns an error into one line for a person: a store.ValidationError reads
// "Title is required"; anything else is its text, made safe for the terminal.
func sentence(err error) string {
	var ve *store.ValidationError
	if errors.As(err, &ve) {
		return sanitize.Line(capitalize(ve.Field) + " " + ve.Msg)
	}
	if errors.Is(err, store.ErrReadOnly) {
		return "Read-only: you may look but not post."
	}
	return sanitize.Line(capitalize(err.Error()))
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
