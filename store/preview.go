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
	others := map[int64]Status{} // what other unresolved incidents impose
	touched := map[int64]bool{}
	publicOther := false
	for _, inc := range d.Unresolved {
		if inc.ID == p.IncidentID {
			for _, m := range inc.Impacts {
				touched[m.ComponentID] = true
			}
			continue
		}
		publicOther = publicOther || inc.Visibility == Public
		for _, m := range inc.Impacts {
			others[m.ComponentID] = Worst(others[m.ComponentID], m.Status)
		}
	}
	for id := range p.Impacts {
		touched[id] = true
	}
	var out Preview
	var after []Status
	for _, c := range d.Components {
		next := Worst(c.Status, others[c.ID])
		if p.Unresolved {
			next = Worst(next, p.Impacts[c.ID])
		}
		if touched[c.ID] {
			out.Components = append(out.Components, PreviewComponent{Component: c, Before: c.Effective, After: next})
		}
		if c.Enabled {
			after = append(after, next)
		}
	}
	out.BannerBefore = d.Banner
	out.BannerAfter = ComputeBanner(after, publicOther || (p.Unresolved && p.Visibility != Internal), criticalShare)
	return out
}
