package cli

import (
	"strings"
	"testing"
)

func TestCheckKeyCommand(t *testing.T) {
	tests := []struct {
		args []string
		want string // in the error; "" when accepted
	}{
		{[]string{"status"}, ""},
		{[]string{"incident", "list", "--json"}, ""},
		{[]string{"incident", "open", "--title", "Down"}, ""},
		{[]string{"serve"}, "not available over SSH"},
		{[]string{"demo"}, "not available over SSH"},
		{[]string{"incident"}, "needs a subcommand"},
		{[]string{"/bin/sh"}, "/bin/sh is not a Beacon command"},
		{[]string{"incident", "list", "--nope"}, "unknown flag"},
		{[]string{"incident", "update", "1", "--message-file", "m.md"}, "names a file"},
	}
	for _, tt := range tests {
		err := checkKeyCommand(tt.args)
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%q: %v, want %q", tt.args, err, tt.want)
		}
	}
}
