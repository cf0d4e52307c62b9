package e2e

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// cursorRow is the screen line that holds the list's cursor, -1 when none does.
func cursorRow(s string) int {
	return slices.IndexFunc(strings.Split(s, "\n"), func(l string) bool { return strings.Contains(l, "▌") })
}

// TestKeysSentTogether sends keys in one send-keys, as a terminal hands over keys typed ahead
// (or a held key): each acts, as if pressed alone.
func TestKeysSentTogether(t *testing.T) {
	db := demoDB(t)
	tm := run(t, 80, 24, console(db, "e2e"))
	s := tm.waitText(10*time.Second, "[1 Components]", "q quit")
	top := cursorRow(s)
	if top < 0 {
		t.Fatalf("no cursor on the screen:\n%s", s)
	}

	tm.tmux("send-keys", "-t", "s", "jjj")
	tm.waitFor("the cursor three rows down", step, func(s string) bool { return cursorRow(s) == top+3 })

	// A control key and characters after it, all at once: back to the top, then Incidents.
	tm.tmux("send-keys", "-t", "s", "C-u", "2G")
	s = tm.waitText(step, "[2 Incidents]")
	if strings.Contains(s, "[1 Components]") {
		t.Fatalf("still on Components:\n%s", s)
	}
	tm.press("q")
	tm.gone(step)
}

// TestTypingFastIntoAField types a title into the composer in one go, words that spell keys'
// names ("down", "tab", "enter") and the quit key among them: the field gets every character,
// in order, and nothing else acts.
func TestTypingFastIntoAField(t *testing.T) {
	db := demoDB(t)
	tm := run(t, 80, 24, console(db, "e2e"))
	tm.waitText(10*time.Second, "[1 Components]", "q quit")
	tm.press("n")
	tm.waitText(step, "Declare an incident", "▸ 1 Affected")
	tm.press("Space", "Tab")
	tm.waitText(step, "▸ 2 Title", "0/200")
	const title = "Checkout down: tab enter jjj quits q"
	tm.typeText(title)
	tm.waitText(step, title, "36/200")
	tm.press("Escape")
	tm.waitText(step, "▸ 1 Affected")
}
