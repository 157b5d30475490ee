DROP TABLE open311_requests;
DROP TABLE feedback_categories;
