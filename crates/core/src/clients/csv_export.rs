//! CSV export of client files, in the order given (what is on screen, as it is sorted): the
//! app's Export button and the CLI's `export` and `list --csv`.

use std::io::Write;
use std::path::Path;

use crate::cache::Cache;
use crate::error::{ErrorPayload, Result};
use crate::exports::csv_file::{csv_error, text_cell, write_csv_file};
use crate::exports::{CsvExport, export_dir, unused_csv_path};
use crate::model::{ClientFile, FileId, ServiceState, UnixMillis};
use crate::session::Session;

pub const HEADER: [&str; 13] = [
    "Client name",
    "Name in accounting software",
    "Accounting software",
    "Connection",
    "Connection detail",
    "Payroll",
    "Fixed assets",
    "Xero short code",
    "Xero tenant id",
    "XPM client",
    "Last successful sync (UTC)",
    "Last sync attempt (UTC)",
    "Last sync error",
];

/// Writes `files` as CSV (RFC 4180: commas, quotes and line breaks quoted; UTF-8).
pub fn write_csv<W: Write>(files: &[ClientFile], out: W) -> Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(HEADER).map_err(csv_error)?;
    for file in files {
        writer.write_record(record(file)).map_err(csv_error)?;
    }
    writer.flush().map_err(|e| csv_error(e.into()))?;
    Ok(())
}

/// Writes the CSV file at `path` for spreadsheets (see [`write_csv_file`]).
pub fn export_csv_file(files: &[ClientFile], path: &Path) -> Result<()> {
    write_csv_file(path, |out| write_csv(files, out))
}

/// Exports `files` to the CSV file at `path` and records the export in the practice's history:
/// what the app's Export button and the CLI's `export` both do.
pub fn export_clients(cache: &mut Cache, files: &[ClientFile], path: &Path) -> Result<CsvExport> {
    export_csv_file(files, path)?;
    let export = CsvExport { path: path.display().to_string(), rows: files.len() as u32 };
    cache.record_practice_change("export_csv", None, Some(&export.describe()))?;
    Ok(export)
}

impl Session {
    /// Exports these files, in this order (what is on screen), to a new CSV file in the
    /// Downloads folder, and says where.
    pub fn export_csv(&self, ids: &[FileId]) -> std::result::Result<CsvExport, ErrorPayload> {
        let mut cache = self.cache()?;
        let files = cache.files_by_ids(ids)?;
        let path = unused_csv_path(&export_dir()?, "Switchboard clients")?;
        Ok(export_clients(&mut cache, &files, &path)?)
    }
}

fn record(file: &ClientFile) -> [String; 13] {
    let time = |t: Option<UnixMillis>| t.map(UnixMillis::to_rfc3339).unwrap_or_default();
    let service = |s: &ServiceState| s.label();
    [
        text_cell(&file.display_name),
        text_cell(file.remote_name.as_deref().unwrap_or("")),
        text_cell(file.software.label()),
        file.connection.label().to_owned(),
        text_cell(file.connection.reason().unwrap_or("")),
        text_cell(&service(&file.payroll)),
        text_cell(&service(&file.fixed_assets)),
        text_cell(file.xero.as_ref().and_then(|x| x.short_code.as_deref()).unwrap_or("")),
        text_cell(file.xero.as_ref().map(|x| x.tenant_id.as_str()).unwrap_or("")),
        text_cell(file.xpm.as_ref().map(|x| x.name.as_str()).unwrap_or("")),
        time(file.sync.last_success_at),
        time(file.sync.last_attempt_at),
        text_cell(file.sync.last_error.as_deref().unwrap_or("")),
    ]
}
