package markdown

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"beacon/sanitize"
	"beacon/theme"
)

func styles(p termenv.Profile) *theme.Styles {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(p)
	r.SetHasDarkBackground(true)
	return theme.New(r)
}

// constructs is one message per construct the console renders, and one with all of them.
var constructs = []struct{ name, src string }{
	{"paragraphs", "We are seeing elevated error rates on the API for requests that write to the primary database.\n\nA second paragraph,\nwith a soft break, and a hard one:  \nhere."},
	{"emphasis", "Only *some* requests fail, but **every** write does; ***both*** at once, and _underscores_ too."},
	{"inline_code", "Restarted `api-7f9c` with `kubectl rollout restart deploy/api` and `a  b`."},
	{"code_block", "Logs:\n\n```\nERROR 2025-03-14T14:59:01Z upstream connect error or disconnect/reset before headers\n\tretrying\n```\n\n    indented code"},
	{"bullet_list", "Affected:\n\n- Checkout, when paying by card and the card needs a second step of verification\n- Login\n  - with SSO\n  - with passwords\n- Search"},
	{"ordered_list", "Steps:\n\n1. Fail over the database to the replica in the other zone\n2. Drain the old primary\n\n3. Rebuild it\n\n   from the newest snapshot"},
	{"links", "See [the runbook](https://runbooks.example.com/api/errors) and <https://status.example.com>, or [https://example.com](https://example.com)."},
	{"quote", "> The provider says: a fibre cut between two of their sites, repair under way.\n>\n> Next update at 15:30."},
	{"headings", "# What happened\n\nText.\n\n## What we are doing about it right now, in some detail\n\n### Next"},
	{"rule", "Before\n\n---\n\nAfter"},
	{"html_and_image", "A <b>raw</b> tag, ![the graph](https://example.com/g.png) and\n\n<div>a block</div>"},
	{"unsafe_links", "See [x](javascript:alert(2)), [y](data:text/html,hi), [z](/relative), [w](https:nohost) and <script>alert(1)</script> done."},
	{"escapes", "Not \\*emphasis\\*, &amp; &eacute;t&#233; &#x1F525;, and 5 \\< 6."},
}

// TestGolden renders every construct at two widths, with and without colour.
func TestGolden(t *testing.T) {
	for _, c := range constructs {
		for _, width := range []int{72, 30} {
			for _, p := range []struct {
				name    string
				profile termenv.Profile
			}{{"plain", termenv.Ascii}, {"colour", termenv.ANSI256}} {
				t.Run(fmt.Sprintf("%s_%d_%s", c.name, width, p.name), func(t *testing.T) {
					lines := New(styles(p.profile)).Render(c.src, width)
					for _, l := range lines {
						if w := ansi.StringWidth(l); w > width {
							t.Errorf("line %q is %d cells, wider than %d", ansi.Strip(l), w, width)
						}
						if l != strings.TrimRight(l, " ") {
							t.Errorf("line %q ends in spaces", l)
						}
					}
					golden.RequireEqual(t, []byte(strings.Join(lines, "\n")+"\n"))
				})
			}
		}
	}
}

// TestEscapesStayInert: control characters, raw or smuggled in as character references in
// any construct, never reach the terminal; only the styles' own SGR sequences do.
func TestEscapesStayInert(t *testing.T) {
	for _, tt := range []struct{ src, shows string }{
		{"&#27;]2;PWNED&#7;", "&#27;]2;PWNED&#7;"},
		{"&#x1b;[41m &#X9B;2J", "&#x1b;[41m &#X9B;2J"},
		{"&#233;t&#xE9; &amp; &#0;", "été & �"},
		{"&#99999999999;", "&#99999999999;"},
		{"raw \x1b[31mred\x1b[0m", "raw ␛[31mred␛[0m"},
		{"OSC \x1b]52;c;aGk=\x07", "OSC ␛]52;c;aGk=␇"},
		{"C1 \u009b2J", "C1 \uFFFD2J"},
		{"**&#27;[2J**", "&#27;[2J"},
		{"`&#27;[2J`", "&#27;[2J"},
		{"[x &#27;c](https://e.com/&#27;)", "x &#27;c (https://e.com/&#27;)"},
		{"# &#x1b;]0;title&#x7;", "&#x1b;]0;title&#x7;"},
		{"- &#155;2J\n- \x1b[H", "&#155;2J"},
		{"> &#27;c", "&#27;c"},
		{"```\n\x1b]2;x\x07\n```", "␛]2;x␇"},
		{"<span>\x1b[2J</span> &#8238;rtl", "&#8238;rtl"},
		{"&NewLine;&Tab;x", "x"},
	} {
		for _, p := range []termenv.Profile{termenv.Ascii, termenv.TrueColor} {
			out := strings.Join(New(styles(p)).Render(tt.src, 60), "\n")
			if !strings.Contains(ansi.Strip(out), tt.shows) {
				t.Errorf("%q rendered %q, want it to show %q", tt.src, ansi.Strip(out), tt.shows)
			}
			checkInert(t, tt.src, out)
		}
	}
}

// checkInert fails when out holds an escape sequence other than SGR, or an unsafe character.
func checkInert(t *testing.T, src, out string) {
	t.Helper()
	for i := 0; i < len(out); i++ {
		if out[i] != 0x1b {
			continue
		}
		j := i + 2
		for j < len(out) && (out[j] >= '0' && out[j] <= '9' || out[j] == ';' || out[j] == ':') {
			j++
		}
		if i+1 >= len(out) || out[i+1] != '[' || j >= len(out) || out[j] != 'm' {
			t.Fatalf("%q rendered a non-SGR escape in %q", src, out)
		}
		i = j
	}
	for _, r := range out {
		if r != '\n' && r != 0x1b && sanitize.Unsafe(r) {
			t.Fatalf("%q rendered the unsafe rune %U in %q", src, r, out)
		}
	}
}

func FuzzRender(f *testing.F) {
	for _, c := range constructs {
		f.Add(c.src, 40)
	}
	for _, s := range []string{"&#27;[2J", "`\x1b]0;x\x07`", "- [a](&#x9b;)", "> ```\n> \x1b\n", "*a **b* c**"} {
		f.Add(s, 10)
	}
	md := New(styles(termenv.TrueColor))
	f.Fuzz(func(t *testing.T, src string, width int) {
		width = 1 + abs(width)%120
		lines := md.Render(src, width)
		out := strings.Join(lines, "\n")
		checkInert(t, src, out)
		for _, l := range lines {
			if w := ansi.StringWidth(l); w > width && width >= 8 {
				t.Fatalf("%q at %d: line %q is %d cells", src, width, ansi.Strip(l), w)
			}
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// BenchmarkRender is one typical update message (a paragraph, a list, inline code, a link)
// rendered at 80 columns in colour.
func BenchmarkRender(b *testing.B) {
	md := New(styles(termenv.ANSI256))
	src := "We are seeing **elevated error rates** on the API since the deploy of `api-7f9c`.\n\n" +
		"- Checkout fails for about 8% of requests\n- Login is slow\n\nSee [the runbook](https://runbooks.example.com/api) for the steps we follow."
	for b.Loop() {
		md.Render(src, 80)
	}
}
