-- What the calendar was before the legal holiday rules, for the comparison in docs/calendar.md: Tết always
-- one day before lunar 1/1 and four after, Quốc khánh's adjacent day in every year, no 24/11,
-- and only the four national swaps seeded then (2024-04-29/05-04, 2025-05-02/04-26).
UPDATE calendar_tet_decisions SET days_before = 1;
DELETE FROM calendar_holiday_rules WHERE kind = 'solar' AND month = 11 AND day = 24;
UPDATE calendar_holiday_rules SET valid_from = '1900-01-01' WHERE kind = 'adjacent';
DELETE FROM calendar_overrides
WHERE commune_id IS NULL AND day NOT IN ('2024-04-29', '2024-05-04', '2025-05-02', '2025-04-26');
