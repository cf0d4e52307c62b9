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
}

// refreshEffective recomputes the responders' effective status of the given components (the
// stored one, which the history records) and writes a status-change row for each one that moved.
func refreshEffective(ctx context.Context, tx queryer, now time.Time, ids []int64, c cause) error {
	stmt, err := tx.PrepareContext(ctx, `SELECT c.status, c.effective_status,
		coalesce((SELECT group_concat(m.status || ' ' || i.visibility) FROM incidents i CROSS JOIN impacts m
		          ON m.incident_id = i.id AND m.component_id = c.id
		          WHERE i.resolved_at IS NULL), '')
		FROM components c WHERE c.id = ?`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, id := range ids {
		var own, old Status
		var imposed string
		if err := stmt.QueryRowContext(ctx, id).Scan(&own, &old, &imposed); err != nil {
			return err
		}
		var holds []Hold
		if imposed != "" {
			for _, h := range strings.Split(imposed, ",") {
				st, vis, _ := strings.Cut(h, " ")
				holds = append(holds, Hold{Status: Status(st), Visibility: Visibility(vis)})
			}
		}
		next := EffectiveStatus(own, holds, Responders)
		if next == old {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE components SET effective_status = ?, updated_at = ? WHERE id = ?`, next, ms(now), id); err != nil {
			return err
		}
		if c.kind == "" {
			continue
		}
		var inc, upd any
		if c.incident != 0 {
			inc, upd = c.incident, c.update
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO status_changes (component_id, at, old_status, new_status, cause, incident_id, update_id)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, id, ms(now), old, next, c.kind, inc, upd); err != nil {
			return err
		}
	}
	return nil
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
		if set.Status == "" {
			_, err = tx.ExecContext(ctx, `DELETE FROM impacts WHERE incident_id = ? AND component_id = ?`, incidentID, set.ComponentID)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO impacts (incident_id, component_id, status) VALUES (?, ?, ?)
				ON CONFLICT (incident_id, component_id) DO UPDATE SET status = excluded.status`, incidentID, set.ComponentID, set.Status)
		}
		if err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO update_impacts (update_id, component_id, old_status, new_status) VALUES (?, ?, ?, ?)
			ON CONFLICT (update_id, component_id) DO UPDATE SET new_status = excluded.new_status`,
			updateID, set.ComponentID, nullStatus(old), nullStatus(set.Status)); err != nil {
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
