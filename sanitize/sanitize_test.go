package sanitize

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLineAndText(t *testing.T) {
	tests := []struct {
		name, in, line, text string
	}{
		{"plain", "API is slow", "API is slow", "API is slow"},
		{"newline and tab", "a\nb\tc", "a b c", "a\nb\tc"},
		{"OSC title", "\x1b]0;pwned\x07x", "␛]0;pwned␇x", "␛]0;pwned␇x"},
		{"CSI colour", "\x1b[31mred\x1b[0m", "␛[31mred␛[0m", "␛[31mred␛[0m"},
		{"OSC 52 clipboard", "\x1b]52;c;aGk=\x1b\\", "␛]52;c;aGk=␛\\", "␛]52;c;aGk=␛\\"},
		{"C1 CSI", "a\u009b31mb", "a\uFFFD31mb", "a\uFFFD31mb"},
		{"DEL and CR", "a\x7fb\rc", "a␡b␍c", "a␡b␍c"},
		{"invalid UTF-8", "a\xffb", "a\uFFFDb", "a\uFFFDb"},
		{"bidi override", "abc\u202edcba", "abc\uFFFDdcba", "abc\uFFFDdcba"},
		{"wide runes kept", "日本 ✖ ●", "日本 ✖ ●", "日本 ✖ ●"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Line(tt.in); got != tt.line {
				t.Errorf("Line(%q) = %q, want %q", tt.in, got, tt.line)
			}
			if got := Text(tt.in); got != tt.text {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.text)
			}
		})
	}
}

func TestStyled(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "hello\nworld", "hello\nworld"},
		{"colours kept", "\x1b[1;38;5;208mbold\x1b[0m", "\x1b[1;38;5;208mbold\x1b[0m"},
		{"OSC title inert", "a\x1b]2;PWNED\x07b", "a␛]2;PWNED␇b"},
		{"OSC 52 inert", "\x1b]52;c;aGk=\x1b\\", "␛]52;c;aGk=␛\\"},
		{"cursor move inert", "\x1b[2J\x1b[H", "␛[2J␛[H"},
		{"unterminated SGR inert", "\x1b[31", "␛[31"},
		{"C1 CSI inert", "\u009b2J", "\uFFFD2J"},
	}
	for _, tt := range tests {
		if got := Styled(tt.in); got != tt.want {
			t.Errorf("%s: Styled(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

func FuzzStyled(f *testing.F) {
	for _, s := range []string{"\x1b[31mx\x1b[0m", "\x1b]0;t\x07", "\x1b[", "\x1b[1;2", "\x1bP1q\x1b\\"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Styled(s)
		for i := 0; i < len(out); i++ {
			if out[i] == 0x1b {
				n := sgrLen(out[i:])
				if n == 0 {
					t.Fatalf("non-SGR escape left in %q (from %q)", out, s)
				}
				i += n - 1
			}
		}
		for _, r := range out {
			if r != '\n' && r != '\t' && r != 0x1b && Unsafe(r) {
				t.Fatalf("unsafe rune %U left in %q", r, out)
			}
		}
	})
}

func FuzzSanitize(f *testing.F) {
	for _, s := range []string{"", "hello", "\x1b]0;t\x07", "\x1bP1;2q\x1b\\", "\u009b2J", "a\xff\xfe", "\r\n\t"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, out := range []string{Line(s), Text(s)} {
			if !utf8.ValidString(out) {
				t.Fatalf("invalid UTF-8 out of %q", s)
			}
			for _, r := range out {
				if r == '\n' || r == '\t' {
					continue
				}
				if Unsafe(r) {
					t.Fatalf("unsafe rune %U left in %q (from %q)", r, out, s)
				}
			}
		}
		if strings.ContainsAny(Line(s), "\n\t") {
			t.Fatalf("Line kept a newline or tab: %q", Line(s))
		}
		if Text(Text(s)) != Text(s) {
			t.Fatalf("Text is not idempotent on %q", s)
		}
	})
}
