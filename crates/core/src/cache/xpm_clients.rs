//! The cached list of the practice's XPM clients.

use rusqlite::params;

use super::Cache;
use crate::error::Result;
use crate::model::XpmClient;

impl Cache {
    /// Adds or refreshes XPM clients, matched by uuid, in one transaction.
    pub fn upsert_xpm_clients(&mut self, clients: &[XpmClient]) -> Result<()> {
        let tx = super::write_transaction(&mut self.conn)?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO xpm_clients (uuid, name, web_url, archived, deleted)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (uuid) DO UPDATE SET name = excluded.name, web_url = excluded.web_url,
                     archived = excluded.archived, deleted = excluded.deleted",
            )?;
            for c in clients {
                stmt.execute(params![c.uuid, c.name, c.web_url, c.archived, c.deleted])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    pub fn list_xpm_clients(&self) -> Result<Vec<XpmClient>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT uuid, name, web_url, archived, deleted FROM xpm_clients ORDER BY name, uuid")?;
        let rows = stmt.query_map([], |row| {
            Ok(XpmClient {
                uuid: row.get(0)?,
                name: row.get(1)?,
                web_url: row.get(2)?,
                archived: row.get(3)?,
                deleted: row.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}
