package incident

import (
	"fmt"
	"testing"
)

func TestFitParts(t *testing.T) {
	more := func(n int) string { return fmt.Sprintf("+%d more", n) }
	parts := []string{"Impacts: API", "Database", "Authentication service"}
	for _, tc := range []struct {
		width int
		want  string
	}{
		{60, "Impacts: API · Database · Authentication service"},
		{48, "Impacts: API · Database · Authentication service"},
		{47, "Impacts: API · Database · +1 more"},
		{33, "Impacts: API · Database · +1 more"},
		{32, "Impacts: API · +2 more"},
		{10, "Impacts: API · +2 more"}, // the caller cuts what is still too wide
	} {
		if got := fitParts(parts, " · ", more, tc.width); got != tc.want {
			t.Errorf("width %d: %q, want %q", tc.width, got, tc.want)
		}
	}
}
