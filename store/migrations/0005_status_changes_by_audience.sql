-- Uptime reads a period of one audience's history for every component: this index holds all it
-- reads, in the order it reads it, so each component is one range of index pages.
CREATE INDEX status_changes_audience ON status_changes (component_id, audience, at, id, new_status);
