-- Client reports: the last good copy of each key report per client file, when it was
-- fetched, its key figure and the one from the refresh before (for "since the last refresh"
-- insights without reading every document), and how the last refresh went. `document` is
-- Switchboard's parsed report (JSON), never a token or secret.
CREATE TABLE client_reports (
    file_id             INTEGER NOT NULL REFERENCES client_files(id) ON DELETE CASCADE,
    kind                TEXT    NOT NULL,
    document            TEXT,
    currency            TEXT,
    fetched_at          INTEGER,
    -- Receivables over 90 days (aged receivables), this month's net profit (P&L by month).
    figure              INTEGER,
    previous_figure     INTEGER,
    previous_fetched_at INTEGER,
    last_attempt_at     INTEGER,
    last_error          TEXT,
    PRIMARY KEY (file_id, kind)
) STRICT;
CREATE INDEX client_reports_kind ON client_reports(kind);
