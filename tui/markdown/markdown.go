// Package markdown renders update messages, written in Markdown, for a terminal: the part of
// Markdown responders write (paragraphs, emphasis, inline code and code blocks, lists, links,
// quotes, headings), parsed by goldmark's core parser and drawn in the theme's styles. As on
// the public site, raw HTML is dropped, images are their alt text and only http and https
// links show where they go. One renderer serves the incident's timeline and the composer's
// review, so the review shows what readers will see.
//
// Messages are untrusted: every piece of text is sanitised before it is styled, and a
// character reference that would decode to a control character (&#27;) shows as written.
package markdown

import (
	"bytes"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"beacon/sanitize"
	"beacon/theme"
)

// parse is goldmark's CommonMark parser without extensions, built on first use. A built parser
// keeps no state between parses, so every session shares it.
var parse = sync.OnceValue(func() parser.Parser {
	return parser.NewParser(
		parser.WithBlockParsers(parser.DefaultBlockParsers()...),
		parser.WithInlineParsers(parser.DefaultInlineParsers()...),
		parser.WithParagraphTransformers(parser.DefaultParagraphTransformers()...),
	)
})

// Renderer renders Markdown in one session's styles. It is safe for concurrent use.
type Renderer struct {
	ascii bool // no colour: inline code and emphasis keep their marks to stand out
	marks map[look][2]string
}

// New returns the renderer for a session's styles. It works out once what each style writes
// before and after a word, which is most of what styling would otherwise cost.
func New(s *theme.Styles) *Renderer {
	r := &Renderer{ascii: s.Renderer.ColorProfile() == termenv.Ascii, marks: map[look][2]string{}}
	for k := kindText; k <= kindRule; k++ {
		for _, bold := range []bool{false, true} {
			for _, italic := range []bool{false, true} {
				l := look{kind: k, bold: bold, italic: italic}
				open, end, _ := strings.Cut(style(&s.Markdown, l).Render("\x00"), "\x00")
				r.marks[l] = [2]string{open, end}
			}
		}
	}
	return r
}

// Render returns src rendered as lines at most width cells wide: without trailing spaces, and
// without blank lines before the first line or after the last.
func (rr *Renderer) Render(src string, width int) []string {
	width = max(1, width)
	source := []byte(src)
	doc := parse().Parse(text.NewReader(source))
	r := &renderer{Renderer: rr, src: source}
	lines := r.blocks(doc, width, false)
	for i, l := range lines {
		lines[i] = sanitize.Styled(strings.TrimRight(l, " "))
	}
	return trimBlank(lines)
}

// renderer is one Render call.
type renderer struct {
	*Renderer
	src []byte
}

// blocks renders the block children of n, a blank line between them unless tight (the items
// of a tight list).
func (r *renderer) blocks(n ast.Node, width int, tight bool) []string {
	var out []string
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		b := r.block(c, width)
		if len(b) == 0 {
			continue
		}
		if len(out) > 0 && !tight {
			out = append(out, "")
		}
		out = append(out, b...)
	}
	return out
}

// block renders one block node.
func (r *renderer) block(n ast.Node, width int) []string {
	switch n := n.(type) {
	case *ast.Paragraph, *ast.TextBlock:
		return r.paragraph(n, width, look{})
	case *ast.Heading:
		marks := r.span(strings.Repeat("#", n.Level)+" ", look{kind: kindHeading})
		lines := r.paragraph(n, max(1, width-n.Level-1), look{kind: kindHeading, bold: true})
		pad := strings.Repeat(" ", n.Level+1)
		for i := range lines {
			if i == 0 {
				lines[i] = marks + lines[i]
			} else {
				lines[i] = pad + lines[i]
			}
		}
		return lines
	case *ast.ThematicBreak:
		return []string{r.span(strings.Repeat("─", min(width, 40)), look{kind: kindRule})}
	case *ast.HTMLBlock:
		return nil // the site drops raw HTML: so does the review of what readers get
	case *ast.CodeBlock, *ast.FencedCodeBlock:
		return r.code(n, width)
	case *ast.Blockquote:
		return prefix(r.blocks(n, max(1, width-2), false), r.span("│", look{kind: kindQuote})+" ", r.span("│", look{kind: kindQuote})+" ")
	case *ast.List:
		return r.list(n, width)
	}
	return r.blocks(n, width, false)
}

