//! Plain (non-secret) settings, kept in the cache so the app and the CLI share them.

use rusqlite::{Connection, params};

use super::Cache;
use super::client_files::optional;
use crate::error::Result;

impl Cache {
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(optional(self.conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| row.get(0)))?)
    }

    /// Sets (or with `None` removes) a setting.
    pub fn set_setting(&mut self, key: &str, value: Option<&str>) -> Result<()> {
        match value {
            Some(value) => self.conn.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )?,
            None => self.conn.execute("DELETE FROM settings WHERE key = ?1", [key])?,
        };
        Ok(())
    }

    /// Sets (or with `None` removes) several settings and records the change to the practice in
    /// the audit log, all in one transaction: a half-saved configuration would be worse than none.
    pub fn set_settings_recorded(
        &mut self,
        values: &[(&str, Option<&str>)],
        action: &str,
        old_value: Option<&str>,
        new_value: Option<&str>,
    ) -> Result<()> {
        let tx = super::write_transaction(&mut self.conn)?;
        for (key, value) in values {
            match value {
                Some(value) => tx.execute(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    params![key, value],
                )?,
                None => tx.execute("DELETE FROM settings WHERE key = ?1", [key])?,
            };
        }
        super::audit::record_practice(&tx, &self.actor, action, old_value, new_value)?;
        tx.commit()?;
        Ok(())
    }
}

/// The cache's id, written once by the migration that introduced it (see `Cache::id`).
pub(super) fn cache_id(conn: &Connection) -> Result<Option<String>> {
    Ok(optional(conn.query_row("SELECT value FROM settings WHERE key = 'cache.id'", [], |row| row.get(0)))?)
}
