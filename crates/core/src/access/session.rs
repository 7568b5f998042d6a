//! What the shell calls for user access and staff access: each method is one Tauri command.
//! Fetching the lists from Xero runs on [`Session::xero`]'s context ([`super::fetch`]).

use std::path::{Path, PathBuf};

use super::staff_csv::export_access_csv_file;
use super::users::{StaffAccess, UserAccess};
use crate::browser::{OpenedLink, link_allowlist};
use crate::error::{Error, ErrorPayload, Result};
use crate::exports::{CsvExport, export_dir, file_stem_from, unused_csv_path};
use crate::model::FileId;
use crate::session::Session;

type IpcResult<T> = std::result::Result<T, ErrorPayload>;

impl Session {
    /// Who can reach the file's organisation, as last fetched (works offline).
    pub fn user_access(&self, id: FileId) -> IpcResult<UserAccess> {
        Ok(self.cache()?.user_access(id)?)
    }

    /// Every client file one email can reach in Xero (from the cached user lists).
    pub fn staff_access(&self, email: &str) -> IpcResult<StaffAccess> {
        Ok(self.cache()?.staff_access(email)?)
    }

    /// The "who can see what" report for one email, as CSV in the Downloads folder.
    pub fn export_staff_access(&self, email: &str) -> IpcResult<CsvExport> {
        let access = self.cache()?.staff_access(email)?;
        let path = unused_path(&export_dir()?, &access.email)?;
        export_access_csv_file(&access, &path)?;
        Ok(CsvExport { path: path.display().to_string(), rows: access.files.len() as u32 })
    }

    /// Opens the page where the organisation's users are managed in Xero.
    pub fn open_xero_users_page(&self, id: FileId) -> IpcResult<OpenedLink> {
        let access = self.cache()?.user_access(id)?;
        let link = access.manage_url.ok_or_else(|| {
            Error::InvalidInput(
                "Xero has not told Switchboard this organisation's short code yet; sync it and try again.".to_owned(),
            )
        })?;
        let url = link_allowlist::open(&link)?;
        Ok(OpenedLink { url: url.to_string() })
    }
}

/// `Switchboard access ann@example.com 2026-11-25 2230.csv`, numbered if taken.
fn unused_path(dir: &Path, email: &str) -> Result<PathBuf> {
    let who = file_stem_from(email, "staff");
    unused_csv_path(dir, &format!("Switchboard access {who}"))
}
