package sshd

import (
	"context"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"beacon/store"
)

const (
	publicTitle   = "Checkout is slow"
	internalTitle = "Primary database failover drill"
	resolvedTitle = "Internal runner outage"
)

// withIncidents opens one public and one internal incident on API, and resolves one internal
// incident, so every list a console draws has something to hide from the public.
func withIncidents(t *testing.T, e *env) {
	t.Helper()
	ctx := context.Background()
	admin := store.Actor{Name: "setup"}
	impact := []store.SetImpact{{ComponentID: e.api.ID, Status: store.PartialOutage}}
	if _, err := e.st.OpenIncident(ctx, admin, store.NewIncident{Title: publicTitle, Message: "m", Impacts: impact}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.OpenIncident(ctx, admin, store.NewIncident{Title: internalTitle, Message: "m", Visibility: store.Internal}); err != nil {
		t.Fatal(err)
	}
	old, err := e.st.OpenIncident(ctx, admin, store.NewIncident{Title: resolvedTitle, Message: "m", Visibility: store.Internal})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.PostUpdate(ctx, admin, old.ID, store.NewUpdate{Status: store.Fixed, Message: "fixed"}); err != nil {
		t.Fatal(err)
	}
}

// TestPublicSeesNoInternalIncident: on a --public server an anonymous session's console and
// glance never show an internal incident, while a viewer key (a trusted viewer) and a
// responder see them all.
func TestPublicSeesNoInternalIncident(t *testing.T) {
	tests := []struct {
		name     string
		key      func(e *env) gossh.Signer
		internal bool
	}{
		{"anonymous", func(*env) gossh.Signer { return nil }, false},
		{"viewer key", func(e *env) gossh.Signer { return e.viewer }, true},
		{"responder key", func(e *env) gossh.Signer { return e.responder }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(c *Config) { c.Public = true })
			withIncidents(t, e)
			shows := func(where, text string, titles ...string) {
				t.Helper()
				for _, title := range titles {
					if got := strings.Contains(text, title); got != tt.internal {
						t.Errorf("%s shows %q: %v, want %v:\n%s", where, title, got, tt.internal, tail(text, 1500))
					}
				}
			}

			sess, err := e.session(tt.key(e))
			if err != nil {
				t.Fatal(err)
			}
			out, err := sess.Output("status")
			if code := exitStatus(t, err); code != 0 {
				t.Fatalf("glance exit %d", code)
			}
			if !strings.Contains(string(out), publicTitle) {
				t.Fatalf("the glance lacks the public incident:\n%s", out)
			}
			shows("the glance", string(out), internalTitle) // it lists unresolved incidents only

			tm := e.openTerminal(tt.key(e), 100, 30)
			count := "1 open incident"
			if tt.internal {
				count = "2 open incidents"
			}
			tm.waitFor(count, 3*time.Second)
			// The incidents view, once its resolved page is in: unresolved first, then resolved.
			listed := "1 unresolved · 1/1"
			if tt.internal {
				listed = "2 unresolved · 1/3"
			}
			tm.press("2", listed)
			shows("the console", tm.text(), internalTitle, resolvedTitle)
		})
	}
}
