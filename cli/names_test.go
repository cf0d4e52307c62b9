package cli_test

import (
	"strings"
	"testing"
)

// TestLookAlikeNames: the real binary refuses names with invisible characters, and names that
// are another's once normalised and case-folded; nine components can no longer all read
// "Website".
func TestLookAlikeNames(t *testing.T) {
	d := fixture(t)
	for _, name := range []string{"Web\u200bsite", "\ufeffWebsite", "Website\u200e", "Web\u061csite", "Web\u00adsite",
		"Web\u034fsite", "\u3164", "Website\U000E0041", "Web\u2060site"} {
		r := d.run("component", "add", name)
		if r.code != 2 || !strings.Contains(r.stderr, "invisible character") && !strings.Contains(r.stderr, "is required") {
			t.Errorf("component add %q: %v, want a refusal (exit 2)", name, r)
		}
		if r := d.run("group", "add", name); r.code != 2 {
			t.Errorf("group add %q: %v, want a refusal (exit 2)", name, r)
		}
	}
	d.must("component", "add", "Café")
	for _, name := range []string{"CAFÉ", "Cafe\u0301", "WEBSITE"} {
		r := d.run("component", "add", name)
		if r.code != 2 || !strings.Contains(r.stderr, "already exists") {
			t.Errorf("component add %q: %v, want it refused as an existing name", name, r)
		}
	}
	var list []struct{ Name string }
	d.json(&list, "component", "list", "--json")
	if len(list) != 4 {
		t.Errorf("components: %+v", list)
	}
}
