//! What the shell calls for the Client Connections list and a client's own pages: each method is
//! one Tauri command. Deleting is in [`super::deletion`], the one-click links in [`super::links`],
//! the CSV export in [`super::csv_export`].

use serde::Serialize;
use ts_rs::TS;

use super::add::{AddClientOutcome, NewClient, add_client};
use super::csv_import::CsvImportPreview;
use super::work_list::{WorkItem, work_list};
use super::xpm_import::{ImportOutcome, XpmImportPreview};
use crate::cache::{AuditEntry, TokenSetInfo};
use crate::error::ErrorPayload;
use crate::model::{ClientFile, FileId, UnixMillis};
use crate::session::Session;

type IpcResult<T> = Result<T, ErrorPayload>;

/// Everything the Client Console and Work list pages show for one file.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ClientDetails {
    pub file: ClientFile,
    pub work_list: Vec<WorkItem>,
    pub history: Vec<AuditEntry>,
    /// The Xero sign-in that reaches the file: whose it is and when it lapses.
    pub xero_connection: Option<TokenSetInfo>,
}

impl Session {
    /// The table as the screen loads it: [`super::table::ClientTablePayload`] JSON.
    pub fn client_table_json(&self) -> IpcResult<String> {
        Ok(self.cache()?.client_table_json(UnixMillis::now())?)
    }

    /// The first rows of the table, with the summary of all files, for the screen to paint while
    /// the whole table loads: [`super::table::ClientTablePayload`] JSON.
    pub fn client_table_head_json(&self) -> IpcResult<String> {
        Ok(self.cache()?.client_table_head_json(super::table::FIRST_ROWS, UnixMillis::now())?)
    }

    pub fn client_details(&self, id: FileId) -> IpcResult<ClientDetails> {
        let cache = self.cache()?;
        let file = cache.file(id)?;
        let xero_connection = cache.token_set_of(id)?;
        Ok(ClientDetails { work_list: work_list(&file), history: cache.audit_entries(id)?, file, xero_connection })
    }

    pub fn add_client(&self, new: &NewClient, confirmed: bool) -> IpcResult<AddClientOutcome> {
        let mut cache = self.cache()?;
        Ok(add_client(&mut cache, new, confirmed)?)
    }

    pub fn preview_xpm_import(&self) -> IpcResult<XpmImportPreview> {
        let cache = self.cache()?;
        Ok(super::xpm_import::plan(&cache)?.preview)
    }

    pub fn import_from_xpm(&self) -> IpcResult<ImportOutcome> {
        let mut cache = self.cache()?;
        Ok(super::xpm_import::import(&mut cache)?)
    }

    pub fn preview_csv_import(&self, bytes: &[u8]) -> IpcResult<CsvImportPreview> {
        let cache = self.cache()?;
        Ok(super::csv_import::plan(&cache, bytes)?.preview)
    }

    pub fn import_csv(&self, bytes: &[u8]) -> IpcResult<ImportOutcome> {
        let mut cache = self.cache()?;
        Ok(super::csv_import::import(&mut cache, bytes)?)
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
}
