-- What the public sees of each component is kept beside what responders see: its public
-- effective status (own status and public incidents only) and when that last moved, and a
-- history row for each audience whose effective status moved.
ALTER TABLE components ADD COLUMN public_status TEXT NOT NULL DEFAULT 'operational';
ALTER TABLE components ADD COLUMN public_updated_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE status_changes ADD COLUMN audience TEXT NOT NULL DEFAULT 'responders'
    CHECK (audience IN ('responders', 'public'));

UPDATE components SET public_updated_at = updated_at, public_status = (
    SELECT s FROM (
        SELECT components.status AS s
        UNION ALL
        SELECT m.status FROM impacts m JOIN incidents i ON i.id = m.incident_id
        WHERE m.component_id = components.id AND i.resolved_at IS NULL AND i.visibility = 'public')
    ORDER BY CASE s WHEN 'major_outage' THEN 5 WHEN 'partial_outage' THEN 4 WHEN 'performance_issues' THEN 3
                    WHEN 'under_maintenance' THEN 2 WHEN 'unknown' THEN 1 ELSE 0 END DESC
    LIMIT 1);

-- The public's history before this schema: every move not caused by an internal incident, as
-- responders saw it (where an internal incident overlapped, the old and new statuses are the
-- responders').
INSERT INTO status_changes (component_id, at, old_status, new_status, cause, incident_id, update_id, audience)
SELECT sc.component_id, sc.at, sc.old_status, sc.new_status, sc.cause, sc.incident_id, sc.update_id, 'public'
FROM status_changes sc
WHERE sc.incident_id IS NULL
   OR NOT EXISTS (SELECT 1 FROM incidents i WHERE i.id = sc.incident_id AND i.visibility = 'internal')
ORDER BY sc.id;
