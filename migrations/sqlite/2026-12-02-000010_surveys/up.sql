-- Satisfaction surveys (docs/surveys.md). A form is a list of questions, versioned: once a
-- version has answers, editing the form makes a new version. Forms without a commune are the
-- shipped ones (read-only, usable by every commune).
CREATE TABLE survey_forms (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    commune_id BIGINT REFERENCES communes(id),
    code TEXT,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    current_version INTEGER NOT NULL DEFAULT 1,
    created_by BIGINT REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX survey_forms_commune ON survey_forms(commune_id);
CREATE UNIQUE INDEX survey_forms_code ON survey_forms(code);

CREATE TABLE survey_form_versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    form_id BIGINT NOT NULL REFERENCES survey_forms(id),
    version INTEGER NOT NULL,
    questions TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (form_id, version)
);

-- A campaign: a form, a period, a target, channels.
CREATE TABLE surveys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    commune_id BIGINT NOT NULL REFERENCES communes(id),
    form_id BIGINT NOT NULL REFERENCES survey_forms(id),
    title TEXT NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE,
    target TEXT NOT NULL CHECK (target IN ('all', 'procedure', 'field', 'unit', 'dossiers')),
    target_ref TEXT,
    channels TEXT NOT NULL,
    per_dossier BOOLEAN NOT NULL DEFAULT FALSE,
    public_token TEXT NOT NULL UNIQUE,
    board_target REAL,
    created_by BIGINT REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX surveys_commune ON surveys(commune_id);
CREATE INDEX surveys_form ON surveys(form_id);

-- One answered form. Its answers are rows of survey_answers; the likert sums are kept here
-- so breakdowns read one row per response.
CREATE TABLE survey_responses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    survey_id BIGINT NOT NULL REFERENCES surveys(id),
    commune_id BIGINT NOT NULL REFERENCES communes(id),
    form_version_id BIGINT NOT NULL REFERENCES survey_form_versions(id),
    channel TEXT NOT NULL CHECK (channel IN ('dossier', 'link', 'paper', 'village')),
    dossier_id BIGINT UNIQUE REFERENCES dossiers(id),
    client_id TEXT,
    procedure_id BIGINT REFERENCES procedures(id),
    field TEXT,
    unit_id BIGINT REFERENCES units(id),
    timeliness TEXT,
    officer_id BIGINT REFERENCES users(id),
    village_id BIGINT REFERENCES units(id),
    answered_at TIMESTAMP NOT NULL,
    month TEXT NOT NULL,
    overall INTEGER,
    likert_n INTEGER NOT NULL,
    likert_sum INTEGER NOT NULL,
    likert_satisfied INTEGER NOT NULL,
    duplicate BOOLEAN NOT NULL DEFAULT FALSE,
    client_key TEXT,
    device TEXT,
    entered_by BIGINT REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (survey_id, client_id)
);
CREATE INDEX survey_responses_survey ON survey_responses(survey_id, answered_at);
CREATE INDEX survey_responses_commune ON survey_responses(commune_id, channel, answered_at);
CREATE INDEX survey_responses_client ON survey_responses(survey_id, client_key, created_at);

CREATE TABLE survey_answers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    response_id BIGINT NOT NULL REFERENCES survey_responses(id) ON DELETE CASCADE,
    survey_id BIGINT NOT NULL REFERENCES surveys(id),
    answered_at TIMESTAMP NOT NULL,
    question_id TEXT NOT NULL,
    value_int INTEGER,
    option_id TEXT,
    free_text TEXT
);
CREATE INDEX survey_answers_response ON survey_answers(response_id);
CREATE INDEX survey_answers_survey ON survey_answers(survey_id, question_id, value_int, option_id, answered_at);

