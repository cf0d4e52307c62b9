package tui

import (
	"sync"

	tea "github.com/charmbracelet/bubbletea"
)

// gatheredMsg is the messages of several commands, brought back together.
type gatheredMsg []tea.Msg

// gather runs commands at once and brings back all their messages as one, in the order of
// the commands (a batch's commands run too, in its place): after a change to the data the
// session's reloads then cost one redraw instead of one each. Give it only commands that read
// and return, never ones that wait for long (a timer, the change feed) or that sequence others.
func gather(cmds ...tea.Cmd) tea.Cmd {
	return func() tea.Msg {
		return gatheredMsg(collect(cmds))
	}
}

// collect runs cmds concurrently and returns their non-nil messages in order.
func collect(cmds []tea.Cmd) []tea.Msg {
	out := make([][]tea.Msg, len(cmds))
	var wg sync.WaitGroup
	for i, cmd := range cmds {
		if cmd == nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			switch msg := cmd().(type) {
			case nil:
			case tea.BatchMsg:
				out[i] = collect(msg)
			default:
				out[i] = []tea.Msg{msg}
			}
		}()
	}
	wg.Wait()
	var msgs []tea.Msg
	for _, o := range out {
		msgs = append(msgs, o...)
	}
	return msgs
}
