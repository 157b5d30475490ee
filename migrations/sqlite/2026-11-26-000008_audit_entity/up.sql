-- A record's history (a task's or a dossier's "Lịch sử" tab, `GET /audit?entity=&entity_id=`)
-- reads its own entries, newest first, instead of every entry of the commune.
CREATE INDEX audit_log_entity ON audit_log(commune_id, entity, entity_id, at);
