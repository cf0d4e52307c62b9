package store

import "time"

// Audience is who a read is for. Responders see everything; the public sees components' own
// statuses, public incidents and public maintenance only: an internal incident never shows to
// the public, not even as a colour.
type Audience int

// Audiences.
const (
	Responders Audience = iota
	ThePublic
)

// Sees reports whether the audience may see something of visibility v.
func (a Audience) Sees(v Visibility) bool { return a == Responders || v == Public }

// String names the audience.
func (a Audience) String() string {
	if a == ThePublic {
		return "public"
	}
	return "responders"
}

// Hold is something that imposes a status on a component while it lasts: the impact of an
// unresolved incident, or under_maintenance for a maintenance window in progress.
type Hold struct {
	Status     Status
	Visibility Visibility
}

// EffectiveStatus is the effective-status rule for one audience: the most severe of a
// component's own status and the statuses held on it by what that audience may see. holds are
// those in force now (impacts of unresolved incidents, maintenance windows in progress); a
// hold with no status counts for nothing. Both audiences' statuses, the stored history and
// the composer's preview all come from this one function.
func EffectiveStatus(own Status, holds []Hold, a Audience) Status {
	s := own
	for _, h := range holds {
		if a.Sees(h.Visibility) {
			s = Worst(s, h.Status)
		}
	}
	return s
}

// holdsOn collects, per component, what the given unresolved incidents impose on it.
func holdsOn(unresolved []Incident) map[int64][]Hold {
	holds := map[int64][]Hold{}
	for _, inc := range unresolved {
		for _, m := range inc.Impacts {
			holds[m.ComponentID] = append(holds[m.ComponentID], Hold{Status: m.Status, Visibility: inc.Visibility})
		}
	}
	return holds
}

// addMaintenanceHolds adds to holds the windows in progress at now: UnderMaintenance on each
// component they cover, with the window's visibility.
func addMaintenanceHolds(holds map[int64][]Hold, windows []Maintenance, now time.Time) {
	for _, m := range windows {
		if !m.InProgress(now) {
			continue
		}
		for _, c := range m.Components {
			holds[c.ID] = append(holds[c.ID], Hold{Status: UnderMaintenance, Visibility: m.Visibility})
		}
	}
}

// bannerFor applies ComputeBanner to components whose effective statuses are already those of
// the audience; an unresolved incident counts only when it is public.
func bannerFor(components []Component, unresolved []Incident, criticalShare float64) Banner {
	var statuses []Status
	for _, c := range components {
		if c.Enabled {
			statuses = append(statuses, c.Effective)
		}
	}
	public := false
	for _, inc := range unresolved {
		public = public || inc.Visibility == Public
	}
	return ComputeBanner(statuses, public, criticalShare)
}

// settle computes every component's effective status and the banner for d.Audience, from what
// d holds: the components' own statuses, the unresolved incidents' impacts and the maintenance
// windows in progress at d.Now.
func (d *Dashboard) settle() {
	holds := holdsOn(d.Unresolved)
	addMaintenanceHolds(holds, d.Maintenances, d.Now)
	for i := range d.Components {
		c := &d.Components[i]
		c.Effective = EffectiveStatus(c.Status, holds[c.ID], d.Audience)
		if d.Audience == ThePublic {
			c.UpdatedAt = c.publicUpdatedAt
		}
	}
	share := d.criticalShare
	if share == 0 {
		share = DefaultCriticalShare
	}
	d.Banner = bannerFor(d.Components, d.Unresolved, share)
}
