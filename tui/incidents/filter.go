package incidents

import (
	"strconv"
	"strings"

	"beacon/store"
)

// filterHelp is the filter field's placeholder: what it matches.
const filterHelp = "title, component, #id, is:open, is:internal"

// filter is what / in Incidents keeps: incidents whose title or an affected component's name
// contains the text (ignoring case), #ID for one incident, is:open for unresolved ones only,
// is:internal for internal ones only.
type filter struct {
	text     string
	id       int64
	open     bool
	internal bool
}

func parseFilter(q string) filter {
	var f filter
	var words []string
	for _, w := range strings.Fields(q) {
		switch lw := strings.ToLower(w); {
		case lw == "is:open" || lw == "is:unresolved":
			f.open = true
		case lw == "is:internal":
			f.internal = true
		case strings.HasPrefix(w, "#") && len(w) > 1:
			if id, err := strconv.ParseInt(w[1:], 10, 64); err == nil && id > 0 {
				f.id = id
				continue
			}
			words = append(words, w)
		default:
			words = append(words, w)
		}
	}
	f.text = strings.Join(words, " ")
	return f
}

func (f filter) empty() bool { return f == filter{} }

// matches reports whether an incident (its components named by names) passes the filter.
func (f filter) matches(inc store.Incident, names map[int64]string) bool {
	switch {
	case f.id != 0 && inc.ID != f.id,
		f.open && inc.Resolved(),
		f.internal && inc.Visibility != store.Internal:
		return false
	case f.text == "":
		return true
	}
	q := strings.ToLower(f.text)
	if strings.Contains(strings.ToLower(inc.Title), q) {
		return true
	}
	for _, im := range inc.Affected() {
		if strings.Contains(strings.ToLower(names[im.ComponentID]), q) {
			return true
		}
	}
	return false
}

// query is the store's question for resolved incidents that pass the filter.
func (f filter) query(limit int, before int64) store.IncidentQuery {
	return store.IncidentQuery{Limit: limit, Before: before, Text: f.text, ID: f.id, Internal: f.internal}
}
