-- A periodic item is due some days after its period ends (a quarter's budget execution, the
-- year's final accounts) or after it begins (the year's plan and budget estimate, adopted in the
-- December before and disclosed at the start of the year they are for).
ALTER TABLE disclosure_items ADD COLUMN due_from TEXT NOT NULL DEFAULT 'period_end';
UPDATE disclosure_items SET due_from = 'period_start' WHERE code IN ('D11-01', 'D11-02');
