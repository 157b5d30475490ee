DROP TABLE index766_params;
DROP TABLE onestop_targets;
DROP INDEX dossiers_commune_returned;
DROP INDEX dossiers_commune_finished;
DROP INDEX dossiers_commune_received;
CREATE INDEX dossiers_commune_received ON dossiers(commune_id, received_at);
ALTER TABLE dossiers DROP COLUMN source;
ALTER TABLE dossiers DROP COLUMN processing_minutes;
