//! The "who can see what" report of one email as CSV for spreadsheets.

use std::io::Write;
use std::path::Path;

use super::users::StaffAccess;
use crate::error::Result;
use crate::exports::csv_file::{csv_error, text_cell, write_csv_file};

pub const ACCESS_CSV_HEADER: [&str; 6] =
    ["Email", "Client name", "Name in Xero", "Xero role", "Subscriber", "Users last fetched (UTC)"];

/// Writes the report as CSV, cells a spreadsheet would run as formulas neutralised.
pub fn write_access_csv<W: Write>(access: &StaffAccess, out: W) -> Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(ACCESS_CSV_HEADER).map_err(csv_error)?;
    for row in &access.files {
        writer
            .write_record([
                text_cell(&access.email),
                text_cell(&row.display_name),
                text_cell(&row.user_name),
                text_cell(&row.role),
                if row.is_subscriber { "Yes" } else { "No" }.to_owned(),
                row.fetched_at.to_rfc3339(),
            ])
            .map_err(csv_error)?;
    }
    writer.flush().map_err(|e| csv_error(e.into()))?;
    Ok(())
}

/// The CSV file at `path` (UTF-8 with a byte-order mark; written whole or not at all).
pub fn export_access_csv_file(access: &StaffAccess, path: &Path) -> Result<()> {
    write_csv_file(path, |out| write_access_csv(access, out))
}
