package tui

import (
	"context"
	"errors"
	"os"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"beacon/store"
	"beacon/theme"
	"beacon/tui/shared"
)

// Run runs the console on this terminal, in the alt screen, until the user quits or ctx ends.
// choice is the --theme flag (light, dark, or "" to find out: theme.Terminal); mouse is false
// under --no-mouse.
func Run(ctx context.Context, st *store.Store, actor store.Actor, choice string, mouse bool) error {
	// The background is decided now, asking the terminal at most once and before Bubble Tea
	// starts reading its input.
	r, err := theme.Terminal(os.Stdout, choice)
	if err != nil {
		return err
	}
	// Anything drawn with lipgloss's default renderer (a bubbles default) must not ask again:
	// this process has this one terminal.
	lipgloss.SetHasDarkBackground(r.HasDarkBackground())
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	c := shared.Common{Ctx: ctx, Reader: st, Writer: st, Notifications: st, Actor: actor, Styles: theme.New(r), Now: time.Now}
	p := tea.NewProgram(New(c), append(ProgramOptions(mouse), tea.WithContext(ctx))...)
	final, err := p.Run()
	FlushFinal(final)
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil
	}
	return err
}

// FlushFinal saves what a console's final model still holds unsaved (see Flusher), for a
// program that ended without its quit path: killed, interrupted or its context ended. It runs
// in the caller's goroutine; the program must have ended.
func FlushFinal(final tea.Model) {
	if f, ok := final.(Flusher); ok {
		if save := f.Flush(); save != nil {
			save()
		}
	}
}

// ProgramOptions are how a console's program takes the terminal: the alt screen, and the mouse
// (clicks and the wheel, see UI) unless mouse is false. A terminal still selects text with
// shift held while a program has the mouse.
func ProgramOptions(mouse bool) []tea.ProgramOption {
	opts := []tea.ProgramOption{tea.WithAltScreen()}
	if mouse {
		opts = append(opts, tea.WithMouseCellMotion())
	}
	return opts
}
