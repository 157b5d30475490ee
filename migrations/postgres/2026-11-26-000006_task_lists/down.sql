DROP TRIGGER task_units_refresh ON task_units;
DROP FUNCTION task_units_refresh();
ALTER TABLE tasks DROP COLUMN supporting_units;
DROP INDEX tasks_plan_due;
CREATE INDEX tasks_plan_due ON tasks(plan_id, due_date);
