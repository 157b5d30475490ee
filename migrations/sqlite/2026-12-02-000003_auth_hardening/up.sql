-- Wrong public lookups per dossier code: 10 in an hour (or 30 in a day) lock that code's lookup.
CREATE TABLE lookup_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL,
    client TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX lookup_failures_code_at ON lookup_failures(code, at);
CREATE INDEX lookup_failures_at ON lookup_failures(at);

-- The random token of a dossier's public link (the QR on the receipt); the printed code stays
-- sequential for the register. Made by the database so every way a dossier is written gets one.
CREATE TABLE dossier_lookup_tokens (
    dossier_id BIGINT PRIMARY KEY REFERENCES dossiers(id) ON DELETE CASCADE,
    token TEXT NOT NULL UNIQUE
);
INSERT INTO dossier_lookup_tokens (dossier_id, token) SELECT id, lower(hex(randomblob(16))) FROM dossiers;
CREATE TRIGGER dossiers_lookup_token AFTER INSERT ON dossiers BEGIN
    INSERT INTO dossier_lookup_tokens (dossier_id, token) VALUES (NEW.id, lower(hex(randomblob(16))));
END;

-- TOTP (RFC 6238). `confirmed_at` is NULL while the user is enrolling.
CREATE TABLE mfa_secrets (
    user_id BIGINT PRIMARY KEY REFERENCES users(id),
    secret TEXT NOT NULL,
    confirmed_at TIMESTAMP,
    last_step BIGINT,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE mfa_recovery_codes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users(id),
    code_hash TEXT NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX mfa_recovery_codes_user ON mfa_recovery_codes(user_id);

-- The second step of a sign-in: a short-lived token given after the password, exchanged for a
-- session with a code. `purpose` 'verify' asks for a code, 'enrol' for enrolment first.
CREATE TABLE mfa_challenges (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users(id),
    purpose TEXT NOT NULL CHECK (purpose IN ('verify', 'enrol')),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0,
    used_at TIMESTAMP
);
CREATE INDEX mfa_challenges_user ON mfa_challenges(user_id);
CREATE INDEX mfa_challenges_expires ON mfa_challenges(expires_at);

-- A commune's security settings: whether admin and board accounts must use MFA.
CREATE TABLE commune_security (
    commune_id BIGINT PRIMARY KEY REFERENCES communes(id),
    mfa_required BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at TIMESTAMP NOT NULL
);
