-- One-stop law fidelity: dossier codes unique per commune (one commune's codes never block
-- another's numbering), the dossier flags the 766 index reads, counter guidance and refusals
-- (never received, never numbered), the commune's kind and one-stop unit for printed forms,
-- and the 766 rows that bring the index to 100 points.

-- SQLite cannot drop a column's UNIQUE: the table is rebuilt, and with it dossier_events, the
-- one table that refers to it. The new events table refers to the new dossiers table, so
-- dropping the old pair deletes no referenced row (foreign keys stay on), and renaming the new
-- dossiers table rewrites that reference to "dossiers".
CREATE TABLE dossiers_rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    commune_id BIGINT NOT NULL REFERENCES communes(id),
    procedure_id BIGINT NOT NULL REFERENCES procedures(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    code TEXT NOT NULL,
    channel INTEGER NOT NULL CHECK (channel IN (1, 2, 3)),
    status INTEGER NOT NULL CHECK (status BETWEEN 1 AND 10),
    applicant_name TEXT NOT NULL,
    applicant_search TEXT NOT NULL,
    applicant_phone TEXT NOT NULL,
    phone_digits TEXT NOT NULL,
    applicant_id_number TEXT NOT NULL,
    applicant_address TEXT NOT NULL,
    received_at TIMESTAMP NOT NULL,
    appointed_at TIMESTAMP NOT NULL,
    deadline_at TIMESTAMP NOT NULL,
    due_at TIMESTAMP NOT NULL,
    paused_since TIMESTAMP,
    finished_at TIMESTAMP,
    returned_at TIMESTAMP,
    supplement_requests INTEGER NOT NULL DEFAULT 0,
    extended BOOLEAN NOT NULL DEFAULT FALSE,
    timeliness TEXT CHECK (timeliness IN ('early', 'on_time', 'late')),
    paid_online BOOLEAN NOT NULL DEFAULT FALSE,
    digitised BOOLEAN NOT NULL DEFAULT FALSE,
    electronic_result BOOLEAN NOT NULL DEFAULT FALSE,
    created_by BIGINT REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    processing_minutes INTEGER,
    source TEXT NOT NULL DEFAULT 'local' CHECK (source IN ('local', 'import', 'demo')),
    -- Components taken from the citizen's national data store (DuocLayTuKhoDMQG; 766 row 4.4).
    from_data_store BOOLEAN NOT NULL DEFAULT FALSE,
    -- The time limit in force at receipt (NULL for imported and generated dossiers: their
    -- appointment is the legal due time).
    limit_amount INTEGER,
    limit_unit TEXT,
    cutoff_minutes INTEGER,
    -- Form 04 is due by this time (one working day before the deadline).
    apology_by TIMESTAMP,
    -- NULL: no apology; TRUE: sent by apology_by; FALSE: sent late.
    apology_timely BOOLEAN
);
INSERT INTO dossiers_rebuilt (id, commune_id, procedure_id, unit_id, code, channel, status, applicant_name,
    applicant_search, applicant_phone, phone_digits, applicant_id_number, applicant_address, received_at,
    appointed_at, deadline_at, due_at, paused_since, finished_at, returned_at, supplement_requests, extended,
    timeliness, paid_online, digitised, electronic_result, created_by, created_at, updated_at,
    processing_minutes, source)
SELECT id, commune_id, procedure_id, unit_id, code, channel, status, applicant_name,
    applicant_search, applicant_phone, phone_digits, applicant_id_number, applicant_address, received_at,
    appointed_at, deadline_at, due_at, paused_since, finished_at, returned_at, supplement_requests, extended,
    timeliness, paid_online, digitised, electronic_result, created_by, created_at, updated_at,
    processing_minutes, source
FROM dossiers;
CREATE TABLE dossier_events_rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    dossier_id BIGINT NOT NULL REFERENCES dossiers_rebuilt(id),
    action TEXT NOT NULL,
    from_status INTEGER,
    to_status INTEGER NOT NULL,
    at TIMESTAMP NOT NULL,
    user_id BIGINT REFERENCES users(id),
    user_name TEXT NOT NULL,
    unit_id BIGINT REFERENCES units(id),
    unit_name TEXT,
    note TEXT,
    new_due_at TIMESTAMP
);
INSERT INTO dossier_events_rebuilt (id, dossier_id, action, from_status, to_status, at, user_id, user_name,
    unit_id, unit_name, note, new_due_at)
