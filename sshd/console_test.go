package sshd

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	gossh "golang.org/x/crypto/ssh"

	"beacon/store"
	"beacon/tui"
	"beacon/tui/shared"
)

// These tests run the real console (tui.New) over SSH.

func TestConsoleOverAPty(t *testing.T) {
	tests := []struct {
		name    string
		key     func(*env) gossh.Signer
		header  string
		offered bool // whether the writing keys are offered
	}{
		{name: "responder", key: func(e *env) gossh.Signer { return e.responder }, header: responderName, offered: true},
		{name: "viewer", key: func(e *env) gossh.Signer { return e.viewer }, header: viewerName + " (viewer)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var actor store.Actor
			e := newEnv(t, func(c *Config) {
				c.Console = func(cc shared.Common) tea.Model {
					mu.Lock()
					actor = cc.Actor
					mu.Unlock()
					return tui.New(cc)
				}
			})
			tm := e.openTerminal(tt.key(e), 100, 30)
			tm.waitFor(tt.header, 3*time.Second)
			tm.waitFor("API", time.Second)
			tm.waitFor("q quit", time.Second)
			for _, offer := range []string{"n declare", "s set status"} {
				if got := strings.Contains(tm.text(), offer); got != tt.offered {
					t.Errorf("footer offers %q: %v, want %v", offer, got, tt.offered)
				}
			}

			if tt.offered {
				tm.press("s", "Own status of API")
			} else {
				// s and n do nothing for a viewer: once the full help asked for after them is
				// drawn, there is still no picker, no composer, and no declaring in the help.
				tm.typeKeys("s")
				tm.typeKeys("n")
				tm.press("?", "previous view")
				for _, never := range []string{"Own status of", "Affected", "declare"} {
					if strings.Contains(tm.text(), never) {
						t.Errorf("the viewer was shown %q:\n%s", never, tail(tm.text(), 1500))
					}
				}
			}

			mu.Lock()
			a := actor
			mu.Unlock()
			err := e.st.SetComponentStatus(context.Background(), a, e.api.ID, store.MajorOutage)
			if got := errors.Is(err, store.ErrReadOnly); got == tt.offered {
				t.Errorf("the store refusing the session's writes: %v (%v), want %v", got, err, !tt.offered)
			}
		})
	}
}

func TestConsoleTwoSessionsSeeOneWrite(t *testing.T) {
	e := newEnv(t)
	a := e.openTerminal(e.responder, 100, 30)
	b := e.openTerminal(e.viewer, 100, 30)
	a.waitFor("s set status", 3*time.Second)
	b.waitFor("● Operational", 3*time.Second)

	a.press("s", "Own status of API")
	a.press("j", "Unknown")
	mark := b.out.Len()
	start := time.Now()
	a.press("\r", "API is now")
	b.waitForAfter(mark, "? Unknown", time.Second)
	t.Logf("a status set in one session showed in the other after %s", time.Since(start))

	entries, err := e.st.Audit(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Actor != responderName {
		t.Fatalf("newest audit entry %+v, want one by %q", entries, responderName)
	}
}

func TestDraftSurvivesADroppedConnection(t *testing.T) {
	e := newEnv(t)
	client, err := gossh.Dial("tcp", e.addr, clientConfig("ada", e.responder))
	if err != nil {
		t.Fatal(err)
	}
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	tm := startTerminal(t, sess, 100, 30)
	tm.waitFor("n declare", 3*time.Second)
	tm.press("n", "Affected")
	tm.press("\t", "Title")
	tm.typeKeys("Checkout fails")
	tm.waitFor("Checkout fails", time.Second)

	ada := store.Actor{Name: responderName, Key: gossh.FingerprintSHA256(e.responder.PublicKey())}
	saved := poll(2*time.Second, func() bool {
		d, ok, err := e.st.LoadDraft(context.Background(), ada, "new")
		return err == nil && ok && strings.Contains(string(d.State), "Checkout fails")
	})
	if !saved {
		t.Fatal("the draft was not saved as it was typed")
	}
	client.Close() // the connection drops

	again := e.openTerminal(e.responder, 100, 30)
	again.waitFor("n declare", 3*time.Second)
	again.press("n", "Draft from")
	again.press("\r", "Checkout fails")
}

func TestCtrlZNeverStopsTheServer(t *testing.T) {
	e := newEnv(t)
	tm := e.openTerminal(e.responder, 100, 30)
	tm.waitFor("q quit", 3*time.Second)
	tm.typeKeys("\x1a") // ctrl+z
	tm.press("?", "previous view")
	other := e.openTerminal(e.viewer, 100, 30)
	other.waitFor("q quit", 3*time.Second)
}

func TestConsoleSubscriptionEndsWithTheSession(t *testing.T) {
	e := newEnv(t)
	var clients []*gossh.Client
	for range 3 {
		c, err := gossh.Dial("tcp", e.addr, clientConfig("someone", e.responder))
		if err != nil {
			t.Fatal(err)
		}
		clients = append(clients, c)
		sess, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		startTerminal(t, sess, 100, 30).waitFor("q quit", 3*time.Second)
	}
	// The consoles subscribe through the server's shared reads, which hold one subscription to
	// the store for all of them.
	if !poll(time.Second, func() bool { return e.srv.shared.Subscribers() == 3 && e.st.Subscribers() == 1 }) {
		t.Fatalf("%d shared and %d store subscribers with 3 consoles open", e.srv.shared.Subscribers(), e.st.Subscribers())
	}
	for _, c := range clients {
		c.Close()
	}
	if !poll(2*time.Second, func() bool { return e.srv.shared.Subscribers() == 0 && e.st.Subscribers() == 0 }) {
		t.Fatalf("%d shared and %d store subscribers after every console's connection dropped", e.srv.shared.Subscribers(), e.st.Subscribers())
	}
}
