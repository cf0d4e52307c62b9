package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"beacon/glance"
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

// jsonArray writes a JSON array item by item, so a long list is never held whole: indented
// for a person at a terminal, compact for a program, terminal-safe either way.
type jsonArray struct {
	w      io.Writer
	indent string
	n      int
}

func newJSONArray(w io.Writer) *jsonArray { return &jsonArray{w: w, indent: jsonIndent(w)} }

// write appends items to the array.
func (j *jsonArray) write(items ...any) error {
	var b strings.Builder
	for _, v := range items {
		data, err := glance.MarshalIndent(v, j.indent, j.indent)
		if err != nil {
			return fmt.Errorf("write JSON: %w", err)
		}
		if j.n == 0 {
			b.WriteString("[")
		} else {
			b.WriteString(",")
		}
		if j.indent != "" {
			b.WriteString("\n" + j.indent)
		}
		b.Write(data)
		j.n++
	}
	_, err := io.WriteString(j.w, b.String())
	return err
}

// close ends the array (an empty one is []).
func (j *jsonArray) close() error {
	end := "]\n"
	switch {
	case j.n == 0:
		end = "[]\n"
	case j.indent != "":
		end = "\n]\n"
	}
	_, err := io.WriteString(j.w, end)
	return err
}
