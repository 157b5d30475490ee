-- Open311 GeoReport v2. Service codes are feedback categories: rows with no
-- commune are the defaults every commune offers until it has rows of its own.
CREATE TABLE feedback_categories (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    commune_id BIGINT REFERENCES communes(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('feedback', 'recommendation')),
    grouping TEXT NOT NULL,
    keywords TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE UNIQUE INDEX feedback_categories_code ON feedback_categories (COALESCE(commune_id, 0), code);
CREATE INDEX feedback_categories_commune ON feedback_categories (commune_id);

-- A petition received through Open311: its service code, where the problem is, the token
-- the submitting system got, and the key that sent it. Never the submitter's person.
CREATE TABLE open311_requests (
    petition_id BIGINT PRIMARY KEY REFERENCES petitions(id),
    commune_id BIGINT NOT NULL REFERENCES communes(id),
    service_code TEXT NOT NULL,
    token TEXT NOT NULL UNIQUE,
    api_key_id BIGINT NOT NULL REFERENCES api_keys(id),
    lat DOUBLE,
    long DOUBLE,
    address TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX open311_requests_commune ON open311_requests (commune_id, created_at);
CREATE INDEX open311_requests_key ON open311_requests (api_key_id);

INSERT INTO feedback_categories (commune_id, code, name, description, kind, grouping, keywords, position) VALUES
 (NULL, 'ha-tang', 'Hạ tầng, giao thông', 'Đường, cầu, cống, đèn chiếu sáng, biển báo hư hỏng', 'feedback', 'Hạ tầng', 'đường,cầu,cống,đèn', 1),
 (NULL, 'moi-truong', 'Môi trường, vệ sinh', 'Rác thải, nước thải, ô nhiễm, cây xanh', 'feedback', 'Môi trường', 'rác,nước thải,ô nhiễm', 2),
 (NULL, 'trat-tu', 'An ninh, trật tự', 'Trật tự công cộng, lấn chiếm lòng đường, tiếng ồn', 'feedback', 'An ninh', 'trật tự,lấn chiếm,tiếng ồn', 3),
 (NULL, 'dat-dai', 'Đất đai, xây dựng', 'Xây dựng không phép, tranh chấp ranh giới, sử dụng đất', 'feedback', 'Đất đai', 'xây dựng,đất', 4),
 (NULL, 'phuc-vu', 'Thủ tục, thái độ phục vụ', 'Thủ tục hành chính, thái độ của cán bộ', 'feedback', 'Hành chính', 'thủ tục,cán bộ', 5),
 (NULL, 'kien-nghi', 'Kiến nghị, đề xuất', 'Kiến nghị, đề xuất với chính quyền xã', 'recommendation', 'Kiến nghị', 'kiến nghị,đề xuất', 6);
