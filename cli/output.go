package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// jsonFlag gives cmd both spellings of "print JSON": --json, and -o/--output json as kubectl
// and gh spell it. Every command that can print JSON registers its flag here, so the two
// always agree.
func jsonFlag(cmd *cobra.Command, asJSON *bool, usage string) {
	f := cmd.Flags()
	f.BoolVar(asJSON, "json", false, usage)
	f.VarP(&outputFormat{json: asJSON}, "output", "o", "output format: text or json (-o json is --json)")
	_ = cmd.RegisterFlagCompletionFunc("output", cobra.FixedCompletions(
		[]cobra.Completion{
			cobra.CompletionWithDesc("text", "for people"),
			cobra.CompletionWithDesc("json", "for programs, as --json"),
		}, cobra.ShellCompDirectiveNoFileComp))
}

// outputFormat is the -o flag's value: it sets the command's --json variable, so a command
// reads one bool whichever spelling was used (the last one given wins).
type outputFormat struct{ json *bool }

func (o *outputFormat) String() string {
	if o.json != nil && *o.json {
		return "json"
	}
	return "text"
}

func (o *outputFormat) Set(s string) error {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "json":
		*o.json = true
	case "text":
		*o.json = false
	default:
		return fmt.Errorf("use json or text")
	}
	return nil
}

func (o *outputFormat) Type() string { return "format" }
