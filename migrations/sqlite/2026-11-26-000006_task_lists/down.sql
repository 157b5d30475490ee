DROP TRIGGER task_units_update;
DROP TRIGGER task_units_delete;
DROP TRIGGER task_units_insert;
ALTER TABLE tasks DROP COLUMN supporting_units;
