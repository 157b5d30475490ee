-- A plan's task list in its default order (area, then position) walks this index and stops
-- after one page instead of sorting every task of the plan; the columns after `id` make it
-- cover the plan overview's roll-up (one row per task), which then never reads the table.
DROP INDEX tasks_plan;
CREATE INDEX tasks_plan_order ON tasks(plan_id, content_area_id, position, id, step_id, status, progress, weight, due_date);
