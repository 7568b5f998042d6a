-- Client packs: the console settings are named after what the pack holds, "documents" goes
-- (Switchboard keeps no documents), and every pack sent or tried is kept per console user, for
-- the cadence ("sent this month?") and for retrying a failed send on the next sync.
ALTER TABLE console_settings RENAME COLUMN show_reports TO key_reports;
ALTER TABLE console_settings RENAME COLUMN show_tasks TO action_items;
ALTER TABLE console_settings RENAME COLUMN reminder_cadence TO cadence;
-- A console that was on and showed documents alone would hold nothing now: it keeps being on and
-- holds what the client can act on, the nearest of what remains (documents were asked of them).
UPDATE console_settings SET action_items = 1
 WHERE enabled = 1 AND show_documents = 1 AND key_reports = 0 AND action_items = 0;
ALTER TABLE console_settings DROP COLUMN show_documents;

CREATE TABLE pack_deliveries (
    id           INTEGER PRIMARY KEY,
    file_id      INTEGER NOT NULL REFERENCES client_files(id) ON DELETE CASCADE,
    -- A user removed from the console takes their deliveries along: nothing is left to retry.
    user_id      INTEGER NOT NULL REFERENCES console_users(id) ON DELETE CASCADE,
    email        TEXT    NOT NULL,
    attempted_at INTEGER NOT NULL,
    -- The practice's local date of the attempt (YYYY-MM-DD): cadences count calendar days and months.
    attempted_on TEXT    NOT NULL,
    sent         INTEGER NOT NULL,
    -- Why the mail server did not take it; NULL when sent.
    failure      TEXT,
    -- 'cadence' (during a sync) or 'send_now' (a person's click).
    reason       TEXT    NOT NULL
) STRICT;
CREATE INDEX pack_deliveries_by_user ON pack_deliveries (user_id, attempted_at);
