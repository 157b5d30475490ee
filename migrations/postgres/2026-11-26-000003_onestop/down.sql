DROP TABLE public_lookups;
DROP TABLE dossier_events;
DROP TABLE dossiers;
DROP TABLE dossier_counters;
DROP TABLE procedure_online_levels;
DROP TABLE procedures;
DROP TABLE calendar_hours;
DROP TABLE calendar_overrides;
