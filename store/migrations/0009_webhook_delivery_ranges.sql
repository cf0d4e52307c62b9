-- Each event keeps the range of delivery ids its fan-out made (they are made together, so
-- they are consecutive): an incident's deliveries are then found through its events without
-- an index on webhook_deliveries, which every write with webhooks would pay for.
ALTER TABLE webhook_events ADD COLUMN first_delivery INTEGER NOT NULL DEFAULT 0;
ALTER TABLE webhook_events ADD COLUMN last_delivery INTEGER NOT NULL DEFAULT -1;

UPDATE webhook_events SET
    first_delivery = coalesce((SELECT min(d.id) FROM webhook_deliveries d WHERE d.event_id = webhook_events.id), 0),
    last_delivery = coalesce((SELECT max(d.id) FROM webhook_deliveries d WHERE d.event_id = webhook_events.id), -1);

DROP TRIGGER webhook_events_fan_out;
CREATE TRIGGER webhook_events_fan_out AFTER INSERT ON webhook_events BEGIN
    INSERT INTO webhook_deliveries (endpoint_id, event_id)
    SELECT e.id, NEW.id FROM webhook_endpoints e
    WHERE e.disabled_at IS NULL AND (e.internal = 1 OR NEW.internal = 0)
      AND instr(',' || e.events || ',', ',' || substr(NEW.type, 1, instr(NEW.type, '.') - 1) || ',') > 0
    ORDER BY e.id;
    UPDATE webhook_events SET first_delivery = last_insert_rowid() - changes() + 1, last_delivery = last_insert_rowid()
    WHERE id = NEW.id;
END;