// list renders a list: each item's blocks after its bullet or number, later lines hanging.
func (r *renderer) list(l *ast.List, width int) []string {
	var marks []string
	w := 0
	i := 0
	for c := l.FirstChild(); c != nil; c = c.NextSibling() {
		m := "•"
		if l.IsOrdered() {
			m = strconv.Itoa(l.Start+i) + "."
		}
		marks = append(marks, m)
		w = max(w, ansi.StringWidth(m))
		i++
	}
	var out []string
	i = 0
	for c := l.FirstChild(); c != nil; c = c.NextSibling() {
		item := r.blocks(c, max(1, width-w-1), l.IsTight)
		if len(item) == 0 {
			item = []string{""}
		}
		if len(out) > 0 && !l.IsTight {
			out = append(out, "")
		}
		first := r.span(marks[i], look{kind: kindMarker}) + strings.Repeat(" ", w-ansi.StringWidth(marks[i])+1)
		out = append(out, prefix(item, first, strings.Repeat(" ", w+1))...)
		i++
	}
	return out
}

// code renders a code block's lines as they are, cut to width where too long.
func (r *renderer) code(n ast.Node, width int) []string {
	var out []string
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		l := strings.TrimRight(string(seg.Value(r.src)), "\r\n")
		l = sanitize.Line(strings.ReplaceAll(l, "\t", "    "))
		for _, part := range strings.Split(ansi.Hardwrap(l, max(1, width-2), false), "\n") {
			out = append(out, "  "+r.span(part, look{kind: kindCode}))
		}
	}
	if len(out) == 0 {
		out = append(out, "")
	}
	return out
}

// paragraph renders the inline children of n, wrapped at width; hard line breaks start new
// lines.
func (r *renderer) paragraph(n ast.Node, width int, base look) []string {
	in := &inline{r: r}
	in.children(n, base)
	var out []string
	for _, l := range in.lines() {
		out = append(out, wrap(l, width)...)
	}
	return out
}

// wrap wraps s at width, between words where it can. ansi.Wrap can leave a line one cell too
// wide (a word ending in a hyphen), so such a line is cut once more.
func wrap(s string, width int) []string {
	var out []string
	for _, l := range strings.Split(ansi.Wrap(s, width, ""), "\n") {
		if ansi.StringWidth(l) > width {
			out = append(out, strings.Split(ansi.Hardwrap(l, width, true), "\n")...)
			continue
		}
		out = append(out, l)
	}
	return out
}

// prefix puts first before the first line and rest before the others.
func prefix(lines []string, first, rest string) []string {
	for i := range lines {
		p := rest
		if i == 0 {
			p = first
		}
		if lines[i] == "" {
			lines[i] = strings.TrimRight(p, " ")
		} else {
			lines[i] = p + lines[i]
		}
	}
	return lines
}

// kind is which of the theme's Markdown styles a run of text takes.
type kind uint8

const (
	kindText kind = iota
	kindHeading
	kindCode
	kindLink
	kindURL
	kindQuote
	kindMarker
	kindRule
)

// look is how a run of text is drawn: its style and any emphasis.
type look struct {
	kind         kind
	bold, italic bool
}

// style is the lipgloss style of a look.
func style(s *theme.MarkdownStyles, l look) lipgloss.Style {
	var st lipgloss.Style
	switch l.kind {
	case kindHeading:
		st = s.Heading
	case kindCode:
		st = s.Code
	case kindLink:
		st = s.Link
	case kindURL:
		st = s.URL
	case kindQuote:
		st = s.Quote
	case kindMarker:
		st = s.Marker
	case kindRule:
		st = s.Rule
	default:
		st = s.Text
	}
	if l.bold {
		st = st.Bold(true)
	}
	if l.italic {
		st = st.Italic(true)
	}
	return st
}

// span draws text (already safe) in a look: each word wrapped in the look's sequences, so
// that wrapping between words never leaves a line without its style.
func (r *renderer) span(text string, l look) string {
	m := r.marks[l]
	open, end := m[0], m[1]
	if open == "" && end == "" {
		return text
	}
	var b strings.Builder
	for i, w := range strings.Split(text, " ") {
		if i > 0 {
			b.WriteByte(' ')
		}
		if w != "" {
			b.WriteString(open)
			b.WriteString(w)
			b.WriteString(end)
		}
	}
	return b.String()
}

// inline gathers a paragraph's inline content as styled lines (split at hard breaks).
type inline struct {
	r    *renderer
	b    strings.Builder
	done []string
}

func (in *inline) lines() []string { return append(in.done, in.b.String()) }

func (in *inline) newline() {
	in.done = append(in.done, in.b.String())
	in.b.Reset()
}

// text adds text from the message in a look: sanitised, and on one line.
func (in *inline) text(s string, l look) {
	in.b.WriteString(in.r.span(sanitize.Line(s), l))
}

func (in *inline) children(n ast.Node, l look) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		in.node(c, l)
	}
}

