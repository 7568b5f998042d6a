//! The bytes Xero sent, per month and API group (what `xero::egress` counts), kept in the cache
//! so the month's total survives restarts and is readable offline.

use rusqlite::params;

use super::Cache;
use crate::error::Result;

/// One month's count for one API group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EgressRow {
    /// `YYYY-MM`, UTC.
    pub month: String,
    /// The group's stable code (`accounting`, `payroll`, ...).
    pub api: String,
    pub bytes: u64,
    pub calls: u64,
}

impl Cache {
    /// Adds these counts to the stored ones, in one transaction.
    pub fn add_egress(&mut self, rows: &[EgressRow]) -> Result<()> {
        let tx = super::write_transaction(&mut self.conn)?;
        {
            let mut upsert = tx.prepare_cached(
                "INSERT INTO xero_egress (month, api, bytes, calls) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (month, api) DO UPDATE SET bytes = bytes + ?3, calls = calls + ?4",
            )?;
            for row in rows {
                upsert.execute(params![row.month, row.api, row.bytes as i64, row.calls as i64])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Every stored count from `first_month` (`YYYY-MM`) on, newest month first.
    pub fn egress_since(&self, first_month: &str) -> Result<Vec<EgressRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT month, api, bytes, calls FROM xero_egress WHERE month >= ?1 ORDER BY month DESC, bytes DESC, api",
        )?;
        let rows = stmt.query_map([first_month], |row| {
            Ok(EgressRow {
                month: row.get(0)?,
                api: row.get(1)?,
                bytes: row.get::<_, i64>(2)? as u64,
                calls: row.get::<_, i64>(3)? as u64,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}
