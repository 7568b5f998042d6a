//! Connecting one client file that exists before it is connected (added by hand or imported):
//! the organisation a person picks in a consent becomes that file. And when that organisation is
//! already another file of the practice, merging the two into one.

use rusqlite::{Transaction, params};

use super::client_files::optional;
use super::{Cache, TokenSetId, now};
use crate::error::{Error, Result};
use crate::model::{AccountingSoftware, FileId};

/// What attaching an organisation to a file did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attached {
    /// The file now is that organisation, connected through the token set.
    Connected,
    /// Another file already is that organisation; nothing was changed.
    AlreadyAnotherFile { other: FileId, other_name: String },
}

/// A file that can be connected: a Xero file not yet linked to any organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectableFile {
    pub file: FileId,
    pub name: String,
}

/// What a merge did, for the person and the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeReport {
    /// The file row that remains.
    pub kept: FileId,
    pub absorbed: FileId,
    pub name: String,
    /// Both files had a different XPM link; this one (the connected file's) was dropped.
    pub dropped_xpm_link: Option<String>,
}

impl Cache {
    /// The file a person asked to connect, once it is known to be one Switchboard can connect:
    /// a Xero file without an organisation yet. A file already linked to an organisation is
    /// reconnected instead (any consent reaching its organisation does that).
    pub fn connectable_file(&self, file: FileId) -> Result<ConnectableFile> {
        let row: Option<(String, String, Option<String>)> = optional(self.conn.query_row(
            "SELECT display_name, software, xero_tenant_id FROM client_files WHERE id = ?1",
            [file.0],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        ))?;
        let (name, software, tenant) =
            row.ok_or_else(|| Error::NotFound { what: format!("Client file {}", file.0) })?;
        check_connectable(&name, &AccountingSoftware::from_code(&software), tenant.as_deref())?;
        Ok(ConnectableFile { file, name })
    }

    /// The organisation picked in a consent becomes this file: its Xero ids are set, the token set
    /// linked, and Xero's name kept as the remote name beside the practice's own name, which stays
    /// (a later sync keeps it too). Audited. When another file already is that organisation,
    /// nothing changes and that file is named.
    pub fn attach_organisation(
        &mut self,
        file: FileId,
        tenant_id: &str,
        connection_id: &str,
        tenant_name: Option<&str>,
        token_set: TokenSetId,
    ) -> Result<Attached> {
        let tx = super::write_transaction(&mut self.conn)?;
        let row: Option<(String, String, Option<String>)> = optional(tx.query_row(
            "SELECT display_name, software, xero_tenant_id FROM client_files WHERE id = ?1",
            [file.0],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        ))?;
        let (name, software, tenant) =
            row.ok_or_else(|| Error::NotFound { what: format!("Client file {}", file.0) })?;
        check_connectable(&name, &AccountingSoftware::from_code(&software), tenant.as_deref())?;
        let other: Option<(i64, String)> = optional(tx.query_row(
            "SELECT id, display_name FROM client_files WHERE xero_tenant_id = ?1 AND id != ?2",
            params![tenant_id, file.0],
            |row| Ok((row.get(0)?, row.get(1)?)),
        ))?;
        if let Some((other, other_name)) = other {
            return Ok(Attached::AlreadyAnotherFile { other: FileId(other), other_name });
        }
        // `renamed_by_staff`: the name is the practice's (typed or imported), so a sync keeps it
        // and only the remote name follows Xero.
        tx.execute(
            "UPDATE client_files SET software = 'xero', connection_state = 'connected', connection_reason = NULL,
                 xero_tenant_id = ?2, xero_connection_id = ?3, remote_name = ?4, token_set_id = ?5,
                 renamed_by_staff = 1, updated_at = ?6
             WHERE id = ?1",
            params![file.0, tenant_id, connection_id, tenant_name, token_set.0, now()],
        )?;
        super::audit::record(&tx, &self.actor, file, &name, "connect", None, Some(tenant_id))?;
        tx.commit()?;
        self.checkpointer.nudge();
        Ok(Attached::Connected)
    }

