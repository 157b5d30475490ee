ALTER TABLE disclosure_items DROP COLUMN due_from;
