-- Citizen reception and petitions.

-- The legal clocks as data, each with the date it took effect and its legal source. A petition
-- uses the row in force on the day its clock starts.
CREATE TABLE petition_clock_rules (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('complaint', 'denunciation', 'feedback')),
    clock TEXT NOT NULL CHECK (clock IN ('accept', 'settle', 'settle_complex', 'settle_remote', 'settle_remote_complex',
        'extension', 'max_total', 'handle', 'refuse', 'ask_info', 'publish')),
    amount INTEGER NOT NULL CHECK (amount >= 0),
    unit TEXT NOT NULL CHECK (unit IN ('calendar_days', 'working_days')),
    effective_from DATE NOT NULL,
    source TEXT NOT NULL,
    UNIQUE (kind, clock, effective_from)
);

INSERT INTO petition_clock_rules (kind, clock, amount, unit, effective_from, source) VALUES
 ('complaint', 'accept', 10, 'calendar_days', '2012-07-01', 'Luật Khiếu nại 2011, Điều 27'),
 ('complaint', 'settle', 30, 'calendar_days', '2012-07-01', 'Luật Khiếu nại 2011, Điều 28'),
 ('complaint', 'settle_complex', 45, 'calendar_days', '2012-07-01', 'Luật Khiếu nại 2011, Điều 28'),
 ('complaint', 'settle_remote', 45, 'calendar_days', '2012-07-01', 'Luật Khiếu nại 2011, Điều 28 (vùng sâu, vùng xa, đi lại khó khăn)'),
 ('complaint', 'settle_remote_complex', 60, 'calendar_days', '2012-07-01', 'Luật Khiếu nại 2011, Điều 28 (vùng sâu, vùng xa, đi lại khó khăn)'),
 ('denunciation', 'accept', 7, 'working_days', '2019-01-01', 'Luật Tố cáo 2018, Điều 29'),
 ('denunciation', 'settle', 30, 'calendar_days', '2019-01-01', 'Luật Tố cáo 2018, Điều 30'),
 ('denunciation', 'extension', 30, 'calendar_days', '2019-01-01', 'Luật Tố cáo 2018, Điều 30 (gia hạn một lần nếu phức tạp, hai lần nếu đặc biệt phức tạp)'),
 ('denunciation', 'max_total', 90, 'calendar_days', '2019-01-01', 'Luật Tố cáo 2018, Điều 30'),
 ('feedback', 'handle', 15, 'working_days', '2018-01-01', 'Nghị định 20/2008/NĐ-CP (sửa đổi bởi Nghị định 92/2017/NĐ-CP); Cổng Dịch vụ công quốc gia'),
 ('feedback', 'refuse', 2, 'working_days', '2018-01-01', 'Nghị định 20/2008/NĐ-CP (sửa đổi bởi Nghị định 92/2017/NĐ-CP); Cổng Dịch vụ công quốc gia'),
 ('feedback', 'ask_info', 5, 'working_days', '2018-01-01', 'Nghị định 20/2008/NĐ-CP (sửa đổi bởi Nghị định 92/2017/NĐ-CP); Cổng Dịch vụ công quốc gia'),
 ('feedback', 'publish', 2, 'working_days', '2018-01-01', 'Nghị định 20/2008/NĐ-CP (sửa đổi bởi Nghị định 92/2017/NĐ-CP); Cổng Dịch vụ công quốc gia');

-- A commune in a remote, difficult area (vùng sâu, vùng xa): longer complaint clocks.
CREATE TABLE petition_commune_settings (
    commune_id BIGINT PRIMARY KEY REFERENCES communes (id),
    remote_area BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at TIMESTAMP NOT NULL
);

-- The commune chairman flag (the one board member who may read a denouncer's identity besides
-- the assigned handler), set by the commune administrator.
CREATE TABLE user_chairman_flags (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    commune_id BIGINT NOT NULL REFERENCES communes (id),
    set_at TIMESTAMP NOT NULL
);
CREATE INDEX user_chairman_flags_commune ON user_chairman_flags (commune_id);

CREATE TABLE reception_sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    commune_id BIGINT NOT NULL REFERENCES communes (id),
    kind TEXT NOT NULL CHECK (kind IN ('regular', 'adhoc')),
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP,
    place TEXT NOT NULL,
    leader_name TEXT NOT NULL,
    leader_title TEXT NOT NULL,
    delegated BOOLEAN NOT NULL DEFAULT FALSE,
    status TEXT NOT NULL CHECK (status IN ('planned', 'held', 'cancelled')),
    note TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX reception_sessions_commune_starts ON reception_sessions (commune_id, starts_at);

