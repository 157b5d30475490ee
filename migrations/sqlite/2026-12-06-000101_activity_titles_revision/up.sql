-- Twin of the PostgreSQL migration: renaming a task or a plan content area bumps the commune's
-- democracy revision, since the activity lists (served from the read cache) name both.
CREATE TRIGGER tasks_title_democracy_revision AFTER UPDATE OF title ON tasks
WHEN OLD.title IS NOT NEW.title BEGIN
    UPDATE communes SET democracy_revision = democracy_revision + 1 WHERE id = NEW.commune_id;
END;
CREATE TRIGGER content_areas_title_democracy_revision AFTER UPDATE OF title ON content_areas
WHEN OLD.title IS NOT NEW.title BEGIN
    UPDATE communes SET democracy_revision = democracy_revision + 1
        WHERE id = (SELECT commune_id FROM plans WHERE id = NEW.plan_id);
END;
