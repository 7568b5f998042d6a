//! XPM clients with their details (migration 004), the links files have to them, and conflicts.

use std::collections::HashSet;

use rusqlite::params;

use super::{Cache, now};
use crate::error::Result;
use crate::model::FileId;
use crate::xpm::XpmClientRecord;

/// A client file as the XPM link screens need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileLinkRow {
    pub id: FileId,
    pub display_name: String,
    pub remote_name: Option<String>,
    pub xpm_client_uuid: Option<String>,
    /// From the organisation's last sync.
    pub tax_number: Option<String>,
}

impl Cache {
    /// Adds or refreshes XPM clients (matched by uuid) in one transaction: all or none.
    /// Rows are never removed, so a link to a client that disappears keeps pointing at it.
    pub fn upsert_xpm_records(&mut self, records: &[XpmClientRecord]) -> Result<()> {
        let at = now();
        let tx = super::write_transaction(&mut self.conn)?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO xpm_clients (uuid, name, web_url, archived, deleted, email, tax_number, client_code, prospect, refreshed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT (uuid) DO UPDATE SET name = excluded.name,
                     web_url = COALESCE(excluded.web_url, xpm_clients.web_url),
                     archived = excluded.archived, deleted = excluded.deleted, email = excluded.email,
                     tax_number = excluded.tax_number, client_code = excluded.client_code,
                     prospect = excluded.prospect, refreshed_at = excluded.refreshed_at",
            )?;
            for r in records {
                stmt.execute(params![
                    r.uuid,
                    r.name,
                    r.web_url,
                    r.archived,
                    r.deleted,
                    r.email,
                    r.tax_number,
                    r.client_code,
                    r.prospect,
                    at
                ])?;
            }
        }
        tx.commit()?;
        self.checkpointer.nudge();
        Ok(())
    }

    /// Every cached XPM client, by name.
    pub fn xpm_records(&self) -> Result<Vec<XpmClientRecord>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT uuid, name, email, tax_number, client_code, prospect, archived, deleted, web_url
             FROM xpm_clients ORDER BY name COLLATE NOCASE, uuid",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok(XpmClientRecord {
                uuid: row.get(0)?,
                name: row.get(1)?,
                email: row.get(2)?,
                tax_number: row.get(3)?,
                client_code: row.get(4)?,
                prospect: row.get(5)?,
                archived: row.get(6)?,
                deleted: row.get(7)?,
                web_url: row.get(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    pub fn xpm_uuids(&self) -> Result<HashSet<String>> {
        let mut stmt = self.conn.prepare_cached("SELECT uuid FROM xpm_clients")?;
        let rows = stmt.query_map([], |row| row.get(0))?;
        Ok(rows.collect::<rusqlite::Result<HashSet<_>>>()?)
    }

    /// Every file with its name(s) and XPM link, in the order they were added.
    pub fn file_link_rows(&self) -> Result<Vec<FileLinkRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, display_name, remote_name, xpm_client_uuid, tax_number FROM client_files ORDER BY id",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok(FileLinkRow {
                id: FileId(row.get(0)?),
                display_name: row.get(1)?,
                remote_name: row.get(2)?,
                xpm_client_uuid: row.get(3)?,
                tax_number: row.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// How many XPM clients are cached, and about how many bytes their details take.
    pub fn xpm_records_size(&self) -> Result<(u32, u64)> {
        Ok(self.conn.query_row(
            "SELECT count(*), coalesce(sum(length(uuid) + length(name) + coalesce(length(web_url), 0)
                 + coalesce(length(email), 0) + coalesce(length(tax_number), 0) + coalesce(length(client_code), 0)), 0)
             FROM xpm_clients",
            [],
            |row| Ok((row.get::<_, i64>(0)? as u32, row.get::<_, i64>(1)? as u64)),
        )?)
    }

    /// Removes every cached XPM client (files linked to one lose the link, by the foreign key)
    /// and forgets when XPM was last refreshed, so connecting XPM again loads it all anew rather
    /// than only what changed since. In one transaction.
    pub fn forget_xpm_records(&mut self, last_refresh_key: &str) -> Result<u32> {
        let tx = super::write_transaction(&mut self.conn)?;
        let removed = tx.execute("DELETE FROM xpm_clients", [])?;
        tx.execute("DELETE FROM settings WHERE key = ?1", [last_refresh_key])?;
        tx.commit()?;
        Ok(removed as u32)
    }
}
