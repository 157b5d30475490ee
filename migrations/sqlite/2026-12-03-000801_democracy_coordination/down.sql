UPDATE disclosure_items SET name = 'Tình hình thực hiện ngân sách xã (hằng quý)'
    WHERE commune_id IS NULL AND code = 'D11-03' AND name = 'Tình hình thực hiện ngân sách xã (hằng quý, 6 tháng và cả năm)';
DELETE FROM democracy_files WHERE owner_kind IN ('activity', 'meeting_minutes', 'decision_report', 'supervision');

-- Files of the new records (activity photos, meeting minutes, decision reports, supervisions).
-- SQLite changes a CHECK by rebuilding the table (nothing references it).
CREATE TABLE democracy_files_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    commune_id BIGINT NOT NULL REFERENCES communes(id),
    owner_kind TEXT NOT NULL CHECK (owner_kind IN ('disclosure_document', 'disclosure_evidence', 'relay', 'dialogue_minutes', 'commitment_report')),
    owner_id BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO democracy_files_new (id, commune_id, owner_kind, owner_id, sha256, file_name, content_type, size, created_at)
    SELECT id, commune_id, owner_kind, owner_id, sha256, file_name, content_type, size, created_at FROM democracy_files;
DROP TABLE democracy_files;
ALTER TABLE democracy_files_new RENAME TO democracy_files;
CREATE INDEX democracy_files_owner ON democracy_files(owner_kind, owner_id);
CREATE INDEX democracy_files_commune ON democracy_files(commune_id);
CREATE INDEX democracy_files_sha ON democracy_files(sha256);

DROP TABLE board_recommendations;
DROP TABLE board_supervisions;
DROP TABLE decision_reports;
DROP TABLE meeting_decisions;
DROP TABLE meeting_units;
DROP TABLE coordination_meetings;
DROP TABLE activity_units;
DROP TABLE activities;
