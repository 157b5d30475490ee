ALTER TABLE content_areas DROP COLUMN section;
ALTER TABLE tasks DROP COLUMN source;
