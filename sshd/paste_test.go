package sshd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// TestE2EPasteOfAMegabyteCostsLittle: a 1 MB paste into any view of `beacon serve`'s console,
// from the public's component list to the composer's fields, costs the server at most a second
// of CPU, and the session goes on; a megabyte of keys sent without bracketed paste closes the
// session, just as cheaply.
func TestE2EPasteOfAMegabyteCostsLittle(t *testing.T) {
	needTools(t, "ssh-keygen", "tmux")
	megabyte := strings.Repeat("a", 1<<20)
	bracketed := "\x1b[200~" + megabyte + "\x1b[201~"
	tests := []struct {
		name    string
		key     string      // "" for none
		steps   [][2]string // keys to reach the view, and what it shows then
		paste   string
		after   [2]string // keys after the paste, and what the screen shows then
		flooded bool
	}{
		{name: "public component list", key: "",
			paste: bracketed, after: [2]string{"2", "unresolved"}},
		{name: "composer title", key: "ada",
			steps: [][2]string{{"n", "Affected"}, {"\t", "Title"}}, paste: bracketed, after: [2]string{"", "aaaaaaaaaaaaaaaaaaaa"}},
		{name: "composer message", key: "ada",
			steps: [][2]string{{"n", "Affected"}, {"\t", "Title"}, {"Outage\t", "Message"}}, paste: bracketed, after: [2]string{"", "aaaaaaaaaaaaaaaaaaaa"}},
		{name: "keys without bracketed paste", key: "",
			paste: megabyte, flooded: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := startE2E(t, "--public")
			cfg := clientConfig("someone")
			if tt.key != "" {
				data, err := os.ReadFile(filepath.Join(e.dir, tt.key))
				if err != nil {
					t.Fatal(err)
				}
				signer, err := gossh.ParsePrivateKey(data)
				if err != nil {
					t.Fatal(err)
				}
				cfg = clientConfig(KeyUser, signer)
			}
			client, err := gossh.Dial("tcp", "127.0.0.1:"+e.port, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer client.Close()
			sess, err := client.NewSession()
			if err != nil {
				t.Fatal(err)
			}
			tm := startTerminal(t, sess, 100, 30)
			tm.waitFor("q quit", 5*time.Second)
			for _, s := range tt.steps {
				tm.press(s[0], s[1])
			}
			pid := e.proc.Process.Pid
			start := cpuTicks(t, pid)
			mark := tm.out.Len()
			pasted := make(chan error, 1)
			go func() { // a flooded session stops reading, so the write may never finish
				_, err := tm.stdin.Write([]byte(tt.paste))
				pasted <- err
			}()
			if tt.flooded {
				if code := tm.wait(60 * time.Second); code != 0 {
					t.Errorf("exit %d", code)
				}
				if !strings.Contains(tm.stderr.String(), "more input than anyone types") {
					t.Errorf("stderr %q, want the reason", tm.stderr.String())
				}
			} else {
				// Keys typed before the paste is all sent would land inside it.
				select {
				case err := <-pasted:
					if err != nil {
						t.Fatalf("paste: %v", err)
					}
				case <-time.After(60 * time.Second):
					t.Fatal("the server took no more of the paste for a minute")
				}
				tm.typeKeys(tt.after[0])
				tm.waitForAfter(mark, tt.after[1], 60*time.Second)
			}
			used := time.Duration(cpuTicks(t, pid)-start) * time.Second / ticksPerSecond
			t.Logf("%s: %s of the server's CPU", tt.name, used)
			if used > time.Second {
				t.Errorf("the paste cost %s of CPU, want at most 1s", used)
			}
			if !tt.flooded {
				tm.press("\x1b", "") // the session still answers
			}
		})
	}
}
