-- The Settings menu of a row: Client Console settings and users, and who can reach each
-- Xero organisation (Xero's Users endpoint, cached for offline review). Every table belongs to
-- one client file and goes with it when the file is deleted.
CREATE TABLE console_settings (
    file_id          INTEGER PRIMARY KEY REFERENCES client_files(id) ON DELETE CASCADE,
    enabled          INTEGER NOT NULL,
    show_reports     INTEGER NOT NULL,
    show_documents   INTEGER NOT NULL,
    show_tasks       INTEGER NOT NULL,
    reminder_cadence TEXT    NOT NULL,
    updated_at       INTEGER NOT NULL
) STRICT;

CREATE TABLE console_users (
    id         INTEGER PRIMARY KEY,
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

-- The Xero users of an organisation as last fetched; replaced as a whole on every fetch.
CREATE TABLE xero_users (
    file_id       INTEGER NOT NULL REFERENCES client_files(id) ON DELETE CASCADE,
    user_id       TEXT    NOT NULL,
    first_name    TEXT    NOT NULL,
    last_name     TEXT    NOT NULL,
    email         TEXT    NOT NULL,
    email_key     TEXT    NOT NULL,
    role          TEXT    NOT NULL,
    is_subscriber INTEGER NOT NULL,
    PRIMARY KEY (file_id, user_id)
) STRICT;
CREATE INDEX xero_users_email ON xero_users(email_key);

-- When each file's users were last fetched (a fetch that found nobody still counts).
CREATE TABLE xero_users_fetched (
    file_id    INTEGER PRIMARY KEY REFERENCES client_files(id) ON DELETE CASCADE,
    fetched_at INTEGER NOT NULL
) STRICT;
