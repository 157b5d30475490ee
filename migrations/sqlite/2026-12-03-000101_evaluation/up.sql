-- Year-end evaluation of the model (docs/evaluation.md). A criteria set is data, versioned per
-- commune and year: the criteria (JSON list) and the rating thresholds (JSON list). An
-- evaluation belongs to a plan; a draft recomputes live, publishing freezes `snapshot` (JSON,
-- never rewritten); a re-evaluation is a new version of the same plan's evaluation.
CREATE TABLE criteria_sets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    commune_id BIGINT NOT NULL REFERENCES communes(id),
    year INTEGER NOT NULL,
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    criteria TEXT NOT NULL,
    thresholds TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by_name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (commune_id, year, version)
);
CREATE INDEX criteria_sets_commune ON criteria_sets(commune_id, year);

CREATE TABLE evaluations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    commune_id BIGINT NOT NULL REFERENCES communes(id),
    plan_id BIGINT NOT NULL REFERENCES plans(id),
    year INTEGER NOT NULL,
    version INTEGER NOT NULL,
    criteria_set_id BIGINT NOT NULL REFERENCES criteria_sets(id),
    status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    reason TEXT NOT NULL DEFAULT '',
    number TEXT NOT NULL DEFAULT '',
    judged TEXT NOT NULL DEFAULT '{}',
    sections TEXT NOT NULL DEFAULT '{}',
    snapshot TEXT,
    previous_id BIGINT REFERENCES evaluations(id),
    created_by_name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    published_by BIGINT REFERENCES users(id),
    published_by_name TEXT,
    published_at TIMESTAMP,
    UNIQUE (plan_id, version)
);
CREATE INDEX evaluations_commune ON evaluations(commune_id, year);
CREATE INDEX evaluations_plan ON evaluations(plan_id);
CREATE INDEX evaluations_set ON evaluations(criteria_set_id);
CREATE INDEX evaluations_previous ON evaluations(previous_id);
CREATE INDEX evaluations_publisher ON evaluations(published_by);
