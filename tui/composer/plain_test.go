package composer

import "testing"

func TestPlainLine(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"**Cause identified.** The `orders_by_customer` index\nwas dropped.\n\nMore later.", "Cause identified. The orders_by_customer index was dropped."},
		{"## Update\n- see [the runbook](http://x/y) now", "Update see the runbook now"},
		{"  plain text  ", "plain text"},
		{"", ""},
	} {
		if got := plainLine(tc.in); got != tc.want {
			t.Errorf("plainLine(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
