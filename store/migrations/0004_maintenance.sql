-- Scheduled maintenance: windows of planned work over components, with a timeline of updates.
-- A window's state is read from the clock; the flags below only say which boundaries have
-- had their history, audit and events written (once, by the first process to see them pass).
CREATE TABLE maintenances (
    id              INTEGER PRIMARY KEY,
    title           TEXT    NOT NULL,
    visibility      TEXT    NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'internal')),
    starts_at       INTEGER NOT NULL,
    ends_at         INTEGER NOT NULL, -- the real end: the planned one, or earlier once finished or cancelled
    planned_ends_at INTEGER NOT NULL,
    finished_at     INTEGER,
    cancelled_at    INTEGER,
    every           TEXT    NOT NULL DEFAULT '' CHECK (every IN ('', 'daily', 'weekly', 'monthly')),
    zone            TEXT    NOT NULL DEFAULT 'UTC', -- the time zone a series keeps its wall-clock times in
    series_id       INTEGER,                        -- the first occurrence of its series
    occurrence      INTEGER NOT NULL DEFAULT 1,
    series_until    INTEGER,                        -- occurrences start before this
    series_count    INTEGER,                        -- at most this many occurrences
    reminded        INTEGER NOT NULL DEFAULT 0,
    started         INTEGER NOT NULL DEFAULT 0,
    ended           INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
-- Windows whose end is not yet written: those in progress and to come (and any whose end
-- passed unseen). Every read of current windows starts from here.
CREATE INDEX maintenances_pending ON maintenances (starts_at) WHERE ended = 0;

CREATE TABLE maintenance_components (
    maintenance_id INTEGER NOT NULL REFERENCES maintenances (id) ON DELETE CASCADE,
    component_id   INTEGER NOT NULL REFERENCES components (id) ON DELETE CASCADE,
    PRIMARY KEY (maintenance_id, component_id)
) WITHOUT ROWID;
CREATE INDEX maintenance_components_component ON maintenance_components (component_id, maintenance_id);

CREATE TABLE maintenance_updates (
    id             INTEGER PRIMARY KEY,
    maintenance_id INTEGER NOT NULL REFERENCES maintenances (id) ON DELETE CASCADE,
    status         TEXT    NOT NULL, -- scheduled, in_progress, completed, cancelled
    message        TEXT    NOT NULL DEFAULT '',
    author         TEXT    NOT NULL DEFAULT '',
    created_at     INTEGER NOT NULL
);
CREATE INDEX maintenance_updates_maintenance ON maintenance_updates (maintenance_id, id);

-- What happened to each window, in order, for notifications to deliver: scheduled, reminder
-- (an hour before the start), started, completed, cancelled.
CREATE TABLE maintenance_events (
    id             INTEGER PRIMARY KEY,
    maintenance_id INTEGER NOT NULL REFERENCES maintenances (id) ON DELETE CASCADE,
    kind           TEXT    NOT NULL CHECK (kind IN ('scheduled', 'reminder', 'started', 'completed', 'cancelled')),
    at             INTEGER NOT NULL
);

ALTER TABLE status_changes ADD COLUMN maintenance_id INTEGER;
