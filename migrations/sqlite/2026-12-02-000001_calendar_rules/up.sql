-- The working calendar's legal data: holiday rules with their period of
-- validity, each year's decided Tết split, and national overrides with their source; provincial
-- overrides (authority_id) between the national default and the commune's own.

-- A public holiday as the law defines it. kind: solar (month/day of the solar calendar), lunar
-- (month/day of the Vietnamese lunar calendar), lunar_new_year (the Tết days, split around lunar
-- 1/1 by the year's decision in calendar_tet_decisions), adjacent (one day next to the solar
-- month/day, the one that joins the weekend). A rule applies to the days inside its validity.
CREATE TABLE calendar_holiday_rules (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('solar', 'lunar', 'lunar_new_year', 'adjacent')),
    month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    day INTEGER NOT NULL CHECK (day BETWEEN 1 AND 31),
    length INTEGER NOT NULL CHECK (length BETWEEN 1 AND 10),
    valid_from DATE NOT NULL,
    valid_to DATE,
    source TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CHECK (valid_to IS NULL OR valid_from <= valid_to)
);

-- The government's decision for a year: how many of the Tết days fall before lunar 1/1 (the
-- rest after). A year without a row is provisional (2 before, 3 after).
CREATE TABLE calendar_tet_decisions (
    year INTEGER PRIMARY KEY CHECK (year BETWEEN 1900 AND 2199),
    days_before INTEGER NOT NULL CHECK (days_before BETWEEN 0 AND 5),
    source TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Provincial overrides: commune_id NULL and authority_id = the province. National: both NULL.
ALTER TABLE calendar_overrides ADD COLUMN authority_id BIGINT REFERENCES authorities(id);
ALTER TABLE calendar_overrides ADD COLUMN source TEXT;
DROP INDEX calendar_overrides_national_day;
CREATE UNIQUE INDEX calendar_overrides_national_day ON calendar_overrides(day) WHERE commune_id IS NULL AND authority_id IS NULL;
CREATE UNIQUE INDEX calendar_overrides_authority_day ON calendar_overrides(authority_id, day) WHERE authority_id IS NOT NULL;

INSERT INTO calendar_holiday_rules (name, kind, month, day, length, valid_from, valid_to, source, created_at) VALUES
    ('Tết Dương lịch', 'solar', 1, 1, 1, '1900-01-01', NULL, 'Bộ luật Lao động 2019, Điều 112 (trước đó Bộ luật Lao động 2012, Điều 115)', CURRENT_TIMESTAMP),
    ('Tết Nguyên đán', 'lunar_new_year', 1, 1, 5, '1900-01-01', NULL, 'Bộ luật Lao động 2019, Điều 112 (trước đó Bộ luật Lao động 2012, Điều 115); cách chia 5 ngày trước và sau mùng 1 do Thủ tướng Chính phủ quyết định hằng năm', CURRENT_TIMESTAMP),
    ('Giỗ Tổ Hùng Vương (10/3 âm lịch)', 'lunar', 3, 10, 1, '1900-01-01', NULL, 'Bộ luật Lao động 2019, Điều 112 (trước đó Bộ luật Lao động 2012, Điều 115)', CURRENT_TIMESTAMP),
    ('Ngày Chiến thắng (30/4)', 'solar', 4, 30, 1, '1900-01-01', NULL, 'Bộ luật Lao động 2019, Điều 112 (trước đó Bộ luật Lao động 2012, Điều 115)', CURRENT_TIMESTAMP),
    ('Ngày Quốc tế Lao động (1/5)', 'solar', 5, 1, 1, '1900-01-01', NULL, 'Bộ luật Lao động 2019, Điều 112 (trước đó Bộ luật Lao động 2012, Điều 115)', CURRENT_TIMESTAMP),
    ('Quốc khánh (2/9)', 'solar', 9, 2, 1, '1900-01-01', NULL, 'Bộ luật Lao động 2019, Điều 112 (trước đó Bộ luật Lao động 2012, Điều 115)', CURRENT_TIMESTAMP),
    ('Quốc khánh (ngày liền kề)', 'adjacent', 9, 2, 1, '2021-01-01', NULL, 'Bộ luật Lao động 2019, Điều 112 khoản 1 điểm đ: ngày 2/9 và 01 ngày liền kề trước hoặc sau (có hiệu lực từ 01/01/2021)', CURRENT_TIMESTAMP),
    ('Ngày Văn hóa Việt Nam (24/11)', 'solar', 11, 24, 1, '2026-01-01', NULL, 'Nghị quyết 80-NQ/TW của Bộ Chính trị về phát triển văn hóa Việt Nam: ngày 24/11 là Ngày Văn hóa Việt Nam, người lao động được nghỉ hưởng nguyên lương từ năm 2026', CURRENT_TIMESTAMP);

INSERT INTO calendar_tet_decisions (year, days_before, source, created_at, updated_at) VALUES
    (2019, 1, 'Công văn 6519/VPCP-KGVX (2018) của Văn phòng Chính phủ: nghỉ Tết Kỷ Hợi từ 02/02 đến hết 10/02/2019', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    (2020, 2, 'Thông báo của Bộ Lao động – Thương binh và Xã hội theo ý kiến Thủ tướng Chính phủ: nghỉ Tết Canh Tý từ 23/01 đến hết 29/01/2020', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    (2021, 2, 'Thông báo của Bộ Lao động – Thương binh và Xã hội theo ý kiến Thủ tướng Chính phủ: nghỉ Tết Tân Sửu từ 10/02 đến hết 16/02/2021', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    (2022, 1, 'Thông báo của Bộ Lao động – Thương binh và Xã hội theo ý kiến Thủ tướng Chính phủ: nghỉ Tết Nhâm Dần từ 29/01 đến hết 06/02/2022', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    (2023, 2, 'Thông báo của Bộ Lao động – Thương binh và Xã hội theo ý kiến Thủ tướng Chính phủ: nghỉ Tết Quý Mão từ 20/01 đến hết 26/01/2023', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    (2024, 2, 'Thông báo của Bộ Lao động – Thương binh và Xã hội theo ý kiến Thủ tướng Chính phủ: nghỉ Tết Giáp Thìn từ 08/02 đến hết 14/02/2024', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    (2025, 2, 'Thông báo 6150/TB-BLĐTBXH (2024) của Bộ Lao động – Thương binh và Xã hội: nghỉ Tết Ất Tỵ từ 25/01 đến hết 02/02/2025', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    (2026, 1, 'Phương án của Bộ Nội vụ được Thủ tướng Chính phủ đồng ý: nghỉ Tết Bính Ngọ từ 14/02 đến hết 22/02/2026', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    (2027, 2, 'Phương án nghỉ Tết Đinh Mùi đã công bố: 2 ngày trước và 3 ngày sau mùng 1 Tết', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);

-- The decided swaps (the 2024 and 2025 ones were seeded without their source before).
DELETE FROM calendar_overrides WHERE commune_id IS NULL AND authority_id IS NULL AND day IN ('2018-12-31', '2019-01-05', '2019-04-29', '2019-05-04', '2024-04-29', '2024-05-04', '2025-05-02', '2025-04-26', '2026-01-02', '2026-01-10', '2026-08-31', '2026-08-22');
INSERT INTO calendar_overrides (commune_id, authority_id, day, kind, name, source, created_at, updated_at) VALUES
    (NULL, NULL, '2018-12-31', 'day_off', 'Nghỉ hoán đổi dịp Tết Dương lịch 2019', 'Công văn 6519/VPCP-KGVX (2018) của Văn phòng Chính phủ', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    (NULL, NULL, '2019-01-05', 'working_day', 'Làm bù cho ngày 31/12/2018', 'Công văn 6519/VPCP-KGVX (2018) của Văn phòng Chính phủ', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    (NULL, NULL, '2019-04-29', 'day_off', 'Nghỉ hoán đổi dịp 30/4 – 1/5', 'Công văn 6519/VPCP-KGVX (2018) của Văn phòng Chính phủ', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    (NULL, NULL, '2019-05-04', 'working_day', 'Làm bù cho ngày 29/4/2019', 'Công văn 6519/VPCP-KGVX (2018) của Văn phòng Chính phủ', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    (NULL, NULL, '2024-04-29', 'day_off', 'Nghỉ hoán đổi dịp 30/4 – 1/5', 'Công văn 2450/VPCP-KGVX (2024) của Văn phòng Chính phủ', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    (NULL, NULL, '2024-05-04', 'working_day', 'Làm bù cho ngày 29/4/2024', 'Công văn 2450/VPCP-KGVX (2024) của Văn phòng Chính phủ', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    (NULL, NULL, '2025-05-02', 'day_off', 'Nghỉ hoán đổi dịp 30/4 – 1/5', 'Thông báo 6150/TB-BLĐTBXH (2024) của Bộ Lao động – Thương binh và Xã hội', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    (NULL, NULL, '2025-04-26', 'working_day', 'Làm bù cho ngày 2/5/2025', 'Thông báo 6150/TB-BLĐTBXH (2024) của Bộ Lao động – Thương binh và Xã hội', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    (NULL, NULL, '2026-01-02', 'day_off', 'Nghỉ hoán đổi dịp Tết Dương lịch', 'Thông báo của Bộ Nội vụ ngày 25/12/2025: Chính phủ đồng ý hoán đổi ngày làm việc dịp Tết Dương lịch 2026', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    (NULL, NULL, '2026-01-10', 'working_day', 'Làm bù cho ngày 2/1/2026', 'Thông báo của Bộ Nội vụ ngày 25/12/2025: Chính phủ đồng ý hoán đổi ngày làm việc dịp Tết Dương lịch 2026', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    (NULL, NULL, '2026-08-31', 'day_off', 'Nghỉ hoán đổi dịp Quốc khánh', 'Phương án nghỉ Tết Âm lịch và Quốc khánh năm 2026 của Bộ Nội vụ được Thủ tướng Chính phủ đồng ý', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    (NULL, NULL, '2026-08-22', 'working_day', 'Làm bù cho ngày 31/8/2026', 'Phương án nghỉ Tết Âm lịch và Quốc khánh năm 2026 của Bộ Nội vụ được Thủ tướng Chính phủ đồng ý', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);

-- Deadlines in calendar days (complaints, denunciations, some land procedures). SQLite cannot
-- alter a CHECK constraint; widening an IN list changes no stored row, so the table's stored
-- definition is edited in place (SQLite's documented procedure for loosening a constraint),
-- the schema reloaded (RESET) and the schema cookie bumped (the dummy table) so every other
-- connection rereads it too.
PRAGMA writable_schema = ON;
UPDATE sqlite_master
SET sql = replace(sql, '''working_hours'', ''same_day'')', '''working_hours'', ''same_day'', ''calendar_days'')')
WHERE type = 'table' AND name = 'procedures';
-- The national level of oversight: its staff administer the national calendar (overrides and
-- Tết decisions) as a province's staff administer the province's. Widened the same way.
UPDATE sqlite_master
SET sql = replace(sql, '''province'', ''district'')', '''province'', ''district'', ''national'')')
WHERE type = 'table' AND name = 'authorities';
PRAGMA writable_schema = RESET;
CREATE TABLE calendar_schema_bump (x INTEGER);
DROP TABLE calendar_schema_bump;
