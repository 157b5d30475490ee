-- Overdue and due-soon lists read a plan's open tasks by (due_date, id). With `id` in the
-- index they come in that order and the scan stops after one page, instead of fetching every
-- task of the plan and sorting it; `status` included makes the open-task filter index-only.
DROP INDEX tasks_plan_due;
CREATE INDEX tasks_plan_due ON tasks(plan_id, due_date, id) INCLUDE (status);

-- A task's supporting units, ascending and comma-separated ("3,7"; '' for none), kept on the
-- task by the trigger below, so a page of tasks is one statement: lists read this column,
-- `task_units` stays the truth and serves the filter by unit.
ALTER TABLE tasks ADD COLUMN supporting_units TEXT NOT NULL DEFAULT '';
UPDATE tasks SET supporting_units = COALESCE(
    (SELECT string_agg(u.unit_id::text, ',' ORDER BY u.unit_id) FROM task_units u WHERE u.task_id = tasks.id), '');

CREATE FUNCTION task_units_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    t BIGINT;
BEGIN
    FOREACH t IN ARRAY CASE TG_OP
        WHEN 'INSERT' THEN ARRAY[NEW.task_id]
        WHEN 'DELETE' THEN ARRAY[OLD.task_id]
        ELSE ARRAY[OLD.task_id, NEW.task_id] END
    LOOP
        UPDATE tasks SET supporting_units = COALESCE(
            (SELECT string_agg(u.unit_id::text, ',' ORDER BY u.unit_id) FROM task_units u WHERE u.task_id = t), '')
        WHERE id = t;
    END LOOP;
    RETURN NULL;
END
$$;
CREATE TRIGGER task_units_refresh AFTER INSERT OR UPDATE OR DELETE ON task_units
    FOR EACH ROW EXECUTE FUNCTION task_units_refresh();
