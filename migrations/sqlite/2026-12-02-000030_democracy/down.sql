DROP TABLE commitment_reports;
DROP TABLE commitments;
DROP TABLE dialogue_villages;
DROP TABLE dialogues;
