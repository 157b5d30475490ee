DROP TABLE scheduler_runs;
DROP TABLE scheduler_leases;
DROP TABLE notification_digests;
DROP TABLE notification_preferences;
DROP TABLE notifications;
DROP TABLE task_continuations;
DROP TABLE plan_rollovers;
