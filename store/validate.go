package store

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"beacon/sanitize"
)

// Limits on text taken from users.
const (
	MaxNameLen    = 100   // characters in a group, component or actor name
	MaxTitleLen   = 200   // characters in an incident title
	MaxMessageLen = 20000 // bytes in an update message
	MaxDescLen    = 1000  // characters in a component description or link
)

// ValidationError says which field of the input is wrong and what is allowed.
type ValidationError struct {
	Field string
	Msg   string
}

func (e *ValidationError) Error() string { return e.Field + ": " + e.Msg }

// Errors a caller may test for with errors.Is.
var (
	ErrNotFound = errors.New("not found")
	ErrReadOnly = errors.New("read-only: this responder may look but not change anything")
	ErrConflict = errors.New("conflict")
)

// NotFoundError names what was looked for.
type NotFoundError struct{ What string }

func (e *NotFoundError) Error() string { return e.What + " not found" }

// Is makes errors.Is(err, ErrNotFound) true.
func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

// ConflictError explains why a write was refused given what the database holds.
type ConflictError struct{ Msg string }

func (e *ConflictError) Error() string { return e.Msg }

// Is makes errors.Is(err, ErrConflict) true.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

func invalid(field, format string, args ...any) error {
	return &ValidationError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// CleanName checks a one-line name (group, component, actor) and returns it trimmed. A name
// may not hold invisible characters (zero-width, format, default-ignorable), which would let
// two different names read the same.
func CleanName(field, s string) (string, error) {
	s, err := cleanLine(field, s, MaxNameLen, true)
	if err != nil {
		return "", err
	}
	return s, checkVisible(field, s)
}

// CleanTitle checks an incident title and returns it trimmed.
func CleanTitle(s string) (string, error) {
	return cleanLine("title", s, MaxTitleLen, true)
}

// CleanMessage checks an update message (Markdown) and returns it with CRLF folded and the
// surrounding blank space trimmed. An empty message is allowed.
func CleanMessage(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", invalid("message", "is not valid UTF-8 text")
	}
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	if len(s) > MaxMessageLen {
		return "", invalid("message", "is %d bytes; the limit is %d", len(s), MaxMessageLen)
	}
	for _, r := range s {
		if r != '\n' && r != '\t' && isControl(r) {
			return "", invalid("message", "contains control character %U; only newline and tab are allowed", r)
		}
	}
	return s, nil
}

// cleanLink checks a component's link: empty, or an absolute http or https URL (never
// javascript:, data: or file:, which a reader's browser would run or open).
func cleanLink(s string) (string, error) {
	s, err := cleanDescription("link", s)
	if err != nil || s == "" {
		return s, err
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", invalid("link", "%q is not an http or https address; write it in full, e.g. https://status.example.com", s)
	}
	return s, nil
}

// onceEach refuses impacts that name one component twice: which one would hold is not for
// the order of the flags to decide.
func onceEach(impacts []SetImpact) error {
	seen := make(map[int64]bool, len(impacts))
	for _, m := range impacts {
		if seen[m.ComponentID] {
			return invalid("component", "component #%d is named twice; give each component one impact", m.ComponentID)
		}
		seen[m.ComponentID] = true
	}
	return nil
}

func cleanDescription(field, s string) (string, error) {
	return cleanLine(field, s, MaxDescLen, false)
}

func cleanLine(field, s string, max int, required bool) (string, error) {
	if !utf8.ValidString(s) {
		return "", invalid(field, "is not valid UTF-8 text")
	}
	s = strings.TrimSpace(s)
	if s == "" && required {
		return "", invalid(field, "is required")
	}
	if n := utf8.RuneCountInString(s); n > max {
		return "", invalid(field, "is %d characters; the limit is %d", n, max)
	}
	for _, r := range s {
		if r == '\n' || r == '\r' {
			return "", invalid(field, "must be one line")
		}
		if isControl(r) {
			return "", invalid(field, "contains control character %U", r)
		}
	}
	return s, nil
}

func isControl(r rune) bool { return sanitize.Unsafe(r) }
