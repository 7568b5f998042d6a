//! CSV export of client files, in the order given (what is on screen, as it is sorted).

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};
use crate::model::{ClientFile, ServiceState, UnixMillis};

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
    let csv_error = |e: csv::Error| Error::InvalidInput(format!("Could not write the CSV: {e}"));
    writer.write_record(HEADER).map_err(csv_error)?;
    for file in files {
        writer.write_record(record(file)).map_err(csv_error)?;
    }
    writer.flush().map_err(|e| Error::InvalidInput(format!("Could not write the CSV: {e}")))?;
    Ok(())
}

/// Writes the CSV file at `path` for spreadsheets (see [`crate::export_files::write_csv_file`]).
pub fn export_csv_file(files: &[ClientFile], path: &Path) -> Result<()> {
    crate::export_files::write_csv_file(path, |out| write_csv(files, out))
}

fn record(file: &ClientFile) -> [String; 13] {
    let time = |t: Option<UnixMillis>| t.map(UnixMillis::to_rfc3339).unwrap_or_default();
    let service = |s: &ServiceState| s.label();
    [
        cell(&file.display_name),
        cell(file.remote_name.as_deref().unwrap_or("")),
        cell(file.software.label()),
        file.connection.label().to_owned(),
        cell(file.connection.reason().unwrap_or("")),
        cell(&service(&file.payroll)),
        cell(&service(&file.fixed_assets)),
        cell(file.xero.as_ref().and_then(|x| x.short_code.as_deref()).unwrap_or("")),
        cell(file.xero.as_ref().map(|x| x.tenant_id.as_str()).unwrap_or("")),
        cell(file.xpm.as_ref().map(|x| x.name.as_str()).unwrap_or("")),
        time(file.sync.last_success_at),
        time(file.sync.last_attempt_at),
        cell(file.sync.last_error.as_deref().unwrap_or("")),
    ]
}

/// Spreadsheets run a cell that starts with `=`, `+`, `-`, `@`, tab or carriage return as a
/// formula; remote names are untrusted, so such a cell is prefixed with `'` (OWASP's advice).
pub fn cell(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_owned() }
}
