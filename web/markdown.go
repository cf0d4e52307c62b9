package web

import (
	"bufio"
	"bytes"
	"html/template"
	"strings"
	"sync"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"beacon/sanitize"
)

// markdown turns an update's Markdown into HTML that is safe to put in a page: raw HTML in the
// source is dropped (goldmark's default), links and autolinks survive only with an absolute
// http or https address (any other becomes its text), images become their text (the page
// loads nothing from elsewhere), and headings start below the page's own. It reads core
// CommonMark only, the subset the console draws, so the composer's review shows what readers
// get; goldmark's extensions (bare-URL links, strikethrough) would also cost every Beacon
// command a millisecond of package start-up.
type markdown struct {
	md      goldmark.Markdown
	outputs sync.Pool // of *markdownOutput, reused between renderings
}

// markdownOutput is where goldmark writes: a buffer, and a writer in front of it that
// goldmark would otherwise make anew for every message.
type markdownOutput struct {
	buf bytes.Buffer
	w   *bufio.Writer
}

func newMarkdown() *markdown {
	return &markdown{md: goldmark.New(
		goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(safeLinks{}, 100))),
	)}
}

// HTML renders src; a message that fails to render is shown escaped, as written.
func (m *markdown) HTML(src string) template.HTML {
	var b strings.Builder
	m.write(&b, src)
	return template.HTML(b.String())
}

// write writes HTML's bytes into b.
func (m *markdown) write(b *strings.Builder, src string) {
	if spans, ok := simpleLine(src); ok {
		b.WriteString("<p>")
		for _, sp := range spans {
			switch sp.kind {
			case strongSpan:
				b.WriteString("<strong>")
				b.Write(util.EscapeHTML([]byte(sp.text)))
				b.WriteString("</strong>")
			case codeSpan:
				b.WriteString("<code>" + sp.text + "</code>")
			default:
				b.Write(util.EscapeHTML([]byte(sp.text)))
			}
		}
		b.WriteString("</p>\n")
		return
	}
	out, _ := m.outputs.Get().(*markdownOutput)
	if out == nil {
		out = &markdownOutput{}
		out.w = bufio.NewWriter(&out.buf)
	}
	defer m.outputs.Put(out)
	out.buf.Reset()
	out.w.Reset(&out.buf)
	err := m.md.Convert([]byte(src), out.w)
	if err == nil {
		err = out.w.Flush()
	}
	if err != nil {
		b.WriteString("<p>" + template.HTMLEscapeString(src) + "</p>")
		return
	}
	html := out.buf.Bytes()
	if bytes.Contains(html, rawHTMLOmitted) {
		// goldmark leaves a comment where it dropped raw HTML; readers need no trace of it.
		html = bytes.ReplaceAll(bytes.ReplaceAll(html, rawHTMLOmittedLine, nil), rawHTMLOmitted, nil)
	}
	b.Write(html)
}

// rawHTMLOmitted is what goldmark writes in place of raw HTML it drops: a line of its own for
// a block, inline for the rest.
var (
	rawHTMLOmittedLine = []byte("<!-- raw HTML omitted -->\n")
	rawHTMLOmitted     = rawHTMLOmittedLine[:len(rawHTMLOmittedLine)-1]
)

// plainText reports whether src is one line that Markdown would render as a bare paragraph:
// nothing that could start a block or mark inline text up, no link to find.
func plainText(src string) bool {
	return plainLine(src) && plainRun(src)
}

// plainLine reports whether src is one line that cannot start a block (a list, a heading, a
// quote, a fence), with no address that a link could be made of.
func plainLine(src string) bool {
	if src == "" || len(src) > 2000 || strings.TrimSpace(src) != src {
		return false
	}
	if c := src[0]; c >= '0' && c <= '9' || c == '-' || c == '+' || c == '=' {
		return false
	}
	return !strings.ContainsAny(src, "\n\r\t") && !strings.Contains(src, "://") && !strings.Contains(strings.ToLower(src), "www.")
}

// plainRun reports whether s is text that Markdown shows as it is (but for HTML's escapes):
// no character that could mark anything up, and only letters, digits and common punctuation.
func plainRun(s string) bool {
	if strings.ContainsAny(s, "\n\r\t\\`*_[]<>#!&|~@") {
		return false
	}
	for _, r := range s {
		if r < ' ' || r == 0x7f || r > 0x7e && !unicode.IsLetter(r) && !unicode.IsNumber(r) && !strings.ContainsRune("–—’‘“”…·°€£", r) {
			return false
		}
	}
	return true
}

