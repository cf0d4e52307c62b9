package web

import (
	"bufio"
	"bytes"
	"html/template"
	"net/url"
	"strings"
	"sync"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
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
	if plainText(src) {
		b.WriteString("<p>")
		b.Write(util.EscapeHTML([]byte(src)))
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
	b.Write(out.buf.Bytes())
}

// plainText reports whether src is one line that Markdown would render as a bare paragraph:
// nothing that could start a block or mark inline text up, no link to find. Most updates are
// such a line, and skipping the parser for them keeps an export of many incidents fast; the
// result is the same bytes the parser makes (a test holds them to it).
func plainText(src string) bool {
	if src == "" || len(src) > 2000 || strings.TrimSpace(src) != src {
		return false
	}
	if c := src[0]; c >= '0' && c <= '9' || c == '-' || c == '+' || c == '=' {
		return false
	}
	if strings.ContainsAny(src, "\n\r\t\\`*_[]<>#!&|~@") || strings.Contains(src, "://") || strings.Contains(strings.ToLower(src), "www.") {
		return false
	}
	for _, r := range src {
		if r < ' ' || r == 0x7f || r > 0x7e && !unicode.IsLetter(r) && !unicode.IsNumber(r) && !strings.ContainsRune("–—’‘“”…·°€£", r) {
			return false
		}
	}
	return true
}

// webLink reports whether u is an absolute http or https address.
func webLink(u string) bool {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || p.Host == "" {
		return false
	}
	return p.Scheme == "http" || p.Scheme == "https"
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
			if webLink(string(n.Destination)) {
				n.SetAttributeString("rel", []byte("nofollow noopener noreferrer"))
			} else {
				unwrap = append(unwrap, n)
			}
		case *ast.Image:
			unwrap = append(unwrap, n)
		case *ast.AutoLink:
			if n.AutoLinkType == ast.AutoLinkURL && webLink(string(n.URL(src))) {
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
