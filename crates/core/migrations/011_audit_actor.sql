-- Who made each change: the OS user in Solo mode, the staff member in Practice mode. Entries
-- recorded before this version have none (NULL), rather than a guess.
ALTER TABLE audit_log ADD COLUMN actor TEXT;
-- Changes to the practice as a whole (Xero app settings, XPM, exports, a fresh cache) name no
-- file; Settings lists them newest first.
CREATE INDEX audit_log_practice ON audit_log(at) WHERE file_id IS NULL;
