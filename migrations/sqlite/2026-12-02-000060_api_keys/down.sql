DROP TABLE sandbox_communes;
DROP TABLE api_key_usage;
DROP TABLE api_keys;
