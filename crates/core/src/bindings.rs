//! The TypeScript types of everything that crosses IPC, generated from these Rust types (ts-rs).
//!
//! They are committed in `ui/src/bindings/`. The test `tests/bindings.rs` fails when they are
//! stale; `UPDATE_BINDINGS=1 cargo test -p switchboard-core --test bindings` rewrites them.

use std::path::Path;

use ts_rs::{Config, ExportError, TS};

/// Writes every IPC type, with the types it uses, into `dir`.
pub fn export_to(dir: &Path) -> Result<(), ExportError> {
    let cfg = Config::new().with_out_dir(dir);
    crate::table::ClientTable::export_all(&cfg)?;
    crate::session::CacheStatus::export_all(&cfg)?;
    crate::session::ClientDetails::export_all(&cfg)?;
    crate::session::CsvExport::export_all(&cfg)?;
    crate::session::FreshCache::export_all(&cfg)?;
    crate::error::ErrorPayload::export_all(&cfg)?;
    crate::session::XeroStatus::export_all(&cfg)?;
    crate::xero::sync::ConnectSummary::export_all(&cfg)?;
    crate::xero::sync::SyncProgress::export_all(&cfg)?;
    crate::reports::model::ClientReports::export_all(&cfg)?;
    crate::reports::model::ReportsRefresh::export_all(&cfg)?;
    crate::reports::model::ReportInsight::export_all(&cfg)?;
    Ok(())
}
