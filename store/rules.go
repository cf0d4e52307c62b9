package store

import (
	"context"
	"database/sql"
	"sort"
	"strings"
	"time"
)

// cause says why effective statuses moved; a zero cause records no history.
type cause struct {
	kind             string // incident, manual, maintenance
	incident, update int64
	maintenance      int64
}

// refreshEffective recomputes both audiences' effective status of the given components and,
// for each audience whose status of a component moved, stores it with the time of the move
// and writes a status-change row; a move of the public status, for a write with a cause, is
// also a component event in the webhook outbox.
func refreshEffective(ctx context.Context, tx queryer, now time.Time, ids []int64, c cause) error {
	return refreshEffectiveAt(ctx, tx, now, now, ids, c)
}

// refreshEffectiveAt is refreshEffective with the maintenance windows taken as they stand at
// holdsAt and the moves recorded at now.
func refreshEffectiveAt(ctx context.Context, tx queryer, now, holdsAt time.Time, ids []int64, c cause) error {
	stmt, err := tx.PrepareContext(ctx, `SELECT c.status, c.effective_status, c.public_status,
		CASE WHEN c.enabled THEN coalesce(c.group_id, 0) ELSE 0 END,
		coalesce((SELECT group_concat(m.status || ' ' || i.visibility) FROM incidents i CROSS JOIN impacts m
		          ON m.incident_id = i.id AND m.component_id = c.id
		          WHERE i.resolved_at IS NULL), ''),
		`+maintenanceHoldsSQL+`
		FROM components c WHERE c.id = ?`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	moved := map[Audience][]move{}
	for _, id := range ids {
		var own, old, oldPublic Status
		var group int64
		var imposed, windows string
		if err := stmt.QueryRowContext(ctx, ms(holdsAt), ms(holdsAt), id).Scan(&own, &old, &oldPublic, &group, &imposed, &windows); err != nil {
			return err
		}
		var holds []Hold
		if imposed != "" {
			for _, h := range strings.Split(imposed, ",") {
				st, vis, _ := strings.Cut(h, " ")
				holds = append(holds, Hold{Status: Status(st), Visibility: Visibility(vis)})
			}
		}
		if windows != "" {
			for _, vis := range strings.Split(windows, ",") {
				holds = append(holds, Hold{Status: UnderMaintenance, Visibility: Visibility(vis)})
			}
		}
		for _, a := range []struct {
			audience  Audience
			old       Status
			statusCol string
			timeCol   string
		}{
			{Responders, old, "effective_status", "updated_at"},
			{ThePublic, oldPublic, "public_status", "public_updated_at"},
		} {
			next := EffectiveStatus(own, holds, a.audience)
			if next == a.old {
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE components SET `+a.statusCol+` = ?, `+a.timeCol+` = ? WHERE id = ?`, next, ms(now), id); err != nil {
				return err
			}
			if err := c.record(ctx, tx, id, now, a.old, next, a.audience); err != nil {
				return err
			}
			moved[a.audience] = append(moved[a.audience], move{id, group, next})
			if a.audience == ThePublic && c.kind != "" {
				ev := outboxEvent{typ: EventComponentStatus, component: id, old: a.old, new: next}
				if err := emit(ctx, tx, now, ev); err != nil {
					return err
				}
			}
		}
	}
	if c.kind == "" {
		return nil // no history written, so no totals to keep
	}
	for _, a := range []Audience{Responders, ThePublic} {
		if len(moved[a]) > 0 {
			if err := keepTotals(ctx, tx, a, moved[a], ms(now)); err != nil {
				return err
			}
		}
	}
	return nil
}

// record writes the history row of one audience's effective-status move; a zero cause
// records nothing.
func (c cause) record(ctx context.Context, tx queryer, component int64, now time.Time, old, next Status, a Audience) error {
	if c.kind == "" {
		return nil
	}
	var inc, upd, mnt any
	if c.incident != 0 {
		inc = c.incident
	}
	if c.update != 0 {
		upd = c.update
	}
	if c.maintenance != 0 {
		mnt = c.maintenance
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO status_changes (component_id, at, old_status, new_status, cause, incident_id, update_id, audience, maintenance_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, component, ms(now), old, next, c.kind, inc, upd, a.String(), mnt)
	return err
}

// queryIDs returns the ids a query selects.
func queryIDs(ctx context.Context, q queryer, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// applyImpacts applies the requested impact changes to an incident and records them against
// the update; it returns the ids of every component the incident touched before or after.
func applyImpacts(ctx context.Context, tx *sql.Tx, incidentID, updateID int64, sets []SetImpact) ([]int64, error) {
	current := map[int64]Status{}
	rows, err := tx.QueryContext(ctx, `SELECT component_id, status FROM impacts WHERE incident_id = ?`, incidentID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var st Status
		if err := rows.Scan(&id, &st); err != nil {
			rows.Close()
			return nil, err
		}
		current[id] = st
	}
	rows.Close()
	touched := map[int64]bool{}
	for id := range current {
		touched[id] = true
	}
	for _, set := range sets {
		if set.Status != "" && !set.Status.IsImpact() {
			return nil, invalid("impact", "unknown impact %q; use one of %s or none", set.Status, joinStatuses(Impacts))
		}
		if _, err := componentName(ctx, tx, set.ComponentID); err != nil {
			return nil, err
		}
		old := current[set.ComponentID]
		if old == set.Status {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO update_impacts (update_id, component_id, old_status, new_status) VALUES (?, ?, ?, ?)
			ON CONFLICT (update_id, component_id) DO UPDATE SET new_status = excluded.new_status`,
			updateID, set.ComponentID, nullStatus(old), nullStatus(set.Status)); err != nil {
			return nil, err
		}
		if err := recordImpact(ctx, tx, incidentID, set.ComponentID, set.Status); err != nil {
			return nil, err
		}
		current[set.ComponentID] = set.Status
		touched[set.ComponentID] = true
	}
	ids := make([]int64, 0, len(touched))
	for id := range touched {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(a, b int) bool { return ids[a] < ids[b] })
	return ids, nil
}

func nullStatus(s Status) any {
	if s == "" {
		return nil
	}
	return string(s)
}

// recordImpact writes what the incident now imposes on a component (st, "" for nothing), with
// the worst it imposed there at any time, read from the impact changes its updates made (this
// one's included): an impact keeps its worst while it is lowered, and a lifted one moves to
// lifted_impacts with it, to come back with it if the incident imposes a status there anew.
func recordImpact(ctx context.Context, tx *sql.Tx, incidentID, componentID int64, st Status) error {
	worst, err := worstImposed(ctx, tx, incidentID, componentID)
	if err != nil {
		return err
	}
	if st.Severity() > worst.Severity() {
		worst = st
	}
	if st == "" {
		if _, err := tx.ExecContext(ctx, `DELETE FROM impacts WHERE incident_id = ? AND component_id = ?`, incidentID, componentID); err != nil {
			return err
		}
		if worst == "" {
			return nil
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO lifted_impacts (incident_id, component_id, worst) VALUES (?, ?, ?)
			ON CONFLICT (incident_id, component_id) DO UPDATE SET worst = excluded.worst`, incidentID, componentID, worst)
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM lifted_impacts WHERE incident_id = ? AND component_id = ?`, incidentID, componentID); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO impacts (incident_id, component_id, status, worst) VALUES (?, ?, ?, ?)
		ON CONFLICT (incident_id, component_id) DO UPDATE SET status = excluded.status, worst = excluded.worst`,
		incidentID, componentID, st, worst)
	return err
}

// worstImposed is the worst status the incident's updates ever imposed on a component, ""
// when none did.
func worstImposed(ctx context.Context, tx *sql.Tx, incidentID, componentID int64) (Status, error) {
	rows, err := tx.QueryContext(ctx, `SELECT ui.old_status, ui.new_status FROM update_impacts ui JOIN updates u ON u.id = ui.update_id
		WHERE u.incident_id = ? AND ui.component_id = ?`, incidentID, componentID)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	worst := Status("")
	for rows.Next() {
		var old, new sql.NullString
		if err := rows.Scan(&old, &new); err != nil {
			return "", err
		}
		for _, st := range []sql.NullString{old, new} {
			if st.Valid && Status(st.String).Severity() > worst.Severity() {
				worst = Status(st.String)
			}
		}
	}
	return worst, rows.Err()
}
