-- API keys: only a hash of each key's secret is stored. The prefix is the
-- public half of a key, used to find its row; the secret is then compared
-- in constant time. A partner key is tied to its partner by id, so it
-- survives a change of slug; if the partner goes, the key can write
-- nothing (partner_id becomes NULL).
CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY NOT NULL,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    prefix TEXT NOT NULL UNIQUE,
    secret_hash TEXT NOT NULL,
    scope TEXT NOT NULL CHECK (scope IN ('admin', 'partner')),
    partner_id INTEGER REFERENCES partners (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP,
    CHECK (scope = 'partner' OR partner_id IS NULL)
);
-- A name names one live key; revoked keys keep theirs for the audit trail.
CREATE UNIQUE INDEX api_keys_live_name ON api_keys (name) WHERE revoked_at IS NULL;

-- Every successful write: who, when, what, and the record before and after
-- (as the API showed it), written in the write's own transaction.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY NOT NULL,
    at TIMESTAMP NOT NULL,
    key_name TEXT NOT NULL,
    collection TEXT NOT NULL
        CHECK (collection IN ('partners', 'thematic_areas', 'recommendations', 'events')),
    record_id INTEGER NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete')),
    before TEXT,
    after TEXT,
    CHECK ((action = 'create') = (before IS NULL) AND (action = 'delete') = (after IS NULL))
);
CREATE INDEX audit_log_record ON audit_log (collection, record_id);
CREATE INDEX audit_log_key ON audit_log (key_name);
CREATE INDEX audit_log_at ON audit_log (at);
