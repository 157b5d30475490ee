DROP INDEX survey_answers_free_text;
DROP TABLE survey_group_counts;
DROP TABLE survey_answer_counts;
