DROP TABLE commune_security;
DROP TABLE mfa_challenges;
DROP TABLE mfa_recovery_codes;
DROP TABLE mfa_secrets;
DROP TRIGGER dossiers_lookup_token;
DROP TABLE dossier_lookup_tokens;
DROP TABLE lookup_failures;
