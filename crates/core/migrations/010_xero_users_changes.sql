-- Refreshing a file's users asks Xero only for those changed since the newest change already
-- cached (If-Modified-Since); a removed user shows only in a full list, so when the last full list
-- was fetched is kept too. NULL: not known, so the next refresh fetches the full list.
ALTER TABLE xero_users_fetched ADD COLUMN newest_update_at INTEGER;
ALTER TABLE xero_users_fetched ADD COLUMN full_at INTEGER;