// The kinds of span of a simple line.
const (
	textSpan = iota
	strongSpan
	codeSpan
)

// lineSpan is a part of a simple line: plain text, strong text, or code.
type lineSpan struct {
	kind int
	text string
}

// simpleLine splits src into its spans when it is a plain line whose only markup is strong
// text (**like this**) and code (`like_this`) in their plainest forms: strong text opening
// after a space (or at the start) before a letter or digit, closing after a letter or digit
// (or . : ?) before a space, the end, or punctuation; code of letters, digits and _ . - with no
// space at either end. Most updates are such a line, and rendering them here rather than
// through the parser keeps an export of many incidents fast; the result is the same bytes the
// parser makes (a test holds them to it). False when src needs the parser.
func simpleLine(src string) ([]lineSpan, bool) {
	if !plainLine(src) {
		return nil, false
	}
	var spans []lineSpan
	text := 0 // where the text since the last span starts
	for i := 0; i < len(src); {
		var sp lineSpan
		var next int
		switch {
		case strings.HasPrefix(src[i:], "**"):
			end := strings.Index(src[i+2:], "**")
			if end < 1 {
				return nil, false
			}
			sp, next = lineSpan{strongSpan, src[i+2 : i+2+end]}, i+2+end+2
			if !opensStrong(src, i) || !closesStrong(src, next-2) || !plainRun(sp.text) {
				return nil, false
			}
		case src[i] == '`':
			end := strings.IndexByte(src[i+1:], '`')
			if end < 1 {
				return nil, false
			}
			sp, next = lineSpan{codeSpan, src[i+1 : i+1+end]}, i+1+end+1
			if !plainCode(sp.text) || next < len(src) && src[next] == '`' {
				return nil, false
			}
		default:
			i++
			continue
		}
		if text < i {
			spans = append(spans, lineSpan{textSpan, src[text:i]})
		}
		spans = append(spans, sp)
		i, text = next, next
	}
	if text < len(src) {
		spans = append(spans, lineSpan{textSpan, src[text:]})
	}
	for _, sp := range spans {
		if sp.kind == textSpan && !plainRun(sp.text) {
			return nil, false
		}
	}
	return spans, true
}

// opensStrong reports whether the ** at i of src can only open strong text.
func opensStrong(src string, i int) bool {
	return (i == 0 || src[i-1] == ' ') && i+2 < len(src) && asciiAlnum(src[i+2])
}

// closesStrong reports whether the ** at i of src can only close strong text.
func closesStrong(src string, i int) bool {
	end := i+2 == len(src)
	switch prev := src[i-1]; {
	case asciiAlnum(prev):
		return end || strings.IndexByte(" .,;:?", src[i+2]) >= 0
	case strings.IndexByte(".:?", prev) >= 0:
		return end || src[i+2] == ' '
	}
	return false
}

// plainCode reports whether s, between backticks, is code that the parser writes as it is.
func plainCode(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !asciiAlnum(c) && strings.IndexByte("_.- ", c) < 0 {
			return false
		}
	}
	return true
}

func asciiAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

type safeLinks struct{}

func (safeLinks) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	src := reader.Source()
	var unwrap []ast.Node
	var replace []*ast.AutoLink
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			n.Level = min(n.Level+2, 6)
		case *ast.Link:
			if sanitize.WebLink(string(n.Destination)) {
				n.SetAttributeString("rel", []byte("nofollow noopener noreferrer"))
			} else {
				unwrap = append(unwrap, n)
			}
		case *ast.Image:
			unwrap = append(unwrap, n)
		case *ast.AutoLink:
			if n.AutoLinkType == ast.AutoLinkURL && sanitize.WebLink(string(n.URL(src))) {
				n.SetAttributeString("rel", []byte("nofollow noopener noreferrer"))
			} else {
				replace = append(replace, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, n := range unwrap {
		parent := n.Parent()
		for c := n.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, n, c)
			c = next
		}
		parent.RemoveChild(parent, n)
	}
	for _, n := range replace {
		n.Parent().ReplaceChild(n.Parent(), n, ast.NewString(n.Label(src)))
	}
}
