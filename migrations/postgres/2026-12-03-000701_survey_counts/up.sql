-- Pre-aggregated survey counts: the results read these instead of
-- counting every response. Kept in the same transaction as each response and correction
-- (surveys::repo::bump_*). "day" is the commune-local date (UTC+7) of the answer, so a
-- period of local dates selects exactly the responses the rows would.

-- Answers per question and answer (likert value or option id) per day.
CREATE TABLE survey_answer_counts (
    survey_id BIGINT NOT NULL REFERENCES surveys(id),
    day DATE NOT NULL,
    question_id TEXT NOT NULL,
    answer TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (survey_id, day, question_id, answer)
);

-- Responses and their likert sums per day, per breakdown: dim is procedure, field, unit,
-- channel, timeliness or village; key is its value ('' when the response has none).
CREATE TABLE survey_group_counts (
    survey_id BIGINT NOT NULL REFERENCES surveys(id),
    day DATE NOT NULL,
    dim TEXT NOT NULL,
    key TEXT NOT NULL,
    responses INTEGER NOT NULL,
    duplicates INTEGER NOT NULL,
    likert_n INTEGER NOT NULL,
    likert_sum INTEGER NOT NULL,
    likert_satisfied INTEGER NOT NULL,
    PRIMARY KEY (survey_id, day, dim, key)
);

-- The free-text answers the results list (newest first) without reading every answer.
CREATE INDEX survey_answers_free_text ON survey_answers(survey_id, answered_at) WHERE free_text IS NOT NULL;

INSERT INTO survey_answer_counts (survey_id, day, question_id, answer, n)
SELECT survey_id, CAST(answered_at + INTERVAL '7 hours' AS DATE), question_id, COALESCE(CAST(value_int AS TEXT), option_id), COUNT(*)
FROM survey_answers
WHERE value_int IS NOT NULL OR option_id IS NOT NULL
GROUP BY survey_id, CAST(answered_at + INTERVAL '7 hours' AS DATE), question_id, COALESCE(CAST(value_int AS TEXT), option_id);

INSERT INTO survey_group_counts (survey_id, day, dim, key, responses, duplicates, likert_n, likert_sum, likert_satisfied)
SELECT survey_id, CAST(answered_at + INTERVAL '7 hours' AS DATE), 'procedure', COALESCE(CAST(procedure_id AS TEXT), ''), COUNT(*), SUM(CASE WHEN duplicate THEN 1 ELSE 0 END),
       SUM(likert_n), SUM(likert_sum), SUM(likert_satisfied)
FROM survey_responses
GROUP BY survey_id, CAST(answered_at + INTERVAL '7 hours' AS DATE), COALESCE(CAST(procedure_id AS TEXT), '');
INSERT INTO survey_group_counts (survey_id, day, dim, key, responses, duplicates, likert_n, likert_sum, likert_satisfied)
SELECT survey_id, CAST(answered_at + INTERVAL '7 hours' AS DATE), 'field', COALESCE(field, ''), COUNT(*), SUM(CASE WHEN duplicate THEN 1 ELSE 0 END),
       SUM(likert_n), SUM(likert_sum), SUM(likert_satisfied)
FROM survey_responses
GROUP BY survey_id, CAST(answered_at + INTERVAL '7 hours' AS DATE), COALESCE(field, '');
INSERT INTO survey_group_counts (survey_id, day, dim, key, responses, duplicates, likert_n, likert_sum, likert_satisfied)
SELECT survey_id, CAST(answered_at + INTERVAL '7 hours' AS DATE), 'unit', COALESCE(CAST(unit_id AS TEXT), ''), COUNT(*), SUM(CASE WHEN duplicate THEN 1 ELSE 0 END),
       SUM(likert_n), SUM(likert_sum), SUM(likert_satisfied)
FROM survey_responses
GROUP BY survey_id, CAST(answered_at + INTERVAL '7 hours' AS DATE), COALESCE(CAST(unit_id AS TEXT), '');
INSERT INTO survey_group_counts (survey_id, day, dim, key, responses, duplicates, likert_n, likert_sum, likert_satisfied)
SELECT survey_id, CAST(answered_at + INTERVAL '7 hours' AS DATE), 'channel', COALESCE(channel, ''), COUNT(*), SUM(CASE WHEN duplicate THEN 1 ELSE 0 END),
       SUM(likert_n), SUM(likert_sum), SUM(likert_satisfied)
FROM survey_responses
GROUP BY survey_id, CAST(answered_at + INTERVAL '7 hours' AS DATE), COALESCE(channel, '');
INSERT INTO survey_group_counts (survey_id, day, dim, key, responses, duplicates, likert_n, likert_sum, likert_satisfied)
SELECT survey_id, CAST(answered_at + INTERVAL '7 hours' AS DATE), 'timeliness', COALESCE(timeliness, ''), COUNT(*), SUM(CASE WHEN duplicate THEN 1 ELSE 0 END),
       SUM(likert_n), SUM(likert_sum), SUM(likert_satisfied)
FROM survey_responses
GROUP BY survey_id, CAST(answered_at + INTERVAL '7 hours' AS DATE), COALESCE(timeliness, '');
INSERT INTO survey_group_counts (survey_id, day, dim, key, responses, duplicates, likert_n, likert_sum, likert_satisfied)
SELECT survey_id, CAST(answered_at + INTERVAL '7 hours' AS DATE), 'village', COALESCE(CAST(village_id AS TEXT), ''), COUNT(*), SUM(CASE WHEN duplicate THEN 1 ELSE 0 END),
       SUM(likert_n), SUM(likert_sum), SUM(likert_satisfied)
FROM survey_responses
GROUP BY survey_id, CAST(answered_at + INTERVAL '7 hours' AS DATE), COALESCE(CAST(village_id AS TEXT), '');
