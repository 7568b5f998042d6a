//! What the Client Connections screen loads: every file, plus the practice-wide summary.

use serde::Serialize;
use ts_rs::TS;

use crate::Cache;
use crate::error::Result;
use crate::model::{ClientFile, UnixMillis};

/// Data older than this is shown as stale.
pub const STALE_AFTER_MS: i64 = 24 * 60 * 60 * 1000;

#[derive(Debug, Clone, Serialize, TS)]
pub struct ClientTable {
    pub files: Vec<ClientFile>,
    pub summary: PracticeSummary,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PracticeSummary {
    pub total: u32,
    /// The most recent successful sync of any file; `None` when nothing was ever synced.
    pub last_synced_at: Option<UnixMillis>,
    /// The most recent sync attempt of any file, successful or not.
    pub last_attempt_at: Option<UnixMillis>,
    /// Files whose last sync attempt failed (they show their last good status).
    pub failed_count: u32,
    /// Nothing synced within [`STALE_AFTER_MS`]: the screen is an offline copy.
    pub stale: bool,
}

impl PracticeSummary {
    pub fn of(files: &[ClientFile], now: UnixMillis) -> Self {
        let last_synced_at = files.iter().filter_map(|f| f.sync.last_success_at).max();
        PracticeSummary {
            total: files.len() as u32,
            last_synced_at,
            last_attempt_at: files.iter().filter_map(|f| f.sync.last_attempt_at).max(),
            failed_count: files.iter().filter(|f| f.sync.last_attempt_failed()).count() as u32,
            stale: last_synced_at.is_none_or(|t| now.0 - t.0 > STALE_AFTER_MS),
        }
    }
}

impl Cache {
    pub fn client_table(&self) -> Result<ClientTable> {
        let files = self.list_files()?;
        let summary = PracticeSummary::of(&files, UnixMillis::now());
        Ok(ClientTable { files, summary })
    }
}
