DROP TABLE procedure_details;
