-- Uptime totals, kept in the transaction that writes the status history, so that a long record
-- of many components reads a few rows instead of every move. For each component (and group)
-- and audience, a row per block of 64 UTC days holds, packed, the totals of each day in it on
-- which the status moved: the time in major and partial outage from the day's start (or the
-- creation) up to the day's last move, the worst status held in that time, and that last move,
-- whose status holds until the next such day (the reader finishes it at the day's end or now);
-- and the status in force when the block began. Packing matters: every row read costs more
-- than its bytes, and a 90-day record is then two or three rows per component, not ninety.
-- Keyed by audience and block first, so that a period of every component is one range of
-- pages. Times are Unix milliseconds. The store fills both tables from the existing history in
-- the same transaction as this file.
CREATE TABLE uptime_blocks (
    component_id INTEGER NOT NULL REFERENCES components (id) ON DELETE CASCADE,
    audience     TEXT    NOT NULL CHECK (audience IN ('responders', 'public')),
    block        INTEGER NOT NULL, -- the block's first instant, a UTC midnight
    days         BLOB    NOT NULL,
    PRIMARY KEY (audience, block, component_id)
) WITHOUT ROWID;

-- A group's record is its worst enabled member at each moment.
CREATE TABLE group_uptime_blocks (
    group_id     INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    audience     TEXT    NOT NULL CHECK (audience IN ('responders', 'public')),
    block        INTEGER NOT NULL,
    days         BLOB    NOT NULL,
    PRIMARY KEY (audience, block, group_id)
) WITHOUT ROWID;
