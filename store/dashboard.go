package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Dashboard is everything the glance needs, read in one snapshot, as one audience sees it:
// Store.Dashboard is the responders' view, PublicOnly turns it into the public's.
type Dashboard struct {
	Audience   Audience
	Groups     []Group
	Components []Component // by group, then position; disabled ones included; Effective for Audience
	Unresolved []Incident  // pinned first, newest first; only those Audience sees
	Banner     Banner      // computed over Audience's effective statuses
	UpdatedAt  time.Time   // the newest write Audience can see (zero for an empty database)

	// Maintenances are the windows in progress and those starting within MaintenanceHorizon,
	// by start, that Audience sees; Now is the time of the read, which says which are in progress.
	Maintenances []Maintenance
	Now          time.Time

	publicUpdatedAt time.Time // the newest write the public can see
	criticalShare   float64
}

// CriticalShare is the store's share of major outages that makes the banner critical, as it
// was when the dashboard was read: what Preview needs.
func (d Dashboard) CriticalShare() float64 { return d.criticalShare }

// OpenCount is the number of unresolved incidents.
func (d Dashboard) OpenCount() int { return len(d.Unresolved) }

// InProgress lists the windows in progress at the snapshot's time.
func (d Dashboard) InProgress() []Maintenance {
	var out []Maintenance
	for _, m := range d.Maintenances {
		if m.InProgress(d.Now) {
			out = append(out, m)
		}
	}
	return out
}

// EffectiveWith is the effective status component id would have, for the dashboard's
// audience, with own as its own status and what holds it now unchanged.
func (d Dashboard) EffectiveWith(id int64, own Status) Status {
	holds := holdsOn(d.Unresolved)
	addMaintenanceHolds(holds, d.Maintenances, d.Now)
	return EffectiveStatus(own, holds[id], d.Audience)
}

// Upcoming lists the scheduled windows within the horizon, soonest first.
func (d Dashboard) Upcoming() []Maintenance {
	var out []Maintenance
	for _, m := range d.Maintenances {
		if m.State(d.Now) == MaintenanceScheduled {
			out = append(out, m)
		}
	}
	return out
}

// NextMaintenance is the soonest scheduled window within the horizon that covers the
// component, and false when there is none.
func (d Dashboard) NextMaintenance(componentID int64) (Maintenance, bool) {
	for _, m := range d.Maintenances {
		if m.State(d.Now) == MaintenanceScheduled && m.Covers(componentID) {
			return m, true
		}
	}
	return Maintenance{}, false
}

// Dashboard reads components, groups, unresolved incidents and the banner from one snapshot.
func (s *Store) Dashboard(ctx context.Context) (Dashboard, error) {
	var d Dashboard
	conn, err := s.r.Conn(ctx)
	if err != nil {
		return d, err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return d, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT id, name, position, collapse FROM groups ORDER BY position, id`)
	if err != nil {
		return d, err
	}
	for rows.Next() {
		var g Group
		if err := rows.Scan(&g.ID, &g.Name, &g.Position, &g.Collapse); err != nil {
			rows.Close()
			return d, err
		}
		d.Groups = append(d.Groups, g)
	}
	rows.Close()
	if d.Components, err = queryComponents(ctx, tx); err != nil {
		return d, err
	}
	rows, err = tx.QueryContext(ctx, `SELECT `+incidentColumns+` FROM incidents WHERE resolved_at IS NULL ORDER BY pinned DESC, id DESC`)
	if err != nil {
		return d, err
	}
	for rows.Next() {
		inc, err := scanIncident(rows)
		if err != nil {
			rows.Close()
			return d, err
		}
		d.Unresolved = append(d.Unresolved, inc)
	}
	rows.Close()
	if err := loadImpacts(ctx, tx, d.Unresolved); err != nil {
		return d, err
	}
	d.Now = s.now()
	if d.Maintenances, err = currentMaintenances(ctx, tx, d.Now); err != nil {
		return d, err
	}
	// Every write audits in its own transaction, so the newest audit entry is the newest change;
	// the public's newest is the newest that is not about webhooks, a disabled component, or an
	// internal incident or maintenance.
	var last, lastPublic int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(at), 0) FROM audit WHERE id = (SELECT max(id) FROM audit)`).Scan(&last); err != nil {
		return d, err
	}
	err = tx.QueryRowContext(ctx, `SELECT a.at FROM audit a
		WHERE a.action NOT LIKE 'webhook.%'
		  AND NOT (a.subject LIKE 'component %' AND EXISTS (SELECT 1 FROM components c
		           WHERE c.name = substr(a.subject, 11) AND c.enabled = 0))
		  AND NOT (a.subject LIKE 'incident #%' AND EXISTS (SELECT 1 FROM incidents i
		           WHERE i.id = CAST(substr(a.subject, 11) AS INTEGER) AND i.visibility = 'internal'))
		  AND NOT (a.subject LIKE 'maintenance #%' AND EXISTS (SELECT 1 FROM maintenances mw
		           WHERE mw.id = CAST(substr(a.subject, 14) AS INTEGER) AND mw.visibility = 'internal'))
		ORDER BY a.id DESC LIMIT 1`).Scan(&lastPublic)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return d, err
	}
	if err := tx.Commit(); err != nil {
		return d, err
	}
	if last != 0 {
		d.UpdatedAt = fromMS(last)
	}
	if lastPublic != 0 {
		d.publicUpdatedAt = fromMS(lastPublic)
	}
	d.Audience, d.criticalShare = Responders, s.CriticalShare
	d.settle()
	return d, nil
}

// PublicOnly is the dashboard as the public sees it: without internal incidents, with every
// component's effective status and the banner computed again by the same rule over what the
// public may see, and the time of the newest write the public can see. The result shares
// nothing it changed with d.
func (d Dashboard) PublicOnly() Dashboard {
	if d.Audience == ThePublic {
		return d
	}
	out := d
	out.Audience = ThePublic
	out.UpdatedAt = d.publicUpdatedAt
	out.Unresolved = make([]Incident, 0, len(d.Unresolved))
	for _, inc := range d.Unresolved {
		if ThePublic.Sees(inc.Visibility) {
			out.Unresolved = append(out.Unresolved, inc)
		}
	}
	out.Maintenances = make([]Maintenance, 0, len(d.Maintenances))
	for _, m := range d.Maintenances {
		if ThePublic.Sees(m.Visibility) {
			out.Maintenances = append(out.Maintenances, m)
		}
	}
	out.Components = append([]Component(nil), d.Components...)
	out.settle()
	return out
}

// PublicOnly is an incident as the public may read it, or false when it is internal. Its
// updates keep their impact changes (the incident's own) but not their effects on effective
// statuses: those were computed over every incident, internal ones included.
func (d IncidentDetail) PublicOnly() (IncidentDetail, bool) {
	if !ThePublic.Sees(d.Visibility) {
		return IncidentDetail{}, false
	}
	out := d
	out.Updates = make([]Update, len(d.Updates))
	for i, u := range d.Updates {
		u.Effects = nil
		out.Updates[i] = u
	}
	return out, true
}
