-- Practice mode, schema 3: what moving a Solo cache in needs (`switchboard practice move-in`).
-- Numbered 3, not 2: schema 2 is being written on another branch; neither depends on the other.
--
-- A Solo cache sends client packs weekly, fortnightly or monthly; schema 1 had no fortnightly,
-- so a Solo file set to it could not move in.
ALTER TABLE console_settings DROP CONSTRAINT console_settings_reminder_cadence_check;
ALTER TABLE console_settings ADD CONSTRAINT console_settings_reminder_cadence_check
    CHECK (reminder_cadence IN ('never', 'weekly', 'fortnightly', 'monthly', 'quarterly'));
