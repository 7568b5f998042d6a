//! What the Client Connections screen loads: every file, plus the practice-wide summary.
//!
//! The screen loads it as a [`ClientTablePayload`]: each file flattened into an array and written
//! as JSON straight from the SQLite rows. For 10,000 files that is 3.5 instead of 5.5 MB (the key
//! names are gone), and no `ClientFile` is built on the way; the UI turns the rows back into
//! `ClientFile`s (`ui/src/lib/client-table.ts`).

use serde::Serialize;
use ts_rs::TS;

use crate::Cache;
use crate::error::Result;
use crate::model::{
    AccountingSoftware, ClientFile, ConnectionState, FileId, ServiceState, SyncRecord, UnixMillis, XeroIds, XpmClient,
};

mod name_order;
mod row_json;

/// How many rows the screen loads first: more than any screen shows at once (a 4K screen shows
/// about 45 rows of 48 px).
pub const FIRST_ROWS: usize = 100;

/// Data older than this is shown as stale.
pub const STALE_AFTER_MS: i64 = 24 * 60 * 60 * 1000;

#[derive(Debug, Clone, Serialize, TS)]
pub struct ClientTable {
    pub files: Vec<ClientFile>,
    pub summary: PracticeSummary,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PracticeSummary {
    pub total: u32,
    /// The most recent successful sync of any file; `None` when nothing was ever synced.
    pub last_synced_at: Option<UnixMillis>,
    /// The most recent sync attempt of any file, successful or not.
    pub last_attempt_at: Option<UnixMillis>,
    /// Files whose last sync attempt failed (they show their last good status).
    pub failed_count: u32,
    /// Nothing synced within [`STALE_AFTER_MS`]: the screen is an offline copy.
    pub stale: bool,
}

impl PracticeSummary {
    pub fn of(files: &[ClientFile], now: UnixMillis) -> Self {
        let mut summary = SummaryCounter::default();
        for file in files {
            summary.add(file.sync.last_success_at, file.sync.last_attempt_at, file.sync.last_attempt_failed());
        }
        summary.finish(now)
    }
}

/// Builds a [`PracticeSummary`] one file at a time, as the rows stream past.
#[derive(Default)]
struct SummaryCounter {
    total: u32,
    last_synced_at: Option<UnixMillis>,
    last_attempt_at: Option<UnixMillis>,
    failed_count: u32,
}

impl SummaryCounter {
    fn add(&mut self, success: Option<UnixMillis>, attempt: Option<UnixMillis>, failed: bool) {
        self.total += 1;
        self.last_synced_at = self.last_synced_at.max(success);
        self.last_attempt_at = self.last_attempt_at.max(attempt);
        self.failed_count += u32::from(failed);
    }

    fn merge(self, other: SummaryCounter) -> SummaryCounter {
        SummaryCounter {
            total: self.total + other.total,
            last_synced_at: self.last_synced_at.max(other.last_synced_at),
            last_attempt_at: self.last_attempt_at.max(other.last_attempt_at),
            failed_count: self.failed_count + other.failed_count,
        }
    }

