//! Exports for spreadsheets: where they go and what they are called ([`file_names`]), and how a
//! CSV file is written ([`csv_file`]). What each export holds lives with its feature
//! (`clients::csv_export`, `access::staff_csv`, `reports::csv`).

pub mod csv_file;
pub mod file_names;

use serde::Serialize;
use ts_rs::TS;

pub use file_names::{EXPORT_DIR_VAR, export_dir, file_stem_from, unused_csv_path};

// A CSV file written for a person: where, and how many rows (no doc comment: ts-rs would copy
// it into the committed bindings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CsvExport {
    pub path: String,
    pub rows: u32,
}

impl CsvExport {
    /// What the audit log says of it.
    pub fn describe(&self) -> String {
        format!("{} client file(s) to {}", self.rows, self.path)
    }
}
