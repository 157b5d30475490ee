-- What a citizen reads on a procedure's page beyond the catalogue row: the
-- documents to bring, the steps, and where to submit. One row per procedure, optional.
CREATE TABLE procedure_details (
    procedure_id BIGINT PRIMARY KEY REFERENCES procedures(id) ON DELETE CASCADE,
    -- JSON lists of strings.
    documents TEXT NOT NULL DEFAULT '[]',
    steps TEXT NOT NULL DEFAULT '[]',
    -- Where to submit, when it is not the commune's one-stop desk alone.
    place TEXT,
    updated_at TIMESTAMP NOT NULL
);
