package glance

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"beacon/store"
)

func windows(now time.Time) []store.Maintenance {
	mk := func(id int64, title string, start, end time.Duration, vis store.Visibility) store.Maintenance {
		return store.Maintenance{ID: id, Title: title, Visibility: vis, StartsAt: now.Add(start), EndsAt: now.Add(end),
			PlannedEndsAt: now.Add(end), CreatedAt: now.Add(-time.Hour), UpdatedAt: now.Add(-time.Hour),
			Components: []store.MaintenanceComponent{{ID: 1, Name: "svc-01"}, {ID: 2, Name: "svc-02"}}}
	}
	return []store.Maintenance{
		mk(1, "Database upgrade", -time.Hour, time.Hour, store.Public),
		mk(2, "Kernel patch\x1b[2J", 2*time.Hour, 3*time.Hour, store.Internal),
		mk(3, "Switch swap", 26*time.Hour, 27*time.Hour, store.Public),
		mk(4, "Four", 30*time.Hour, 31*time.Hour, store.Public),
		mk(5, "Five", 40*time.Hour, 41*time.Hour, store.Public),
	}
}

func TestTextMaintenance(t *testing.T) {
	d := dashboard(3, map[string]store.Status{"svc-01": store.UnderMaintenance, "svc-02": store.UnderMaintenance})
	d.Now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.Local)
	d.Maintenances = windows(d.Now)
	out := Text(d, plain(t), Options{})
	for _, want := range []string{
		"Maintenance in progress\n  #1 Database upgrade · ◆ in progress until 13:00 · svc-01, svc-02\n",
		"Scheduled maintenance\n  #2 Kernel patch␛[2J · ◆ 14:00 → 15:00 (in 2h) · svc-01, svc-02 · internal\n",
		"#3 Switch swap · ◆ Mon 2 Mar 14:00 → 15:00 (in 26h)",
		"#4 Four",
		"and 1 more this week; 'beacon maintenance list' shows them all",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("glance lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b") || strings.Contains(out, "#5 Five") {
		t.Errorf("glance:\n%q", out)
	}
	d.Maintenances = nil
	if out := Text(d, plain(t), Options{}); strings.Contains(out, "Maintenance in") || strings.Contains(out, "Scheduled") {
		t.Errorf("a glance without windows mentions maintenance:\n%s", out)
	}
}

func TestSummaryMaintenance(t *testing.T) {
	d := dashboard(3, nil)
	d.Now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	d.Maintenances = windows(d.Now)[:2]
	data, err := json.Marshal(NewSummary(d, nil))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Maintenances []map[string]any `json:"scheduled_maintenances"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Maintenances) != 2 {
		t.Fatalf("scheduled_maintenances: %s", data)
	}
	keys := func(m map[string]any) []string {
		var out []string
		for k := range m {
			out = append(out, k)
		}
		sort.Strings(out)
		return out
	}
	want := []string{"cancelled_at", "components", "created_at", "id", "impact", "name", "recurrence", "resolved_at", "scheduled_for",
		"scheduled_until", "started_at", "status", "updated_at", "visibility"}
	if got := keys(doc.Maintenances[0]); !reflect.DeepEqual(got, want) {
		t.Errorf("fields %v, want %v", got, want)
	}
	in, next := doc.Maintenances[0], doc.Maintenances[1]
	for name, v := range map[string][2]any{
		"status in progress":  {in["status"], "in_progress"},
		"status scheduled":    {next["status"], "scheduled"},
		"scheduled_for":       {in["scheduled_for"], "2026-03-01T11:00:00.000Z"},
		"scheduled_until":     {in["scheduled_until"], "2026-03-01T13:00:00.000Z"},
		"started":             {in["started_at"], "2026-03-01T11:00:00.000Z"},
		"not started":         {next["started_at"], nil},
		"impact":              {in["impact"], "maintenance"},
		"component name":      {in["components"].([]any)[1].(map[string]any)["name"], "svc-02"},
		"internal visibility": {next["visibility"], "internal"},
	} {
		if !reflect.DeepEqual(v[0], v[1]) {
			t.Errorf("%s = %v, want %v", name, v[0], v[1])
		}
	}
}

func TestMaintenanceJSONStates(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	m := windows(now)[0]
	m.CancelledAt, m.EndsAt = now.Add(-30*time.Minute), now.Add(-30*time.Minute)
	j := NewMaintenance(m, []store.MaintenanceUpdate{{ID: 9, Status: store.MaintenanceCancelled, Message: "Off."}}, now)
	if j.Status != "completed" || j.CancelledAt == nil || *j.ResolvedAt != "2026-03-01T11:30:00.000Z" || j.IncidentUpdates[0].Status != "completed" {
		t.Errorf("cancelled during the window: %+v", j)
	}
}