func (in *inline) node(n ast.Node, l look) {
	src := in.r.src
	switch n := n.(type) {
	case *ast.Text:
		v := n.Value(src)
		if n.IsRaw() {
			in.text(string(v), l)
		} else {
			in.text(decode(v), l)
		}
		switch {
		case n.HardLineBreak():
			in.newline()
		case n.SoftLineBreak():
			in.b.WriteByte(' ')
		}
	case *ast.String:
		if n.IsCode() || n.IsRaw() {
			in.text(string(n.Value), l)
		} else {
			in.text(decode(n.Value), l)
		}
	case *ast.CodeSpan:
		var code bytes.Buffer
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			if t, ok := c.(*ast.Text); ok {
				code.Write(t.Segment.Value(src))
			} else if s, ok := c.(*ast.String); ok {
				code.Write(s.Value)
			}
		}
		c := strings.ReplaceAll(code.String(), "\n", " ")
		if in.r.ascii {
			c = "`" + c + "`"
		}
		cl := l
		cl.kind = kindCode
		in.text(c, cl)
	case *ast.Emphasis:
		el := l
		if n.Level >= 2 {
			el.bold = true
		} else {
			el.italic = true
		}
		// Without colour there is no bold or italic either: the marks say it, as written.
		mark := strings.Repeat("*", min(n.Level, 2))
		if in.r.ascii {
			in.b.WriteString(in.r.span(mark, l))
		}
		in.children(n, el)
		if in.r.ascii {
			in.b.WriteString(in.r.span(mark, l))
		}
	case *ast.Link:
		in.link(n, string(n.Destination), l)
	case *ast.Image:
		in.children(n, l) // the site shows an image's alt text
	case *ast.AutoLink:
		ll := l
		ll.kind = kindLink
		in.text(string(n.Label(src)), ll)
	case *ast.RawHTML:
		// Dropped, as the site drops it.
	default:
		in.children(n, l)
	}
}

// link adds a link's text, then where it goes unless that is the text. A link to anything
// but http or https is only its text, as on the site.
func (in *inline) link(n ast.Node, dest string, l look) {
	dest = decode([]byte(dest))
	if !sanitize.WebLink(dest) {
		in.children(n, l)
		return
	}
	ll := l
	ll.kind = kindLink
	start := in.b.Len()
	in.children(n, ll)
	shown := ansi.Strip(in.b.String()[start:])
	if dest == shown {
		return
	}
	ul := look{kind: kindURL}
	in.b.WriteByte(' ')
	in.text("("+dest+")", ul)
}

// decode turns the text of a Markdown node into what it says: backslash escapes and character
// references resolved, except references to characters that are unsafe on a terminal, which
// stay as written.
func decode(v []byte) string {
	if bytes.IndexByte(v, '\\') < 0 && bytes.IndexByte(v, '&') < 0 {
		return string(v)
	}
	var b strings.Builder
	for i := 0; i < len(v); {
		c := v[i]
		switch {
		case c == '\\' && i+1 < len(v) && util.IsPunct(v[i+1]):
			b.WriteByte(v[i+1])
			i += 2
			continue
		case c == '&':
			if r, n := reference(v[i:]); n > 0 {
				b.WriteString(r)
				i += n
				continue
			}
		}
		b.WriteByte(c)
		i++
	}
	return b.String()
}

// reference reads the character reference v starts with (&#233; &#xE9; &eacute;) and returns
// what it stands for and its length; 0 when v does not start with one, or with one that
// stands for an unsafe character.
func reference(v []byte) (string, int) {
	end := bytes.IndexByte(v, ';')
	if end < 2 || end > 40 {
		return "", 0
	}
	name := string(v[1:end])
	if name[0] != '#' {
		e, ok := util.LookUpHTML5EntityByName(name)
		if !ok || !safe(string(e.Characters)) {
			return "", 0
		}
		return string(e.Characters), end + 1
	}
	var n uint64
	var err error
	switch {
	case len(name) > 2 && (name[1] == 'x' || name[1] == 'X'):
		n, err = strconv.ParseUint(name[2:], 16, 32)
	case len(name) > 1 && len(name) <= 8:
		n, err = strconv.ParseUint(name[1:], 10, 32)
	default:
		return "", 0
	}
	if err != nil {
		return "", 0
	}
	r := rune(n)
	if n == 0 || n > utf8.MaxRune || !utf8.ValidRune(r) {
		r = utf8.RuneError // as CommonMark says
	}
	if !safe(string(r)) {
		return "", 0
	}
	return string(r), end + 1
}

// safe reports whether s holds no character a terminal would act on.
func safe(s string) bool {
	for _, r := range s {
		if sanitize.Unsafe(r) {
			return false
		}
	}
	return true
}

// trimBlank drops leading and trailing blank lines.
func trimBlank(lines []string) []string {
	blank := func(s string) bool { return strings.TrimSpace(ansi.Strip(s)) == "" }
	for len(lines) > 0 && blank(lines[0]) {
		lines = lines[1:]
	}
	for len(lines) > 0 && blank(lines[len(lines)-1]) {
		lines = lines[:len(lines)-1]
	}
	return lines
}
