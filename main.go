// Command beacon is a terminal status console: components, incidents and their timelines,
// managed from a terminal, locally or over SSH.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"beacon/cli"
	_ "beacon/theme/preset" // before Bubble Tea asks the terminal anything
)

func main() {
	// A version probe costs a process start and no more: it is answered before the command
	// tree is built. `beacon version` and the flag's help come from the tree, with the same line.
	if len(os.Args) == 2 && (os.Args[1] == "--version" || os.Args[1] == "version") {
		os.Stdout.WriteString("beacon " + cli.Version() + "\n")
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.New().Run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}
