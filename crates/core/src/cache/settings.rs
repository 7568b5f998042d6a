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
}

/// The cache's id, written once by the migration that introduced it (see `Cache::id`).
pub(super) fn cache_id(conn: &Connection) -> Result<Option<String>> {
    Ok(optional(conn.query_row("SELECT value FROM settings WHERE key = 'cache.id'", [], |row| row.get(0)))?)
}
