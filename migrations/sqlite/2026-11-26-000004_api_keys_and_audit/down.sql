DROP TABLE audit_log;
DROP INDEX api_keys_live_name;
DROP TABLE api_keys;
