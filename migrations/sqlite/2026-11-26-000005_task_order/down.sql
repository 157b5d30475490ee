DROP INDEX tasks_plan_order;
CREATE INDEX tasks_plan ON tasks(plan_id, position);
