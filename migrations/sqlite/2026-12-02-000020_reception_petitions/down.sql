DROP TABLE reception_visits;
DROP TABLE petition_identities;
DROP TABLE petition_events;
DROP TABLE petitions;
DROP TABLE reception_sessions;
DROP TABLE user_chairman_flags;
DROP TABLE petition_commune_settings;
DROP TABLE petition_clock_rules;
