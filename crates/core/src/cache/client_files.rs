//! Reading and writing client files.

use rusqlite::{Connection, Row, Transaction, params};

use super::{Cache, now};
use crate::clients::table::ClientRow;
use crate::error::{Error, Result};
use crate::model::{
    AccountingSoftware, ClientFile, ClientFileDraft, ConnectionState, FileId, ServiceState, UnixMillis,
};

const SELECT_FILES: &str = "
    SELECT f.id, f.display_name, f.remote_name, f.software,
           f.connection_state, f.connection_reason,
           f.payroll_state, f.payroll_reason, f.assets_state, f.assets_reason,
           f.xero_tenant_id, f.xero_connection_id, f.xero_short_code,
           f.last_success_at, f.last_attempt_at, f.last_error,
           x.uuid, x.name, x.web_url, x.archived, x.deleted
    FROM client_files f LEFT JOIN xpm_clients x ON x.uuid = f.xpm_client_uuid";

/// A new file is inserted; a file the cache already has (the same Xero tenant) gets the fresh
/// data, but a local rename survives and the XPM link is left alone (it changes only through
/// `link_xpm_client`).
const UPSERT_FILE: &str = "
    INSERT INTO client_files (
        display_name, remote_name, software, connection_state, connection_reason,
        payroll_state, payroll_reason, assets_state, assets_reason,
        xero_tenant_id, xero_connection_id, xero_short_code,
        last_success_at, last_attempt_at, last_error, xpm_client_uuid, created_at, updated_at)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17)
    ON CONFLICT (xero_tenant_id) DO UPDATE SET
        display_name = CASE WHEN renamed_by_staff THEN display_name ELSE excluded.display_name END,
        remote_name = excluded.remote_name, software = excluded.software,
        connection_state = excluded.connection_state, connection_reason = excluded.connection_reason,
        payroll_state = excluded.payroll_state, payroll_reason = excluded.payroll_reason,
        assets_state = excluded.assets_state, assets_reason = excluded.assets_reason,
        xero_connection_id = excluded.xero_connection_id, xero_short_code = excluded.xero_short_code,
        last_success_at = excluded.last_success_at, last_attempt_at = excluded.last_attempt_at,
        last_error = excluded.last_error, updated_at = excluded.updated_at";

impl Cache {
    /// Writes many files in one transaction: all of them, or (on any error) none.
    pub fn upsert_files(&mut self, drafts: &[ClientFileDraft]) -> Result<Vec<FileId>> {
        let tx = super::write_transaction(&mut self.conn)?;
        let ids = upsert_in(&tx, drafts)?;
        tx.commit()?;
        self.checkpointer.nudge();
        Ok(ids)
    }

