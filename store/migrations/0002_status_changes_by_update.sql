-- The timeline shows what each update did to components' effective statuses.
CREATE INDEX status_changes_update ON status_changes (update_id) WHERE update_id IS NOT NULL;
