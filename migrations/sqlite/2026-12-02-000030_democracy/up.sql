-- Grassroots democracy (Luật Thực hiện dân chủ ở cơ sở 10/2022/QH15): the Art. 11 items a
-- commune must disclose (shipped here, editable per commune), disclosures with their channels,
-- period and evidence, the villages that relay them, and the commune's alert settings.
CREATE TABLE disclosure_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    commune_id BIGINT REFERENCES communes(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    min_posting_days INTEGER CHECK (min_posting_days IS NULL OR (min_posting_days BETWEEN 1 AND 365)),
    periodicity TEXT NOT NULL CHECK (periodicity IN ('none', 'quarterly', 'half_yearly', 'yearly')),
    position INTEGER NOT NULL,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX disclosure_items_code ON disclosure_items(COALESCE(commune_id, 0), code);
CREATE INDEX disclosure_items_commune ON disclosure_items(commune_id);

CREATE TABLE disclosures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    commune_id BIGINT NOT NULL REFERENCES communes(id),
    item_id BIGINT NOT NULL REFERENCES disclosure_items(id),
    title TEXT NOT NULL,
    title_search TEXT NOT NULL,
    content TEXT NOT NULL,
    channels TEXT NOT NULL,
    other_channel TEXT,
    for_comment BOOLEAN NOT NULL,
    period TEXT,
    posted_from DATE NOT NULL,
    posted_to DATE NOT NULL,
    taken_down_on DATE,
    loudspeaker_days INTEGER CHECK (loudspeaker_days IS NULL OR loudspeaker_days >= 0),
    evidence_note TEXT NOT NULL,
    responsible_unit_id BIGINT REFERENCES units(id),
    responsible_name TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (posted_to >= posted_from)
);
CREATE INDEX disclosures_commune_from ON disclosures(commune_id, posted_from, id);
CREATE INDEX disclosures_commune_item ON disclosures(commune_id, item_id);
CREATE INDEX disclosures_item ON disclosures(item_id);
CREATE INDEX disclosures_responsible_unit ON disclosures(responsible_unit_id);
CREATE INDEX disclosures_created_by ON disclosures(created_by);

