package shared

import (
	"testing"
	"time"

	"beacon/store"
)

func TestHoldersBrief(t *testing.T) {
	now := time.Date(2025, 3, 14, 15, 0, 0, 0, time.UTC)
	impact := func(id int64, st store.Status, components ...int64) store.Incident {
		inc := store.Incident{ID: id}
		for _, c := range components {
			inc.Impacts = append(inc.Impacts, store.Impact{ComponentID: c, Status: st})
		}
		return inc
	}
	d := store.Dashboard{
		Now: now,
		Unresolved: []store.Incident{
			impact(9, store.PerformanceIssues, 1, 2),
			impact(4, store.PerformanceIssues, 2),
			impact(3, store.PartialOutage, 1), // worse, but not on 2
		},
		Maintenances: []store.Maintenance{
			{ID: 2, StartsAt: now.Add(-time.Hour), EndsAt: now.Add(time.Hour), Components: []store.MaintenanceComponent{{ID: 5}}},
			{ID: 7, StartsAt: now.Add(time.Hour), EndsAt: now.Add(2 * time.Hour), Components: []store.MaintenanceComponent{{ID: 5}}}, // later
		},
	}
	for _, tc := range []struct {
		c      store.Component
		want   string
		plural bool
	}{
		{store.Component{ID: 1, Effective: store.PartialOutage}, "#3", false},
		{store.Component{ID: 2, Effective: store.PerformanceIssues}, "#9 and #4", true},
		{store.Component{ID: 5, Effective: store.UnderMaintenance}, "maintenance #2", false},
		{store.Component{ID: 6, Effective: store.MajorOutage}, "something", false}, // the dashboard is behind
	} {
		got, plural := HoldersBrief(d, tc.c)
		if got != tc.want || plural != tc.plural {
			t.Errorf("component %d: %q, %v; want %q, %v", tc.c.ID, got, plural, tc.want, tc.plural)
		}
	}
}
