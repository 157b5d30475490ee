-- Plans and tasks: plans with legal bases and purposes, content areas, steps, tasks with lead
-- and supporting units, progress reports with evidence files, comments.
CREATE TABLE plans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    commune_id BIGINT NOT NULL REFERENCES communes(id),
    number TEXT NOT NULL,
    title TEXT NOT NULL,
    title_search TEXT NOT NULL,
    model_name TEXT NOT NULL,
    year INTEGER NOT NULL,
    issuing_unit_id BIGINT REFERENCES units(id),
    issued_on DATE,
    legal_bases TEXT NOT NULL,
    purposes TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'active', 'closed')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX plans_commune_year ON plans(commune_id, year);
CREATE INDEX plans_issuing_unit ON plans(issuing_unit_id);

CREATE TABLE plan_units (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id BIGINT NOT NULL REFERENCES plans(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    position INTEGER NOT NULL,
    role_in_plan TEXT NOT NULL,
    duties TEXT NOT NULL
);
CREATE UNIQUE INDEX plan_units_plan_unit ON plan_units(plan_id, unit_id);
CREATE INDEX plan_units_unit ON plan_units(unit_id);

CREATE TABLE content_areas (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id BIGINT NOT NULL REFERENCES plans(id),
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    expected_outcome TEXT,
    weight DOUBLE PRECISION NOT NULL DEFAULT 1 CHECK (weight > 0),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX content_areas_plan ON content_areas(plan_id, position);

CREATE TABLE plan_steps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id BIGINT NOT NULL REFERENCES plans(id),
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    start_date DATE,
    due_date DATE,
    status TEXT NOT NULL CHECK (status IN ('not_started', 'in_progress', 'done', 'cancelled')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX plan_steps_plan ON plan_steps(plan_id, position);

CREATE TABLE tasks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    commune_id BIGINT NOT NULL REFERENCES communes(id),
    plan_id BIGINT NOT NULL REFERENCES plans(id),
    content_area_id BIGINT NOT NULL REFERENCES content_areas(id),
    step_id BIGINT REFERENCES plan_steps(id),
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    search TEXT NOT NULL,
    lead_unit_id BIGINT NOT NULL REFERENCES units(id),
    start_date DATE NOT NULL,
    due_date DATE NOT NULL,
    weight DOUBLE PRECISION NOT NULL DEFAULT 1 CHECK (weight > 0),
    status TEXT NOT NULL CHECK (status IN ('not_started', 'in_progress', 'done', 'cancelled')),
    progress INTEGER NOT NULL CHECK (progress BETWEEN 0 AND 100),
    reporting_cadence TEXT CHECK (reporting_cadence IN ('weekly', 'monthly', 'quarterly')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (due_date >= start_date)
);
CREATE INDEX tasks_plan ON tasks(plan_id, position);
CREATE INDEX tasks_plan_due ON tasks(plan_id, due_date);
CREATE INDEX tasks_area ON tasks(content_area_id);
CREATE INDEX tasks_step ON tasks(step_id);
CREATE INDEX tasks_lead_unit ON tasks(lead_unit_id, plan_id);
CREATE INDEX tasks_commune ON tasks(commune_id);

CREATE TABLE task_units (
    task_id BIGINT NOT NULL REFERENCES tasks(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    PRIMARY KEY (task_id, unit_id)
);
CREATE INDEX task_units_unit ON task_units(unit_id, task_id);

CREATE TABLE progress_reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id BIGINT NOT NULL REFERENCES tasks(id),
    author_id BIGINT NOT NULL REFERENCES users(id),
    author_name TEXT NOT NULL,
    unit_id BIGINT REFERENCES units(id),
    created_at TIMESTAMP NOT NULL,
    text TEXT NOT NULL,
    progress INTEGER NOT NULL CHECK (progress BETWEEN 0 AND 100)
);
CREATE INDEX progress_reports_task ON progress_reports(task_id, created_at);
CREATE INDEX progress_reports_author ON progress_reports(author_id);
CREATE INDEX progress_reports_unit ON progress_reports(unit_id);

CREATE TABLE task_attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id BIGINT NOT NULL REFERENCES progress_reports(id),
    task_id BIGINT NOT NULL REFERENCES tasks(id),
    sha256 TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp', 'application/pdf')),
    size BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX task_attachments_report ON task_attachments(report_id);
CREATE INDEX task_attachments_task ON task_attachments(task_id);
CREATE INDEX task_attachments_sha256 ON task_attachments(sha256);

CREATE TABLE task_comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id BIGINT NOT NULL REFERENCES tasks(id),
    author_id BIGINT NOT NULL REFERENCES users(id),
    author_name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX task_comments_task ON task_comments(task_id, created_at);
CREATE INDEX task_comments_author ON task_comments(author_id);
