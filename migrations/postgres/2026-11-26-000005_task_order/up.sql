-- A plan's task list in its default order (area, then position) walks this index and stops
-- after one page instead of sorting every task of the plan; the included columns make it
-- cover the plan overview's roll-up (one row per task).
DROP INDEX tasks_plan;
CREATE INDEX tasks_plan_order ON tasks(plan_id, content_area_id, position, id)
    INCLUDE (step_id, status, progress, weight, due_date);
