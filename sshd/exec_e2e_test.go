package sshd

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// sshIn is ssh with stdin as the session's standard input.
func (e *e2e) sshIn(key, stdin string, extra ...string) (stdout, stderr string, code int) {
	e.t.Helper()
	return e.runSSH(e.sshArgsWith(key, nil, extra...), stdin)
}

// TestE2EScriptingOverSSH: `ssh host COMMAND` runs Beacon's command line in the server, as the
// key's holder, for each role — through the real OpenSSH client.
func TestE2EScriptingOverSSH(t *testing.T) {
	e := startE2E(t)
	e.beacon("--actor", "setup", "incident", "open", "--title", "Internal only", "--internal", "--component", "Website=partial_outage", "--message", "x")
	public := *e // a second server on the same database that lets anyone look
	public.serve("--public", "--authorized-keys", filepath.Join(e.dir, "authorized_keys"), "--rate-limit", "1000")

	tests := []struct {
		name   string
		srv    *e2e
		key    string // "" offers none
		stdin  string
		args   []string // after the host; ssh joins them, the server splits them like a shell
		code   int
		stdout string // in stdout
		stderr string // in stderr, which is then one line
	}{
		{"responder opens an incident, message on stdin", e, "ada", "The disk is full.\n",
			[]string{"incident open --title 'Disk full' --component API=partial_outage --message -"}, 0, "3\n", ""},
		{"responder updates", e, "bob", "", []string{"incident", "update", "3", "--status", "identified", "--message", "'Old logs.'"}, 0,
			"Incident #3 Disk full: Investigating → Identified", ""},
		{"responder sets a status", e, "ada", "", []string{"component", "set", "Website", "performance_issues"}, 0, "Website: own status", ""},
		{"viewer reads JSON", e, "grace", "", []string{"incident", "list", "--json"}, 0, `"name":"Internal only"`, ""},
		{"viewer runs the check", e, "grace", "", []string{"status", "--check"}, 2, "", ""}, // critical: API, one of two, in major outage
		{"viewer reads uptime", e, "grace", "", []string{"uptime", "--json"}, 0, `"name":"API"`, ""},
		{"viewer lists maintenance", e, "grace", "", []string{"maintenance", "list", "--json"}, 0, "[]", ""},
		{"viewer may not write", e, "grace", "", []string{"incident", "resolve", "3"}, 2, "",
			"beacon: read-only: your key may look but not change anything (beacon incident resolve writes)"},
		{"unknown command", e, "ada", "", []string{"rm", "-rf", "/"}, 2, "", `beacon: unknown command "rm" for "beacon"`},
		{"nothing that touches files", e, "ada", "", []string{"demo"}, 2, "", "beacon: beacon demo is not available over SSH; run it on the server"},
		{"no --db", e, "ada", "", []string{"status", "--json", "--db", "/tmp/x.db"}, 2, "", "unknown flag: --db"},
		{"the public reads without a key", &public, "", "", []string{"incident", "list", "--json"}, 0, `"name":"Checkout errors"`, ""},
		{"the public may not write", &public, "", "", []string{"component", "set", "API", "operational"}, 2, "", "read-only"},
		{"the public gets no audit trail", &public, "", "", []string{"audit"}, 2, "", "beacon audit needs a key this server knows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.srv.t = t
			out, stderr, code := tt.srv.sshIn(tt.key, tt.stdin, tt.args...)
			if code != tt.code || !strings.Contains(out, tt.stdout) {
				t.Fatalf("exit %d, want %d; stdout lacks %q?\nstdout: %s\nstderr: %s", code, tt.code, tt.stdout, out, stderr)
			}
			if tt.stderr != "" && (!strings.Contains(stderr, tt.stderr) || strings.Count(stderr, "\n") != 1) {
				t.Errorf("stderr = %q, want one line with %q", stderr, tt.stderr)
			}
		})
	}
	e.t, public.t = t, t

	// Writes are recorded under the key's name, in the timeline and the audit trail.
	var inc struct {
		IncidentUpdates []struct{ Author, Body string } `json:"incident_updates"`
	}
	out, _, _ := e.sshIn("grace", "", "incident", "show", "3", "-o", "json")
	if err := json.Unmarshal([]byte(out), &inc); err != nil || len(inc.IncidentUpdates) != 2 {
		t.Fatalf("incident show 3 --json over SSH: %v\n%s", err, out)
	}
	if u := inc.IncidentUpdates; u[0].Author != "Bob" || u[1].Author != "Ada Lovelace" || u[1].Body != "The disk is full." {
		t.Errorf("timeline = %+v; want Bob's update on Ada Lovelace's, her message from stdin", u)
	}
	var audit []struct{ Actor, Action string }
	if err := json.Unmarshal([]byte(e.beacon("audit", "--json", "--limit", "3")), &audit); err != nil {
		t.Fatal(err)
	}
	if len(audit) != 3 || audit[0].Actor != "Ada Lovelace" || audit[1].Actor != "Bob" || audit[2].Actor != "Ada Lovelace" {
		t.Errorf("audit = %+v; want the three writes by their keys' names", audit)
	}

	// The public sees no trace of the internal incident, in any list or status.
	for _, args := range [][]string{{"incident", "list", "--all", "--json"}, {"status", "--json"}, {"component", "list", "--json"}} {
		out, stderr, code := public.sshIn("", "", args...)
		if code != 0 || strings.Contains(out, "Internal only") {
			t.Errorf("public %v: exit %d, %s%s", args, code, out, stderr)
		}
	}
	out, _, _ = public.sshIn("", "", "component", "list", "--json")
	if !strings.Contains(out, `"name":"Website","status":"degraded_performance"`) {
		t.Errorf("the public's Website should be its own status (performance issues), not the internal partial outage:\n%s", out)
	}
}
