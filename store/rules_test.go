package store_test

import (
	"context"
	"testing"

	"beacon/store"
)

func TestWorstAndSeverity(t *testing.T) {
	for i := 1; i < len(store.Statuses); i++ {
		lo, hi := store.Statuses[i-1], store.Statuses[i]
		if store.Worst(lo, hi) != hi || store.Worst(hi, lo) != hi {
			t.Errorf("Worst(%s, %s) should be %s", lo, hi, hi)
		}
	}
	if got := store.Worst(); got != store.Operational {
		t.Errorf("Worst() = %s, want operational", got)
	}
}

func TestParseStatus(t *testing.T) {
	tests := []struct {
		in   string
		want store.Status
		ok   bool
	}{
		{"operational", store.Operational, true},
		{"Major outage", store.MajorOutage, true},
		{"major-outage", store.MajorOutage, true},
		{"degraded_performance", store.PerformanceIssues, true},
		{"4", store.MajorOutage, true},
		{"2", store.PerformanceIssues, true},
		{"5", store.Unknown, true},
		{"0", store.Unknown, true},
		{" partial_outage ", store.PartialOutage, true},
		{"broken", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, err := store.ParseStatus(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseStatus(%q) = %q, %v; want %q, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
	_, err := store.ParseStatus("broken")
	if want := "status: unknown status \"broken\"; use one of operational, unknown, under_maintenance, performance_issues, partial_outage, major_outage"; err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
	if s, err := store.ParseImpact("none"); err != nil || s != "" {
		t.Errorf("ParseImpact(none) = %q, %v", s, err)
	}
	if _, err := store.ParseImpact("under_maintenance"); err == nil {
		t.Error("ParseImpact accepted under_maintenance, which an incident cannot impose")
	}
}

func TestNextStatuses(t *testing.T) {
	tests := []struct {
		cur   store.IncidentStatus
		first store.IncidentStatus
	}{
		{store.Investigating, store.Identified},
		{store.Identified, store.Watching},
		{store.Watching, store.Fixed},
		{store.Fixed, store.Investigating},
	}
	for _, tt := range tests {
		if got := store.NextStatuses(tt.cur)[0]; got != tt.first {
			t.Errorf("NextStatuses(%s)[0] = %s, want %s", tt.cur, got, tt.first)
		}
	}
	w := store.NextStatuses(store.Watching)
	if w[1] != store.Identified {
		t.Errorf("from watching the second offer should be back to identified, got %v", w)
	}
}

// TestBanner covers every row of the banner rule (ARCHITECTURE.md), first match winning.
func TestBanner(t *testing.T) {
	op, unk, mnt, perf, part, maj := store.Operational, store.Unknown, store.UnderMaintenance, store.PerformanceIssues, store.PartialOutage, store.MajorOutage
	tests := []struct {
		name     string
		statuses []store.Status
		public   bool
		want     store.Indicator
	}{
		{"no components", nil, false, store.IndicatorNone},
		{"all operational", []store.Status{op, op, op}, false, store.IndicatorNone},
		{"one in four major is critical", []store.Status{maj, op, op, op}, false, store.IndicatorCritical},
		{"one in five major is major", []store.Status{maj, op, op, op, op}, false, store.IndicatorMajor},
		{"partial outage is major", []store.Status{part, op}, false, store.IndicatorMajor},
		{"performance issues is minor", []store.Status{perf, op}, false, store.IndicatorMinor},
		{"unknown is minor", []store.Status{unk, op}, false, store.IndicatorMinor},
		{"unresolved public incident is minor", []store.Status{op, op}, true, store.IndicatorMinor},
		{"maintenance", []store.Status{mnt, op}, false, store.IndicatorMaintenance},
		{"minor beats maintenance", []store.Status{mnt, perf}, false, store.IndicatorMinor},
		{"major beats minor", []store.Status{perf, part, op, op, op}, true, store.IndicatorMajor},
		{"critical beats everything", []store.Status{maj, mnt, perf, part}, true, store.IndicatorCritical},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := store.ComputeBanner(tt.statuses, tt.public, store.DefaultCriticalShare)
			if got.Indicator != tt.want {
				t.Errorf("indicator = %s, want %s", got.Indicator, tt.want)
			}
			if got.Description == "" {
				t.Error("empty description")
			}
		})
	}
	if got := store.ComputeBanner([]store.Status{maj, op, op, op, op}, false, 0.2); got.Indicator != store.IndicatorCritical {
		t.Errorf("threshold 0.2 with 1 of 5 major = %s, want critical", got.Indicator)
	}
}

func TestBannerFromStore(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	a := addComponent(t, st, "API")
	for _, n := range []string{"Web", "DNS", "CDN", "Mail"} {
		addComponent(t, st, n)
	}
	if got := dashboard(t, st).Banner.Indicator; got != store.IndicatorNone {
		t.Fatalf("fresh banner = %s", got)
	}
	inc := open(t, st, "internal blip", store.Internal, a.ID, store.PerformanceIssues)
	if got := dashboard(t, st).Banner.Indicator; got != store.IndicatorMinor {
		t.Errorf("with performance issues = %s, want minor", got)
	}
	post(t, st, inc, store.Fixed)
	if got := dashboard(t, st).Banner.Indicator; got != store.IndicatorNone {
		t.Errorf("after an internal incident is fixed = %s, want none", got)
	}
	open(t, st, "public notice", store.Public)
	if got := dashboard(t, st).Banner.Indicator; got != store.IndicatorMinor {
		t.Errorf("with an unresolved public incident and no impact = %s, want minor", got)
	}
	d := dashboard(t, st)
	web := d.Components[1]
	open(t, st, "web down", store.Public, web.ID, store.MajorOutage)
	if got := dashboard(t, st).Banner.Indicator; got != store.IndicatorMajor {
		t.Errorf("1 of 5 in major outage = %s, want major", got)
	}
	for _, c := range d.Components[2:] {
		if err := st.SetComponentEnabled(ctx, actor, c.ID, false); err != nil {
			t.Fatal(err)
		}
	}
	if got := dashboard(t, st).Banner.Indicator; got != store.IndicatorCritical {
		t.Errorf("1 of 2 enabled in major outage = %s, want critical (disabled components do not count)", got)
	}
}
