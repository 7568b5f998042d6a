//! What a front end holds: the cache it opened, or why it could not, and the calls the
//! Client Connections screen makes. Each Tauri command is one call to a method here.

use std::path::{Path, PathBuf};

use serde::Serialize;
use ts_rs::TS;

use crate::cache::{AuditEntry, Cache};
use crate::error::{Error, ErrorPayload, Result};
use crate::model::{ClientFile, FileId};
use crate::table::ClientTable;
use crate::work_list::{WorkItem, work_list};

/// Moves CSV exports out of the Downloads folder (for tests and locked-down machines).
pub const EXPORT_DIR_VAR: &str = "SWITCHBOARD_EXPORT_DIR";

pub struct Session {
    cache_path: PathBuf,
    cache: std::result::Result<Cache, ErrorPayload>,
}

/// Whether the cache could be opened; the UI shows the problem and the way out when not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum CacheStatus {
    Ready { path: String },
    Unusable { path: String, error: ErrorPayload },
}

/// Everything the Client Console and Work list pages show for one file.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ClientDetails {
    pub file: ClientFile,
    pub work_list: Vec<WorkItem>,
    pub history: Vec<AuditEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CsvExport {
    pub path: String,
    pub rows: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FreshCache {
    /// Where the unusable cache was kept (renamed, not deleted).
    pub kept_at: String,
}

impl Session {
    pub fn open(cache_path: &Path) -> Session {
        let cache = Cache::open(cache_path).map_err(ErrorPayload::from);
        if let Err(error) = &cache {
            tracing::error!(kind = ?error.kind, "cache unusable: {}", error.message);
        }
        Session { cache_path: cache_path.to_owned(), cache }
    }

    pub fn open_default() -> Session {
        Session::open(&crate::paths::cache_path())
    }

    pub fn status(&self) -> CacheStatus {
        let path = self.cache_path.display().to_string();
        match &self.cache {
            Ok(_) => CacheStatus::Ready { path },
            Err(error) => CacheStatus::Unusable { path, error: error.clone() },
        }
    }

    pub fn cache(&self) -> std::result::Result<&Cache, ErrorPayload> {
        self.cache.as_ref().map_err(Clone::clone)
    }

    pub fn client_table(&self) -> std::result::Result<ClientTable, ErrorPayload> {
        Ok(self.cache()?.client_table()?)
    }

    pub fn client_details(&self, id: FileId) -> std::result::Result<ClientDetails, ErrorPayload> {
        let cache = self.cache()?;
        let file = cache.file(id)?;
        Ok(ClientDetails { work_list: work_list(&file), history: cache.audit_entries(id)?, file })
    }

    /// Exports these files, in this order (what is on screen), to a new CSV file in the
    /// Downloads folder, and says where.
    pub fn export_csv(&self, ids: &[FileId]) -> std::result::Result<CsvExport, ErrorPayload> {
        let files = self.cache()?.files_by_ids(ids)?;
        let path = unused_export_path(&export_dir())?;
        crate::csv_export::export_csv_file(&files, &path)?;
        Ok(CsvExport { path: path.display().to_string(), rows: files.len() as u32 })
    }

    /// Keeps the unusable cache under a new name and starts an empty one in its place.
    pub fn start_fresh(&mut self) -> std::result::Result<FreshCache, ErrorPayload> {
        if self.cache.is_ok() {
            return Err(Error::InvalidInput(
                "The cache is working; there is no need to start a fresh one.".to_owned(),
            )
            .into());
        }
        let (cache, kept) = Cache::start_fresh(&self.cache_path)?;
        self.cache = Ok(cache);
        Ok(FreshCache { kept_at: kept.display().to_string() })
    }
}

fn export_dir() -> PathBuf {
    std::env::var_os(EXPORT_DIR_VAR)
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(dirs::download_dir)
        .unwrap_or_else(crate::paths::data_dir)
}

fn unused_export_path(dir: &Path) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Write { path: dir.to_owned(), source })?;
    let stem = format!("Switchboard clients {}", chrono::Local::now().format("%Y-%m-%d %H%M"));
    (1..1000)
        .map(|n| match n {
            1 => dir.join(format!("{stem}.csv")),
            n => dir.join(format!("{stem} ({n}).csv")),
        })
        .find(|p| !p.exists())
        .ok_or_else(|| Error::InvalidInput(format!("Too many exports in {} this minute.", dir.display())))
}
