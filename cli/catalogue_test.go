package cli_test

import (
	"strings"
	"testing"
)

// TestCatalogueEdits: component edit and group edit change what their flags name and keep
// the rest; refusals exit 2 with one line and change nothing.
func TestCatalogueEdits(t *testing.T) {
	d := fixture(t)
	steps := []struct {
		args []string
		want string
	}{
		{[]string{"component", "edit", "API", "--name", "Public API", "--link", ""}, "Component Public API, in Web, enabled."},
		{[]string{"component", "edit", "public api", "--group", "Edge", "--disable"}, "Component Public API, in Edge, disabled."},
		{[]string{"component", "edit", "Public API", "--group", "", "--enable"}, "Component Public API, in no group, enabled."},
		{[]string{"group", "add", "Queues", "--collapse", "expanded"}, "Added group Queues at position 4."},
		{[]string{"group", "edit", "Queues", "--name", "Streams", "--collapse", "collapsed"}, "Group Streams: collapsed."},
		{[]string{"group", "edit", "streams", "--collapse", "expanded"}, "Group Streams: expanded."},
	}
	for _, s := range steps {
		if out := d.must(s.args...); !strings.Contains(out, s.want) {
			t.Errorf("%v: %q, want %q", s.args, out, s.want)
		}
	}
	var comps []struct {
		Name        string `json:"name"`
		Description string `json:"description"`
		Link        string `json:"link"`
		GroupName   string `json:"group_name"`
		Enabled     bool   `json:"enabled"`
	}
	d.json(&comps, "component", "list", "--json")
	last := comps[len(comps)-1]
	if last.Name != "Public API" || last.Description != "Public REST API" || last.Link != "" || last.GroupName != "" || !last.Enabled {
		t.Errorf("after the edits: %+v", last)
	}

	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"component", "edit", "Website", "--name", "postgres"}, `a component named "postgres" already exists (as "Postgres")`},
		{[]string{"component", "edit", "Website", "--link", "www.example.com"}, `link: "www.example.com" is not an http or https address`},
		{[]string{"component", "edit", "Website", "--name", " "}, `--name is blank: give the new name, e.g. --name "Public API"`},
		{[]string{"group", "edit", "Web", "--name", ""}, "--name is blank: give the new name"},
		{[]string{"component", "edit", "Website"}, "needs something to change"},
		{[]string{"component", "edit", "Website", "--enable", "--disable"}, "one at a time"},
		{[]string{"component", "edit", "Nope", "--disable"}, `unknown component "Nope"`},
		{[]string{"group", "edit", "Web", "--name", "data"}, `a group named "data" already exists (as "Data")`},
		{[]string{"group", "edit", "Web", "--collapse", "folded"}, `collapse: unknown mode "folded"`},
		{[]string{"group", "edit", "Web"}, "needs --name or --collapse"},
		{[]string{"group", "add", "Cache", "--collapse", "folded"}, `collapse: unknown mode "folded"`},
	} {
		r := d.run(tc.args...)
		first, rest, _ := strings.Cut(r.stderr, "\n")
		if r.code != 2 || !strings.Contains(first, tc.msg) || rest != "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line with %q", tc.args, r.code, r.stderr, tc.msg)
		}
	}
	var groups []struct{ Name, Collapse string }
	d.json(&groups, "group", "list", "--json")
	if len(groups) != 4 || groups[0].Name != "Web" || groups[3].Name != "Streams" {
		t.Errorf("groups after refused edits: %+v", groups)
	}
}
