-- Photos a citizen sends with a recommendation or feedback from /phan-anh (shrunk on the phone),
-- stored by content hash in the data directory's files/ like task evidence; shown to the staff only.
CREATE TABLE petition_photos (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    petition_id BIGINT NOT NULL REFERENCES petitions(id) ON DELETE CASCADE,
    sha256 TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
    size BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX petition_photos_petition ON petition_photos(petition_id);
CREATE INDEX petition_photos_sha ON petition_photos(sha256);