SELECT id, dossier_id, action, from_status, to_status, at, user_id, user_name, unit_id, unit_name, note, new_due_at
FROM dossier_events;
DROP TABLE dossier_events;
DROP TABLE dossiers;
ALTER TABLE dossiers_rebuilt RENAME TO dossiers;
ALTER TABLE dossier_events_rebuilt RENAME TO dossier_events;
CREATE INDEX dossier_events_dossier ON dossier_events(dossier_id, id);
CREATE INDEX dossier_events_user ON dossier_events(user_id);
CREATE INDEX dossier_events_unit ON dossier_events(unit_id);
CREATE UNIQUE INDEX dossiers_commune_code ON dossiers(commune_id, code);
CREATE INDEX dossiers_code ON dossiers(code);
CREATE INDEX dossiers_commune_status ON dossiers(commune_id, status);
CREATE INDEX dossiers_commune_due ON dossiers(commune_id, due_at);
CREATE INDEX dossiers_procedure ON dossiers(procedure_id);
CREATE INDEX dossiers_unit ON dossiers(unit_id);
CREATE INDEX dossiers_created_by ON dossiers(created_by);
CREATE INDEX dossiers_search ON dossiers(commune_id, applicant_search);
CREATE INDEX dossiers_phone ON dossiers(commune_id, phone_digits);
CREATE INDEX dossiers_commune_received ON dossiers(commune_id, received_at, status, procedure_id, channel, paid_online, digitised);
CREATE INDEX dossiers_commune_finished ON dossiers(commune_id, finished_at, received_at, procedure_id, status, timeliness, electronic_result, processing_minutes);
CREATE INDEX dossiers_commune_returned ON dossiers(commune_id, returned_at, procedure_id);

-- At the counter, before receipt: guidance (form 02, the dossier is incomplete) and refusal
-- (form 03, the dossier may not be received). Neither is a dossier: no number, no 766 figure.
CREATE TABLE counter_records (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    commune_id BIGINT NOT NULL REFERENCES communes(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    procedure_id BIGINT NOT NULL REFERENCES procedures(id),
    kind TEXT NOT NULL CHECK (kind IN ('guidance', 'refusal')),
    channel INTEGER NOT NULL CHECK (channel IN (1, 2, 3)),
    applicant_name TEXT NOT NULL,
    applicant_phone TEXT NOT NULL,
    applicant_address TEXT NOT NULL,
    reason TEXT NOT NULL,
    at TIMESTAMP NOT NULL,
    user_id BIGINT REFERENCES users(id),
    user_name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX counter_records_commune_at ON counter_records(commune_id, at, kind, procedure_id);
CREATE INDEX counter_records_unit ON counter_records(unit_id);
CREATE INDEX counter_records_procedure ON counter_records(procedure_id);
CREATE INDEX counter_records_user ON counter_records(user_id);

-- Printed forms name the commune by its kind and its one-stop unit (Nghị định 118/2025: the
-- commune's Trung tâm Phục vụ hành chính công from 01/07/2025). NULL = the name in force.
ALTER TABLE communes ADD COLUMN kind TEXT NOT NULL DEFAULT 'xa' CHECK (kind IN ('xa', 'phuong', 'dac_khu'));
ALTER TABLE communes ADD COLUMN onestop_unit_name TEXT;

-- 2.1: which statuses are never received (left out everywhere) and which ends of processing
-- count, as named parameters (Quyết định 766/QĐ-TTg as the national portal counts them).
UPDATE index766_params SET params = '{"left_out_statuses":[1,3],"counted_end_statuses":[7,8,9,10],"open_not_due_counts_on_time":true}' WHERE code = '2.1';
-- Group 4 is worth 22 points: the rows that were missing.
INSERT INTO index766_params (code, effective_from, name_vi, name_en, max_score, params, created_at) VALUES
    ('4.1b', '2022-06-23', 'Cung cấp bản sao điện tử có chứng thực', 'Electronic certified copies offered', 2, '{"field_contains":"chứng thực"}', CURRENT_TIMESTAMP),
    ('4.4', '2022-06-23', 'Thành phần hồ sơ lấy từ kho dữ liệu quốc gia', 'Components taken from the national data store', 4, '{}', CURRENT_TIMESTAMP),
    ('4.5a', '2022-06-23', 'Hồ sơ kết nối dữ liệu dân cư', 'Dossiers connected to population data', 2, '{"level":"province"}', CURRENT_TIMESTAMP),
    ('4.5b', '2022-06-23', 'Thủ tục kết nối dữ liệu dân cư', 'Procedures connected to population data', 2, '{"level":"province"}', CURRENT_TIMESTAMP);