CREATE TABLE disclosure_villages (
    disclosure_id BIGINT NOT NULL REFERENCES disclosures(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    PRIMARY KEY (disclosure_id, unit_id)
);
CREATE INDEX disclosure_villages_unit ON disclosure_villages(unit_id);

CREATE TABLE disclosure_relays (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    disclosure_id BIGINT NOT NULL REFERENCES disclosures(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    relayed_on DATE NOT NULL,
    note TEXT NOT NULL,
    author_id BIGINT NOT NULL REFERENCES users(id),
    author_name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX disclosure_relays_once ON disclosure_relays(disclosure_id, unit_id);
CREATE INDEX disclosure_relays_unit ON disclosure_relays(unit_id);
CREATE INDEX disclosure_relays_author ON disclosure_relays(author_id);

-- Files of the democracy records (a disclosure's document, its evidence, a relay's photo),
-- stored by content hash like task evidence.
CREATE TABLE democracy_files (
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
CREATE INDEX democracy_files_owner ON democracy_files(owner_kind, owner_id);
CREATE INDEX democracy_files_commune ON democracy_files(commune_id);
CREATE INDEX democracy_files_sha ON democracy_files(sha256);

CREATE TABLE democracy_settings (
    commune_id BIGINT PRIMARY KEY REFERENCES communes(id),
    relay_within_days INTEGER NOT NULL CHECK (relay_within_days BETWEEN 1 AND 90),
    periodic_grace_days INTEGER NOT NULL CHECK (periodic_grace_days BETWEEN 0 AND 180),
    updated_at TIMESTAMP NOT NULL
);

-- Dialogues between leaders and citizens, and the commitments made there, tracked to closure.
CREATE TABLE dialogues (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    commune_id BIGINT NOT NULL REFERENCES communes(id),
    held_on DATE NOT NULL,
    place TEXT NOT NULL,
    leaders TEXT NOT NULL,
    participants INTEGER NOT NULL CHECK (participants >= 0),
    topics TEXT NOT NULL,
    topics_search TEXT NOT NULL,
    minutes TEXT NOT NULL,
    issues TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX dialogues_commune_held ON dialogues(commune_id, held_on, id);
CREATE INDEX dialogues_created_by ON dialogues(created_by);

CREATE TABLE dialogue_villages (
    dialogue_id BIGINT NOT NULL REFERENCES dialogues(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    PRIMARY KEY (dialogue_id, unit_id)
);
CREATE INDEX dialogue_villages_unit ON dialogue_villages(unit_id);

CREATE TABLE commitments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    commune_id BIGINT NOT NULL REFERENCES communes(id),
    dialogue_id BIGINT NOT NULL REFERENCES dialogues(id),
    text TEXT NOT NULL,
    owner_unit_id BIGINT NOT NULL REFERENCES units(id),
    due_on DATE NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'done', 'dropped')),
    done_on DATE,
    task_id BIGINT REFERENCES tasks(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX commitments_commune_due ON commitments(commune_id, status, due_on);
CREATE INDEX commitments_dialogue ON commitments(dialogue_id);
CREATE INDEX commitments_owner ON commitments(owner_unit_id);
CREATE INDEX commitments_task ON commitments(task_id);

CREATE TABLE commitment_reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    commitment_id BIGINT NOT NULL REFERENCES commitments(id),
    author_id BIGINT NOT NULL REFERENCES users(id),
    author_name TEXT NOT NULL,
    text TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX commitment_reports_commitment ON commitment_reports(commitment_id);
CREATE INDEX commitment_reports_author ON commitment_reports(author_id);

-- The items of Art. 11 (paraphrased; the wording and minimums are data a commune may adjust
-- when the law or its guidance changes). Periodic items expect one disclosure per period.
INSERT INTO disclosure_items (commune_id, code, name, legal_basis, min_posting_days, periodicity, position, active, created_at, updated_at) VALUES
(NULL, 'D11-01', 'Kế hoạch phát triển kinh tế - xã hội hằng năm của xã và kết quả thực hiện', 'Luật 10/2022/QH15, Điều 11', 30, 'yearly', 1, TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
(NULL, 'D11-02', 'Dự toán ngân sách xã', 'Luật 10/2022/QH15, Điều 11', 30, 'yearly', 2, TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
(NULL, 'D11-03', 'Tình hình thực hiện ngân sách xã (hằng quý)', 'Luật 10/2022/QH15, Điều 11', 30, 'quarterly', 3, TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
(NULL, 'D11-04', 'Quyết toán ngân sách xã', 'Luật 10/2022/QH15, Điều 11', 30, 'yearly', 4, TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
(NULL, 'D11-05', 'Chủ trương, dự án, công trình đầu tư trên địa bàn xã; thứ tự ưu tiên, tiến độ, phương án bồi thường, hỗ trợ, tái định cư', 'Luật 10/2022/QH15, Điều 11', 30, 'none', 5, TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
(NULL, 'D11-06', 'Quy hoạch, kế hoạch sử dụng đất; thu hồi đất, giao đất, cho thuê đất', 'Luật 10/2022/QH15, Điều 11', 30, 'none', 6, TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
(NULL, 'D11-07', 'Nhiệm vụ, quyền hạn của cán bộ, công chức xã giải quyết công việc của Nhân dân; thủ tục hành chính', 'Luật 10/2022/QH15, Điều 11', NULL, 'none', 7, TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
(NULL, 'D11-08', 'Quản lý, sử dụng các quỹ, khoản đầu tư, tài trợ; các khoản huy động Nhân dân đóng góp', 'Luật 10/2022/QH15, Điều 11', 30, 'half_yearly', 8, TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
(NULL, 'D11-09', 'Chính sách an sinh xã hội; bình xét hộ nghèo, cận nghèo và đối tượng thụ hưởng', 'Luật 10/2022/QH15, Điều 11', 30, 'yearly', 9, TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
(NULL, 'D11-10', 'Đối tượng, mức thu phí, lệ phí và nghĩa vụ tài chính khác do xã trực tiếp thu', 'Luật 10/2022/QH15, Điều 11', NULL, 'none', 10, TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
(NULL, 'D11-11', 'Kết quả thanh tra, kiểm tra, giải quyết khiếu nại, tố cáo; xử lý tiêu cực, tham nhũng của cán bộ xã', 'Luật 10/2022/QH15, Điều 11', NULL, 'none', 11, TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
(NULL, 'D11-12', 'Kết quả tiếp thu ý kiến của Nhân dân về những vấn đề xã đưa ra lấy ý kiến', 'Luật 10/2022/QH15, Điều 11', NULL, 'none', 12, TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
(NULL, 'D11-13', 'Nội dung khác theo quy định của pháp luật, theo yêu cầu của cơ quan có thẩm quyền', 'Luật 10/2022/QH15, Điều 11', NULL, 'none', 13, TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);
