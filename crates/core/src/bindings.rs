//! The TypeScript types of everything that crosses IPC, generated from these Rust types (ts-rs).
//!
//! They are committed in `ui/src/bindings/`. The test `tests/bindings.rs` fails when they are
//! stale; `UPDATE_BINDINGS=1 cargo test -p switchboard-core --test bindings` rewrites them.

use std::path::Path;

use ts_rs::{Config, ExportError, TS};

/// Writes every IPC type, with the types it uses, into `dir`.
pub fn export_to(dir: &Path) -> Result<(), ExportError> {
    let cfg = Config::new().with_out_dir(dir);
    crate::clients::table::ClientTable::export_all(&cfg)?;
    crate::clients::table::ClientTablePayload::export_all(&cfg)?;
    crate::session::CacheStatus::export_all(&cfg)?;
    crate::clients::session::ClientDetails::export_all(&cfg)?;
    crate::exports::CsvExport::export_all(&cfg)?;
    crate::startup::FreshCache::export_all(&cfg)?;
    crate::error::ErrorPayload::export_all(&cfg)?;
    crate::updates::UpdateInfo::export_all(&cfg)?;
    crate::updates::UpdateStatus::export_all(&cfg)?;
    crate::settings::xero_app::XeroStatus::export_all(&cfg)?;
    crate::xero::sync::ConnectSummary::export_all(&cfg)?;
    crate::xero::sync::SyncProgress::export_all(&cfg)?;
    crate::xero::reconnect_queue::ReconnectQueue::export_all(&cfg)?;
    crate::xero::connect_file::FileConnectOutcome::export_all(&cfg)?;
    // The Settings menu, access and one-click links.
    crate::browser::OpenedLink::export_all(&cfg)?;
    crate::settings::console::ConsoleSettings::export_all(&cfg)?;
    crate::settings::console::ConsoleUser::export_all(&cfg)?;
    crate::settings::console::ConsoleUserDraft::export_all(&cfg)?;
    crate::client_packs::PackPreview::export_all(&cfg)?;
    crate::client_packs::delivery::PackDelivery::export_all(&cfg)?;
    crate::access::users::UserAccess::export_all(&cfg)?;
    crate::access::users::StaffAccess::export_all(&cfg)?;
    crate::clients::deletion::DeletedClient::export_all(&cfg)?;
    crate::access::fetch::UserAccessRefresh::export_all(&cfg)?;
    // XPM
    crate::xpm::XpmClientRecord::export_all(&cfg)?;
    crate::xpm::refresh::XpmStatus::export_all(&cfg)?;
    crate::xpm::refresh::XpmRefreshReport::export_all(&cfg)?;
    crate::xpm::suggest::XpmSuggestion::export_all(&cfg)?;
    crate::xpm::session::XpmReview::export_all(&cfg)?;
    crate::xpm::session::XpmLinkChoice::export_all(&cfg)?;
    crate::reports::model::ClientReports::export_all(&cfg)?;
    crate::reports::model::ReportsRefresh::export_all(&cfg)?;
    crate::reports::model::AllReportsRefresh::export_all(&cfg)?;
    crate::reports::model::ReportInsight::export_all(&cfg)?;
    crate::xero::egress::EgressUsage::export_all(&cfg)?;
    // Files added by hand or imported from XPM or a CSV list.
    crate::clients::add::NewClient::export_all(&cfg)?;
    crate::clients::add::AddClientOutcome::export_all(&cfg)?;
    crate::clients::xpm_import::XpmImportPreview::export_all(&cfg)?;
    crate::clients::xpm_import::ImportOutcome::export_all(&cfg)?;
    crate::clients::csv_import::CsvImportPreview::export_all(&cfg)?;
    crate::settings::cleanup::Leftover::export_all(&cfg)?;
    // Client packs: the practice's mail server.
    crate::client_packs::mail::MailStatus::export_all(&cfg)?;
    Ok(())
}
