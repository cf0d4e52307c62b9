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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.New().Run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}
