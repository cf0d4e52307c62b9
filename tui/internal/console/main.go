// Command console runs the console on a database, for the end-to-end tests until plain
// `beacon` opens it: console -db PATH [-actor NAME] [-viewer].
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"beacon/store"
	"beacon/tui"
)

func main() {
	db := flag.String("db", "", "database file")
	actor := flag.String("actor", "console", "who writes")
	viewer := flag.Bool("viewer", false, "look only")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	st, err := store.Open(ctx, *db)
	if err != nil {
		fmt.Fprintln(os.Stderr, "console:", err)
		os.Exit(1)
	}
	defer st.Close()
	if err := tui.Run(ctx, st, store.Actor{Name: *actor, ReadOnly: *viewer}); err != nil {
		fmt.Fprintln(os.Stderr, "console:", err)
		os.Exit(1)
	}
}
