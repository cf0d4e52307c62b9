package tui

import (
	"context"
	"strings"
	"testing"

	"beacon/store"
	"beacon/tui/internal/fixture"
	"beacon/tui/shared"
)

// TestPublicSeesNoInternalIncident: a public session (an anonymous viewer of a public board)
// never sees an internal incident: not in the header's count, the components' statuses and the
// banner, the incidents list (unresolved and resolved, filtered or not), the incident view, or
// by enter on a component it affects. A responder's session on the same data sees them all.
func TestPublicSeesNoInternalIncident(t *testing.T) {
	st := fixture.Open(t)
	ids := fixture.Fill(t, st)
	// An internal incident on CDN, so a component leads to one.
	cdn, err := st.OpenIncident(context.Background(), fixture.Actor, store.NewIncident{
		Title: "Cache node rebuild", Message: "m", Visibility: store.Internal,
		Impacts: []store.SetImpact{{ComponentID: ids.Components["CDN"], Status: store.PartialOutage}},
	})
	if err != nil {
		t.Fatal(err)
	}
	internal := []string{"Database failover drill", "Slow builds", "Cache node rebuild"}
	for _, public := range []bool{true, false} {
		name := "responder"
		if public {
			name = "public"
		}
		t.Run(name, func(t *testing.T) {
			c := fixture.Common(t, st, 100, 30)
			if public {
				c.Actor, c.Reader = store.Actor{Name: "someone", ReadOnly: true}, store.PublicOnly(c.Reader)
			}
			d := fixture.Drive(t, New(c), "waitForChange")
			m := d.Model.(*UI)
			var seen strings.Builder
			look := func(want ...string) {
				t.Helper()
				seen.WriteString(d.WaitView(want...))
			}
			if public {
				// CDN is operational for the public: only the internal incident holds it.
				look("1 open incident", "CDN  Static assets")
			} else {
				look("3 open incidents", "CDN  Static assets")
			}
			cdnLine := ""
			for _, line := range strings.Split(m.View(), "\n") {
				if strings.Contains(line, "CDN  Static assets") {
					cdnLine = line
				}
			}
			if got := strings.Contains(cdnLine, "● Operational"); got != public {
				t.Errorf("CDN shows operational: %v, want %v: %q", got, public, cdnLine)
			}

			d.Keys("j", "j", "j", "j", "j", "j", "enter") // CDN's page, and the incidents that touched it
			if public {
				look("90 days", "CDN cache misses")
			} else {
				look("90 days", "held by incident")
			}
			if page := m.View(); strings.Contains(page, "held by incident") == public || strings.Contains(page, "Cache node rebuild") == public {
				t.Errorf("CDN's page names the internal incident: %v, want %v:\n%s", !public, !public, page)
			}
			d.Keys("esc", "2")
			if public {
				look("1 unresolved · 1/4", "Login failures")
			} else {
				look("3 unresolved · 1/7", "Slow builds")
			}
			d.Keys("/")
			d.Type("builds")
			if public {
				look("No incident matches “builds”")
			} else {
				look("Slow builds", "0 unresolved · 1/1")
			}
			d.Keys("esc")

			d.Send(shared.OpenIncidentMsg{ID: ids.Incidents["Database failover drill"]})
			if public {
				look("no longer exists")
			} else {
				look("Planned failover of the primary")
			}
			d.Send(shared.OpenIncidentMsg{ID: cdn.ID})
			if public {
				look("no longer exists")
			}

			for _, title := range internal {
				if got := strings.Contains(seen.String(), title); got == public {
					t.Errorf("the screens show %q: %v, want %v", title, got, !public)
				}
			}
		})
	}
}
