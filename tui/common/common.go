// Package common holds what every view of one console session shares: the session's context,
// store, actor, styles and size. One Common value per session; nothing per-user lives in a
// package variable.
package common

import (
	"context"
	"time"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"

	"beacon/store"
	"beacon/theme"
)

// Common is what every view of one session shares.
type Common struct {
	Ctx    context.Context
	Store  *store.Store
	Actor  store.Actor // Actor.ReadOnly: a viewer, who is offered no writes
	Styles *theme.Styles
	Now    func() time.Time // the clock; fixed in tests so views are golden
	Width  int
	Height int

	// Shared, when set, is where the session's change feed, dashboard and first pages of
	// incidents come from: read once per change for every session of the process (SSH).
	Shared *store.Snapshots
	// PublicOnly hides internal incidents everywhere: an anonymous viewer of a public board.
	PublicOnly bool
}

// Component is the contract every child view follows: a Bubble Tea model that lists its keys
// for the footer and is told its size by its parent.
type Component interface {
	tea.Model
	help.KeyMap
	SetSize(width, height int)
}

// ChangedMsg tells views that the data changed (here or in another process): reload, keeping
// the cursor, the open incident and anything typed.
type ChangedMsg struct{}
