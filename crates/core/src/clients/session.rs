//! What the shell's commands call: each method is one Tauri command.

use super::add::{AddClientOutcome, NewClient, add_client};
use super::csv_import::CsvImportPreview;
use super::xpm_import::{ImportOutcome, XpmImportPreview};
use crate::error::ErrorPayload;
use crate::session::Session;

type IpcResult<T> = Result<T, ErrorPayload>;

impl Session {
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
}
