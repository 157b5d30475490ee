-- A plan's revision: bumped in the same transaction as any change to what its overview and
-- task lists show (its tasks, their supporting units through `tasks.supporting_units`, areas,
-- steps, unit duties, progress reports). Reads compare it with the revision a cached view was
-- built from (plans/cache.rs), so a cached view is never served after a change has committed,
-- whichever process or tool made it.
ALTER TABLE plans ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;

-- Deferred to commit: the plan row is locked only at the end of the transaction, after every
-- task row it touches, so two writers of one plan never hold its row while waiting for a task
-- row the other has (no deadlock between a bulk update and a village's report).
CREATE FUNCTION plan_revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'progress_reports' THEN
        UPDATE plans SET revision = revision + 1
        WHERE id = (SELECT plan_id FROM tasks WHERE id = COALESCE(NEW.task_id, OLD.task_id));
    ELSIF TG_OP = 'UPDATE' AND NEW.plan_id <> OLD.plan_id THEN
        UPDATE plans SET revision = revision + 1 WHERE id IN (OLD.plan_id, NEW.plan_id);
    ELSE
        UPDATE plans SET revision = revision + 1 WHERE id = COALESCE(NEW.plan_id, OLD.plan_id);
    END IF;
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER tasks_plan_revision AFTER INSERT OR UPDATE OR DELETE ON tasks
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION plan_revision_bump();
CREATE CONSTRAINT TRIGGER content_areas_plan_revision AFTER INSERT OR UPDATE OR DELETE ON content_areas
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION plan_revision_bump();
CREATE CONSTRAINT TRIGGER plan_steps_plan_revision AFTER INSERT OR UPDATE OR DELETE ON plan_steps
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION plan_revision_bump();
CREATE CONSTRAINT TRIGGER plan_units_plan_revision AFTER INSERT OR UPDATE OR DELETE ON plan_units
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION plan_revision_bump();
CREATE CONSTRAINT TRIGGER progress_reports_plan_revision AFTER INSERT OR UPDATE OR DELETE ON progress_reports
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION plan_revision_bump();
