//! Staff switching payroll off for a file ("disconnected by staff") and back on.

use rusqlite::params;

use super::console::file_name;
use super::{Cache, now};
use crate::error::{Error, Result};
use crate::model::{ClientFile, FileId, ServiceState};

impl Cache {
    /// `true`: stops payroll sync for the file and forgets what the last probe found (the state
    /// becomes "disconnected by staff"). `false`: payroll is probed again at the next sync
    /// ("not checked yet" until then). Audited; asking for the state it is already in is refused.
    pub fn set_payroll_disconnected(&mut self, file: FileId, disconnect: bool) -> Result<ClientFile> {
        let tx = super::write_transaction(&mut self.conn)?;
        let name = file_name(&tx, file)?;
        let (state, reason, tenant): (String, Option<String>, Option<String>) = tx.query_row(
            "SELECT payroll_state, payroll_reason, xero_tenant_id FROM client_files WHERE id = ?1",
            [file.0],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )?;
        let old = ServiceState::from_parts(&state, reason.as_deref()).unwrap_or(ServiceState::NotChecked);
        let is_off = old == ServiceState::DisconnectedByStaff;
        let new = match (disconnect, is_off) {
            (true, true) => return Err(Error::InvalidInput(format!("Payroll of {name} is already disconnected."))),
            (false, false) => {
                return Err(Error::InvalidInput(format!(
                    "Payroll of {name} is not disconnected, so there is nothing to reconnect."
                )));
            }
            (true, false) if tenant.is_none() => {
                return Err(Error::InvalidInput(format!(
                    "{name} is not connected through Xero, so Switchboard does not sync its payroll."
                )));
            }
            (true, false) => ServiceState::DisconnectedByStaff,
            (false, true) => ServiceState::NotChecked,
        };
        tx.execute(
            "UPDATE client_files SET payroll_state = ?2, payroll_reason = NULL, updated_at = ?3 WHERE id = ?1",
            params![file.0, new.code(), now()],
        )?;
        let action = if disconnect { "disconnect_payroll" } else { "reconnect_payroll" };
        super::audit::record(&tx, &self.actor, file, &name, action, Some(&old.label()), Some(&new.label()))?;
        tx.commit()?;
        self.file(file)
    }
}
