-- Awareness and other activities of the plan (section II.1): who reached whom, where, how.
CREATE TABLE activities (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    commune_id BIGINT NOT NULL REFERENCES communes(id),
    kind TEXT NOT NULL CHECK (kind IN ('awareness', 'other')),
    content_area_id BIGINT REFERENCES content_areas(id),
    held_on DATE NOT NULL,
    place TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('meeting', 'loudspeaker', 'leaflets', 'zalo', 'visits', 'other')),
    participants INTEGER NOT NULL CHECK (participants >= 0),
    groups_reached TEXT NOT NULL,
    title TEXT NOT NULL,
    title_search TEXT NOT NULL,
    summary TEXT NOT NULL,
    task_id BIGINT REFERENCES tasks(id),
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX activities_commune_held ON activities(commune_id, held_on, id);
CREATE INDEX activities_area ON activities(content_area_id);
CREATE INDEX activities_task ON activities(task_id);
CREATE INDEX activities_created_by ON activities(created_by);

-- The units that ran an activity and the villages it reached.
CREATE TABLE activity_units (
    activity_id BIGINT NOT NULL REFERENCES activities(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    PRIMARY KEY (activity_id, unit_id)
);
CREATE INDEX activity_units_unit ON activity_units(unit_id);

-- Coordination meetings of the UBND with the Front and the unions (giao ban, section II.5).
CREATE TABLE coordination_meetings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    commune_id BIGINT NOT NULL REFERENCES communes(id),
    held_on DATE NOT NULL,
    place TEXT NOT NULL,
    chaired_by TEXT NOT NULL,
    agenda TEXT NOT NULL,
    agenda_search TEXT NOT NULL,
    minutes TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX coordination_meetings_commune_held ON coordination_meetings(commune_id, held_on, id);
CREATE INDEX coordination_meetings_created_by ON coordination_meetings(created_by);

-- Who attended, by unit.
CREATE TABLE meeting_units (
    meeting_id BIGINT NOT NULL REFERENCES coordination_meetings(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    attendees INTEGER NOT NULL CHECK (attendees >= 0),
    PRIMARY KEY (meeting_id, unit_id)
);
CREATE INDEX meeting_units_unit ON meeting_units(unit_id);

-- What a meeting decided: tracked to closure like a commitment.
CREATE TABLE meeting_decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    commune_id BIGINT NOT NULL REFERENCES communes(id),
    meeting_id BIGINT NOT NULL REFERENCES coordination_meetings(id),
    text TEXT NOT NULL,
    owner_unit_id BIGINT NOT NULL REFERENCES units(id),
    due_on DATE NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'done', 'dropped')),
    done_on DATE,
    task_id BIGINT REFERENCES tasks(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX meeting_decisions_commune_due ON meeting_decisions(commune_id, status, due_on);
CREATE INDEX meeting_decisions_meeting ON meeting_decisions(meeting_id);
CREATE INDEX meeting_decisions_owner ON meeting_decisions(owner_unit_id);
CREATE INDEX meeting_decisions_task ON meeting_decisions(task_id);

CREATE TABLE decision_reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    decision_id BIGINT NOT NULL REFERENCES meeting_decisions(id),
    author_id BIGINT NOT NULL REFERENCES users(id),
    author_name TEXT NOT NULL,
    text TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'done', 'dropped')),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX decision_reports_decision ON decision_reports(decision_id);
CREATE INDEX decision_reports_author ON decision_reports(author_id);

-- A community board's (a unit of kind inspection_board or investment_supervision_board:
-- Ban Thanh tra nhân dân, Ban Giám sát đầu tư của cộng đồng) supervision activity (a visit, a review of a project or of a decision's execution).
CREATE TABLE board_supervisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    commune_id BIGINT NOT NULL REFERENCES communes(id),
    board_unit_id BIGINT NOT NULL REFERENCES units(id),
    held_on DATE NOT NULL,
    subject TEXT NOT NULL,
    findings TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX board_supervisions_board_held ON board_supervisions(board_unit_id, held_on, id);
CREATE INDEX board_supervisions_commune ON board_supervisions(commune_id);
CREATE INDEX board_supervisions_created_by ON board_supervisions(created_by);

-- What a supervision recommended, and the commune's response to it.
CREATE TABLE board_recommendations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    commune_id BIGINT NOT NULL REFERENCES communes(id),
    supervision_id BIGINT NOT NULL REFERENCES board_supervisions(id),
    text TEXT NOT NULL,
    addressed_unit_id BIGINT REFERENCES units(id),
    status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'resolved', 'declined')),
    answer TEXT NOT NULL,
    answered_on DATE,
    answered_by BIGINT REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX board_recommendations_commune_status ON board_recommendations(commune_id, status);
CREATE INDEX board_recommendations_supervision ON board_recommendations(supervision_id);
CREATE INDEX board_recommendations_unit ON board_recommendations(addressed_unit_id);
CREATE INDEX board_recommendations_answered_by ON board_recommendations(answered_by);

-- Files of the new records (activity photos, meeting minutes, decision reports, supervisions).
-- SQLite changes a CHECK by rebuilding the table (nothing references it).
CREATE TABLE democracy_files_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    commune_id BIGINT NOT NULL REFERENCES communes(id),
    owner_kind TEXT NOT NULL CHECK (owner_kind IN ('disclosure_document', 'disclosure_evidence', 'relay', 'dialogue_minutes', 'commitment_report', 'activity', 'meeting_minutes', 'decision_report', 'supervision')),
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

-- Art. 11 wording, checked against the text of the law:
-- budget execution is disclosed quarterly, half-yearly and for the year — the quarterly item
-- covers all three (Q2 and Q4 close the half-year and the year), its name now says so.
UPDATE disclosure_items SET name = 'Tình hình thực hiện ngân sách xã (hằng quý, 6 tháng và cả năm)'
    WHERE commune_id IS NULL AND code = 'D11-03' AND name = 'Tình hình thực hiện ngân sách xã (hằng quý)';
