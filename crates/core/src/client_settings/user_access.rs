//! Who can reach a client's Xero organisation (Xero's `Users` endpoint, cached for offline
//! review), and the practice-wide reverse view: every client file one person can reach.

use std::io::Write;
use std::path::Path;

use serde::Serialize;
use ts_rs::TS;

use crate::csv_export::cell;
use crate::error::{Error, Result};
use crate::model::{FileId, UnixMillis};

/// One user of a Xero organisation, as Xero listed them (remote text: shown as text only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct XeroUser {
    pub user_id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// Xero's `OrganisationRole` (`ADMIN`, `STANDARD`, `FINANCIALADVISER`, ...), kept as sent.
    pub role: String,
    /// The person who pays for the organisation's subscription.
    pub is_subscriber: bool,
}

impl XeroUser {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name).trim().to_owned()
    }
}

/// A file's users as last fetched from Xero.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct UserAccess {
    pub file_id: FileId,
    pub users: Vec<XeroUser>,
    /// When the list was fetched; `None`: never (the list is then empty).
    pub fetched_at: Option<UnixMillis>,
    /// Where the users are managed in Xero, when the organisation's short code is known.
    pub manage_url: Option<String>,
}

/// One client file a person can reach, as of that file's last fetch of its users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct StaffAccessRow {
    pub file_id: FileId,
    pub display_name: String,
    pub user_name: String,
    pub role: String,
    pub is_subscriber: bool,
    pub fetched_at: UnixMillis,
}

/// "Who can see what": every client file one email reaches in Xero.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct StaffAccess {
    pub email: String,
    pub files: Vec<StaffAccessRow>,
    /// Files whose users were never fetched: the report cannot speak for them.
    pub files_never_checked: u32,
}

pub const ACCESS_CSV_HEADER: [&str; 6] =
    ["Email", "Client name", "Name in Xero", "Xero role", "Subscriber", "Users last fetched (UTC)"];

/// Writes the report as CSV, cells a spreadsheet would run as formulas neutralised.
pub fn write_access_csv<W: Write>(access: &StaffAccess, out: W) -> Result<()> {
    let csv_error = |e: csv::Error| Error::InvalidInput(format!("Could not write the CSV: {e}"));
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(ACCESS_CSV_HEADER).map_err(csv_error)?;
    for row in &access.files {
        writer
            .write_record([
                cell(&access.email),
                cell(&row.display_name),
                cell(&row.user_name),
                cell(&row.role),
                if row.is_subscriber { "Yes" } else { "No" }.to_owned(),
                row.fetched_at.to_rfc3339(),
            ])
            .map_err(csv_error)?;
    }
    writer.flush().map_err(|e| Error::InvalidInput(format!("Could not write the CSV: {e}")))?;
    Ok(())
}

/// The CSV file at `path` (UTF-8 with a byte-order mark; written whole or not at all).
pub fn export_access_csv_file(access: &StaffAccess, path: &Path) -> Result<()> {
    crate::export_files::write_csv_file(path, |out| write_access_csv(access, out))
}
