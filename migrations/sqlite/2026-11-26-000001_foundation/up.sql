-- Organisation, accounts, sessions, login throttling and the audit chain.
CREATE TABLE authorities (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_id BIGINT REFERENCES authorities(id),
    name TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('province', 'district')),
    code TEXT,
    -- Districts were abolished on 2025-07-01; they stay as data for history.
    dissolved_on DATE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE communes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    authority_id BIGINT NOT NULL REFERENCES authorities(id),
    name TEXT NOT NULL,
    code TEXT,
    timezone TEXT NOT NULL DEFAULT 'Asia/Ho_Chi_Minh',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX communes_authority ON communes(authority_id);

CREATE TABLE units (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    commune_id BIGINT NOT NULL REFERENCES communes(id),
    name TEXT NOT NULL,
    name_search TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('board', 'people_committee', 'front', 'union', 'village',
        'inspection_board', 'investment_supervision_board', 'school', 'health_station', 'other')),
    code TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX units_commune_name ON units(commune_id, name_search);
CREATE UNIQUE INDEX units_commune_code ON units(commune_id, code);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    full_name_search TEXT NOT NULL,
    phone TEXT,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'board', 'ubnd', 'front', 'village', 'oversight')),
    commune_id BIGINT REFERENCES communes(id),
    unit_id BIGINT REFERENCES units(id),
    authority_id BIGINT REFERENCES authorities(id),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    last_login_at TIMESTAMP,
    password_changed_at TIMESTAMP NOT NULL,
    -- An oversight user belongs to an authority; everyone else to a commune.
    CHECK ((role = 'oversight' AND authority_id IS NOT NULL AND commune_id IS NULL)
        OR (role <> 'oversight' AND commune_id IS NOT NULL AND authority_id IS NULL))
);
CREATE INDEX users_commune ON users(commune_id);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    revoked_reason TEXT,
    ip TEXT,
    user_agent TEXT
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE refresh_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX refresh_tokens_session ON refresh_tokens(session_id);

CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ip TEXT NOT NULL,
    username TEXT NOT NULL,
    at TIMESTAMP NOT NULL,
    success BOOLEAN NOT NULL
);
CREATE INDEX login_attempts_ip_at ON login_attempts(ip, at);
CREATE INDEX login_attempts_ip_user_at ON login_attempts(ip, username, at);
CREATE INDEX login_attempts_at ON login_attempts(at);
CREATE INDEX refresh_tokens_expires ON refresh_tokens(expires_at);

-- One hash chain per commune (chain_id = commune id; 0 = system-wide events).
CREATE TABLE audit_heads (
    chain_id BIGINT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    chain_id BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    commune_id BIGINT REFERENCES communes(id),
    at TIMESTAMP NOT NULL,
    user_id BIGINT,
    username TEXT,
    role TEXT,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT,
    summary TEXT NOT NULL,
    request_id TEXT,
    ip TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    UNIQUE (chain_id, seq)
);
CREATE INDEX audit_log_commune_at ON audit_log(commune_id, at);
