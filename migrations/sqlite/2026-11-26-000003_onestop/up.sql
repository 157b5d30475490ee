-- Working calendar (per-date overrides, working hours) and the one-stop shop (procedures,
-- dossiers, their events, the daily code counter, public lookup throttling).

-- A per-date override of the generated calendar. commune_id NULL = the national default that
-- every commune inherits unless it sets its own override for the same date.
CREATE TABLE calendar_overrides (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    commune_id BIGINT REFERENCES communes(id),
    day DATE NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('day_off', 'working_day')),
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX calendar_overrides_commune_day ON calendar_overrides(commune_id, day) WHERE commune_id IS NOT NULL;
CREATE UNIQUE INDEX calendar_overrides_national_day ON calendar_overrides(day) WHERE commune_id IS NULL;

-- Working hours of a commune from a date on (minutes after midnight, local time).
CREATE TABLE calendar_hours (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    commune_id BIGINT NOT NULL REFERENCES communes(id),
    effective_from DATE NOT NULL,
    morning_start INTEGER NOT NULL,
    morning_end INTEGER NOT NULL,
    afternoon_start INTEGER NOT NULL,
    afternoon_end INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CHECK (0 <= morning_start AND morning_start < morning_end AND morning_end <= afternoon_start
        AND afternoon_start < afternoon_end AND afternoon_end <= 1440)
);
CREATE UNIQUE INDEX calendar_hours_commune_from ON calendar_hours(commune_id, effective_from);

CREATE TABLE procedures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    commune_id BIGINT NOT NULL REFERENCES communes(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    name_search TEXT NOT NULL,
    field TEXT NOT NULL,
    limit_amount INTEGER NOT NULL CHECK (limit_amount >= 0),
    limit_unit TEXT NOT NULL CHECK (limit_unit IN ('working_days', 'working_hours', 'same_day')),
    cutoff_minutes INTEGER NOT NULL DEFAULT 900 CHECK (cutoff_minutes BETWEEN 0 AND 1440),
    fee_vnd BIGINT,
    fee_note TEXT,
    online_payment BOOLEAN NOT NULL DEFAULT FALSE,
    result_kind TEXT NOT NULL CHECK (result_kind IN ('paper', 'electronic', 'both')),
    posted_on DATE,
    posting_complete BOOLEAN NOT NULL DEFAULT FALSE,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    demo BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX procedures_commune_code ON procedures(commune_id, code);
CREATE INDEX procedures_commune_active ON procedures(commune_id, active);

-- The online level of a procedure and the date it took effect (history, never edited).
CREATE TABLE procedure_online_levels (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    procedure_id BIGINT NOT NULL REFERENCES procedures(id),
    level TEXT NOT NULL CHECK (level IN ('full', 'partial', 'none')),
    effective_from DATE NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX procedure_online_levels_from ON procedure_online_levels(procedure_id, effective_from);

-- Daily dossier counter per receiving unit; incremented in the intake transaction.
CREATE TABLE dossier_counters (
    unit_id BIGINT NOT NULL REFERENCES units(id),
    day DATE NOT NULL,
    last_value INTEGER NOT NULL,
    PRIMARY KEY (unit_id, day)
);

CREATE TABLE dossiers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    commune_id BIGINT NOT NULL REFERENCES communes(id),
    procedure_id BIGINT NOT NULL REFERENCES procedures(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    code TEXT NOT NULL UNIQUE,
    channel INTEGER NOT NULL CHECK (channel IN (1, 2, 3)),
    status INTEGER NOT NULL CHECK (status BETWEEN 1 AND 10),
    applicant_name TEXT NOT NULL,
    applicant_search TEXT NOT NULL,
    applicant_phone TEXT NOT NULL,
    phone_digits TEXT NOT NULL,
    applicant_id_number TEXT NOT NULL,
    applicant_address TEXT NOT NULL,
    received_at TIMESTAMP NOT NULL,
    -- The appointment computed at intake.
    appointed_at TIMESTAMP NOT NULL,
    -- Legal deadline: appointment moved by completed pauses (no extensions).
    deadline_at TIMESTAMP NOT NULL,
    -- Current due time: deadline moved by pauses and extensions (form 04).
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
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX dossiers_commune_received ON dossiers(commune_id, received_at);
CREATE INDEX dossiers_commune_status ON dossiers(commune_id, status);
CREATE INDEX dossiers_commune_due ON dossiers(commune_id, due_at);
CREATE INDEX dossiers_procedure ON dossiers(procedure_id);
CREATE INDEX dossiers_unit ON dossiers(unit_id);
CREATE INDEX dossiers_created_by ON dossiers(created_by);
CREATE INDEX dossiers_search ON dossiers(commune_id, applicant_search);
CREATE INDEX dossiers_phone ON dossiers(commune_id, phone_digits);

-- Every transition of a dossier: who, which unit, when, what. Form 06 is a view of these.
CREATE TABLE dossier_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    dossier_id BIGINT NOT NULL REFERENCES dossiers(id),
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
CREATE INDEX dossier_events_dossier ON dossier_events(dossier_id, id);
CREATE INDEX dossier_events_user ON dossier_events(user_id);
CREATE INDEX dossier_events_unit ON dossier_events(unit_id);

-- Public lookups by client address, for throttling (state lives in the database).
CREATE TABLE public_lookups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ip TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX public_lookups_ip_at ON public_lookups(ip, at);

-- National default swaps decided by the government.
INSERT INTO calendar_overrides (commune_id, day, kind, name, created_at, updated_at) VALUES
    (NULL, '2024-04-29', 'day_off', 'Nghỉ hoán đổi dịp 30/4 – 1/5', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    (NULL, '2024-05-04', 'working_day', 'Làm bù cho ngày 29/4/2024', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    (NULL, '2025-05-02', 'day_off', 'Nghỉ hoán đổi dịp 30/4 – 1/5', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    (NULL, '2025-04-26', 'working_day', 'Làm bù cho ngày 2/5/2025', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);
