package demo

import (
	"container/heap"
	"time"

	"beacon/store"
)

// impact is what one incident imposes on one component, by the component's index.
type impact struct {
	comp   int
	status store.Status
}

// held is an impact in force on a component.
type held struct {
	incident int64
	hold     store.Hold
}

// ending is a fixed incident's impacts, due to end at a time by its fixing update.
type ending struct {
	at       time.Time
	incident int64
	update   int64
	impacts  []impact
}

type endings []ending

func (e endings) Len() int { return len(e) }
func (e endings) Less(i, j int) bool {
	if e[i].at.Equal(e[j].at) {
		return e[i].incident < e[j].incident
	}
	return e[i].at.Before(e[j].at)
}
func (e endings) Swap(i, j int) { e[i], e[j] = e[j], e[i] }
func (e *endings) Push(x any)   { *e = append(*e, x.(ending)) }
func (e *endings) Pop() any {
	old := *e
	x := old[len(old)-1]
	*e = old[:len(old)-1]
	return x
}

// history replays incidents and own-status changes in time order and writes a status-change
// row whenever a component's effective status moves, following the store's rule: the most
// severe of the component's own status and what its unresolved incidents impose.
// Events must be given in time order; incident ends are queued and replayed as time passes.
type history struct {
	l      *store.Loader
	ids    []int64 // component index → id
	own    []store.Status
	active [][]held
	eff    []store.Status // as responders see it
	public []store.Status // as the public sees it
	ends   endings
}

func newHistory(l *store.Loader, ids []int64, own []store.Status) *history {
	eff := make([]store.Status, len(own))
	copy(eff, own)
	public := make([]store.Status, len(own))
	copy(public, own)
	return &history{l: l, ids: ids, own: own, active: make([][]held, len(ids)), eff: eff, public: public}
}

// advance replays every incident end due at or before t.
func (h *history) advance(t time.Time) error {
	for len(h.ends) > 0 && !h.ends[0].at.After(t) {
		e := heap.Pop(&h.ends).(ending)
		for _, m := range e.impacts {
			hs := h.active[m.comp]
			for i, x := range hs {
				if x.incident == e.incident {
					h.active[m.comp] = append(hs[:i], hs[i+1:]...)
					break
				}
			}
			if err := h.settle(m.comp, e.at, e.incident, e.update); err != nil {
				return err
			}
		}
	}
	return nil
}

// open starts an incident's impacts at start with its first update; fixed incidents end them
// at end with their last update.
func (h *history) open(incident int64, vis store.Visibility, updates []int64, start time.Time, impacts []impact, fixed bool, end time.Time) error {
	if err := h.advance(start); err != nil {
		return err
	}
	for _, m := range impacts {
		h.active[m.comp] = append(h.active[m.comp], held{incident, store.Hold{Status: m.status, Visibility: vis}})
		if err := h.settle(m.comp, start, incident, updates[0]); err != nil {
			return err
		}
	}
	if fixed && len(impacts) > 0 {
		heap.Push(&h.ends, ending{end, incident, updates[len(updates)-1], impacts})
	}
	return nil
}

// setOwn changes a component's own status at t, by hand.
func (h *history) setOwn(comp int, t time.Time, s store.Status) error {
	if err := h.advance(t); err != nil {
		return err
	}
	h.own[comp] = s
	return h.settle(comp, t, 0, 0)
}

// finish replays every incident end still queued.
func (h *history) finish() error {
	for len(h.ends) > 0 {
		if err := h.advance(h.ends[0].at); err != nil {
			return err
		}
	}
	return nil
}

func (h *history) settle(comp int, t time.Time, incident, update int64) error {
	holds := make([]store.Hold, len(h.active[comp]))
	for i, x := range h.active[comp] {
		holds[i] = x.hold
	}
	next := store.EffectiveStatus(h.own[comp], holds, store.Responders)
	nextPublic := store.EffectiveStatus(h.own[comp], holds, store.ThePublic)
	if next == h.eff[comp] && nextPublic == h.public[comp] {
		return nil
	}
	m := store.HistoricMove{ComponentID: h.ids[comp], At: t, Old: h.eff[comp], New: next,
		OldPublic: h.public[comp], NewPublic: nextPublic, IncidentID: incident, UpdateID: update}
	h.eff[comp], h.public[comp] = next, nextPublic
	return h.l.StatusChange(m)
}
