DROP INDEX audit_log_entity;
