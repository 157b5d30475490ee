UPDATE procedures SET limit_unit = 'working_days' WHERE limit_unit = 'calendar_days';
PRAGMA writable_schema = ON;
UPDATE sqlite_master
SET sql = replace(sql, '''working_hours'', ''same_day'', ''calendar_days'')', '''working_hours'', ''same_day'')')
WHERE type = 'table' AND name = 'procedures';
UPDATE sqlite_master
SET sql = replace(sql, '''province'', ''district'', ''national'')', '''province'', ''district'')')
WHERE type = 'table' AND name = 'authorities';
PRAGMA writable_schema = RESET;
CREATE TABLE calendar_schema_bump (x INTEGER);
DROP TABLE calendar_schema_bump;
DELETE FROM calendar_overrides WHERE commune_id IS NULL;
DROP INDEX calendar_overrides_authority_day;
DROP INDEX calendar_overrides_national_day;
ALTER TABLE calendar_overrides DROP COLUMN source;
ALTER TABLE calendar_overrides DROP COLUMN authority_id;
CREATE UNIQUE INDEX calendar_overrides_national_day ON calendar_overrides(day) WHERE commune_id IS NULL;
INSERT INTO calendar_overrides (commune_id, day, kind, name, created_at, updated_at) VALUES
    (NULL, '2024-04-29', 'day_off', 'Nghỉ hoán đổi dịp 30/4 – 1/5', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    (NULL, '2024-05-04', 'working_day', 'Làm bù cho ngày 29/4/2024', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    (NULL, '2025-05-02', 'day_off', 'Nghỉ hoán đổi dịp 30/4 – 1/5', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    (NULL, '2025-04-26', 'working_day', 'Làm bù cho ngày 2/5/2025', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);
DROP TABLE calendar_tet_decisions;
DROP TABLE calendar_holiday_rules;
