-- Maintenance events reach the webhook outbox in the same transaction that records them:
-- scheduled, reminder, started, completed, cancelled, each as maintenance.<kind>, internal
-- when the window is, and only when some enabled endpoint wants it (the fan-out trigger then
-- makes the deliveries).
CREATE TRIGGER maintenance_events_to_webhooks AFTER INSERT ON maintenance_events BEGIN
    INSERT INTO webhook_events (type, at, internal, maintenance_id)
    SELECT 'maintenance.' || NEW.kind, NEW.at, m.visibility = 'internal', m.id FROM maintenances m
    WHERE m.id = NEW.maintenance_id AND EXISTS (SELECT 1 FROM webhook_endpoints e
        WHERE e.disabled_at IS NULL AND (e.internal = 1 OR m.visibility = 'public')
          AND instr(',' || e.events || ',', ',maintenance,') > 0);
END;
