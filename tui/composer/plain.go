package composer

import (
	"regexp"
	"strings"
)

var (
	mdLink   = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)
	mdMarker = regexp.MustCompile(`^(#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)`)
	mdStyle  = strings.NewReplacer("**", "", "__", "", "~~", "", "`", "")
)

// plainLine is the first paragraph of a Markdown message as one line of plain text: no
// emphasis, code or heading marks, links as their text.
func plainLine(msg string) string {
	para, _, _ := strings.Cut(strings.TrimSpace(strings.ReplaceAll(msg, "\r\n", "\n")), "\n\n")
	lines := strings.Split(para, "\n")
	for i, l := range lines {
		lines[i] = mdMarker.ReplaceAllString(strings.TrimSpace(l), "")
	}
	out := mdStyle.Replace(mdLink.ReplaceAllString(strings.Join(lines, " "), "$1"))
	return strings.Join(strings.Fields(out), " ")
}
