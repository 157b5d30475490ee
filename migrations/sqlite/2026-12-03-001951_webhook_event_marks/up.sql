-- Time-based signed events (dossier.late, petition.overdue, task.overdue): the scheduler's scan
-- records each (event, subject) here in the transaction that queues its deliveries; the
-- primary key makes a second scan (another instance, a restart) queue nothing more.
CREATE TABLE webhook_event_marks (
    event TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    commune_id BIGINT NOT NULL REFERENCES communes(id),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (event, subject_id)
);
CREATE INDEX webhook_event_marks_commune ON webhook_event_marks (commune_id);
