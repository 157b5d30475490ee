-- Twin of the PostgreSQL migration. Its index change (`id` into tasks_plan_due) has nothing to
-- do here: an SQLite index ends in the rowid, which is `id`, so tasks_plan_due (plan_id,
-- due_date) already returns a plan's tasks in (due_date, id) order.

-- A task's supporting units, ascending and comma-separated ("3,7"; '' for none), kept on the
-- task by the triggers below, so a page of tasks is one statement: lists read this column,
-- `task_units` stays the truth and serves the filter by unit.
ALTER TABLE tasks ADD COLUMN supporting_units TEXT NOT NULL DEFAULT '';
UPDATE tasks SET supporting_units = COALESCE(
    (SELECT string_agg(u.unit_id, ',' ORDER BY u.unit_id) FROM task_units u WHERE u.task_id = tasks.id), '');

CREATE TRIGGER task_units_insert AFTER INSERT ON task_units BEGIN
    UPDATE tasks SET supporting_units = COALESCE(
        (SELECT string_agg(u.unit_id, ',' ORDER BY u.unit_id) FROM task_units u WHERE u.task_id = NEW.task_id), '')
    WHERE id = NEW.task_id;
END;
CREATE TRIGGER task_units_delete AFTER DELETE ON task_units BEGIN
    UPDATE tasks SET supporting_units = COALESCE(
        (SELECT string_agg(u.unit_id, ',' ORDER BY u.unit_id) FROM task_units u WHERE u.task_id = OLD.task_id), '')
    WHERE id = OLD.task_id;
END;
CREATE TRIGGER task_units_update AFTER UPDATE ON task_units BEGIN
    UPDATE tasks SET supporting_units = COALESCE(
        (SELECT string_agg(u.unit_id, ',' ORDER BY u.unit_id) FROM task_units u WHERE u.task_id = tasks.id), '')
    WHERE id IN (OLD.task_id, NEW.task_id);
END;
