package cli

import (
	"bytes"
	"io"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"beacon/theme"
)

func TestProgressBar(t *testing.T) {
	var buf bytes.Buffer
	off := newProgressBar(&buf, (&app{}).styles)
	off.show(5, 10)
	off.done()
	if buf.Len() != 0 {
		t.Errorf("a bar was drawn on a non-terminal: %q", buf.String())
	}

	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	on := &progressBar{w: &buf, s: theme.New(r), width: 10}
	tests := []struct {
		done, total int
		want        string
	}{
		{0, 200, "\r░░░░░░░░░░   0% 0/200 incidents"},
		{60, 200, "\r███░░░░░░░  30% 60/200 incidents"},
		{200, 200, "\r██████████ 100% 200/200 incidents"},
	}
	for _, tt := range tests {
		buf.Reset()
		on.show(tt.done, tt.total)
		if got := buf.String(); got != tt.want {
			t.Errorf("show(%d, %d) = %q, want %q", tt.done, tt.total, got, tt.want)
		}
	}
}
