-- One-stop law fidelity: dossier codes unique per commune (one commune's codes never block
-- another's numbering), the dossier flags the 766 index reads, counter guidance and refusals
-- (never received, never numbered), the commune's kind and one-stop unit for printed forms,
-- and the 766 rows that bring the index to 100 points.
ALTER TABLE dossiers DROP CONSTRAINT dossiers_code_key;
CREATE UNIQUE INDEX dossiers_commune_code ON dossiers(commune_id, code);
CREATE INDEX dossiers_code ON dossiers(code);
-- Components taken from the citizen's national data store (DuocLayTuKhoDMQG; 766 row 4.4).
ALTER TABLE dossiers ADD COLUMN from_data_store BOOLEAN NOT NULL DEFAULT FALSE;
-- The time limit in force at receipt (NULL for imported and generated dossiers: their
-- appointment is the legal due time).
ALTER TABLE dossiers ADD COLUMN limit_amount INTEGER;
ALTER TABLE dossiers ADD COLUMN limit_unit TEXT;
ALTER TABLE dossiers ADD COLUMN cutoff_minutes INTEGER;
-- Form 04 is due by this time (one working day before the deadline).
ALTER TABLE dossiers ADD COLUMN apology_by TIMESTAMP;
-- NULL: no apology; TRUE: sent by apology_by; FALSE: sent late.
ALTER TABLE dossiers ADD COLUMN apology_timely BOOLEAN;

-- At the counter, before receipt: guidance (form 02, the dossier is incomplete) and refusal
-- (form 03, the dossier may not be received). Neither is a dossier: no number, no 766 figure.
CREATE TABLE counter_records (
    id BIGSERIAL PRIMARY KEY,
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
CREATE INDEX counter_records_commune_at ON counter_records(commune_id, at) INCLUDE (kind, procedure_id);
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
