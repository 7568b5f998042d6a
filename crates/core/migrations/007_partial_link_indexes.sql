-- The indexes behind the token-set and XPM links hold only files that have a link: a file
-- without one (a new file has no token set yet; a third of a practice has no XPM client) then
-- costs no index entry when it is written. Every lookup by link (`= ?`, and the foreign keys'
-- ON DELETE SET NULL) still uses them, as `x = ?` implies `x IS NOT NULL`.
DROP INDEX client_files_token_set;
CREATE INDEX client_files_token_set ON client_files(token_set_id) WHERE token_set_id IS NOT NULL;
DROP INDEX client_files_xpm_client;
CREATE INDEX client_files_xpm_client ON client_files(xpm_client_uuid) WHERE xpm_client_uuid IS NOT NULL;
