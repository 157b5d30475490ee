DROP TRIGGER content_areas_title_democracy_revision ON content_areas;
DROP TRIGGER tasks_title_democracy_revision ON tasks;
DROP FUNCTION democracy_revision_bump_title();
