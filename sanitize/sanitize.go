// Package sanitize makes text from users and from the database safe to write to a terminal,
// and says which of the links in it may be shown as links (WebLink).
//
// Escape sequences (CSI, OSC, DCS, APC and the rest) begin with a control character; every
// control character is replaced by a visible stand-in (ESC becomes ␛, BEL ␇, C1 codes �), so a
// hostile title shows as inert text and cannot move the cursor, retitle the window, touch the
// clipboard or change colours.
package sanitize

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Styled returns text that a renderer (the console's Markdown) produced from untrusted input
// made safe for a terminal: its colour and style sequences (SGR, ESC [ … m) are kept and
// everything else is made inert as Text does. It is the last guard on the way out, should
// anything the renderer decoded (a character reference such as &#27;) carry a control
// character past the sanitising of its input.
func Styled(s string) string {
	if isSafe(s, true) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for {
		i := strings.IndexByte(s, 0x1b)
		if i < 0 {
			b.WriteString(Text(s))
			return b.String()
		}
		b.WriteString(Text(s[:i]))
		if n := sgrLen(s[i:]); n > 0 {
			b.WriteString(s[i : i+n])
			s = s[i+n:]
			continue
		}
		b.WriteRune('␛')
		s = s[i+1:]
	}
}

// sgrLen is the length of the SGR sequence s starts with, or 0.
func sgrLen(s string) int {
	if len(s) < 3 || s[0] != 0x1b || s[1] != '[' {
		return 0
	}
	for i := 2; i < len(s) && i < 64; i++ {
		switch c := s[i]; {
		case c == 'm':
			return i + 1
		case (c < '0' || c > '9') && c != ';' && c != ':':
			return 0
		}
	}
	return 0
}

// Line returns s made safe for one line of a terminal: newlines and tabs become spaces too.
func Line(s string) string { return clean(s, false) }

// Text returns s made safe for a terminal, keeping newlines and tabs.
func Text(s string) string { return clean(s, true) }

func clean(s string, multiline bool) string {
	if isSafe(s, multiline) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteRune('\uFFFD')
		case r == '\n' || r == '\t':
			if multiline {
				b.WriteRune(r)
			} else {
				b.WriteByte(' ')
			}
		case r < 0x20:
			b.WriteRune(0x2400 + r) // Control Pictures: ␀ … ␟
		case r == 0x7f:
			b.WriteRune('␡')
		case Unsafe(r):
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isSafe(s string, multiline bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return isSafeSlow(s, multiline)
		}
		if c == 0x7f || (c < 0x20 && !(multiline && (c == '\n' || c == '\t'))) {
			return false
		}
	}
	return true
}

func isSafeSlow(s string, multiline bool) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if (r == '\n' || r == '\t') && multiline {
			continue
		}
		if Unsafe(r) {
			return false
		}
	}
	return true
}

// Unsafe reports whether r is a control character (C0, DEL, C1) or one of the Unicode
// separators and directional overrides that can make text read differently from what it is.
func Unsafe(r rune) bool { return unicode.IsControl(r) || isBidi(r) }

// isBidi reports the line and paragraph separators and the directional overrides and isolates,
// which can make text read differently from what it is.
func isBidi(r rune) bool {
	return r == '\u2028' || r == '\u2029' || (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069')
}

// WebLink reports whether u is an absolute http or https address: the only links Beacon shows
// as links, on the site and in the console alike. Any other (javascript:, data:, a relative
// path) is shown as its text alone.
func WebLink(u string) bool {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || p.Host == "" {
		return false
	}
	return p.Scheme == "http" || p.Scheme == "https"
}
