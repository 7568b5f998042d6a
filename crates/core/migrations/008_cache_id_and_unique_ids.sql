-- Two changes that keep one cache's things from being mistaken for another's.
--
-- 1. Every cache gets a random id. Secrets in the OS credential store are keyed by it, so two
--    caches (`--cache`), or a cache started fresh beside an unusable one, never read or overwrite
--    each other's token sets or client secret.
INSERT INTO settings (key, value) VALUES ('cache.id', lower(hex(randomblob(16))));

-- 2. Ids are never reused after a delete (AUTOINCREMENT). Without it SQLite hands the highest
--    deleted id to the next row: a deleted client's audit history showed up on the next new client,
--    and a new token set took the credential-store keys of a deleted one. SQLite cannot add
--    AUTOINCREMENT to a table, so each table is rebuilt (create new, copy, drop, rename). This runs
--    with foreign keys off (`Cache::open` turns them on after migrating), so the drops fire no ON
--    DELETE action on the tables that point here; a foreign key check ends the migration.
--    `audit_log` keeps its table: its rows are never deleted, so its ids are never reused.

-- Token sets. `legacy_entry`: the set's tokens are still in the single JSON entry
-- `token-set/<id>` every set had before this version; the vault moves them on first use.
CREATE TABLE token_sets_new (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    xero_user_id      TEXT,
    scopes            TEXT    NOT NULL,
    access_expires_at INTEGER NOT NULL,
    -- When the refresh token was issued: unused for 60 days, it lapses.
    refreshed_at      INTEGER NOT NULL,
    needs_reconnect   INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL,
    legacy_entry      INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO token_sets_new (id, xero_user_id, scopes, access_expires_at, refreshed_at, needs_reconnect, created_at, legacy_entry)
    SELECT id, xero_user_id, scopes, access_expires_at, refreshed_at, needs_reconnect, created_at, 1 FROM token_sets;
DROP TABLE token_sets;
ALTER TABLE token_sets_new RENAME TO token_sets;

-- Client files, same columns in the same order.
CREATE TABLE client_files_new (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    display_name       TEXT    NOT NULL,
    remote_name        TEXT,
    software           TEXT    NOT NULL,
    connection_state   TEXT    NOT NULL,
    connection_reason  TEXT,
    payroll_state      TEXT    NOT NULL,
    payroll_reason     TEXT,
    assets_state       TEXT    NOT NULL,
    assets_reason      TEXT,
    xero_tenant_id     TEXT    UNIQUE,
    xero_connection_id TEXT,
    xero_short_code    TEXT,
    last_success_at    INTEGER,
    last_attempt_at    INTEGER,
    last_error         TEXT,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    xpm_client_uuid    TEXT    REFERENCES xpm_clients(uuid) ON DELETE SET NULL,
    -- 1 once staff renamed the file: a sync then keeps the local name.
    renamed_by_staff   INTEGER NOT NULL DEFAULT 0,
    token_set_id       INTEGER REFERENCES token_sets(id) ON DELETE SET NULL,
    tax_number         TEXT
) STRICT;
INSERT INTO client_files_new (id, display_name, remote_name, software, connection_state, connection_reason,
        payroll_state, payroll_reason, assets_state, assets_reason, xero_tenant_id, xero_connection_id,
        xero_short_code, last_success_at, last_attempt_at, last_error, created_at, updated_at,
        xpm_client_uuid, renamed_by_staff, token_set_id, tax_number)
    SELECT id, display_name, remote_name, software, connection_state, connection_reason,
        payroll_state, payroll_reason, assets_state, assets_reason, xero_tenant_id, xero_connection_id,
        xero_short_code, last_success_at, last_attempt_at, last_error, created_at, updated_at,
        xpm_client_uuid, renamed_by_staff, token_set_id, tax_number
    FROM client_files;
DROP TABLE client_files;
ALTER TABLE client_files_new RENAME TO client_files;
CREATE INDEX client_files_token_set ON client_files(token_set_id) WHERE token_set_id IS NOT NULL;
CREATE INDEX client_files_xpm_client ON client_files(xpm_client_uuid) WHERE xpm_client_uuid IS NOT NULL;

-- Client Console users: the app edits and removes them by id.
CREATE TABLE console_users_new (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    file_id    INTEGER NOT NULL REFERENCES client_files(id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    email      TEXT    NOT NULL,
    -- The email as compared: lower case, so "Ann@X.com" and "ann@x.com" are one person.
    email_key  TEXT    NOT NULL,
    role       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (file_id, email_key)
) STRICT;
INSERT INTO console_users_new (id, file_id, name, email, email_key, role, created_at, updated_at)
    SELECT id, file_id, name, email, email_key, role, created_at, updated_at FROM console_users;
DROP TABLE console_users;
ALTER TABLE console_users_new RENAME TO console_users;

-- A client file deleted before this version may have had a higher id than any file left; its
-- audit entries remain, so new files start above every id the audit log names as well.
DELETE FROM sqlite_sequence WHERE name = 'client_files';
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'client_files', max(coalesce((SELECT max(id) FROM client_files), 0),
                               coalesce((SELECT max(file_id) FROM audit_log), 0));
