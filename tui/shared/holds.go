package shared

import (
	"fmt"
	"strings"

	"beacon/store"
)

// Holders are what hold component c at its effective status: the unresolved incidents whose
// impact on it is that status and, when it is under maintenance, the windows in progress that
// cover it.
func Holders(d store.Dashboard, c store.Component) (incidents []store.Incident, windows []store.Maintenance) {
	for _, inc := range d.Unresolved {
		for _, im := range inc.Impacts {
			if im.ComponentID == c.ID && im.Status == c.Effective {
				incidents = append(incidents, inc)
				break
			}
		}
	}
	if c.Effective == store.UnderMaintenance {
		for _, w := range d.InProgress() {
			if w.Covers(c.ID) {
				windows = append(windows, w)
			}
		}
	}
	return incidents, windows
}

// HoldersBrief names what holds c, by number, as the subject of a sentence: "#9",
// "#9 and #4", "maintenance #2"; plural says whether it takes a plural verb. It is
// "something" when nothing on the dashboard does.
func HoldersBrief(d store.Dashboard, c store.Component) (names string, plural bool) {
	incidents, windows := Holders(d, c)
	var parts []string
	for _, inc := range incidents {
		parts = append(parts, fmt.Sprintf("#%d", inc.ID))
	}
	for _, w := range windows {
		parts = append(parts, fmt.Sprintf("maintenance #%d", w.ID))
	}
	switch len(parts) {
	case 0:
		return "something", false
	case 1:
		return parts[0], false
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1], true
}
