package store

import (
	"context"
	"fmt"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Names people tell apart by eye must differ in ways the eye sees. A name may not hold
// characters that draw nothing (Unicode format characters, default-ignorable code points,
// variation selectors, blank fillers), and two names are the same name when they match after
// NFC normalisation and case folding.

// invisible reports whether r draws nothing, or nothing distinguishable: format characters
// (Cf: zero-width spaces and joiners, direction marks, the byte-order mark, the soft hyphen, tag
// characters), the other default-ignorable code points (the combining grapheme joiner, Hangul
// fillers), variation selectors, and blank patterns.
func invisible(r rune) bool {
	return unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r) ||
		unicode.Is(unicode.Variation_Selector, r) || r == '\u2800' // braille pattern blank
}

// checkVisible refuses a name with an invisible character.
func checkVisible(field, s string) error {
	for _, r := range s {
		if invisible(r) {
			return invalid(field, "contains the invisible character %U; type the name without it", r)
		}
	}
	return nil
}

// NameKey is what two names are compared by: NFC-normalised and case-folded, so that
// "Café" (precomposed), "Cafe\u0301" and "CAFÉ" are one name.
func NameKey(s string) string {
	return cases.Fold().String(norm.NFC.String(s))
}

// uniqueName refuses name for the component or group id (0: a new one) when another one has
// the same name.
func uniqueName(ctx context.Context, q queryer, kind string, id int64, name string) error {
	rows, err := q.QueryContext(ctx, fmt.Sprintf(`SELECT id, name FROM %ss`, kind))
	if err != nil {
		return err
	}
	defer rows.Close()
	key := NameKey(name)
	for rows.Next() {
		var other int64
		var n string
		if err := rows.Scan(&other, &n); err != nil {
			return err
		}
		if other == id || NameKey(n) != key {
			continue
		}
		if n == name {
			return &ConflictError{fmt.Sprintf("a %s named %q already exists", kind, name)}
		}
		return &ConflictError{fmt.Sprintf("a %s named %q already exists (as %q)", kind, name, n)}
	}
	return rows.Err()
}
