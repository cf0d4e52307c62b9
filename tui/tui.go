// Package tui is Beacon's full-screen console: components, incidents, an incident's timeline
// and the guided composer, drawn with Bubble Tea. One Common value per session (local or SSH)
// carries everything per-user; nothing per-user lives in a package variable.
package tui

import (
	"context"
	"errors"

	"beacon/store"
	"beacon/theme"
)

// Common is what every view of one session shares.
type Common struct {
	Ctx    context.Context
	Store  *store.Store
	Actor  store.Actor
	Styles *theme.Styles
	Width  int
	Height int
}

// Run opens the console on the local terminal and returns when the user quits.
func Run(ctx context.Context, st *store.Store, actor store.Actor) error {
	return errors.New("the console is not built yet")
}
