package web

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
)

// sameAsParser fails t when m renders src other than goldmark's parser does.
func sameAsParser(t *testing.T, m *markdown, src string) {
	t.Helper()
	var buf bytes.Buffer
	if err := m.md.Convert([]byte(src), &buf); err != nil {
		t.Fatal(err)
	}
	if got := string(m.HTML(src)); got != buf.String() {
		t.Errorf("%q: fast %q, parser %q", src, got, buf.String())
	}
}

// TestPlainTextFastPath holds the parser-free path to the parser's own output.
func TestPlainTextFastPath(t *testing.T) {
	m := newMarkdown()
	check := func(src string) {
		t.Helper()
		if plainText(src) {
			sameAsParser(t, m, src)
		}
	}
	for _, src := range []string{
		"We are investigating elevated error rates on Checkout API since 14:00.",
		`He said "it's fine" (mostly); 100% done, 3 of 4 - ok.`,
		"Ümlauts, café – and “quotes” … done.",
		"a  b", "x. y", "Done.", "a - b + c = d", "what? yes", "a'b",
	} {
		if !plainText(src) {
			t.Errorf("%q should take the fast path", src)
		}
		check(src)
	}
	for _, src := range []string{"- item", "1. one", "# head", "**bold**", "a_b_", "see https://x.example", "www.example.com", "a@b.example", "x\ny", " lead", "<b>", "a & b", "~~s~~", "`c`", "[l](u)"} {
		if plainText(src) {
			t.Errorf("%q must go through the parser", src)
		}
	}
	alphabet := []rune("ab Z09.,;:'\"()?/%$^{}-+=éü–“…")
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		n := 1 + rng.IntN(30)
		r := make([]rune, n)
		for i := range r {
			r[i] = alphabet[rng.IntN(len(alphabet))]
		}
		check(string(r))
	}
}

// TestSimpleLineFastPath holds the parser-free rendering of strong text and code to the
// parser's own output, on the messages a status page commonly gets and on random lines made
// of words, spaces, punctuation, asterisks and backticks.
func TestSimpleLineFastPath(t *testing.T) {
	m := newMarkdown()
	accepted := 0
	check := func(src string) {
		t.Helper()
		if _, ok := simpleLine(src); ok {
			accepted++
			sameAsParser(t, m, src)
		}
	}
	for _, src := range []string{
		"We are investigating **elevated errors** on Payments us-east worker. More soon.",
		"**Cause identified:** a bad configuration push to API. We are rolling it back.",
		"The latest deploy of API exhausted its `db_pool` connections. Rolling back and raising the limit.",
		"API has been healthy for 30 minutes. **This is fixed.**",
		"**Done**, **really**; `a-b.c` and `x y`: \"quoted\" **2024**?",
	} {
		if _, ok := simpleLine(src); !ok {
			t.Errorf("%q should take the fast path", src)
		}
		check(src)
	}
	for _, src := range []string{
		"a**b**", "**a **", "** a**", "**a**b", "*a*", "**a", "a**", "***a***", "**a*b**", "`a``", "``a``",
		"` a`", "`a `", "`<a>`", "`a&b`", "**a**!", "**a.**b", "**`a`**", "- **a**", "1. **a**",
		"**a\nb**", "**a_b**", "__a__", "**a** see https://x.example", "** **",
	} {
		if _, ok := simpleLine(src); ok {
			t.Errorf("%q must go through the parser", src)
		}
		check(src)
	}
	tokens := []string{"a", "Zq", "9", "é", " ", " ", "**", "**", "`", "*", ".", ",", ":", ";", "?", "-", "_", "\"", "'", "(", ")", "–", "“"}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200000 {
		var b strings.Builder
		for range 1 + rng.IntN(12) {
			b.WriteString(tokens[rng.IntN(len(tokens))])
		}
		check(b.String())
	}
	if accepted < 1000 {
		t.Errorf("only %d random lines took the fast path; the test says little", accepted)
	}
}

// TestRawHTMLLeavesNoTrace: raw HTML is dropped without the comment goldmark leaves in its
// place, inline and as a block.
func TestRawHTMLLeavesNoTrace(t *testing.T) {
	m := newMarkdown()
	for src, want := range map[string]string{
		"<div>\nhidden\n</div>\n\nShown.":            "<p>Shown.</p>\n",
		"Before <b>bold</b> after.":                  "<p>Before bold after.</p>\n",
		"Code keeps it: `<!-- raw HTML omitted -->`": "<p>Code keeps it: <code>&lt;!-- raw HTML omitted --&gt;</code></p>\n",
	} {
		if got := string(m.HTML(src)); got != want {
			t.Errorf("%q: %q, want %q", src, got, want)
		}
	}
}
