//! Writing what a sync learned, one file per transaction, and what a consent connected.
//!
//! A failed attempt only records the attempt and its reason: the file keeps its last good status.

use rusqlite::params;

use super::client_files::optional;
use super::{Cache, TokenSetId, now};
use crate::error::Result;
use crate::model::{ConnectionState, FileId, ServiceState};

/// A file a sync should visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncTarget {
    pub file: FileId,
    pub tenant_id: String,
    pub token_set: TokenSetId,
    pub payroll_off: bool,
    pub fixed_assets_off: bool,
    /// Its state is Connected (not disconnected at Xero, nor waiting for a reconnect).
    pub connected: bool,
}

/// What one file's sync found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgSnapshot {
    pub name: String,
    pub short_code: Option<String>,
    pub payroll: Option<ServiceState>,
    pub fixed_assets: Option<ServiceState>,
    /// The organisation's tax number, for XPM link suggestions.
    pub tax_number: Option<String>,
}

impl Cache {
    /// Files connected through a token set that still works (others need a person first).
    pub fn sync_targets(&self) -> Result<Vec<SyncTarget>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT f.id, f.xero_tenant_id, f.token_set_id, f.payroll_state, f.assets_state,
                    f.connection_state = 'connected'
             FROM client_files f JOIN token_sets t ON t.id = f.token_set_id
             WHERE f.xero_tenant_id IS NOT NULL AND t.needs_reconnect = 0
             ORDER BY f.id",
        )?;
        let off = ServiceState::DisconnectedByStaff.code();
        let rows = stmt.query_map([], |row| {
            Ok(SyncTarget {
                file: FileId(row.get(0)?),
                tenant_id: row.get(1)?,
                token_set: TokenSetId(row.get(2)?),
                payroll_off: row.get::<_, String>(3)? == off,
                fixed_assets_off: row.get::<_, String>(4)? == off,
                connected: row.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    pub fn record_sync_success(&mut self, file: FileId, org: &OrgSnapshot) -> Result<()> {
        let at = now();
        let tx = super::write_transaction(&mut self.conn)?;
        tx.execute(
            "UPDATE client_files SET
                 display_name = CASE WHEN renamed_by_staff THEN display_name ELSE ?2 END,
                 remote_name = ?2, xero_short_code = ?3, software = 'xero',
                 connection_state = 'connected', connection_reason = NULL,
                 last_success_at = ?4, last_attempt_at = ?4, last_error = NULL, updated_at = ?4,
                 tax_number = ?5
             WHERE id = ?1",
            params![file.0, org.name, org.short_code, at, org.tax_number],
        )?;
        for (service, columns) in [
            (&org.payroll, ("payroll_state", "payroll_reason")),
            (&org.fixed_assets, ("assets_state", "assets_reason")),
        ] {
            if let Some(state) = service {
                tx.execute(
                    // A service staff switched off during this sync stays off.
                    &format!(
                        "UPDATE client_files SET {0} = ?2, {1} = ?3 WHERE id = ?1 AND {0} != 'disconnected_by_staff'",
                        columns.0, columns.1
                    ),
                    params![file.0, state.code(), state.reason_code()],
                )?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The attempt failed: note when and why; everything else stays as last synced.
    pub fn record_sync_failure(&mut self, file: FileId, reason: &str) -> Result<()> {
        let at = now();
        self.conn.execute(
            "UPDATE client_files SET last_attempt_at = ?2, last_error = ?3, updated_at = ?2 WHERE id = ?1",
            params![file.0, at, reason],
        )?;
        Ok(())
    }

    /// Xero says the file's connection is gone (or needs a person): a definite answer, not a
    /// failed attempt.
    pub fn record_connection_state(&mut self, file: FileId, state: &ConnectionState) -> Result<()> {
        let at = now();
        self.conn.execute(
            "UPDATE client_files SET connection_state = ?2, connection_reason = ?3,
                 last_attempt_at = ?4, last_error = NULL, updated_at = ?4
             WHERE id = ?1",
            params![file.0, state.code(), state.reason(), at],
        )?;
        Ok(())
    }

    /// A consent granted access to this tenant: the file matched by tenant id (or a new one) is
    /// connected through `token_set`. Audited, as a person connected it.
    pub fn connect_tenant(
        &mut self,
        tenant_id: &str,
        connection_id: &str,
        tenant_name: Option<&str>,
        token_set: TokenSetId,
    ) -> Result<FileId> {
        let at = now();
        let tx = super::write_transaction(&mut self.conn)?;
        let existing: Option<(i64, String)> = optional(tx.query_row(
            "SELECT id, display_name FROM client_files WHERE xero_tenant_id = ?1",
            [tenant_id],
            |row| Ok((row.get(0)?, row.get(1)?)),
        ))?;
        let (id, name, action) = match existing {
            Some((id, name)) => {
                tx.execute(
                    "UPDATE client_files SET software = 'xero', connection_state = 'connected',
                         connection_reason = NULL, xero_connection_id = ?2, token_set_id = ?3,
                         remote_name = COALESCE(?4, remote_name), updated_at = ?5
                     WHERE id = ?1",
                    params![id, connection_id, token_set.0, tenant_name, at],
                )?;
                (id, name, "reconnect")
            }
            None => {
                let name = tenant_name.filter(|n| !n.trim().is_empty()).unwrap_or("Unnamed Xero organisation");
                tx.execute(
                    "INSERT INTO client_files (display_name, remote_name, software, connection_state,
                         payroll_state, assets_state, xero_tenant_id, xero_connection_id, token_set_id,
                         created_at, updated_at)
                     VALUES (?1, ?2, 'xero', 'connected', 'not_checked', 'not_checked', ?3, ?4, ?5, ?6, ?6)",
                    params![name, tenant_name, tenant_id, connection_id, token_set.0, at],
                )?;
                (tx.last_insert_rowid(), name.to_owned(), "connect")
            }
        };
        super::audit::record(&tx, &self.actor, FileId(id), &name, action, None, Some(tenant_id))?;
        tx.commit()?;
        Ok(FileId(id))
    }
}