    /// Makes one file of two: `absorbed`, a file never connected (added by hand or imported), is
    /// folded into `kept`, the file that already is the Xero organisation. One transaction,
    /// recorded in the audit log of the file that remains.
    ///
    /// `kept` keeps what came from Xero: its organisation, token set, sync state, cached reports
    /// and Xero users. What the practice entered comes from `absorbed`, the file the person chose
    /// to connect: its name and, when both files have a different one, its XPM link (the other
    /// link is named in the audit log, so it can be put back). Client Console settings are the
    /// absorbed file's when it has any; console users of both are kept (one per email); the audit
    /// history of both now belongs to the file that remains.
    pub fn merge_files(&mut self, kept: FileId, absorbed: FileId) -> Result<MergeReport> {
        if kept == absorbed {
            return Err(Error::InvalidInput("A client file cannot be merged with itself.".to_owned()));
        }
        let tx = super::write_transaction(&mut self.conn)?;
        let read = |id: FileId| -> Result<(String, Option<String>, Option<String>)> {
            optional(tx.query_row(
                "SELECT display_name, xero_tenant_id, xpm_client_uuid FROM client_files WHERE id = ?1",
                [id.0],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            ))?
            .ok_or_else(|| Error::NotFound { what: format!("Client file {}", id.0) })
        };
        let (kept_name, kept_tenant, kept_xpm) = read(kept)?;
        let (name, absorbed_tenant, absorbed_xpm) = read(absorbed)?;
        if absorbed_tenant.is_some() {
            // Two organisations are two files; only a file never connected can be folded in.
            return Err(Error::InvalidInput(format!(
                "{name} is already connected to a Xero organisation, so it cannot be merged into {kept_name}. Nothing changed."
            )));
        }
        if kept_tenant.is_none() {
            return Err(Error::InvalidInput(format!(
                "{kept_name} is not connected to a Xero organisation; only a connected file can take in another. Nothing changed."
            )));
        }
        let xpm = absorbed_xpm.clone().or(kept_xpm.clone());
        let dropped_xpm_link = match (&absorbed_xpm, &kept_xpm) {
            (Some(a), Some(k)) if a != k => Some(k.clone()),
            _ => None,
        };
        move_related_rows(&tx, kept, absorbed)?;
        tx.execute(
            "UPDATE client_files SET display_name = ?2, renamed_by_staff = 1, xpm_client_uuid = ?3,
                 tax_number = COALESCE(tax_number, (SELECT tax_number FROM client_files WHERE id = ?4)),
                 updated_at = ?5
             WHERE id = ?1",
            params![kept.0, name, xpm, absorbed.0, now()],
        )?;
        tx.execute("DELETE FROM client_files WHERE id = ?1", [absorbed.0])?;
        let merged = format!("{name} (file {}) merged into {kept_name} (file {})", absorbed.0, kept.0);
        super::audit::record(&tx, &self.actor, kept, &name, "merge", Some(&merged), Some(&name))?;
        if xpm != kept_xpm {
            super::audit::record(&tx, &self.actor, kept, &name, "link_xpm", kept_xpm.as_deref(), xpm.as_deref())?;
        }
        tx.commit()?;
        self.checkpointer.nudge();
        Ok(MergeReport { kept, absorbed, name, dropped_xpm_link })
    }
}

/// Switchboard connects Xero files; a file on other software, or already linked to an
/// organisation, is not connected this way.
fn check_connectable(name: &str, software: &AccountingSoftware, tenant: Option<&str>) -> Result<()> {
    match software {
        AccountingSoftware::Xero => {}
        AccountingSoftware::None => {
            return Err(Error::InvalidInput(format!(
                "{name} has no accounting software recorded. Switchboard connects Xero files only; nothing was changed."
            )));
        }
        other => {
            return Err(Error::InvalidInput(format!(
                "{name} is a {} file. Switchboard connects Xero files only; nothing was changed.",
                other.label()
            )));
        }
    }
    if tenant.is_some() {
        return Err(Error::InvalidInput(format!(
            "{name} is already linked to a Xero organisation. Reconnect it instead: sign in again and pick that organisation."
        )));
    }
    Ok(())
}

/// Moves what belongs to `absorbed` onto `kept`, where `kept` has nothing of its kind; then
/// removes what is left of `absorbed`'s.
fn move_related_rows(tx: &Transaction<'_>, kept: FileId, absorbed: FileId) -> Result<()> {
    let ids = params![kept.0, absorbed.0];
    // The practice's console settings for the client are the absorbed file's, when it has them.
    let absorbed_has_settings: bool =
        tx.query_row("SELECT EXISTS (SELECT 1 FROM console_settings WHERE file_id = ?1)", [absorbed.0], |r| r.get(0))?;
    if absorbed_has_settings {
        tx.execute("DELETE FROM console_settings WHERE file_id = ?1", [kept.0])?;
        tx.execute("UPDATE console_settings SET file_id = ?1 WHERE file_id = ?2", ids)?;
    }
    // One console user per email: someone on both files is kept once, as the connected file has them.
    tx.execute("UPDATE OR IGNORE console_users SET file_id = ?1 WHERE file_id = ?2", ids)?;
    // Reports come from the organisation: the connected file's copy of a report wins.
    tx.execute("UPDATE OR IGNORE client_reports SET file_id = ?1 WHERE file_id = ?2", ids)?;
    tx.execute("UPDATE audit_log SET file_id = ?1 WHERE file_id = ?2", ids)?;
    for table in ["console_settings", "console_users", "client_reports", "xero_users", "xero_users_fetched"] {
        tx.execute(&format!("DELETE FROM {table} WHERE file_id = ?1"), [absorbed.0])?;
    }
    Ok(())
}
