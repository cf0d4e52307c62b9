package web

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// TestPlainTextFastPath holds the parser-free path to the parser's own output.
func TestPlainTextFastPath(t *testing.T) {
	m := newMarkdown()
	check := func(src string) {
		t.Helper()
		if !plainText(src) {
			return
		}
		var buf bytes.Buffer
		if err := m.md.Convert([]byte(src), &buf); err != nil {
			t.Fatal(err)
		}
		if got := string(m.HTML(src)); got != buf.String() {
			t.Errorf("%q: fast %q, parser %q", src, got, buf.String())
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
