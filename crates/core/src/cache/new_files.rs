//! Client files that staff bring in themselves (added by hand, imported from XPM or a CSV list):
//! not connected to anything yet, written with one audit entry each.

use rusqlite::params;

use super::{Cache, now};
use crate::error::{Error, Result};
use crate::model::{AccountingSoftware, FileId};

/// A file to create: a checked name, its software, and optionally the XPM client it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFile {
    pub name: String,
    pub software: AccountingSoftware,
    pub xpm_client_uuid: Option<String>,
}

impl Cache {
    /// Creates every file in one transaction: all of them, or (on any error) none. `action` is
    /// what the audit log says happened (`add`, `import_xpm`, `import_csv`).
    ///
    /// The XPM link is written as is: the foreign key refuses a link to an XPM client the cache
    /// does not hold, and that refusal undoes the whole batch.
    pub fn insert_new_files(&mut self, files: &[NewFile], action: &str) -> Result<Vec<FileId>> {
        let tx = super::write_transaction(&mut self.conn)?;
        let mut ids = Vec::with_capacity(files.len());
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO client_files (display_name, software, connection_state, payroll_state, assets_state,
                     xpm_client_uuid, created_at, updated_at)
                 VALUES (?1, ?2, 'not_connected', 'not_checked', 'not_checked', ?3, ?4, ?4)",
            )?;
            let at = now();
            for (index, f) in files.iter().enumerate() {
                insert
                    .execute(params![f.name, f.software.code(), f.xpm_client_uuid, at])
                    .map_err(|e| insert_failed(index, &f.name, e))?;
                let id = FileId(tx.last_insert_rowid());
                let what = match &f.xpm_client_uuid {
                    Some(uuid) => format!("{} (XPM client {uuid})", f.software.label()),
                    None => f.software.label().to_owned(),
                };
                super::audit::record(&tx, &self.actor, id, &f.name, action, None, Some(&what))?;
                ids.push(id);
            }
        }
        tx.commit()?;
        self.checkpointer.nudge();
        Ok(ids)
    }

    /// The display name of every file, in the order they were added.
    pub fn file_names(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached("SELECT display_name FROM client_files ORDER BY id")?;
        let rows = stmt.query_map([], |row| row.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

/// Says which file of the batch could not be written, so a person knows where to look.
fn insert_failed(index: usize, name: &str, e: rusqlite::Error) -> Error {
    if let rusqlite::Error::SqliteFailure(f, _) = &e {
        // SQLITE_CONSTRAINT_FOREIGNKEY: the only foreign key a new file sets is its XPM link.
        if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY {
            return Error::InvalidInput(format!(
                "Client {} of the batch ({name:?}) could not be written: the XPM client it names is no longer in the cache. Nothing was imported; refresh XPM and preview again.",
                index + 1
            ));
        }
    }
    Error::Storage(e)
}
