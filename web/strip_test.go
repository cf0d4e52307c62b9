package web

import (
	"strings"
	"testing"
	"time"

	"beacon/store"
)

// TestStripLabelCountsDays: the strip's words count the days with trouble, one or many.
func TestStripLabelCountsDays(t *testing.T) {
	day := func(worst store.Status) store.UptimeDay {
		return store.UptimeDay{Observed: 24 * time.Hour, Worst: worst}
	}
	for _, tc := range []struct {
		days []store.UptimeDay
		want string
	}{
		{[]store.UptimeDay{day(store.Operational), day(store.Operational)}, "over the last 2 days"},
		{[]store.UptimeDay{day(store.Operational), day(store.PartialOutage)}, "; 1 day with trouble"},
		{[]store.UptimeDay{day(store.MajorOutage), day(store.PartialOutage)}, "; 2 days with trouble"},
	} {
		label := newStrip(store.Uptime{Days: tc.days, Observed: 48 * time.Hour}).Label
		if !strings.HasSuffix(label, tc.want) {
			t.Errorf("%q, want it to end %q", label, tc.want)
		}
	}
}
