-- Every enumerated column gets a CHECK constraint, so that no value Beacon does not know can be
-- stored, whoever writes the file. SQLite adds a CHECK only by rebuilding the table: each table
-- below is created anew with its constraints, filled from the old one, and takes its place
-- (foreign keys are off while the migrations run, and checked before they commit). A stored
-- value that breaks a constraint makes this migration fail, and the file is left as it was.

CREATE TABLE components_new (
    id                INTEGER PRIMARY KEY,
    name              TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    description       TEXT    NOT NULL DEFAULT '',
    link              TEXT    NOT NULL DEFAULT '',
    group_id          INTEGER REFERENCES groups (id) ON DELETE SET NULL,
    position          INTEGER NOT NULL DEFAULT 0,
    enabled           INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    status            TEXT    NOT NULL DEFAULT 'operational' CHECK (status IN
                      ('operational', 'unknown', 'under_maintenance', 'performance_issues', 'partial_outage', 'major_outage')),
    effective_status  TEXT    NOT NULL DEFAULT 'operational' CHECK (effective_status IN
                      ('operational', 'unknown', 'under_maintenance', 'performance_issues', 'partial_outage', 'major_outage')),
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    public_status     TEXT    NOT NULL DEFAULT 'operational' CHECK (public_status IN
                      ('operational', 'unknown', 'under_maintenance', 'performance_issues', 'partial_outage', 'major_outage')),
    public_updated_at INTEGER NOT NULL DEFAULT 0
);
INSERT INTO components_new (id, name, description, link, group_id, position, enabled, status, effective_status,
                            created_at, updated_at, public_status, public_updated_at)
SELECT id, name, description, link, group_id, position, enabled, status, effective_status,
       created_at, updated_at, public_status, public_updated_at FROM components;
DROP TABLE components;
ALTER TABLE components_new RENAME TO components;
CREATE INDEX components_group ON components (group_id, position);

CREATE TABLE incidents_new (
    id          INTEGER PRIMARY KEY,
    title       TEXT    NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('investigating', 'identified', 'watching', 'fixed')),
    visibility  TEXT    NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'internal')),
    pinned      INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
    occurred_at INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    resolved_at INTEGER
);
INSERT INTO incidents_new (id, title, status, visibility, pinned, occurred_at, created_at, updated_at, resolved_at)
SELECT id, title, status, visibility, pinned, occurred_at, created_at, updated_at, resolved_at FROM incidents;
DROP TABLE incidents;
ALTER TABLE incidents_new RENAME TO incidents;
CREATE INDEX incidents_unresolved ON incidents (id) WHERE resolved_at IS NULL;

CREATE TABLE impacts_new (
    incident_id  INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    component_id INTEGER NOT NULL REFERENCES components (id),
    status       TEXT    NOT NULL CHECK (status IN ('performance_issues', 'partial_outage', 'major_outage')),
    PRIMARY KEY (incident_id, component_id)
) WITHOUT ROWID;
INSERT INTO impacts_new (incident_id, component_id, status) SELECT incident_id, component_id, status FROM impacts;
DROP TABLE impacts;
ALTER TABLE impacts_new RENAME TO impacts;
CREATE INDEX impacts_component ON impacts (component_id, incident_id);

CREATE TABLE updates_new (
    id          INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    status      TEXT    NOT NULL CHECK (status IN ('investigating', 'identified', 'watching', 'fixed')),
    message     TEXT    NOT NULL DEFAULT '',
    author      TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL
);
INSERT INTO updates_new (id, incident_id, status, message, author, created_at)
SELECT id, incident_id, status, message, author, created_at FROM updates;
DROP TABLE updates;
ALTER TABLE updates_new RENAME TO updates;
CREATE INDEX updates_incident ON updates (incident_id, id);

-- NULL means "no impact".
CREATE TABLE update_impacts_new (
    update_id    INTEGER NOT NULL REFERENCES updates (id) ON DELETE CASCADE,
    component_id INTEGER NOT NULL REFERENCES components (id),
    old_status   TEXT CHECK (old_status IN ('performance_issues', 'partial_outage', 'major_outage')),
    new_status   TEXT CHECK (new_status IN ('performance_issues', 'partial_outage', 'major_outage')),
    PRIMARY KEY (update_id, component_id)
) WITHOUT ROWID;
INSERT INTO update_impacts_new (update_id, component_id, old_status, new_status)
SELECT update_id, component_id, old_status, new_status FROM update_impacts;
DROP TABLE update_impacts;
ALTER TABLE update_impacts_new RENAME TO update_impacts;

CREATE TABLE status_changes_new (
    id             INTEGER PRIMARY KEY,
    component_id   INTEGER NOT NULL REFERENCES components (id) ON DELETE CASCADE,
    at             INTEGER NOT NULL,
    old_status     TEXT    NOT NULL CHECK (old_status IN
                   ('operational', 'unknown', 'under_maintenance', 'performance_issues', 'partial_outage', 'major_outage')),
    new_status     TEXT    NOT NULL CHECK (new_status IN
                   ('operational', 'unknown', 'under_maintenance', 'performance_issues', 'partial_outage', 'major_outage')),
    cause          TEXT    NOT NULL CHECK (cause IN ('incident', 'manual', 'maintenance', 'load')),
    incident_id    INTEGER,
    update_id      INTEGER,
    audience       TEXT    NOT NULL DEFAULT 'responders' CHECK (audience IN ('responders', 'public')),
    maintenance_id INTEGER
);
INSERT INTO status_changes_new (id, component_id, at, old_status, new_status, cause, incident_id, update_id, audience, maintenance_id)
SELECT id, component_id, at, old_status, new_status, cause, incident_id, update_id, audience, maintenance_id FROM status_changes;
DROP TABLE status_changes;
ALTER TABLE status_changes_new RENAME TO status_changes;
CREATE INDEX status_changes_component ON status_changes (component_id, at);
CREATE INDEX status_changes_update ON status_changes (update_id) WHERE update_id IS NOT NULL;
CREATE INDEX status_changes_audience ON status_changes (component_id, audience, at, id, new_status);

CREATE TABLE maintenance_updates_new (
    id             INTEGER PRIMARY KEY,
    maintenance_id INTEGER NOT NULL REFERENCES maintenances (id) ON DELETE CASCADE,
    status         TEXT    NOT NULL CHECK (status IN ('scheduled', 'in_progress', 'completed', 'cancelled')),
    message        TEXT    NOT NULL DEFAULT '',
    author         TEXT    NOT NULL DEFAULT '',
    created_at     INTEGER NOT NULL
);
INSERT INTO maintenance_updates_new (id, maintenance_id, status, message, author, created_at)
SELECT id, maintenance_id, status, message, author, created_at FROM maintenance_updates;
DROP TABLE maintenance_updates;
ALTER TABLE maintenance_updates_new RENAME TO maintenance_updates;
CREATE INDEX maintenance_updates_maintenance ON maintenance_updates (maintenance_id, id);
