-- One-stop performance: derived columns for indicators, where a dossier came from, the board's
-- yearly online-service targets, and the 766 index parameters (data with an effective date).

-- Working minutes from receipt to the end of processing, paused time excluded; set when the
-- dossier's processing ends (replayed from its events, or from an imported row).
ALTER TABLE dossiers ADD COLUMN processing_minutes INTEGER;
-- 'local' = received here; 'import' = imported from the province's one-stop system;
-- 'demo' = made by gen-demo-dossiers.
ALTER TABLE dossiers ADD COLUMN source TEXT NOT NULL DEFAULT 'local' CHECK (source IN ('local', 'import', 'demo'));
-- Covering indexes for the indicator scans (docs/indicators-benchmark.md): each aggregate is
-- answered from one index without touching the table. received_at second in the finished index
-- lets "open at the cut" use finished_at IS NULL and test received_at inside the index.
DROP INDEX dossiers_commune_received;
CREATE INDEX dossiers_commune_received ON dossiers(commune_id, received_at, status, procedure_id, channel, paid_online, digitised);
CREATE INDEX dossiers_commune_finished ON dossiers(commune_id, finished_at, received_at, procedure_id, status, timeliness, electronic_result, processing_minutes);
CREATE INDEX dossiers_commune_returned ON dossiers(commune_id, returned_at, procedure_id);

-- The board's target for the year: share of active procedures offered online (partial or full),
-- and optionally the share offered fully online.
CREATE TABLE onestop_targets (
    commune_id BIGINT NOT NULL REFERENCES communes(id),
    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    online_share REAL NOT NULL CHECK (online_share >= 0 AND online_share <= 1),
    full_share REAL CHECK (full_share >= 0 AND full_share <= 1),
    note TEXT,
    updated_by BIGINT REFERENCES users(id),
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (commune_id, year)
);
CREATE INDEX onestop_targets_updated_by ON onestop_targets(updated_by);

-- Parameters of each 766 indicator from a date on. The formula's shape is in code
-- (onestop::index766); its weights, caps and saturation points are here, so a new decree is a
-- new row, not a release.
CREATE TABLE index766_params (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL,
    effective_from DATE NOT NULL,
    name_vi TEXT NOT NULL,
    name_en TEXT NOT NULL,
    max_score REAL NOT NULL CHECK (max_score >= 0),
    params TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX index766_params_code_from ON index766_params(code, effective_from);

INSERT INTO index766_params (code, effective_from, name_vi, name_en, max_score, params, created_at) VALUES
    ('1.1', '2022-06-23', 'Công khai TTHC đúng hạn', 'Procedures published on time', 6, '{}', CURRENT_TIMESTAMP),
    ('1.2', '2022-06-23', 'Cập nhật, công khai TTHC đúng hạn', 'Procedures updated and made public on time', 4, '{}', CURRENT_TIMESTAMP),
    ('1.3', '2022-06-23', 'Công khai đầy đủ nội dung TTHC', 'Complete public content of procedures', 2, '{}', CURRENT_TIMESTAMP),
    ('1.4', '2022-06-23', 'Đồng bộ hồ sơ lên Cổng DVC quốc gia', 'Dossiers synchronised to the national portal', 6, '{}', CURRENT_TIMESTAMP),
    ('2.1', '2022-06-23', 'Giải quyết hồ sơ trước hạn, đúng hạn', 'Dossiers processed early or on time', 20, '{}', CURRENT_TIMESTAMP),
    ('3.x', '2022-06-23', 'Cung cấp dịch vụ công trực tuyến', 'Online public services', 12, '{"a_max":2,"a_full_at":0.8,"b_max":4,"c_max":6,"c_full_at":0.5}', CURRENT_TIMESTAMP),
    ('3.5', '2022-06-23', 'Thanh toán trực tuyến', 'Online payment', 10, '{"a_max":6,"b_max":2,"b_slope":2.5,"c_max":2.5}', CURRENT_TIMESTAMP),
    ('4.1', '2022-06-23', 'Cấp kết quả điện tử', 'Electronic results', 6, '{}', CURRENT_TIMESTAMP),
    ('4.2', '2022-06-23', 'Số hóa hồ sơ', 'Digitised dossiers', 4, '{"full_at":1.0}', CURRENT_TIMESTAMP),
    ('4.3', '2022-06-23', 'Tái sử dụng dữ liệu số hóa', 'Reused digitised data', 2, '{"full_at":0.8}', CURRENT_TIMESTAMP),
    ('5.2', '2022-06-23', 'Xử lý phản ánh, kiến nghị đúng hạn', 'Feedback handled on time', 6, '{}', CURRENT_TIMESTAMP),
    ('5.3', '2022-06-23', 'Hài lòng về xử lý phản ánh, kiến nghị', 'Satisfaction with feedback handling', 6, '{}', CURRENT_TIMESTAMP),
    ('5.4', '2022-06-23', 'Hài lòng về giải quyết TTHC', 'Satisfaction with procedures', 6, '{"full_at":0.9}', CURRENT_TIMESTAMP);
