-- Where a task comes from: the plan's own text ('plan', imported or written by the board) or
-- added to the demo commune's plan by the demo seed ('demo', labelled so in every view).
ALTER TABLE tasks ADD COLUMN source TEXT NOT NULL DEFAULT 'plan' CHECK (source IN ('plan', 'demo'));
-- Which part of the plan document an area stands for: a content area of section II
-- ('content'), or the timeline and unit duties of sections III–IV ('implementation'), which
-- the printed plan shows as its own sections rather than as a numbered content area.
ALTER TABLE content_areas ADD COLUMN section TEXT NOT NULL DEFAULT 'content' CHECK (section IN ('content', 'implementation'));
