package glance

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"beacon/store"
	"beacon/theme"
)

// plain is styles without colour, as on a pipe.
func plain(t *testing.T) *theme.Styles {
	t.Helper()
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	return theme.New(r)
}

var at = time.Date(2025, 3, 4, 5, 6, 7, 890e6, time.UTC)

// dashboard builds a dashboard: n enabled components in group Web, the ones named in bad set
// to that status, plus the given incidents.
func dashboard(n int, bad map[string]store.Status, incidents ...store.Incident) store.Dashboard {
	d := store.Dashboard{Groups: []store.Group{{ID: 1, Name: "Web", Position: 1}}, Unresolved: incidents, UpdatedAt: at}
	var statuses []store.Status
	for i := range n {
		name := fmt.Sprintf("svc-%02d", i+1)
		st := store.Operational
		if s, ok := bad[name]; ok {
			st = s
		}
		d.Components = append(d.Components, store.Component{ID: int64(i + 1), Name: name, GroupID: 1, GroupName: "Web",
			Position: i + 1, Enabled: true, Status: store.Operational, Effective: st, UpdatedAt: at})
		statuses = append(statuses, st)
	}
	d.Banner = store.ComputeBanner(statuses, len(incidents) > 0, store.DefaultCriticalShare)
	return d
}

func TestTextFolding(t *testing.T) {
	bad := map[string]store.Status{"svc-07": store.MajorOutage}
	tests := []struct {
		name          string
		n             int
		all           bool
		want, notWant []string
	}{
		{name: "40 components are all listed", n: 40,
			want: []string{"svc-01", "svc-40", "svc-07  ✖ Major outage", "● Operational"}, notWant: []string{"folded"}},
		{name: "41 fold operational ones per group", n: 41,
			want:    []string{"Web: ● 40 operational", "svc-07  ✖ Major outage", "40 operational components folded; --all lists every one"},
			notWant: []string{"svc-01", "svc-41"}},
		{name: "--all lists all 41", n: 41, all: true,
			want: []string{"svc-01", "svc-41", "svc-07"}, notWant: []string{"folded", "40 operational"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := Text(dashboard(tt.n, bad), plain(t), Options{All: tt.all})
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("missing %q in:\n%s", w, out)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(out, w) {
					t.Errorf("unexpected %q in:\n%s", w, out)
				}
			}
		})
	}
}

func TestTextPlainHasGlyphAndWord(t *testing.T) {
	d := dashboard(len(store.Statuses), nil)
	for i, st := range store.Statuses {
		d.Components[i].Effective = st
	}
	d.Banner = store.Banner{Indicator: store.IndicatorCritical, Description: "Some systems are experiencing major issues"}
	out := Text(d, plain(t), Options{})
	if strings.Contains(out, "\x1b") {
		t.Fatalf("plain output holds an escape sequence: %q", out)
	}
	if !strings.HasPrefix(out, "✖ Some systems are experiencing major issues\n") {
		t.Errorf("banner is not glyph and words first:\n%s", out)
	}
	for _, st := range store.Statuses {
		if !strings.Contains(out, st.Glyph()+" "+st.Label()) {
			t.Errorf("missing %q in:\n%s", st.Glyph()+" "+st.Label(), out)
		}
	}
}

func TestTextColour(t *testing.T) {
	tests := []struct {
		name    string
		noColor bool
		escapes bool
	}{
		{"a colour terminal gets colour", false, true},
		{"NO_COLOR turns it off", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("TERM", "xterm-256color")
			t.Setenv("NO_COLOR", "1")
			if !tt.noColor {
				os.Unsetenv("NO_COLOR")
			}
			// A renderer on a 256-colour terminal; lipgloss reads NO_COLOR from its environment.
			r := lipgloss.NewRenderer(io.Discard, termenv.WithTTY(true))
			out := Text(dashboard(3, map[string]store.Status{"svc-02": store.PartialOutage}), theme.New(r), Options{})
			if got := strings.Contains(out, "\x1b["); got != tt.escapes {
				t.Errorf("escapes = %v, want %v:\n%q", got, tt.escapes, out)
			}
			if !strings.Contains(out, "◐ Partial outage") {
				t.Errorf("status is not glyph and word:\n%q", out)
			}
		})
	}
}

