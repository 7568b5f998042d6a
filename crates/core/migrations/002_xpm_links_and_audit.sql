-- XPM clients and the link from a client file to one of them; local renames; the audit log.
CREATE TABLE xpm_clients (
    uuid     TEXT    PRIMARY KEY,
    name     TEXT    NOT NULL,
    web_url  TEXT,
    archived INTEGER NOT NULL DEFAULT 0,
    deleted  INTEGER NOT NULL DEFAULT 0
) STRICT;

ALTER TABLE client_files ADD COLUMN xpm_client_uuid TEXT
    REFERENCES xpm_clients(uuid) ON DELETE SET NULL;
-- 1 once staff renamed the file: a sync then keeps the local name.
ALTER TABLE client_files ADD COLUMN renamed_by_staff INTEGER NOT NULL DEFAULT 0;
CREATE INDEX client_files_xpm_client ON client_files(xpm_client_uuid);

-- Every change staff make: what, when, old and new value. Never holds a secret.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    file_id   INTEGER,
    file_name TEXT    NOT NULL,
    action    TEXT    NOT NULL,
    old_value TEXT,
    new_value TEXT
) STRICT;
CREATE INDEX audit_log_file ON audit_log(file_id, at);
