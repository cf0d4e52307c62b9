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
	"beacon/tui/shared"
)

// TestSessionsShareOneSetOfReads: every console of a server reads through the same shared
// snapshots, and only an anonymous session of a public server reads them without internal
// incidents.
func TestSessionsShareOneSetOfReads(t *testing.T) {
	var mu sync.Mutex
	var got []shared.Common
	stand := standInConsole(nil)
	e := newEnv(t, func(c *Config) {
		c.Public = true
		c.Console = func(cc shared.Common) tea.Model {
			mu.Lock()
			got = append(got, cc)
			mu.Unlock()
			return stand(cc)
		}
	})
	if _, err := e.st.OpenIncident(context.Background(), store.Actor{Name: "ada"}, store.NewIncident{
		Title: "Internal trouble", Message: "Looking.", Visibility: store.Internal,
	}); err != nil {
		t.Fatal(err)
	}
	keys := []gossh.Signer{e.responder, e.viewer, nil}
	for _, k := range keys {
		e.openTerminal(k, 80, 24).waitFor("stand-in for", 3*time.Second)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != len(keys) {
		t.Fatalf("%d consoles built, want %d", len(got), len(keys))
	}
	sn, ok := got[0].Reader.(*store.Snapshots)
	if !ok {
		t.Fatalf("the responder's console reads through %T, want the server's snapshots", got[0].Reader)
	}
	if got[1].Reader != store.Reader(sn) {
		t.Errorf("the viewer's console reads through %T, want the server's snapshots", got[1].Reader)
	}
	for i, c := range got {
		d, err := c.Reader.Dashboard(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		want := 1
		if keys[i] == nil {
			want = 0
		}
		if len(d.Unresolved) != want {
			t.Errorf("console %d (%s) sees %d unresolved incidents, want %d", i, c.Actor.Name, len(d.Unresolved), want)
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

	ada := store.Actor{Name: responderName, Key: gossh.FingerprintSHA256(e.responder.PublicKey())}
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