CREATE TABLE petitions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    commune_id BIGINT NOT NULL REFERENCES communes (id),
    code TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('recommendation', 'feedback', 'complaint', 'denunciation', 'other')),
    channel TEXT NOT NULL CHECK (channel IN ('reception', 'post', 'desk', 'online', 'forwarded', 'national_portal', 'village')),
    status TEXT NOT NULL CHECK (status IN ('received', 'accepted', 'refused', 'forwarded', 'assigned', 'investigating',
        'concluded', 'published', 'notified', 'closed', 'withdrawn')),
    subject TEXT NOT NULL,
    content TEXT NOT NULL,
    -- Folded code, subject and content: never a denouncer's identity.
    search TEXT NOT NULL,
    -- Name of a petitioner who is not a denouncer (a denouncer's identity lives, sealed, in
    -- petition_identities).
    petitioner_name TEXT,
    phone_digits TEXT NOT NULL DEFAULT '',
    village_unit_id BIGINT REFERENCES units (id),
    submitted_by BIGINT REFERENCES users (id),
    dossier_id BIGINT REFERENCES dossiers (id),
    visit_id BIGINT,
    complexity INTEGER NOT NULL DEFAULT 0 CHECK (complexity BETWEEN 0 AND 2),
    received_at TIMESTAMP NOT NULL,
    accepted_at TIMESTAMP,
    refusal_reason TEXT,
    forwarded_to TEXT,
    handler_id BIGINT REFERENCES users (id),
    handler_name TEXT,
    outcome TEXT CHECK (outcome IN ('upheld', 'partly', 'rejected')),
    conclusion TEXT,
    document_ref TEXT,
    concluded_at TIMESTAMP,
    published_answer TEXT,
    answer_public BOOLEAN NOT NULL DEFAULT FALSE,
    published_at TIMESTAMP,
    closed_at TIMESTAMP,
    paused_since TIMESTAMP,
    -- The running clock's due time (for the due-soon and overdue lists), recomputed on each step.
    due_at TIMESTAMP,
    due_clock TEXT,
    on_time BOOLEAN,
    rating TEXT CHECK (rating IN ('like', 'neutral', 'dislike')),
    repeat_of BIGINT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (commune_id, code)
);
CREATE INDEX petitions_commune_status ON petitions (commune_id, status);
CREATE INDEX petitions_commune_received ON petitions (commune_id, received_at);
CREATE INDEX petitions_due ON petitions (commune_id, due_at);
CREATE INDEX petitions_code ON petitions (code);
CREATE INDEX petitions_handler ON petitions (handler_id);
CREATE INDEX petitions_village ON petitions (village_unit_id);
CREATE INDEX petitions_dossier ON petitions (dossier_id);
CREATE INDEX petitions_submitted_by ON petitions (submitted_by);

CREATE TABLE petition_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    petition_id BIGINT NOT NULL REFERENCES petitions (id),
    action TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    at TIMESTAMP NOT NULL,
    actor_id BIGINT REFERENCES users (id),
    actor_name TEXT NOT NULL,
    note TEXT,
    decision_date DATE,
    days INTEGER
);
CREATE INDEX petition_events_petition ON petition_events (petition_id, at);

-- A denouncer's identity, sealed (ChaCha20-Poly1305) with a key the database never holds.
CREATE TABLE petition_identities (
    petition_id BIGINT PRIMARY KEY REFERENCES petitions (id),
    key_id TEXT NOT NULL,
    sealed TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE reception_visits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id BIGINT NOT NULL REFERENCES reception_sessions (id),
    commune_id BIGINT NOT NULL REFERENCES communes (id),
    at TIMESTAMP NOT NULL,
    receiver_name TEXT NOT NULL,
    citizen_names TEXT NOT NULL,
    group_size INTEGER NOT NULL DEFAULT 1 CHECK (group_size >= 1),
    content TEXT NOT NULL,
    classification TEXT NOT NULL CHECK (classification IN ('recommendation', 'feedback', 'complaint', 'denunciation', 'other')),
    handling TEXT NOT NULL CHECK (handling IN ('answered', 'guided', 'petition_opened', 'forwarded')),
    forwarded_to TEXT,
    petition_id BIGINT REFERENCES petitions (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX reception_visits_session ON reception_visits (session_id);
CREATE INDEX reception_visits_commune ON reception_visits (commune_id, at);
CREATE INDEX reception_visits_petition ON reception_visits (petition_id);
