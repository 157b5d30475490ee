-- Twin of the PostgreSQL migration: a plan's revision, bumped in the same transaction as any
-- change to what its overview and task lists show (see plans/cache.rs). SQLite has one writer
-- at a time, so plain AFTER triggers do (no deadlock to avoid).
ALTER TABLE plans ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;

CREATE TRIGGER tasks_revision_insert AFTER INSERT ON tasks BEGIN
    UPDATE plans SET revision = revision + 1 WHERE id = NEW.plan_id;
END;
CREATE TRIGGER tasks_revision_update AFTER UPDATE ON tasks BEGIN
    UPDATE plans SET revision = revision + 1 WHERE id IN (OLD.plan_id, NEW.plan_id);
END;
CREATE TRIGGER tasks_revision_delete AFTER DELETE ON tasks BEGIN
    UPDATE plans SET revision = revision + 1 WHERE id = OLD.plan_id;
END;
CREATE TRIGGER content_areas_revision_insert AFTER INSERT ON content_areas BEGIN
    UPDATE plans SET revision = revision + 1 WHERE id = NEW.plan_id;
END;
CREATE TRIGGER content_areas_revision_update AFTER UPDATE ON content_areas BEGIN
    UPDATE plans SET revision = revision + 1 WHERE id IN (OLD.plan_id, NEW.plan_id);
END;
CREATE TRIGGER content_areas_revision_delete AFTER DELETE ON content_areas BEGIN
    UPDATE plans SET revision = revision + 1 WHERE id = OLD.plan_id;
END;
CREATE TRIGGER plan_steps_revision_insert AFTER INSERT ON plan_steps BEGIN
    UPDATE plans SET revision = revision + 1 WHERE id = NEW.plan_id;
END;
CREATE TRIGGER plan_steps_revision_update AFTER UPDATE ON plan_steps BEGIN
    UPDATE plans SET revision = revision + 1 WHERE id IN (OLD.plan_id, NEW.plan_id);
END;
CREATE TRIGGER plan_steps_revision_delete AFTER DELETE ON plan_steps BEGIN
    UPDATE plans SET revision = revision + 1 WHERE id = OLD.plan_id;
END;
CREATE TRIGGER plan_units_revision_insert AFTER INSERT ON plan_units BEGIN
    UPDATE plans SET revision = revision + 1 WHERE id = NEW.plan_id;
END;
CREATE TRIGGER plan_units_revision_update AFTER UPDATE ON plan_units BEGIN
    UPDATE plans SET revision = revision + 1 WHERE id IN (OLD.plan_id, NEW.plan_id);
END;
CREATE TRIGGER plan_units_revision_delete AFTER DELETE ON plan_units BEGIN
    UPDATE plans SET revision = revision + 1 WHERE id = OLD.plan_id;
END;
CREATE TRIGGER progress_reports_revision_insert AFTER INSERT ON progress_reports BEGIN
    UPDATE plans SET revision = revision + 1 WHERE id = (SELECT plan_id FROM tasks WHERE id = NEW.task_id);
END;
CREATE TRIGGER progress_reports_revision_update AFTER UPDATE ON progress_reports BEGIN
    UPDATE plans SET revision = revision + 1
    WHERE id IN (SELECT plan_id FROM tasks WHERE id IN (OLD.task_id, NEW.task_id));
END;
CREATE TRIGGER progress_reports_revision_delete AFTER DELETE ON progress_reports BEGIN
    UPDATE plans SET revision = revision + 1 WHERE id = (SELECT plan_id FROM tasks WHERE id = OLD.task_id);
END;
