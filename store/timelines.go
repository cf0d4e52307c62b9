package store

import "context"

// UnresolvedTimelines reads the timelines of every unresolved incident in one query, keyed by
// incident id, newest update first: what `beacon status --json` adds to a Dashboard.
func (s *Store) UnresolvedTimelines(ctx context.Context) (map[int64][]Update, error) {
	ups, err := s.updates(ctx, `u.incident_id IN (SELECT id FROM incidents WHERE resolved_at IS NULL AND id > ?)`, 0)
	if err != nil {
		return nil, err
	}
	out := map[int64][]Update{}
	for _, u := range ups {
		out[u.IncidentID] = append(out[u.IncidentID], u)
	}
	return out, nil
}
