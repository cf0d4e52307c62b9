-- An incident's record keeps the components whose impact was lifted before it was fixed:
-- impacts holds what an incident imposes now, lifted_impacts what it imposed earlier, with the
-- worst status it held there.
CREATE TABLE lifted_impacts (
    incident_id  INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    component_id INTEGER NOT NULL REFERENCES components (id) ON DELETE CASCADE,
    worst        TEXT    NOT NULL
                 CHECK (worst IN ('performance_issues', 'partial_outage', 'major_outage')),
    PRIMARY KEY (incident_id, component_id)
) WITHOUT ROWID;
CREATE INDEX lifted_impacts_component ON lifted_impacts (component_id, incident_id);

INSERT INTO lifted_impacts (incident_id, component_id, worst)
SELECT u.incident_id, ui.component_id,
       CASE MAX(max(
           CASE ui.new_status WHEN 'major_outage' THEN 3 WHEN 'partial_outage' THEN 2 WHEN 'performance_issues' THEN 1 ELSE 0 END,
           CASE ui.old_status WHEN 'major_outage' THEN 3 WHEN 'partial_outage' THEN 2 WHEN 'performance_issues' THEN 1 ELSE 0 END))
       WHEN 3 THEN 'major_outage' WHEN 2 THEN 'partial_outage' ELSE 'performance_issues' END
FROM update_impacts ui JOIN updates u ON u.id = ui.update_id
WHERE NOT EXISTS (SELECT 1 FROM impacts m WHERE m.incident_id = u.incident_id AND m.component_id = ui.component_id)
GROUP BY u.incident_id, ui.component_id;
