DROP TABLE dossier_rollup_histograms;

CREATE TABLE dossier_rollup_minutes (
    commune_id BIGINT NOT NULL,
    grain INTEGER NOT NULL CHECK (grain IN (0, 1, 2)),
    day DATE NOT NULL,
    procedure_id BIGINT NOT NULL,
    minutes INTEGER NOT NULL,
    n BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (commune_id, grain, day, procedure_id, minutes)
);

DELETE FROM dossier_rollups;
