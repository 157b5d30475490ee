DROP TABLE evaluations;
DROP TABLE criteria_sets;
