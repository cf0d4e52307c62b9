package cli

import (
	"testing"

	"github.com/spf13/cobra"
)

// TestEveryJSONFlagHasOutput walks the whole command tree: a command that prints JSON takes
// both --json and -o json, which only jsonFlag registers together.
func TestEveryJSONFlagHasOutput(t *testing.T) {
	var walk func(cmd *cobra.Command)
	seen := 0
	walk = func(cmd *cobra.Command) {
		if cmd.Flags().Lookup("json") != nil {
			seen++
			o := cmd.Flags().Lookup("output")
			if o == nil || o.Shorthand != "o" {
				t.Errorf("%s has --json but no -o/--output: register it with jsonFlag", cmd.CommandPath())
			}
		}
		for _, sub := range cmd.Commands() {
			walk(sub)
		}
	}
	walk(New().Command)
	if seen < 5 {
		t.Errorf("found %d commands with --json; the walk is not reaching them", seen)
	}
}

func TestOutputFormat(t *testing.T) {
	tests := []struct {
		args    []string
		want    bool
		wantErr bool
	}{
		{nil, false, false},
		{[]string{"--json"}, true, false},
		{[]string{"-o", "json"}, true, false},
		{[]string{"-ojson"}, true, false},
		{[]string{"--output=JSON"}, true, false},
		{[]string{"--json", "-o", "text"}, false, false},
		{[]string{"-o", "yaml"}, false, true},
	}
	for _, tt := range tests {
		var asJSON bool
		cmd := &cobra.Command{Use: "x"}
		jsonFlag(cmd, &asJSON, "print JSON")
		err := cmd.ParseFlags(tt.args)
		if (err != nil) != tt.wantErr || asJSON != tt.want {
			t.Errorf("%v: json=%v err=%v; want json=%v err=%v", tt.args, asJSON, err, tt.want, tt.wantErr)
		}
	}
}