func TestTextSanitises(t *testing.T) {
	hostile := "evil\x1b]0;pwned\x07\x1b[2Jname\u202e"
	d := dashboard(2, map[string]store.Status{"svc-02": store.MajorOutage}, store.Incident{
		ID: 7, Title: "title\x1b]52;c;Zm9v\x07", Status: store.Investigating, Visibility: store.Public,
		Impacts: []store.Impact{{ComponentID: 2, ComponentName: hostile, Status: store.MajorOutage}},
	})
	d.Components[1].Name = hostile
	d.Groups[0].Name = "group\u009b31m"
	out := Text(d, plain(t), Options{})
	if strings.ContainsAny(out, "\x1b\x07\u009b\u202e") {
		t.Fatalf("control characters reached the output: %q", out)
	}
	for _, w := range []string{"evil␛]0;pwned␇␛[2Jname", "title␛]52;c;Zm9v␇", "group�31m"} {
		if !strings.Contains(out, w) {
			t.Errorf("missing inert %q in:\n%s", w, out)
		}
	}
}

func TestTextSections(t *testing.T) {
	d := dashboard(2, nil, store.Incident{ID: 3, Title: "Slow search", Status: store.Identified, Visibility: store.Internal,
		Impacts: []store.Impact{{ComponentID: 1, ComponentName: "svc-01", Status: store.PerformanceIssues}}})
	d.Components[1].Enabled = false
	d.Components = append(d.Components, store.Component{ID: 9, Name: "Loner", Enabled: true, Status: store.Operational, Effective: store.Operational})
	out := Text(d, plain(t), Options{})
	for _, w := range []string{"Web\n  svc-01", "Other components\n  Loner", "1 open incident\n",
		"#3 Slow search · Identified · internal", "svc-01 ▲ Performance issues"} {
		if !strings.Contains(out, w) {
			t.Errorf("missing %q in:\n%s", w, out)
		}
	}
	if strings.Contains(out, "svc-02") {
		t.Errorf("a disabled component is shown:\n%s", out)
	}
	if out := Text(store.Dashboard{Banner: store.ComputeBanner(nil, false, 0.25)}, plain(t), Options{}); !strings.Contains(out, "No open incidents") {
		t.Errorf("empty dashboard:\n%s", out)
	}
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestSummaryJSON(t *testing.T) {
	inc := store.Incident{ID: 5, Title: "API errors", Status: store.Watching, Visibility: store.Public, CreatedAt: at, UpdatedAt: at,
		Impacts: []store.Impact{{ComponentID: 2, ComponentName: "svc-02", Status: store.PerformanceIssues}}}
	d := dashboard(3, map[string]store.Status{"svc-02": store.PerformanceIssues}, inc)
	d.Components[2].GroupID, d.Components[2].GroupName = 0, ""
	updates := map[int64][]store.Update{5: {
		{ID: 11, Status: store.Watching, Message: "watching", Author: "alice", CreatedAt: at},
		{ID: 10, Status: store.Investigating, Message: "looking", Author: "bob", CreatedAt: at,
			Changes: []store.ImpactChange{{ComponentID: 2, ComponentName: "svc-02", New: store.PerformanceIssues}}},
	}}
	data, err := json.Marshal(NewSummary(d, updates))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	obj := func(v any) map[string]any { return v.(map[string]any) }
	comps := doc["components"].([]any)
	incident := obj(doc["incidents"].([]any)[0])
	ups := incident["incident_updates"].([]any)
	fields := []struct {
		name string
		obj  map[string]any
		want []string
	}{
		{"summary", doc, []string{"components", "incidents", "page", "scheduled_maintenances", "status"}},
		{"page", obj(doc["page"]), []string{"name", "updated_at"}},
		{"status", obj(doc["status"]), []string{"description", "indicator"}},
		{"component", obj(comps[0]), []string{"description", "group_id", "group_name", "id", "name", "position", "status", "updated_at"}},
		{"incident", incident, []string{"components", "created_at", "earlier_components", "id", "impact", "incident_updates", "name", "resolved_at", "status", "updated_at", "visibility"}},
		{"incident update", obj(ups[0]), []string{"author", "body", "created_at", "id", "status"}},
		{"update with changes", obj(ups[1]), []string{"affected_components", "author", "body", "created_at", "id", "status"}},
		{"affected component", obj(incident["components"].([]any)[0]), []string{"id", "impact", "name", "worst_impact"}},
	}
	for _, f := range fields {
		if got := keys(f.obj); !reflect.DeepEqual(got, f.want) {
			t.Errorf("%s fields = %v, want %v", f.name, got, f.want)
		}
	}
	values := []struct {
		name      string
		got, want any
	}{
		{"page name", obj(doc["page"])["name"], "Beacon"},
		{"updated_at", obj(doc["page"])["updated_at"], "2025-03-04T05:06:07.890Z"},
		{"indicator", obj(doc["status"])["indicator"], "minor"},
		{"statuspage status name", obj(comps[1])["status"], "degraded_performance"},
		{"group name", obj(comps[0])["group_name"], "Web"},
		{"no group id", obj(comps[2])["group_id"], nil},
		{"no group name", obj(comps[2])["group_name"], nil},
		{"incident status", incident["status"], "monitoring"},
		{"incident impact", incident["impact"], "minor"},
		{"unresolved", incident["resolved_at"], nil},
		{"newest update first", obj(ups[0])["body"], "watching"},
		{"author", obj(ups[0])["author"], "alice"},
		{"update status", obj(ups[1])["status"], "investigating"},
		{"component impact", obj(incident["components"].([]any)[0])["impact"], "degraded_performance"},
		{"change from none", obj(obj(ups[1])["affected_components"].([]any)[0])["old_status"], "operational"},
	}
	for _, v := range values {
		if !reflect.DeepEqual(v.got, v.want) {
			t.Errorf("%s = %v, want %v", v.name, v.got, v.want)
		}
	}
}

func TestSummaryEmpty(t *testing.T) {
	data, err := json.Marshal(NewSummary(store.Dashboard{Banner: store.ComputeBanner(nil, false, 0.25)}, nil))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"page":{"name":"Beacon","updated_at":null},"status":{"indicator":"none","description":"All systems are operational"},"components":[],"incidents":[],"scheduled_maintenances":[]}`
	if string(data) != want {
		t.Errorf("got  %s\nwant %s", data, want)
	}
}

func TestImpactLevel(t *testing.T) {
	tests := []struct {
		worst store.Status
		want  string
	}{
		{store.Operational, "none"},
		{store.PerformanceIssues, "minor"},
		{store.PartialOutage, "major"},
		{store.MajorOutage, "critical"},
	}
	for _, tt := range tests {
		if got := ImpactLevel(tt.worst); got != tt.want {
			t.Errorf("ImpactLevel(%s) = %q, want %q", tt.worst, got, tt.want)
		}
	}
}

func TestMarshalIndentIsTerminalSafe(t *testing.T) {
	in := map[string]string{"name": "a\x1b[31m\u009b2J\u202eb\x7f<&>"}
	data, err := MarshalIndent(in, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(string(data), "\x1b\u009b\u202e\x7f") {
		t.Errorf("raw control characters in %q", data)
	}
	if !strings.Contains(string(data), `\u009b`) || !strings.Contains(string(data), "<&>") {
		t.Errorf("want C1 escaped and HTML left alone: %s", data)
	}
	var back map[string]string
	if err := json.Unmarshal(data, &back); err != nil || !reflect.DeepEqual(back, in) {
		t.Errorf("round trip = %q, %v; want %q", back, err, in)
	}
}
