package store

// Proposal is a change to one incident that a responder is about to post: the incident's
// impacts after the change, whether it will be unresolved, and its visibility.
type Proposal struct {
	IncidentID int64 // 0 for a new incident
	Impacts    map[int64]Status
	Unresolved bool
	Visibility Visibility
}

// Preview is what a proposal would do: each affected component's effective status before and
// after, and the banner before and after.
type Preview struct {
	Components   []PreviewComponent
	BannerBefore Banner
	BannerAfter  Banner
}

// PreviewComponent is one component's effective status before and after a proposal.
type PreviewComponent struct {
	Component
	Before, After Status
}

// Preview applies the effective-status and banner rules to a dashboard snapshot as if the
// proposal were posted, without writing anything. Components the incident touches before or
// after the change are listed, in dashboard order.
func (d Dashboard) Preview(p Proposal, criticalShare float64) Preview {
	if p.Visibility == "" {
		p.Visibility = Public
	}
	var others []Incident // the other unresolved incidents, which keep what they impose
	touched := map[int64]bool{}
	for _, inc := range d.Unresolved {
		if inc.ID == p.IncidentID {
			for _, m := range inc.Impacts {
				touched[m.ComponentID] = true
			}
			continue
		}
		others = append(others, inc)
	}
	holds := holdsOn(others)
	for id, st := range p.Impacts {
		touched[id] = true
		if p.Unresolved {
			holds[id] = append(holds[id], Hold{Status: st, Visibility: p.Visibility})
		}
	}
	var out Preview
	after := make([]Component, 0, len(d.Components))
	for _, c := range d.Components {
		next := c
		next.Effective = EffectiveStatus(c.Status, holds[c.ID], d.Audience)
		if touched[c.ID] {
			out.Components = append(out.Components, PreviewComponent{Component: c, Before: c.Effective, After: next.Effective})
		}
		after = append(after, next)
	}
	if p.Unresolved {
		others = append(others, Incident{ID: p.IncidentID, Visibility: p.Visibility})
	}
	out.BannerBefore = d.Banner
	out.BannerAfter = bannerFor(after, others, criticalShare)
	return out
}