-- Paper forms counted, not entered one by one: counts per answer per question.
CREATE TABLE survey_tallies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    survey_id BIGINT NOT NULL REFERENCES surveys(id),
    commune_id BIGINT NOT NULL REFERENCES communes(id),
    form_version_id BIGINT NOT NULL REFERENCES survey_form_versions(id),
    forms INTEGER NOT NULL CHECK (forms > 0),
    counts TEXT NOT NULL,
    collected_on DATE NOT NULL,
    village_id BIGINT REFERENCES units(id),
    note TEXT NOT NULL DEFAULT '',
    likert_n INTEGER NOT NULL,
    likert_sum INTEGER NOT NULL,
    likert_satisfied INTEGER NOT NULL,
    entered_by BIGINT REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX survey_tallies_survey ON survey_tallies(survey_id);

-- The random token of a dossier's survey link (the QR "Quét để đánh giá" on form 01), made by
-- the database for every dossier, existing ones included.
CREATE TABLE survey_dossier_tokens (
    dossier_id BIGINT PRIMARY KEY REFERENCES dossiers(id) ON DELETE CASCADE,
    token TEXT NOT NULL UNIQUE
);

-- The three shipped forms (api/src/surveys/shipped_forms.json).
INSERT INTO survey_forms (commune_id, code, title, description, current_version, created_at, updated_at) VALUES (NULL, 'sipas', 'Khảo sát sự hài lòng theo 5 yếu tố SIPAS', 'Chỉ số hài lòng về sự phục vụ hành chính (Bộ Nội vụ): tiếp cận dịch vụ, thủ tục, công chức, kết quả, tiếp nhận và xử lý góp ý.', 1, '2026-12-02 00:00:00', '2026-12-02 00:00:00');
INSERT INTO survey_form_versions (form_id, version, questions, created_at) SELECT id, 1, '[{"id": "access", "kind": "likert5", "text": "Tiếp cận dịch vụ: nơi tiếp nhận dễ tìm, thuận tiện, có đủ chỗ ngồi và trang thiết bị.", "required": true}, {"id": "procedure", "kind": "likert5", "text": "Thủ tục hành chính: được niêm yết công khai, đầy đủ, đúng quy định; thành phần hồ sơ, phí, lệ phí, thời hạn hợp lý.", "required": true}, {"id": "staff", "kind": "likert5", "text": "Công chức: lịch sự, tôn trọng, hướng dẫn tận tình, dễ hiểu; không gây phiền hà, nhũng nhiễu.", "required": true}, {"id": "result", "kind": "likert5", "text": "Kết quả: nhận đúng hẹn, đầy đủ, chính xác.", "required": true}, {"id": "feedback", "kind": "likert5", "text": "Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị: dễ góp ý, được trả lời kịp thời, thỏa đáng.", "required": false}, {"id": "overall", "kind": "likert5", "text": "Nhìn chung, Ông/Bà hài lòng với sự phục vụ ở mức nào?", "required": true, "overall": true}, {"id": "comment", "kind": "text", "text": "Góp ý để chúng tôi phục vụ tốt hơn (không bắt buộc).", "required": false}]', '2026-12-02 00:00:00' FROM survey_forms WHERE code = 'sipas';
INSERT INTO survey_forms (commune_id, code, title, description, current_version, created_at, updated_at) VALUES (NULL, 'onestop', 'Phiếu đánh giá mức độ hài lòng tại Bộ phận Một cửa xã', 'Mẫu phiếu cấp xã: công chức, kết quả giải quyết, tiếp nhận góp ý; kèm thông tin người trả lời (không bắt buộc).', 1, '2026-12-02 00:00:00', '2026-12-02 00:00:00');
INSERT INTO survey_form_versions (form_id, version, questions, created_at) SELECT id, 1, '[{"id": "polite", "kind": "likert5", "text": "Công chức tiếp nhận có thái độ lịch sự, tôn trọng.", "required": true}, {"id": "prompt", "kind": "likert5", "text": "Công chức trả lời, giải thích nhanh chóng, rõ ràng.", "required": true}, {"id": "guidance", "kind": "likert5", "text": "Được hướng dẫn đầy đủ để chỉ phải đi lại một lần.", "required": true}, {"id": "on_time", "kind": "likert5", "text": "Nhận kết quả đúng hẹn.", "required": true}, {"id": "correct", "kind": "likert5", "text": "Kết quả giải quyết đúng quy định, chính xác.", "required": true}, {"id": "feedback", "kind": "likert5", "text": "Góp ý, phản ánh được tiếp nhận và trả lời thỏa đáng.", "required": false}, {"id": "overall", "kind": "likert5", "text": "Mức độ hài lòng chung của Ông/Bà.", "required": true, "overall": true}, {"id": "comment", "kind": "text", "text": "Ý kiến khác (không bắt buộc).", "required": false}, {"id": "gender", "kind": "single", "text": "Giới tính", "required": false, "profile": true, "options": [{"id": "male", "text": "Nam"}, {"id": "female", "text": "Nữ"}, {"id": "other", "text": "Khác / không muốn trả lời"}]}, {"id": "age", "kind": "single", "text": "Nhóm tuổi", "required": false, "profile": true, "options": [{"id": "u30", "text": "Dưới 30"}, {"id": "30_49", "text": "Từ 30 đến 49"}, {"id": "50_64", "text": "Từ 50 đến 64"}, {"id": "65p", "text": "Từ 65 trở lên"}]}, {"id": "education", "kind": "single", "text": "Trình độ học vấn", "required": false, "profile": true, "options": [{"id": "primary", "text": "Tiểu học trở xuống"}, {"id": "secondary", "text": "Trung học cơ sở, trung học phổ thông"}, {"id": "vocational", "text": "Trung cấp, cao đẳng"}, {"id": "university", "text": "Đại học trở lên"}]}]', '2026-12-02 00:00:00' FROM survey_forms WHERE code = 'onestop';
INSERT INTO survey_forms (commune_id, code, title, description, current_version, created_at, updated_at) VALUES (NULL, 'than_thien', 'Khảo sát sự hài lòng với "Chính quyền thân thiện"', 'Ý kiến của người dân về chính quyền xã thân thiện, gần dân (bước 4 của Kế hoạch).', 1, '2026-12-02 00:00:00', '2026-12-02 00:00:00');
INSERT INTO survey_form_versions (form_id, version, questions, created_at) SELECT id, 1, '[{"id": "attitude", "kind": "likert5", "text": "Cán bộ, công chức xã có thái độ thân thiện, gần gũi với người dân.", "required": true}, {"id": "listen", "kind": "likert5", "text": "Chính quyền xã lắng nghe và giải quyết ý kiến, kiến nghị của người dân.", "required": true}, {"id": "info", "kind": "likert5", "text": "Thông tin về chủ trương, chính sách, thủ tục được công khai, dễ tiếp cận.", "required": true}, {"id": "dialogue", "kind": "likert5", "text": "Lãnh đạo xã đối thoại, tiếp công dân đúng lịch.", "required": true}, {"id": "channels", "kind": "multi", "text": "Ông/Bà thường nhận thông tin của xã qua kênh nào?", "required": false, "options": [{"id": "loudspeaker", "text": "Loa truyền thanh"}, {"id": "village_meeting", "text": "Họp thôn"}, {"id": "posting", "text": "Bảng niêm yết"}, {"id": "online", "text": "Mạng xã hội, Zalo, cổng thông tin"}]}, {"id": "overall", "kind": "likert5", "text": "Nhìn chung, Ông/Bà hài lòng với chính quyền xã ở mức nào?", "required": true, "overall": true}, {"id": "comment", "kind": "text", "text": "Điều Ông/Bà mong chính quyền xã làm tốt hơn (không bắt buộc).", "required": false}]', '2026-12-02 00:00:00' FROM survey_forms WHERE code = 'than_thien';

INSERT INTO survey_dossier_tokens (dossier_id, token) SELECT id, lower(hex(randomblob(16))) FROM dossiers;
CREATE TRIGGER dossiers_survey_token AFTER INSERT ON dossiers BEGIN
    INSERT INTO survey_dossier_tokens (dossier_id, token) VALUES (NEW.id, lower(hex(randomblob(16))));
END;
