-- Webhooks: endpoints, and an outbox of events with one delivery per matching endpoint,
-- written in the same transaction as the change each event reports. Times are Unix
-- milliseconds, UTC.

CREATE TABLE webhook_endpoints (
    id                INTEGER PRIMARY KEY,
    url               TEXT    NOT NULL,
    format            TEXT    NOT NULL CHECK (format IN ('statuspage', 'slack', 'json')),
    events            TEXT    NOT NULL,             -- comma list of incident, component, maintenance
    internal          INTEGER NOT NULL DEFAULT 0,   -- also receives internal incidents and maintenance
    allow_private     INTEGER NOT NULL DEFAULT 0,   -- may resolve to loopback, private or link-local addresses
    secret            TEXT    NOT NULL,
    prev_secret       TEXT    NOT NULL DEFAULT '',  -- still signs until prev_secret_until (a rotation)
    prev_secret_until INTEGER NOT NULL DEFAULT 0,
    disabled_at       INTEGER,
    disabled_reason   TEXT    NOT NULL DEFAULT '',
    done_through      INTEGER NOT NULL DEFAULT 0,   -- its deliveries up to this id are all finished
    created_at        INTEGER NOT NULL
);

CREATE TABLE webhook_events (
    id             INTEGER PRIMARY KEY,
    type           TEXT    NOT NULL,
    at             INTEGER NOT NULL,
    internal       INTEGER NOT NULL DEFAULT 0,
    incident_id    INTEGER,
    update_id      INTEGER,
    component_id   INTEGER,
    maintenance_id INTEGER,
    old_status     TEXT    NOT NULL DEFAULT '',
    new_status     TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX webhook_events_incident ON webhook_events (incident_id) WHERE incident_id IS NOT NULL;

-- One row per event and endpoint. Kept narrow and without an index of its own beyond the
-- failed list, so that recording 20 deliveries costs little more than recording none: an
-- endpoint's queue is read from its done_through mark upward, in id order.
CREATE TABLE webhook_deliveries (
    id           INTEGER PRIMARY KEY,
    endpoint_id  INTEGER NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id     INTEGER NOT NULL REFERENCES webhook_events (id),
    state        TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_at      INTEGER NOT NULL DEFAULT 0,        -- 0: due at once
    since        INTEGER NOT NULL DEFAULT 0,        -- its retry window starts here: the first attempt
    lease_owner  TEXT    NOT NULL DEFAULT '',
    lease_until  INTEGER NOT NULL DEFAULT 0,
    last_at      INTEGER NOT NULL DEFAULT 0,
    last_status  INTEGER NOT NULL DEFAULT 0,
    last_answer  TEXT    NOT NULL DEFAULT '',
    delivered_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX webhook_deliveries_failed ON webhook_deliveries (id) WHERE state = 'failed';

-- An event fans out to one delivery per enabled endpoint that wants its kind (the part of its
-- type before the dot); internal events only to internal endpoints.
CREATE TRIGGER webhook_events_fan_out AFTER INSERT ON webhook_events BEGIN
    INSERT INTO webhook_deliveries (endpoint_id, event_id)
    SELECT e.id, NEW.id FROM webhook_endpoints e
    WHERE e.disabled_at IS NULL AND (e.internal = 1 OR NEW.internal = 0)
      AND instr(',' || e.events || ',', ',' || substr(NEW.type, 1, instr(NEW.type, '.') - 1) || ',') > 0
    ORDER BY e.id;
END;

-- Makes this database's webhook-ids its own: msg_<salt>_<delivery id>.
CREATE TABLE webhook_identity (salt TEXT NOT NULL);
INSERT INTO webhook_identity (salt) VALUES (lower(hex(randomblob(8))));
