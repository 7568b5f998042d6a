//! The audit log: every change staff make, with its old and new value.

use rusqlite::{Transaction, params};
use serde::Serialize;
use ts_rs::TS;

use super::{Cache, now};
use crate::error::Result;
use crate::model::{FileId, UnixMillis};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AuditEntry {
    pub at: UnixMillis,
    pub file_id: Option<FileId>,
    /// The file's name when the change was made (it outlives a deleted file).
    pub file_name: String,
    /// What was done, e.g. `rename`, `link_xpm`.
    pub action: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

/// Records a change inside the transaction that makes it, so the log and the change land together.
pub(super) fn record(
    tx: &Transaction<'_>,
    file: FileId,
    file_name: &str,
    action: &str,
    old_value: Option<&str>,
    new_value: Option<&str>,
) -> Result<()> {
    // Cached: an import records one entry per new file, thousands in one transaction.
    tx.prepare_cached(
        "INSERT INTO audit_log (at, file_id, file_name, action, old_value, new_value)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![now(), file.0, file_name, action, old_value, new_value])?;
    Ok(())
}

impl Cache {
    /// A file's history, newest first.
    pub fn audit_entries(&self, file: FileId) -> Result<Vec<AuditEntry>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT at, file_id, file_name, action, old_value, new_value
             FROM audit_log WHERE file_id = ?1 ORDER BY at DESC, id DESC",
        )?;
        let rows = stmt.query_map([file.0], |row| {
            Ok(AuditEntry {
                at: UnixMillis(row.get(0)?),
                file_id: row.get::<_, Option<i64>>(1)?.map(FileId),
                file_name: row.get(2)?,
                action: row.get(3)?,
                old_value: row.get(4)?,
                new_value: row.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}
