-- The processing-time histogram of the roll-ups (docs/rollups.md) as one compact value per
-- bucket and procedure instead of one row per distinct number of minutes: a province-wide year
-- read 600,000 rows of (commune, procedure, minutes, n); it now reads one value per commune and
-- procedure. `hist` holds ascending (working minutes, how many) pairs as zigzag LEB128 varints,
-- minutes delta-coded (`onestop::rollups::hist`).
DROP TABLE dossier_rollup_minutes;

CREATE TABLE dossier_rollup_histograms (
    commune_id BIGINT NOT NULL,
    grain INTEGER NOT NULL CHECK (grain IN (0, 1, 2)),
    day DATE NOT NULL,
    procedure_id BIGINT NOT NULL,
    hist BLOB NOT NULL,
    PRIMARY KEY (commune_id, grain, day, procedure_id)
);
-- A rowid table (not WITHOUT ROWID like dossier_rollups): a year's value runs to kilobytes.

-- Emptied so that the start-up builds both tables again from the dossiers, in one transaction
-- (`rollups::service::build_if_missing`).
DELETE FROM dossier_rollups;