    fn finish(self, now: UnixMillis) -> PracticeSummary {
        PracticeSummary {
            total: self.total,
            last_synced_at: self.last_synced_at,
            last_attempt_at: self.last_attempt_at,
            failed_count: self.failed_count,
            stale: self.last_synced_at.is_none_or(|t| now.0 - t.0 > STALE_AFTER_MS),
        }
    }
}

/// One [`ClientFile`] as the table loads it: the same fields in this order, with the Xero ids and
/// the XPM client as arrays, borrowed from the SQLite row it was read from.
#[derive(Debug, PartialEq, Eq, Serialize, TS)]
pub struct ClientRow<'r>(
    pub FileId,
    /// `display_name`
    pub &'r str,
    /// `remote_name`
    pub Option<&'r str>,
    pub AccountingSoftware,
    pub ConnectionState,
    /// Payroll.
    pub ServiceState,
    /// Fixed assets.
    pub ServiceState,
    /// Xero: tenant id, connection id, short code.
    pub Option<(&'r str, Option<&'r str>, Option<&'r str>)>,
    /// XPM: uuid, name, web URL, archived, deleted.
    pub Option<(&'r str, &'r str, Option<&'r str>, bool, bool)>,
    /// Sync: last success, last attempt, last error.
    pub (Option<UnixMillis>, Option<UnixMillis>, Option<&'r str>),
);

impl<'r> From<&'r ClientFile> for ClientRow<'r> {
    fn from(f: &'r ClientFile) -> Self {
        ClientRow(
            f.id,
            &f.display_name,
            f.remote_name.as_deref(),
            f.software.clone(),
            f.connection.clone(),
            f.payroll.clone(),
            f.fixed_assets.clone(),
            f.xero.as_ref().map(|x| (x.tenant_id.as_str(), x.connection_id.as_deref(), x.short_code.as_deref())),
            f.xpm.as_ref().map(|x| (x.uuid.as_str(), x.name.as_str(), x.web_url.as_deref(), x.archived, x.deleted)),
            (f.sync.last_success_at, f.sync.last_attempt_at, f.sync.last_error.as_deref()),
        )
    }
}

impl From<ClientRow<'_>> for ClientFile {
    fn from(row: ClientRow<'_>) -> Self {
        let ClientRow(id, display_name, remote_name, software, connection, payroll, fixed_assets, xero, xpm, sync) =
            row;
        ClientFile {
            id,
            display_name: display_name.to_owned(),
            remote_name: remote_name.map(str::to_owned),
            software,
            connection,
            payroll,
            fixed_assets,
            xero: xero.map(|(tenant_id, connection_id, short_code)| XeroIds {
                tenant_id: tenant_id.to_owned(),
                connection_id: connection_id.map(str::to_owned),
                short_code: short_code.map(str::to_owned),
            }),
            xpm: xpm.map(|(uuid, name, web_url, archived, deleted)| XpmClient {
                uuid: uuid.to_owned(),
                name: name.to_owned(),
                web_url: web_url.map(str::to_owned),
                archived,
                deleted,
            }),
            sync: SyncRecord {
                last_success_at: sync.0,
                last_attempt_at: sync.1,
                last_error: sync.2.map(str::to_owned),
            },
        }
    }
}

/// The JSON the screen loads: [`ClientTable`] with its files as [`ClientRow`]s.
#[derive(Debug, Serialize, TS)]
pub struct ClientTablePayload<'r> {
    pub summary: PracticeSummary,
    pub rows: Vec<ClientRow<'r>>,
}

impl Cache {
    pub fn client_table(&self) -> Result<ClientTable> {
        let files = self.list_files()?;
        let summary = PracticeSummary::of(&files, UnixMillis::now());
        Ok(ClientTable { files, summary })
    }

    /// The table as [`ClientTablePayload`] JSON, each row serialised as it is read; the two
    /// halves of the files are read and serialised at once (see `Cache::table_rows_in_halves`).
    pub fn client_table_json(&self, now: UnixMillis) -> Result<String> {
        let (first, second) = self.table_rows_in_halves(|rows| {
            // Room for the whole payload, as the first half's buffer becomes it (untouched
            // capacity costs no memory).
            let mut json = Vec::with_capacity(4 * 1024 * 1024);
            let mut summary = SummaryCounter::default();
            rows.each(|row| {
                let (success, attempt, error) = row.9;
                summary.add(success, attempt, error.is_some());
                write_row(&mut json, &row);
            })?;
            Ok((json, summary))
        })?;
        Ok(payload_json(first.0, &second.0, first.1.merge(second.1).finish(now)))
    }

    /// What the screen paints first while the whole table is on its way: the first `limit`
    /// files in the order the screen first shows them (by name, see [`crate::clients::table::name_order`]), with
    /// the summary of all the files, as [`ClientTablePayload`] JSON. Only names and sync times
    /// are read for every file; whole rows only for those `limit`.
    pub fn client_table_head_json(&self, limit: usize, now: UnixMillis) -> Result<String> {
        let mut summary = SummaryCounter::default();
        let mut keyed = Vec::new();
        self.each_name_and_sync(|id, name, success, attempt, failed| {
            summary.add(success, attempt, failed);
            keyed.push((name_order::sort_key(name), id));
        })?;
        let first = name_order::first_in_order(keyed, limit);
        let mut json = Vec::with_capacity(first.len() * 512);
        self.each_row_of(&first, |row| write_row(&mut json, &row))?;
        Ok(payload_json(json, &[], summary.finish(now)))
    }
}

/// Appends one row and a comma.
fn write_row(json: &mut Vec<u8>, row: &ClientRow<'_>) {
    row_json::write_row(json, row);
    json.push(b',');
}

/// A [`ClientTablePayload`] from rows written by [`write_row`]: `rows`, then `more_rows`. The
/// payload is built in `rows`' buffer, so the rows are not copied into a new one.
fn payload_json(mut rows: Vec<u8>, more_rows: &[u8], summary: PracticeSummary) -> String {
    const START: &[u8] = b"{\"rows\":[";
    rows.splice(0..0, START.iter().copied());
    rows.extend_from_slice(more_rows);
    if rows.last() == Some(&b',') {
        rows.pop();
    }
    rows.extend_from_slice(b"],\"summary\":");
    serde_json::to_writer(&mut rows, &summary).expect("serialising to memory");
    rows.push(b'}');
    // serde_json and `write_row` write only valid UTF-8.
    String::from_utf8(rows).expect("JSON is UTF-8")
}
