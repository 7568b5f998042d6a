//! Removing a client file and everything that belongs to it from the cache, leaving an audit
//! entry. The Xero side (disconnecting the organisation) happens first, in
//! `clients::deletion`; this runs only once it succeeded.

use super::client_files::optional;
use super::{Cache, RetiredTokenSet, TokenSetInfo};
use crate::error::{Error, Result};
use crate::model::FileId;

/// What deleting a file involves, read from the cache before anything is changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletionTarget {
    pub file: FileId,
    pub name: String,
    pub tenant_id: Option<String>,
    /// The Xero connection to disconnect (`DELETE /connections/{id}`).
    pub connection_id: Option<String>,
    pub token_set: Option<TokenSetInfo>,
}

impl Cache {
    /// The file to delete, once the person typed its name (surrounding spaces aside) exactly.
    pub fn deletion_target(&self, file: FileId, typed_name: &str) -> Result<DeletionTarget> {
        let row: Option<(String, Option<String>, Option<String>)> = optional(self.conn.query_row(
            "SELECT display_name, xero_tenant_id, xero_connection_id FROM client_files WHERE id = ?1",
            [file.0],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        ))?;
        let (name, tenant_id, connection_id) =
            row.ok_or_else(|| Error::NotFound { what: format!("Client file {}", file.0) })?;
        if typed_name.trim() != name.trim() {
            return Err(Error::InvalidInput(format!(
                "To delete this client, type its name exactly as shown: {name}. Nothing was deleted."
            )));
        }
        let token_set = self.token_set_of(file)?;
        Ok(DeletionTarget { file, name, tenant_id, connection_id, token_set })
    }

    /// Deletes the file, its console settings and users, its cached Xero users and reports, and
    /// the XPM client it was linked to when no other file is (one transaction, with an audit
    /// entry that outlives it). Returns the file's token set when no other file uses it any more
    /// (its row is deleted here; its tokens by the caller). With `secure_delete` on (see
    /// `Cache::open`) what was deleted is overwritten, not left readable in free pages.
    pub fn delete_client_file(&mut self, target: &DeletionTarget, note: &str) -> Result<Option<RetiredTokenSet>> {
        let tx = super::write_transaction(&mut self.conn)?;
        // Statements are prepared once per connection (prepare_cached): deleting clients one
        // after another then costs about what it did before reports and XPM clients were added.
        let xpm_client: Option<Option<String>> = optional(
            tx.prepare_cached("SELECT xpm_client_uuid FROM client_files WHERE id = ?1")?
                .query_row([target.file.0], |row| row.get(0)),
        )?;
        let Some(xpm_client) = xpm_client else {
            return Err(Error::NotFound { what: format!("Client file {}", target.file.0) });
        };
        // The related rows go explicitly, not only by cascade: the intent is plain to a reader.
        for table in [
            "client_reports",
            "pack_deliveries",
            "console_users",
            "console_settings",
            "xero_users",
            "xero_users_fetched",
        ] {
            tx.prepare_cached(&format!("DELETE FROM {table} WHERE file_id = ?1"))?.execute([target.file.0])?;
        }
        tx.prepare_cached("DELETE FROM client_files WHERE id = ?1")?.execute([target.file.0])?;
        // The XPM client's details (email, tax number) go with the client. A trade-off: while
        // XPM stays connected and still has the client, it is cached again only at the next full
        // load (after connecting XPM again), not by the incremental refresh; until then it is not
        // offered to link. A client the practice deleted is unlikely to be linked again, and its
        // details should not outlive it on this computer.
        if let Some(uuid) = xpm_client {
            tx.prepare_cached(
                "DELETE FROM xpm_clients WHERE uuid = ?1 AND NOT EXISTS (SELECT 1 FROM client_files WHERE xpm_client_uuid = ?1)",
            )?
            .execute([&uuid])?;
        }
        super::audit::record(&tx, &self.actor, target.file, &target.name, "delete", Some(&target.name), Some(note))?;
        // Another file, or the practice's XPM connection, may sign in with the same token set.
        let retired = match &target.token_set {
            Some(set) => super::token_sets::retire_if_unused(&tx, set.id)?,
            None => None,
        };
        tx.commit()?;
        Ok(retired)
    }
}
