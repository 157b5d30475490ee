DROP TABLE dossier_rollup_minutes;
DROP TABLE dossier_rollups;
