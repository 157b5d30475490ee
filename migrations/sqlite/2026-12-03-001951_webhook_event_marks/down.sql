DROP TABLE webhook_event_marks;
