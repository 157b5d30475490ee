-- Roll-ups of the dossiers for the one-stop indicators and the 766 index (docs/rollups.md).
-- One row per (commune, grain, bucket day, procedure, current status of the dossier): grain 0 is a
-- local day, 1 a month (day = its first day), 2 a year (day = 1 January). Every dossier change adds
-- its contribution to the three buckets of each day it touches, in the same transaction.
CREATE TABLE dossier_rollups (
    commune_id BIGINT NOT NULL,
    grain INTEGER NOT NULL CHECK (grain IN (0, 1, 2)),
    day DATE NOT NULL,
    procedure_id BIGINT NOT NULL,
    status INTEGER NOT NULL,
    -- by the local day of received_at
    received BIGINT NOT NULL DEFAULT 0,
    online BIGINT NOT NULL DEFAULT 0,
    postal BIGINT NOT NULL DEFAULT 0,
    paid_online BIGINT NOT NULL DEFAULT 0,
    digitised BIGINT NOT NULL DEFAULT 0,
    from_data_store BIGINT NOT NULL DEFAULT 0,
    -- by the local day of finished_at
    ended BIGINT NOT NULL DEFAULT 0,
    early BIGINT NOT NULL DEFAULT 0,
    on_time BIGINT NOT NULL DEFAULT 0,
    late BIGINT NOT NULL DEFAULT 0,
    electronic_result BIGINT NOT NULL DEFAULT 0,
    late_without_apology BIGINT NOT NULL DEFAULT 0,
    -- by the local day of returned_at
    returned BIGINT NOT NULL DEFAULT 0,
    -- steps whose sum over every day before a cut is the open (and open overdue) count at it
    open_delta BIGINT NOT NULL DEFAULT 0,
    overdue_delta BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (commune_id, grain, day, procedure_id, status)
) WITHOUT ROWID;

-- Processing time of the resolved dossiers (status 9 or 10) by the local day of finished_at:
-- how many took exactly this many working minutes.
CREATE TABLE dossier_rollup_minutes (
    commune_id BIGINT NOT NULL,
    grain INTEGER NOT NULL CHECK (grain IN (0, 1, 2)),
    day DATE NOT NULL,
    procedure_id BIGINT NOT NULL,
    minutes INTEGER NOT NULL,
    n BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (commune_id, grain, day, procedure_id, minutes)
) WITHOUT ROWID;
