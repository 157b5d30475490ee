DROP TRIGGER dossiers_survey_token;
DROP TABLE survey_dossier_tokens;
DROP TABLE survey_tallies;
DROP TABLE survey_answers;
DROP TABLE survey_responses;
DROP TABLE surveys;
DROP TABLE survey_form_versions;
DROP TABLE survey_forms;
