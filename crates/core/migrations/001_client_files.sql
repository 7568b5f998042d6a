-- The first schema: one row per client file.
CREATE TABLE client_files (
    id                 INTEGER PRIMARY KEY,
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
    updated_at         INTEGER NOT NULL
) STRICT;
