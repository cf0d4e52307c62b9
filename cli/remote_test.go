package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"beacon/store"
)

// remoteFixture is a store with API (an internal major outage, #1) and Website (a public
// partial outage, #2).
func remoteFixture(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "beacon.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	setup := store.Actor{Name: "setup"}
	api, err := st.AddComponent(ctx, setup, store.NewComponent{Name: "API"})
	if err != nil {
		t.Fatal(err)
	}
	web, err := st.AddComponent(ctx, setup, store.NewComponent{Name: "Website"})
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []store.NewIncident{
		{Title: "Secret", Message: "x", Visibility: store.Internal, Impacts: []store.SetImpact{{ComponentID: api.ID, Status: store.MajorOutage}}},
		{Title: "Slow site", Message: "x", Visibility: store.Public, Impacts: []store.SetImpact{{ComponentID: web.ID, Status: store.PartialOutage}}},
	} {
		if _, err := st.OpenIncident(ctx, setup, in); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

type remoteRun struct {
	code        int
	out, errOut string
}

func runRemote(st *store.Store, who Remote, stdin string, args ...string) remoteRun {
	who.Store = st
	var out, errOut bytes.Buffer
	code := RunRemote(context.Background(), who, args, strings.NewReader(stdin), &out, &errOut)
	return remoteRun{code, out.String(), errOut.String()}
}

// TestRunRemote: the command tree as an SSH session runs it, for each kind of session.
func TestRunRemote(t *testing.T) {
	st := remoteFixture(t)
	responder := Remote{Actor: store.Actor{Name: "Ada Lovelace"}}
	viewer := Remote{Actor: store.Actor{Name: "Vic Viewer", ReadOnly: true}}
	public := Remote{Actor: store.Actor{Name: "anonymous", ReadOnly: true}, Public: true}
	tests := []struct {
		name  string
		who   Remote
		stdin string
		args  []string
		code  int
		want  string // in stdout when code is 0, else in the one line of stderr
	}{
		{"responder writes", responder, "", []string{"component", "set", "API", "performance_issues"}, 0, "API: own status ● Operational → ▲ Performance issues"},
		{"message on standard input", responder, "Rolling back.\n", []string{"incident", "update", "2", "--status", "identified", "--message", "-"}, 0, "Incident #2 Slow site: Investigating → Identified"},
		{"viewer reads", viewer, "", []string{"incident", "list", "-o", "json"}, 0, `"name":"Secret"`},
		{"viewer reads the audit trail", viewer, "", []string{"audit", "--actor", "ada lovelace"}, 0, "Ada Lovelace  component.status"},
		{"viewer may not write", viewer, "", []string{"incident", "resolve", "2"}, 2, "read-only: your key may look but not change anything (beacon incident resolve writes)"},
		{"the public may not write", public, "", []string{"component", "set", "API", "operational"}, 2, "read-only"},
		{"the public sees public incidents", public, "", []string{"incident", "list", "--all"}, 0, "Slow site"},
		{"the public's status", public, "", []string{"status", "--json"}, 0, `"indicator":"major"`},
		{"no internal incident for the public", public, "", []string{"incident", "show", "1"}, 2, "no incident #1"},
		{"the public's audit is refused", public, "", []string{"audit"}, 2, "beacon audit needs a key this server knows"},
		{"not over SSH", responder, "", []string{"serve"}, 2, "beacon serve is not available over SSH; run it on the server"},
		{"demo neither", responder, "", []string{"demo"}, 2, "beacon demo is not available over SSH"},
		{"export neither", responder, "", []string{"export", "/tmp/site"}, 2, "beacon export is not available over SSH"},
		{"no completion", responder, "", []string{"completion", "bash"}, 2, `unknown command "completion" for "beacon"`},
		{"no hidden completion", responder, "", []string{"__complete", "status", ""}, 2, "is not available over SSH"},
		{"unknown command", responder, "", []string{"rm", "-rf", "/"}, 2, `unknown command "rm" for "beacon"`},
		{"did you mean", viewer, "", []string{"stauts"}, 2, `did you mean "status"?`},
		{"no --db", responder, "", []string{"status", "--db", "/etc/passwd"}, 2, "unknown flag: --db"},
		{"no --actor", responder, "", []string{"--actor", "Someone Else", "component", "set", "API", "operational"}, 2, "unknown flag: --actor"},
		{"no file flags", responder, "", []string{"incident", "update", "2", "--status", "watching", "--message-file", "/etc/passwd"}, 2,
			"--message-file names a file, which SSH sessions cannot; send the message on standard input with --message -"},
		{"a group alone", responder, "", []string{"incident"}, 2, "beacon incident needs a subcommand"},
		{"responder schedules maintenance", responder, "", []string{"maintenance", "add", "--title", "Patching", "--start", "+1h", "--for", "1h", "--component", "API"}, 0, "1"},
		{"and internal maintenance", responder, "", []string{"maintenance", "add", "--title", "Switch swap", "--start", "+2h", "--for", "1h", "--component", "API", "--internal"}, 0, "2"},
		{"viewer lists maintenance", viewer, "", []string{"maintenance", "list", "--json"}, 0, "Switch swap"},
		{"viewer may not cancel it", viewer, "", []string{"maintenance", "cancel", "1"}, 2, "read-only"},
		{"the public sees public maintenance", public, "", []string{"maintenance", "list"}, 0, "Patching"},
		{"but not internal maintenance", public, "", []string{"maintenance", "show", "2"}, 2, "no maintenance #2"},
		{"viewer reads uptime", viewer, "", []string{"uptime", "--json"}, 0, `"name":"API"`},
		{"the public reads its uptime", public, "", []string{"uptime"}, 0, "Public uptime"},
		{"quotes the client's shell took off", viewer, "", []string{"uptime", "--component", "Redis", "cache"}, 2,
			`beacon uptime takes no arguments, got "cache"; over SSH, quote a name with spaces twice, once for your shell and once for the server: ssh HOST 'uptime --component "Redis cache"'`},
		{"and from a name argument", responder, "", []string{"component", "set", "Redis", "cache", "major_outage"}, 2,
			"takes 2 argument(s), got 3; quote names with spaces; over SSH, quote a name with spaces twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runRemote(st, tt.who, tt.stdin, tt.args...)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, tt.code, r.out, r.errOut)
			}
			if tt.code == 0 {
				if !strings.Contains(r.out, tt.want) || r.errOut != "" {
					t.Errorf("stdout lacks %q:\n%s\nstderr: %s", tt.want, r.out, r.errOut)
				}
				return
			}
			if !strings.HasPrefix(r.errOut, "beacon: ") || strings.Count(r.errOut, "\n") != 1 || !strings.Contains(r.errOut, tt.want) {
				t.Errorf("stderr = %q, want one line with %q", r.errOut, tt.want)
			}
		})
	}

	// The public sees no trace of the internal incident.
	r := runRemote(st, public, "", "component", "list", "--json")
	var comps []struct{ Name, Status string }
	if err := json.Unmarshal([]byte(r.out), &comps); err != nil || len(comps) != 2 {
		t.Fatalf("public component list: %v\n%s", err, r.out)
	}
	for _, c := range comps {
		if c.Name == "API" && c.Status != "degraded_performance" {
			t.Errorf("the public sees API as %s; only its own status (performance issues) is public", c.Status)
		}
	}
	if r := runRemote(st, public, "", "incident", "list", "--all", "--json"); strings.Contains(r.out, "Secret") {
		t.Errorf("the public's incident list shows the internal incident:\n%s", r.out)
	}
	if r := runRemote(st, public, "", "maintenance", "list", "--all", "--json"); strings.Contains(r.out, "Switch swap") {
		t.Errorf("the public's maintenance list shows the internal window:\n%s", r.out)
	}

	// Writes are recorded under the session's name; the server's store stays open.
	entries, err := st.AuditLog(context.Background(), store.AuditQuery{Actor: "Ada Lovelace", Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].Action != "maintenance.add" {
		t.Errorf("Ada Lovelace's newest audit entries = %+v; want her maintenance", entries)
	}
	inc, err := st.Incident(context.Background(), 2)
	if err != nil || inc.Updates[0].Message != "Rolling back." || inc.Updates[0].Author != "Ada Lovelace" {
		t.Errorf("the update from standard input: %+v, %v", inc.Updates, err)
	}

	help := runRemote(st, viewer, "", "--help")
	if help.code != 0 || strings.Contains(help.out, "serve") || strings.Contains(help.out, "demo") || !strings.Contains(help.out, "incident") {
		t.Errorf("help over SSH should list only what runs over SSH:\n%s", help.out)
	}
}

// TestQuoteTwiceHintIsForSSH: a local run, whose shell kept the quotes, is not told about SSH.
func TestQuoteTwiceHintIsForSSH(t *testing.T) {
	var out, errOut bytes.Buffer
	c := New()
	c.SetOut(&out)
	c.SetErr(&errOut)
	if code := c.Run(context.Background(), []string{"uptime", "--component", "Redis", "cache"}); code != 2 ||
		!strings.Contains(errOut.String(), `takes no arguments, got "cache"`) || strings.Contains(errOut.String(), "SSH") {
		t.Errorf("exit %d, stderr %q", code, errOut.String())
	}
}
