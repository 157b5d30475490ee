DROP TRIGGER progress_reports_plan_revision ON progress_reports;
DROP TRIGGER plan_units_plan_revision ON plan_units;
DROP TRIGGER plan_steps_plan_revision ON plan_steps;
DROP TRIGGER content_areas_plan_revision ON content_areas;
DROP TRIGGER tasks_plan_revision ON tasks;
DROP FUNCTION plan_revision_bump();
ALTER TABLE plans DROP COLUMN revision;
