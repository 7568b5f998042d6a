-- What XPM tells about each client beyond its name: for suggestions and the link pop-up.
-- Rows are never deleted: a client archived or deleted in XPM keeps its row with the flag set,
-- so a file linked to it shows the problem instead of silently losing its link.
ALTER TABLE xpm_clients ADD COLUMN email       TEXT;
-- As XPM shows it (masked except the last three digits).
ALTER TABLE xpm_clients ADD COLUMN tax_number  TEXT;
ALTER TABLE xpm_clients ADD COLUMN client_code TEXT;
ALTER TABLE xpm_clients ADD COLUMN prospect    INTEGER NOT NULL DEFAULT 0;
-- When Switchboard last wrote the row from XPM (Unix ms).
ALTER TABLE xpm_clients ADD COLUMN refreshed_at INTEGER;

-- The organisation's tax number from Xero (TaxNumber, or a US EmployerIdentificationNumber), so
-- an XPM link suggestion can tell apart two clients with the same name. Not a secret.
ALTER TABLE client_files ADD COLUMN tax_number TEXT;