    /// Every client file, in the order they were added (the screen sorts as the person asks;
    /// sorting 10,000 wide rows here would cost more than loading them).
    pub fn list_files(&self) -> Result<Vec<ClientFile>> {
        let mut stmt = self.conn.prepare_cached(&format!("{SELECT_FILES} ORDER BY f.id"))?;
        let rows = stmt.query_map([], read_file)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Organisations the practice has connected to its Xero app: files that reach one, whether
    /// they sync well or need a person to sign in again (the connection stays at Xero until it is
    /// disconnected there).
    pub fn connected_organisation_count(&self) -> Result<u32> {
        Ok(self.conn.query_row(
            "SELECT count(DISTINCT xero_tenant_id) FROM client_files
             WHERE xero_tenant_id IS NOT NULL AND connection_state IN ('connected', 'needs_reconnect')",
            [],
            |row| row.get(0),
        )?)
    }

    /// The files whose connection needs a person to sign in again, by name.
    pub fn files_needing_reconnect(&self) -> Result<Vec<(FileId, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, display_name FROM client_files WHERE connection_state = 'needs_reconnect' ORDER BY display_name, id",
        )?;
        let rows = stmt.query_map([], |row| Ok((FileId(row.get(0)?), row.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Every file as a table row, read in two halves at once: `read` gets the first half of the
    /// files (by id) on the cache's connection and, on a thread of its own, the second half on the
    /// reader connection. Returns what it made of each half, first half first.
    ///
    /// The halves are two read transactions: a write by another process (the command-line
    /// companion) between their starts shows in one half only. Each row is still read whole and
    /// once, as it would be by a read a moment later; in this process no write can come between,
    /// as writing needs `&mut Cache`.
    pub(crate) fn table_rows_in_halves<T: Send>(
        &self,
        read: impl Fn(TableRows<'_>) -> Result<T> + Sync,
    ) -> Result<(T, T)> {
        // Two subqueries, so each is a single step to one end of the table.
        let split: Option<i64> = self.conn.query_row(
            "SELECT ((SELECT min(id) FROM client_files) + (SELECT max(id) FROM client_files)) / 2",
            [],
            |row| row.get(0),
        )?;
        let split = split.unwrap_or(0);
        let reader = &self.reader;
        std::thread::scope(|scope| {
            let second = scope.spawn(|| {
                let conn = reader.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                read(TableRows { conn: &conn, ids: (split, i64::MAX) })
            });
            let first = read(TableRows { conn: &self.conn, ids: (i64::MIN, split) });
            let second = second.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            Ok((first?, second?))
        })
    }

    /// Each file's id, display name and sync record (last success, last attempt, whether that
    /// attempt failed), in id order: what choosing the first rows of the screen and counting the
    /// practice summary need, without reading whole rows.
    pub(crate) fn each_name_and_sync(
        &self,
        mut visit: impl FnMut(FileId, &str, Option<UnixMillis>, Option<UnixMillis>, bool),
    ) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, display_name, last_success_at, last_attempt_at, last_error IS NOT NULL
             FROM client_files ORDER BY id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            visit(
                FileId(row.get(0)?),
                text(row, 1)?,
                row.get::<_, Option<i64>>(2)?.map(UnixMillis),
                row.get::<_, Option<i64>>(3)?.map(UnixMillis),
                row.get(4)?,
            );
        }
        Ok(())
    }

    /// Hands the table row of each of these files to `visit`, in the order given (unknown ids
    /// are skipped).
    pub(crate) fn each_row_of(&self, ids: &[FileId], mut visit: impl FnMut(ClientRow<'_>)) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(&format!("{SELECT_FILES} WHERE f.id = ?1"))?;
        for id in ids {
            let mut rows = stmt.query([id.0])?;
            if let Some(row) = rows.next()? {
                visit(read_row(row)?);
            }
        }
        Ok(())
    }

    /// The files with these ids, in the order given (unknown ids are skipped).
    pub fn files_by_ids(&self, ids: &[FileId]) -> Result<Vec<ClientFile>> {
        let mut files = Vec::with_capacity(ids.len());
        self.each_row_of(ids, |row| files.push(ClientFile::from(row)))?;
        Ok(files)
    }

    pub fn file(&self, id: FileId) -> Result<ClientFile> {
        let mut stmt = self.conn.prepare_cached(&format!("{SELECT_FILES} WHERE f.id = ?1"))?;
        optional(stmt.query_row([id.0], read_file))?
            .ok_or_else(|| Error::NotFound { what: format!("Client file {}", id.0) })
    }

    /// Renames a file locally (staff's choice, audited); later syncs keep this name.
    pub fn rename_file(&mut self, id: FileId, new_name: &str) -> Result<ClientFile> {
        let new_name = validate_name(new_name)?;
        let tx = super::write_transaction(&mut self.conn)?;
        let old: String =
            optional(tx.query_row("SELECT display_name FROM client_files WHERE id = ?1", [id.0], |row| row.get(0)))?
                .ok_or_else(|| Error::NotFound { what: format!("Client file {}", id.0) })?;
        tx.execute(
            "UPDATE client_files SET display_name = ?2, renamed_by_staff = 1, updated_at = ?3 WHERE id = ?1",
            params![id.0, new_name, now()],
        )?;
        super::audit::record(&tx, &self.actor, id, &old, "rename", Some(&old), Some(&new_name))?;
        tx.commit()?;
        self.file(id)
    }

    /// Links a file to an XPM client, or removes the link with `None` (audited).
    pub fn link_xpm_client(&mut self, id: FileId, xpm_uuid: Option<&str>) -> Result<ClientFile> {
        let tx = super::write_transaction(&mut self.conn)?;
        let (name, old): (String, Option<String>) = optional(tx.query_row(
            "SELECT display_name, xpm_client_uuid FROM client_files WHERE id = ?1",
            [id.0],
            |row| Ok((row.get(0)?, row.get(1)?)),
        ))?
        .ok_or_else(|| Error::NotFound { what: format!("Client file {}", id.0) })?;
        if let Some(uuid) = xpm_uuid {
            let known: bool =
                tx.query_row("SELECT EXISTS (SELECT 1 FROM xpm_clients WHERE uuid = ?1)", [uuid], |row| row.get(0))?;
            if !known {
                return Err(Error::NotFound { what: format!("XPM client {uuid}") });
            }
        }
        tx.execute(
            "UPDATE client_files SET xpm_client_uuid = ?2, updated_at = ?3 WHERE id = ?1",
            params![id.0, xpm_uuid, now()],
        )?;
        let action = if xpm_uuid.is_some() { "link_xpm" } else { "unlink_xpm" };
        super::audit::record(&tx, &self.actor, id, &name, action, old.as_deref(), xpm_uuid)?;
        tx.commit()?;
        self.file(id)
    }
}

/// The files with ids in `ids.0..ids.1`, as table rows.
pub(crate) struct TableRows<'c> {
    conn: &'c Connection,
    ids: (i64, i64),
}

impl TableRows<'_> {
    /// Hands each file, in id order, to `visit` before the next is read.
    pub(crate) fn each(self, mut visit: impl FnMut(ClientRow<'_>)) -> Result<()> {
        let mut stmt =
            self.conn.prepare_cached(&format!("{SELECT_FILES} WHERE f.id >= ?1 AND f.id < ?2 ORDER BY f.id"))?;
        let mut rows = stmt.query([self.ids.0, self.ids.1])?;
        while let Some(row) = rows.next()? {
            visit(read_row(row)?);
        }
        Ok(())
    }
}

/// A file is matched to an existing one by its Xero tenant id, so a second consent or sync of the
/// same organisation updates the file instead of adding a twin.
fn upsert_in(tx: &Transaction<'_>, drafts: &[ClientFileDraft]) -> Result<Vec<FileId>> {
    let mut upsert = tx.prepare_cached(UPSERT_FILE)?;
    let mut find = tx.prepare_cached("SELECT id FROM client_files WHERE xero_tenant_id = ?1")?;
    let at = now();
    let mut ids = Vec::with_capacity(drafts.len());
    for d in drafts {
        let tenant = d.xero.as_ref().map(|x| &x.tenant_id);
        let before = tx.last_insert_rowid();
        upsert.execute(params![
            d.display_name,
            d.remote_name,
            d.software.code(),
            d.connection.code(),
            d.connection.reason(),
            d.payroll.code(),
            d.payroll.reason_code(),
            d.fixed_assets.code(),
            d.fixed_assets.reason_code(),
            tenant,
            d.xero.as_ref().and_then(|x| x.connection_id.as_ref()),
            d.xero.as_ref().and_then(|x| x.short_code.as_ref()),
            d.sync.last_success_at.map(|t| t.0),
            d.sync.last_attempt_at.map(|t| t.0),
            d.sync.last_error,
            d.xpm_client_uuid,
            at,
        ])?;
        // An insert gives a new row id; an update leaves SQLite's last one as it was, and the
        // updated file is found by its tenant (a new id equal to the last one is found so too).
        let inserted = tx.last_insert_rowid();
        let id = match tenant {
            Some(tenant) if inserted == before => find.query_row([tenant], |row| row.get(0))?,
            _ => inserted,
        };
        ids.push(FileId(id));
    }
    Ok(ids)
}

// Text is read borrowed (`get_ref`): the table's 10,000 rows then cost no allocation per column.
fn read_row<'r>(row: &'r Row<'_>) -> rusqlite::Result<ClientRow<'r>> {
    let connection_code = text(row, 4)?;
    let connection = ConnectionState::from_parts(connection_code, row.get(5)?)
        .ok_or_else(|| unknown_code(4, "connection state", connection_code))?;
    let xero = match optional_text(row, 10)? {
        Some(tenant_id) => Some((tenant_id, optional_text(row, 11)?, optional_text(row, 12)?)),
        None => None,
    };
    let xpm = match optional_text(row, 16)? {
        Some(uuid) => Some((uuid, text(row, 17)?, optional_text(row, 18)?, row.get(19)?, row.get(20)?)),
        None => None,
    };
    Ok(ClientRow(
        FileId(row.get(0)?),
        text(row, 1)?,
        optional_text(row, 2)?,
        AccountingSoftware::from_code(text(row, 3)?),
        connection,
        service_state(row, 6)?,
        service_state(row, 8)?,
        xero,
        xpm,
        (
            row.get::<_, Option<i64>>(13)?.map(UnixMillis),
            row.get::<_, Option<i64>>(14)?.map(UnixMillis),
            optional_text(row, 15)?,
        ),
    ))
}

fn read_file(row: &Row<'_>) -> rusqlite::Result<ClientFile> {
    read_row(row).map(ClientFile::from)
}

fn service_state(row: &Row<'_>, index: usize) -> rusqlite::Result<ServiceState> {
    let code = text(row, index)?;
    let reason = row.get_ref(index + 1)?.as_str_or_null()?;
    ServiceState::from_parts(code, reason).ok_or_else(|| unknown_code(index, "service state", code))
}

fn text<'r>(row: &'r Row<'_>, index: usize) -> rusqlite::Result<&'r str> {
    Ok(row.get_ref(index)?.as_str()?)
}

fn optional_text<'r>(row: &'r Row<'_>, index: usize) -> rusqlite::Result<Option<&'r str>> {
    Ok(row.get_ref(index)?.as_str_or_null()?)
}

fn unknown_code(index: usize, what: &str, code: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        index,
        rusqlite::types::Type::Text,
        format!("unknown {what} {code:?} in the cache").into(),
    )
}

pub(super) fn optional<T>(result: rusqlite::Result<T>) -> rusqlite::Result<Option<T>> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(rusqlite::Error::QueryReturnedNoRows) => Ok(None),
        Err(e) => Err(e),
    }
}

/// A client name staff typed: trimmed, 1-200 characters, no control characters.
pub fn validate_name(name: &str) -> Result<String> {
    let trimmed = name.trim();
    let length = trimmed.chars().count();
    if length == 0 {
        return Err(Error::InvalidInput("A client name cannot be empty.".to_owned()));
    }
    if length > 200 {
        return Err(Error::InvalidInput(format!(
            "A client name can be at most 200 characters; this one has {length}."
        )));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(Error::InvalidInput(
            "A client name cannot contain control characters such as line breaks or tabs.".to_owned(),
        ));
    }
    Ok(trimmed.to_owned())
}
