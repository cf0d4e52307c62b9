// Package preset settles, before any library can ask, what lipgloss's default renderer takes
// the terminal's background to be. Bubble Tea v1 asks the terminal in its package init (and
// waits up to five seconds for each of two answers a silent terminal never gives) so that
// programs drawing with the default renderer get colours right; Beacon never draws with the
// default renderer (each terminal gets its own renderer, see theme.Terminal), so every start
// would pay for a question nobody uses.
//
// Import it for its effect, from package main. It must stay a package that imports nothing
// but lipgloss: Go initialises packages in import-path order once their imports are, so this
// one ("beacon/…") runs right after lipgloss and before "github.com/charmbracelet/bubbletea".
package preset

import "github.com/charmbracelet/lipgloss"

func init() {
	lipgloss.SetHasDarkBackground(true)
}
