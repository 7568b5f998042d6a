//! The audit log: every change staff make, with its old and new value and who made it.

use rusqlite::{Transaction, params};
use serde::Serialize;
use ts_rs::TS;

use super::{Cache, now};
use crate::error::Result;
use crate::model::{FileId, UnixMillis};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AuditEntry {
    pub at: UnixMillis,
    /// `None` for a change to the practice as a whole (Xero app settings, XPM, an export of the
    /// list, a fresh cache).
    pub file_id: Option<FileId>,
    /// The file's name when the change was made (it outlives a deleted file); empty for a change
    /// to the practice as a whole.
    pub file_name: String,
    /// What was done, e.g. `rename`, `link_xpm`.
    pub action: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    /// Who made the change: the OS user in Solo mode. `None` for entries recorded before the
    /// log kept it.
    pub actor: Option<String>,
}

/// The person using this computer, as the OS names them: the actor of every change made here.
pub fn os_user() -> String {
    // An account the OS cannot name (no passwd entry, say) still gets an honest label.
    whoami::username().unwrap_or_else(|_| "unknown OS user".to_owned())
}

/// Records a change to one file inside the transaction that makes it, so the log and the change
/// land together.
pub(super) fn record(
    tx: &Transaction<'_>,
    actor: &str,
    file: FileId,
    file_name: &str,
    action: &str,
    old_value: Option<&str>,
    new_value: Option<&str>,
) -> Result<()> {
    insert(tx, actor, Some(file), file_name, action, old_value, new_value)
}

/// Records a change to the practice as a whole inside the transaction that makes it.
pub(super) fn record_practice(
    tx: &Transaction<'_>,
    actor: &str,
    action: &str,
    old_value: Option<&str>,
    new_value: Option<&str>,
) -> Result<()> {
    insert(tx, actor, None, "", action, old_value, new_value)
}

fn insert(
    tx: &Transaction<'_>,
    actor: &str,
    file: Option<FileId>,
    file_name: &str,
    action: &str,
    old_value: Option<&str>,
    new_value: Option<&str>,
) -> Result<()> {
    // Cached: an import records one entry per new file, thousands in one transaction.
    tx.prepare_cached(
        "INSERT INTO audit_log (at, file_id, file_name, action, old_value, new_value, actor)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![now(), file.map(|f| f.0), file_name, action, old_value, new_value, actor])?;
    Ok(())
}

const COLUMNS: &str = "at, file_id, file_name, action, old_value, new_value, actor";

fn entry(row: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        at: UnixMillis(row.get(0)?),
        file_id: row.get::<_, Option<i64>>(1)?.map(FileId),
        file_name: row.get(2)?,
        action: row.get(3)?,
        old_value: row.get(4)?,
        new_value: row.get(5)?,
        actor: row.get(6)?,
    })
}

impl Cache {
    /// Who changes made through this cache are recorded as.
    pub fn actor(&self) -> &str {
        &self.actor
    }

    /// A file's history, newest first.
    pub fn audit_entries(&self, file: FileId) -> Result<Vec<AuditEntry>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM audit_log WHERE file_id = ?1 ORDER BY at DESC, id DESC"))?;
        let rows = stmt.query_map([file.0], entry)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The latest `limit` changes to the practice as a whole, newest first.
    pub fn practice_audit_entries(&self, limit: u32) -> Result<Vec<AuditEntry>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM audit_log WHERE file_id IS NULL ORDER BY at DESC, id DESC LIMIT ?1"
        ))?;
        let rows = stmt.query_map([limit], entry)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Every entry the log holds, the practice's and each file's, newest first.
    pub fn all_audit_entries(&self) -> Result<Vec<AuditEntry>> {
        let mut stmt =
            self.conn.prepare_cached(&format!("SELECT {COLUMNS} FROM audit_log ORDER BY at DESC, id DESC"))?;
        let rows = stmt.query_map([], entry)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Records a change to the practice as a whole that changes nothing else in the cache (an
    /// export, say).
    pub fn record_practice_change(
        &mut self,
        action: &str,
        old_value: Option<&str>,
        new_value: Option<&str>,
    ) -> Result<()> {
        let tx = super::write_transaction(&mut self.conn)?;
        record_practice(&tx, &self.actor, action, old_value, new_value)?;
        tx.commit()?;
        Ok(())
    }

    /// Records a change to one file that changes nothing else in the cache (a report saved to a
    /// file, say). The file's current name goes with it.
    pub fn record_file_change(&mut self, file: FileId, action: &str, new_value: Option<&str>) -> Result<()> {
        let tx = super::write_transaction(&mut self.conn)?;
        let name: String =
            tx.query_row("SELECT display_name FROM client_files WHERE id = ?1", [file.0], |r| r.get(0))?;
        record(&tx, &self.actor, file, &name, action, None, new_value)?;
        tx.commit()?;
        Ok(())
    }
}
