-- An incident's impact on a component keeps, beside the status it imposes now, the worst it
-- imposed there at any time: lowering an impact (major outage to partial outage) must not make
-- the record forget the worst moment. lifted_impacts keeps the same for impacts since lifted.
CREATE TABLE impacts_new (
    incident_id  INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    component_id INTEGER NOT NULL REFERENCES components (id),
    status       TEXT    NOT NULL CHECK (status IN ('performance_issues', 'partial_outage', 'major_outage')),
    worst        TEXT    NOT NULL CHECK (worst IN ('performance_issues', 'partial_outage', 'major_outage')),
    PRIMARY KEY (incident_id, component_id)
) WITHOUT ROWID;
INSERT INTO impacts_new (incident_id, component_id, status, worst)
SELECT m.incident_id, m.component_id, m.status,
       CASE max(
           CASE m.status WHEN 'major_outage' THEN 3 WHEN 'partial_outage' THEN 2 ELSE 1 END,
           coalesce((SELECT max(max(
                   CASE ui.new_status WHEN 'major_outage' THEN 3 WHEN 'partial_outage' THEN 2 WHEN 'performance_issues' THEN 1 ELSE 0 END,
                   CASE ui.old_status WHEN 'major_outage' THEN 3 WHEN 'partial_outage' THEN 2 WHEN 'performance_issues' THEN 1 ELSE 0 END))
               FROM update_impacts ui JOIN updates u ON u.id = ui.update_id
               WHERE u.incident_id = m.incident_id AND ui.component_id = m.component_id), 0))
       WHEN 3 THEN 'major_outage' WHEN 2 THEN 'partial_outage' ELSE 'performance_issues' END
FROM impacts m;
DROP TABLE impacts;
ALTER TABLE impacts_new RENAME TO impacts;
CREATE INDEX impacts_component ON impacts (component_id, incident_id);
