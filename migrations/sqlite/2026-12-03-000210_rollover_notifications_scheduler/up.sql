-- The next year's plan (roll-over), reminders and digests, the background scheduler.

-- A plan made by rolling another over to the next year: one roll-over per plan.
CREATE TABLE plan_rollovers (
    plan_id BIGINT PRIMARY KEY REFERENCES plans(id),
    from_plan_id BIGINT NOT NULL UNIQUE REFERENCES plans(id),
    carried_over INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- A task carried over from last year's plan, linked to the task it continues.
CREATE TABLE task_continuations (
    task_id BIGINT PRIMARY KEY REFERENCES tasks(id),
    continues_task_id BIGINT NOT NULL REFERENCES tasks(id)
);
CREATE INDEX task_continuations_continues ON task_continuations (continues_task_id);

-- In-app notifications: one per user, kind, subject and local day.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users(id),
    commune_id BIGINT REFERENCES communes(id),
    kind TEXT NOT NULL CHECK (kind IN ('task_due', 'task_overdue', 'dossier_due_today', 'dossier_apology_due',
        'dossier_overdue', 'petition_due', 'petition_overdue', 'relay_missing', 'commitment_due', 'survey_ending')),
    subject TEXT NOT NULL,
    day DATE NOT NULL,
    title_vi TEXT NOT NULL,
    title_en TEXT NOT NULL,
    link TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    read_at TIMESTAMP,
    mode TEXT NOT NULL CHECK (mode IN ('digest', 'immediate')),
    emailed_at TIMESTAMP,
    UNIQUE (user_id, kind, subject, day)
);
CREATE INDEX notifications_user_created ON notifications (user_id, created_at);
CREATE INDEX notifications_commune ON notifications (commune_id);

-- What each user wants: per kind digest / immediate / off (JSON), e-mail on or off.
CREATE TABLE notification_preferences (
    user_id BIGINT PRIMARY KEY REFERENCES users(id),
    email TEXT,
    email_enabled BOOLEAN NOT NULL,
    modes TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- One digest per user and local day: the unique key is what makes it once.
CREATE TABLE notification_digests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users(id),
    day DATE NOT NULL,
    items INTEGER NOT NULL,
    emailed BOOLEAN NOT NULL,
    error TEXT,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (user_id, day)
);

-- The scheduler: a lease per job (one instance runs it at a time) and every run.
CREATE TABLE scheduler_leases (
    job TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    lease_until TIMESTAMP NOT NULL
);

CREATE TABLE scheduler_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    job TEXT NOT NULL,
    slot TIMESTAMP NOT NULL,
    holder TEXT NOT NULL,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    ok BOOLEAN,
    error TEXT,
    summary TEXT NOT NULL DEFAULT ''
);
CREATE INDEX scheduler_runs_job_slot ON scheduler_runs (job, slot);
CREATE INDEX scheduler_runs_started ON scheduler_runs (started_at);
