-- Keys for systems. The secret is never stored: only SHA-256 of the whole key.
-- A key belongs to one commune (made by its admin, or by an oversight user for one commune of
-- its province: then authority_id is set too) or to a province (authority_id only, live keys).
CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    commune_id BIGINT REFERENCES communes(id),
    authority_id BIGINT REFERENCES authorities(id),
    created_by BIGINT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    owner TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('test', 'live')),
    prefix TEXT NOT NULL UNIQUE,
    secret_hash TEXT NOT NULL,
    scopes TEXT NOT NULL,
    ip_allow TEXT NOT NULL DEFAULT '',
    rate_per_minute INTEGER NOT NULL CHECK (rate_per_minute BETWEEN 1 AND 6000),
    expires_at TIMESTAMP,
    revoked_at TIMESTAMP,
    replaced_by BIGINT REFERENCES api_keys(id),
    last_used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    CHECK (commune_id IS NOT NULL OR authority_id IS NOT NULL),
    CHECK (kind = 'live' OR commune_id IS NOT NULL)
);
CREATE INDEX api_keys_commune ON api_keys (commune_id);
CREATE INDEX api_keys_authority ON api_keys (authority_id);
CREATE INDEX api_keys_created_by ON api_keys (created_by);
CREATE INDEX api_keys_replaced_by ON api_keys (replaced_by);

-- Every use, counted per key, UTC day and endpoint (one row per triple, not one per request).
CREATE TABLE api_key_usage (
    key_id BIGINT NOT NULL REFERENCES api_keys(id),
    day DATE NOT NULL,
    endpoint TEXT NOT NULL,
    calls BIGINT NOT NULL,
    PRIMARY KEY (key_id, day, endpoint)
);

-- Communes test keys may see: the demo commune, marked by the demo seed.
CREATE TABLE sandbox_communes (
    commune_id BIGINT PRIMARY KEY REFERENCES communes(id),
    created_at TIMESTAMP NOT NULL
);
