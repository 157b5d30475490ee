-- An activity names the plan content area and the task it belongs to, and the activity lists
-- are served from the read cache while the commune's democracy revision is unchanged: renaming
-- either changes what those lists show, so it bumps the revision too (as a unit's rename does).
-- Only a change of title: a task's progress reports leave the democracy lists' cache alone.
CREATE FUNCTION democracy_revision_bump_title() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'tasks' THEN
        UPDATE communes SET democracy_revision = democracy_revision + 1 WHERE id = NEW.commune_id;
    ELSE
        UPDATE communes SET democracy_revision = democracy_revision + 1
            WHERE id = (SELECT commune_id FROM plans WHERE id = NEW.plan_id);
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER tasks_title_democracy_revision AFTER UPDATE OF title ON tasks
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title)
    EXECUTE FUNCTION democracy_revision_bump_title();
CREATE CONSTRAINT TRIGGER content_areas_title_democracy_revision AFTER UPDATE OF title ON content_areas
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title)
    EXECUTE FUNCTION democracy_revision_bump_title();
