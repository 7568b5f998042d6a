//! Settings → History: the latest changes to the practice as a whole, and every change the cache
//! records as a CSV file (for a review of who changed what).

use std::io::Write;
use std::path::Path;

use crate::cache::{AuditEntry, Cache};
use crate::error::{ErrorPayload, Result};
use crate::exports::csv_file::{csv_error, text_cell, write_csv_file};
use crate::exports::{CsvExport, export_dir, unused_csv_path};
use crate::session::Session;

/// How many entries Settings shows.
const SHOWN: u32 = 50;

pub const HISTORY_CSV_HEADER: [&str; 6] = ["When (UTC)", "Client file", "Change", "Before", "After", "By"];

/// Writes the entries as CSV; names and values were typed by people or came from Xero, so every
/// text cell is guarded against spreadsheet formulas.
pub fn write_history_csv<W: Write>(entries: &[AuditEntry], out: W) -> Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(HISTORY_CSV_HEADER).map_err(csv_error)?;
    for e in entries {
        writer
            .write_record([
                e.at.to_rfc3339(),
                text_cell(&e.file_name),
                text_cell(&e.action),
                text_cell(e.old_value.as_deref().unwrap_or("")),
                text_cell(e.new_value.as_deref().unwrap_or("")),
                text_cell(e.actor.as_deref().unwrap_or("")),
            ])
            .map_err(csv_error)?;
    }
    writer.flush().map_err(|e| csv_error(e.into()))?;
    Ok(())
}

/// Writes every entry of the log to the CSV file at `path`, then records that export in the log.
pub fn export_history(cache: &mut Cache, path: &Path) -> Result<CsvExport> {
    let entries = cache.all_audit_entries()?;
    write_csv_file(path, |out| write_history_csv(&entries, out))?;
    let export = CsvExport { path: path.display().to_string(), rows: entries.len() as u32 };
    cache.record_practice_change(
        "export_history",
        None,
        Some(&format!("{} change(s) to {}", export.rows, export.path)),
    )?;
    Ok(export)
}

impl Session {
    /// The latest changes to the practice as a whole (Xero app settings, XPM, exports, a fresh
    /// cache), newest first, for Settings.
    pub fn practice_history(&self) -> std::result::Result<Vec<AuditEntry>, ErrorPayload> {
        Ok(self.cache()?.practice_audit_entries(SHOWN)?)
    }

    /// Every change the cache records, to a new CSV file in the Downloads folder.
    pub fn export_history(&self) -> std::result::Result<CsvExport, ErrorPayload> {
        let path = unused_csv_path(&export_dir()?, "Switchboard history")?;
        let mut cache = self.cache()?;
        Ok(export_history(&mut cache, &path)?)
    }
}
