-- Xero token sets and plain settings. The tokens themselves live in the OS credential store
-- under `token-set/<id>`; nothing here is a secret.
CREATE TABLE token_sets (
    id                INTEGER PRIMARY KEY,
    xero_user_id      TEXT,
    scopes            TEXT    NOT NULL,
    access_expires_at INTEGER NOT NULL,
    -- When the refresh token was issued: unused for 60 days, it lapses.
    refreshed_at      INTEGER NOT NULL,
    needs_reconnect   INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL
) STRICT;

ALTER TABLE client_files ADD COLUMN token_set_id INTEGER
    REFERENCES token_sets(id) ON DELETE SET NULL;
CREATE INDEX client_files_token_set ON client_files(token_set_id);

-- Plain settings (the Xero app's client id and redirect ports, ...). Secrets go to the
-- credential store, never here.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
