//! What the shell calls for a row's one-click links and its Settings menu: each method is what
//! one Tauri command does. The behaviour lives in `dashboard`, `client_settings`, the cache and
//! `xero::remote_actions`; this file only joins them to the session.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;
use ts_rs::TS;

use crate::client_settings::console::{ConsoleSettings, ConsoleUser, ConsoleUserDraft};
use crate::client_settings::deletion::{DeletedClient, delete_client};
use crate::client_settings::user_access::{StaffAccess, UserAccess, export_access_csv_file};
use crate::error::{Error, ErrorPayload, Result};
use crate::model::{AccountingSoftware, ClientFile, FileId};
use crate::session::{CsvExport, Session};
use crate::xero::sync::XeroContext;
use crate::xero::token_vault::SharedCache;

type IpcResult<T> = std::result::Result<T, ErrorPayload>;

/// The link Switchboard handed to the system browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct OpenedLink {
    pub url: String,
}

/// The Xero dashboard link of a file, from the cache alone (so it works offline).
pub fn xero_dashboard_link(file: &ClientFile) -> Result<url::Url> {
    if file.software != AccountingSoftware::Xero {
        return Err(Error::InvalidInput(format!(
            "{} is not synced by Xero, so it has no Xero dashboard.",
            file.display_name
        )));
    }
    let short_code = file.xero.as_ref().and_then(|x| x.short_code.as_deref()).ok_or_else(|| {
        Error::InvalidInput(format!(
            "Xero has not told Switchboard the short code of {} yet, so its dashboard cannot be opened. Sync it and try again.",
            file.display_name
        ))
    })?;
    crate::dashboard::xero_dashboard_url(short_code)
}

/// The XPM client page of a file: the `WebUrl` XPM returned, checked like any other link.
pub fn xpm_page_link(file: &ClientFile) -> Result<url::Url> {
    let url = file.xpm.as_ref().and_then(|x| x.web_url.as_deref()).ok_or_else(|| {
        Error::InvalidInput(format!("{} is not linked to an XPM client with a page to open.", file.display_name))
    })?;
    crate::dashboard::check_url(url)
}

/// A delete that has been checked against the cache and is ready to run without the session
/// (it waits for Xero).
pub struct ClientDeletion {
    cache: SharedCache,
    xero: Option<Arc<XeroContext>>,
    file: FileId,
    typed_name: String,
}

impl ClientDeletion {
    pub async fn run(self) -> Result<DeletedClient> {
        delete_client(&self.cache, self.xero.as_deref(), self.file, &self.typed_name).await
    }
}

impl Session {
    pub fn open_xero_dashboard(&self, id: FileId) -> IpcResult<OpenedLink> {
        let file = self.cache()?.file(id)?;
        let url = crate::dashboard::open(xero_dashboard_link(&file)?.as_str())?;
        Ok(OpenedLink { url: url.to_string() })
    }

    pub fn open_xpm_dashboard(&self, id: FileId) -> IpcResult<OpenedLink> {
        let file = self.cache()?.file(id)?;
        let url = crate::dashboard::open(xpm_page_link(&file)?.as_str())?;
        Ok(OpenedLink { url: url.to_string() })
    }

    /// Opens the page where the organisation's users are managed in Xero.
    pub fn open_xero_users_page(&self, id: FileId) -> IpcResult<OpenedLink> {
        let access = self.cache()?.user_access(id)?;
        let link = access.manage_url.ok_or_else(|| {
            Error::InvalidInput(
                "Xero has not told Switchboard this organisation's short code yet; sync it and try again.".to_owned(),
            )
        })?;
        let url = crate::dashboard::open(&link)?;
        Ok(OpenedLink { url: url.to_string() })
    }

    /// Folds `absorbed`, a file never connected, into `kept`, the file that already is its Xero
    /// organisation (offered when Connect picked that organisation); audited. Returns the file
    /// that remains.
    pub fn merge_client_files(&self, kept: FileId, absorbed: FileId) -> IpcResult<ClientFile> {
        let mut cache = self.cache()?;
        cache.merge_files(kept, absorbed)?;
        Ok(cache.file(kept)?)
    }

    pub fn rename_client(&self, id: FileId, name: &str) -> IpcResult<ClientFile> {
        Ok(self.cache()?.rename_file(id, name)?)
    }

    /// `disconnect`: payroll off ("disconnected by staff"); otherwise back on.
    pub fn set_payroll_disconnected(&self, id: FileId, disconnect: bool) -> IpcResult<ClientFile> {
        Ok(self.cache()?.set_payroll_disconnected(id, disconnect)?)
    }

    pub fn console_settings(&self, id: FileId) -> IpcResult<ConsoleSettings> {
        Ok(self.cache()?.console_settings(id)?)
    }

    pub fn save_console_settings(&self, id: FileId, settings: &ConsoleSettings) -> IpcResult<ConsoleSettings> {
        Ok(self.cache()?.save_console_settings(id, settings)?)
    }

    pub fn console_users(&self, id: FileId) -> IpcResult<Vec<ConsoleUser>> {
        Ok(self.cache()?.console_users(id)?)
    }

    pub fn add_console_user(&self, id: FileId, user: &ConsoleUserDraft) -> IpcResult<Vec<ConsoleUser>> {
        let mut cache = self.cache()?;
        cache.add_console_user(id, user)?;
        Ok(cache.console_users(id)?)
    }

    pub fn update_console_user(
        &self,
        id: FileId,
        user_id: i64,
        user: &ConsoleUserDraft,
    ) -> IpcResult<Vec<ConsoleUser>> {
        let mut cache = self.cache()?;
        cache.update_console_user(id, user_id, user)?;
        Ok(cache.console_users(id)?)
    }

    pub fn remove_console_user(&self, id: FileId, user_id: i64) -> IpcResult<Vec<ConsoleUser>> {
        let mut cache = self.cache()?;
        cache.remove_console_user(id, user_id)?;
        Ok(cache.console_users(id)?)
    }

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
        let path = unused_path(&crate::export_files::export_dir()?, &access.email)?;
        export_access_csv_file(&access, &path)?;
        Ok(CsvExport { path: path.display().to_string(), rows: access.files.len() as u32 })
    }

    /// Checks the typed name and gathers what the delete needs; [`ClientDeletion::run`] does it.
    pub fn delete_client(&mut self, id: FileId, typed_name: String) -> IpcResult<ClientDeletion> {
        let target = self.cache()?.deletion_target(id, &typed_name)?;
        let xero = match target.token_set {
            Some(_) => Some(self.xero()?.0),
            None => None,
        };
        Ok(ClientDeletion { cache: self.shared_cache()?.clone(), xero, file: id, typed_name })
    }
}

/// `Switchboard access ann@example.com 2026-11-25 2230.csv`, numbered if taken.
fn unused_path(dir: &Path, email: &str) -> Result<PathBuf> {
    let who = crate::export_files::file_stem_from(email, "staff");
    crate::export_files::unused_csv_path(dir, &format!("Switchboard access {who}"))
}
