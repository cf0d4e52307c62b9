-- Beacon's first schema. Times are Unix milliseconds, UTC.

CREATE TABLE groups (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    position   INTEGER NOT NULL DEFAULT 0,
    collapse   TEXT    NOT NULL DEFAULT 'collapsed_unless_issues'
               CHECK (collapse IN ('expanded', 'collapsed', 'collapsed_unless_issues')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE components (
    id               INTEGER PRIMARY KEY,
    name             TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    description      TEXT    NOT NULL DEFAULT '',
    link             TEXT    NOT NULL DEFAULT '',
    group_id         INTEGER REFERENCES groups (id) ON DELETE SET NULL,
    position         INTEGER NOT NULL DEFAULT 0,
    enabled          INTEGER NOT NULL DEFAULT 1,
    status           TEXT    NOT NULL DEFAULT 'operational',
    effective_status TEXT    NOT NULL DEFAULT 'operational',
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX components_group ON components (group_id, position);

CREATE TABLE incidents (
    id          INTEGER PRIMARY KEY,
    title       TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    visibility  TEXT    NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'internal')),
    pinned      INTEGER NOT NULL DEFAULT 0,
    occurred_at INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    resolved_at INTEGER
);
CREATE INDEX incidents_unresolved ON incidents (id) WHERE resolved_at IS NULL;

-- What each incident imposes on each component it affects. Kept when the incident is fixed
-- (a fixed incident counts for nothing), so that reopening it re-imposes them.
CREATE TABLE impacts (
    incident_id  INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    component_id INTEGER NOT NULL REFERENCES components (id),
    status       TEXT    NOT NULL,
    PRIMARY KEY (incident_id, component_id)
) WITHOUT ROWID;
CREATE INDEX impacts_component ON impacts (component_id, incident_id);

CREATE TABLE updates (
    id          INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    status      TEXT    NOT NULL,
    message     TEXT    NOT NULL DEFAULT '',
    author      TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL
);
CREATE INDEX updates_incident ON updates (incident_id, id);

-- The impact changes an update made; NULL means "no impact".
CREATE TABLE update_impacts (
    update_id    INTEGER NOT NULL REFERENCES updates (id) ON DELETE CASCADE,
    component_id INTEGER NOT NULL REFERENCES components (id),
    old_status   TEXT,
    new_status   TEXT,
    PRIMARY KEY (update_id, component_id)
) WITHOUT ROWID;

CREATE TABLE status_changes (
    id           INTEGER PRIMARY KEY,
    component_id INTEGER NOT NULL REFERENCES components (id) ON DELETE CASCADE,
    at           INTEGER NOT NULL,
    old_status   TEXT    NOT NULL,
    new_status   TEXT    NOT NULL,
    cause        TEXT    NOT NULL,
    incident_id  INTEGER,
    update_id    INTEGER
);
CREATE INDEX status_changes_component ON status_changes (component_id, at);

CREATE TABLE audit (
    id      INTEGER PRIMARY KEY,
    at      INTEGER NOT NULL,
    actor   TEXT    NOT NULL,
    action  TEXT    NOT NULL,
    subject TEXT    NOT NULL,
    detail  TEXT    NOT NULL DEFAULT ''
);

CREATE TABLE drafts (
    actor      TEXT    NOT NULL,
    target     TEXT    NOT NULL,
    state      TEXT    NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (actor, target)
) WITHOUT ROWID;
