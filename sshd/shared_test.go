package sshd

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	gossh "golang.org/x/crypto/ssh"

	"beacon/store"
	"beacon/tui/common"
)

// TestSessionsShareOneSetOfReads: every console of a server reads through the same shared
// snapshots, and only an anonymous session of a public server is told to hide internal
// incidents.
func TestSessionsShareOneSetOfReads(t *testing.T) {
	var mu sync.Mutex
	var got []common.Common
	stand := standInConsole(nil)
	e := newEnv(t, func(c *Config) {
		c.Public = true
		c.Console = func(cc common.Common) tea.Model {
			mu.Lock()
			got = append(got, cc)
			mu.Unlock()
			return stand(cc)
		}
	})
	keys := []gossh.Signer{e.responder, e.viewer, nil}
	for _, k := range keys {
		e.openTerminal(k, 80, 24).waitFor("stand-in for", 3*time.Second)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != len(keys) {
		t.Fatalf("%d consoles built, want %d", len(got), len(keys))
	}
	for i, c := range got {
		if c.Shared == nil || c.Shared != got[0].Shared {
			t.Errorf("console %d reads through %p, want the server's one %p", i, c.Shared, got[0].Shared)
		}
		if want := keys[i] == nil; c.PublicOnly != want {
			t.Errorf("console %d (%s) PublicOnly %v, want %v", i, c.Actor.Name, c.PublicOnly, want)
		}
	}
}

// TestDraftSavedWhenTheConnectionDropsMidTyping: the connection drops right after typing, well
// within the composer's draft delay; the draft still holds every character.
func TestDraftSavedWhenTheConnectionDropsMidTyping(t *testing.T) {
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
	const title = "Card payments fail for EU customers"
	tm.typeKeys(title)
	tm.waitFor(title, time.Second) // the console has every key
	client.Close()

	ada := store.Actor{Name: responderName}
	var last string
	saved := poll(3*time.Second, func() bool {
		d, ok, err := e.st.LoadDraft(context.Background(), ada, "new")
		if err != nil || !ok {
			return false
		}
		var st struct{ Title string }
		if json.Unmarshal(d.State, &st) != nil {
			return false
		}
		last = st.Title
		return last == title
	})
	if !saved {
		t.Fatalf("the draft after the drop has title %q, want %q", last, title)
	}
}
