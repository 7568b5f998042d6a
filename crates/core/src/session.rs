//! What a front end holds: the cache it opened, or why it could not, and the calls the
//! Client Connections screen makes. Each Tauri command is one call to a method here.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use ts_rs::TS;

use crate::cache::{AuditEntry, Cache, TokenSetInfo};
use crate::credential_store::os_store_from_env;
use crate::error::{Error, ErrorPayload};
use crate::export_files::{export_dir, unused_csv_path};
use crate::model::{ClientFile, FileId, UnixMillis};
use crate::secret::Secret;
use crate::work_list::{WorkItem, work_list};
use crate::xero::app_settings::XeroAppSettings;
use crate::xero::config::XeroEndpoints;
use crate::xero::sync::{Cancel, XeroContext};
use crate::xero::token_vault::{SharedCache, lock};

pub struct Session {
    cache_path: PathBuf,
    cache: Result<SharedCache, ErrorPayload>,
    /// Built on first use and again after the Xero settings change.
    xero: Option<Arc<XeroContext>>,
    cancel: Arc<Cancel>,
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
    /// The Xero sign-in that reaches the file: whose it is and when it lapses.
    pub xero_connection: Option<TokenSetInfo>,
}

/// The Xero part of Settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct XeroStatus {
    pub settings: XeroAppSettings,
    /// The hosts Switchboard talks to in Xero's place (the simulator in tests and the demo), each
    /// with its port; empty when every endpoint is Xero's own.
    pub not_xero_hosts: Vec<String>,
    /// What the practice uses of its app's tier.
    pub usage: crate::xero::tier_usage::TierUsage,
    /// A "Reconnect all" queue paused by Cancel or by closing the app.
    pub reconnect_queue: Option<crate::xero::reconnect_queue::ReconnectQueue>,
}

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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FreshCache {
    /// Where the unusable cache was kept (renamed, not deleted).
    pub kept_at: String,
}

impl Session {
    pub fn open(cache_path: &Path) -> Session {
        let cache = Cache::open(cache_path).map(|c| Arc::new(Mutex::new(c))).map_err(ErrorPayload::from);
        if let Err(error) = &cache {
            tracing::error!(kind = ?error.kind, "cache unusable: {}", error.message);
        }
        Session { cache_path: cache_path.to_owned(), cache, xero: None, cancel: Arc::default() }
    }

    /// The cache in the data folder; when there is no data folder, a session that says so.
    pub fn open_default() -> Session {
        match crate::paths::cache_path() {
            Ok(path) => Session::open(&path),
            Err(error) => {
                Session { cache_path: PathBuf::new(), cache: Err(error.into()), xero: None, cancel: Arc::default() }
            }
        }
    }

    pub fn status(&self) -> CacheStatus {
        let path = self.cache_path.display().to_string();
        match &self.cache {
            Ok(_) => CacheStatus::Ready { path },
            Err(error) => CacheStatus::Unusable { path, error: error.clone() },
        }
    }

    pub(crate) fn shared_cache(&self) -> Result<&SharedCache, ErrorPayload> {
        self.cache.as_ref().map_err(Clone::clone)
    }

    /// The open cache, locked for one call.
    pub fn cache(&self) -> Result<std::sync::MutexGuard<'_, Cache>, ErrorPayload> {
        Ok(lock(self.shared_cache()?))
    }

    /// The table as the screen loads it: [`crate::table::ClientTablePayload`] JSON.
    pub fn client_table_json(&self) -> Result<String, ErrorPayload> {
        Ok(self.cache()?.client_table_json(UnixMillis::now())?)
    }

    /// The first rows of the table, with the summary of all files, for the screen to paint while
    /// the whole table loads: [`crate::table::ClientTablePayload`] JSON.
    pub fn client_table_head_json(&self) -> Result<String, ErrorPayload> {
        Ok(self.cache()?.client_table_head_json(crate::table::FIRST_ROWS, UnixMillis::now())?)
    }

    pub fn client_details(&self, id: FileId) -> Result<ClientDetails, ErrorPayload> {
        let cache = self.cache()?;
        let file = cache.file(id)?;
        let xero_connection = cache.token_set_of(id)?;
        Ok(ClientDetails { work_list: work_list(&file), history: cache.audit_entries(id)?, file, xero_connection })
    }

    pub fn xero_status(&self) -> Result<XeroStatus, ErrorPayload> {
        let cache = self.cache()?;
        Ok(XeroStatus {
            settings: XeroAppSettings::load(&cache)?,
            not_xero_hosts: XeroEndpoints::from_env()?.not_xero_hosts(),
            usage: crate::xero::tier_usage::tier_usage(&cache)?,
            reconnect_queue: crate::xero::reconnect_queue::paused(&cache)?,
        })
    }

    /// Forgets a paused "Reconnect all" queue (its files keep needing a reconnect).
    pub fn discard_reconnect_queue(&self) -> Result<XeroStatus, ErrorPayload> {
        crate::xero::reconnect_queue::discard(&mut *self.cache()?)?;
        self.xero_status()
    }

    /// Saves the Xero app settings (`client_secret`: a new secret for a "Web app" type app).
    pub fn save_xero_settings(
        &mut self,
        settings: &XeroAppSettings,
        client_secret: Option<String>,
    ) -> Result<XeroStatus, ErrorPayload> {
        let store = os_store_from_env()?;
        settings.save(&mut *self.cache()?, &store, client_secret.map(Secret::new).as_ref())?;
        self.xero = None;
        self.xero_status()
    }

    /// What connecting and syncing need (built from the settings on first use), and the switch
    /// that cancels them. The caller runs the long operation without holding the session.
    pub fn xero(&mut self) -> Result<(Arc<XeroContext>, Arc<Cancel>), ErrorPayload> {
        if let Some(ctx) = &self.xero {
            return Ok((ctx.clone(), self.cancel.clone()));
        }
        let cache = self.shared_cache()?.clone();
        let lock_dir = self.cache_path.parent().unwrap_or(Path::new(".")).join("locks");
        let ctx = Arc::new(XeroContext::from_settings(cache, Arc::new(os_store_from_env()?), lock_dir)?);
        self.xero = Some(ctx.clone());
        Ok((ctx, self.cancel.clone()))
    }

    /// Stops a running sync, or a sign-in waiting for the browser.
    pub fn cancel_xero(&self) {
        self.cancel.request();
    }

    /// Exports these files, in this order (what is on screen), to a new CSV file in the
    /// Downloads folder, and says where.
    pub fn export_csv(&self, ids: &[FileId]) -> Result<CsvExport, ErrorPayload> {
        let mut cache = self.cache()?;
        let files = cache.files_by_ids(ids)?;
        let path = unused_csv_path(&export_dir()?, "Switchboard clients")?;
        crate::csv_export::export_csv_file(&files, &path)?;
        let export = CsvExport { path: path.display().to_string(), rows: files.len() as u32 };
        cache.record_practice_change("export_csv", None, Some(&export.describe()))?;
        Ok(export)
    }

    /// The latest changes to the practice as a whole (Xero app settings, XPM, exports, a fresh
    /// cache), newest first, for Settings.
    pub fn practice_history(&self) -> Result<Vec<AuditEntry>, ErrorPayload> {
        const SHOWN: u32 = 50;
        Ok(self.cache()?.practice_audit_entries(SHOWN)?)
    }

    /// Opens the cache again after it could not be opened (busy, permission denied, a file held
    /// by another program): "Try again". Changes nothing on disk when it still cannot.
    pub fn reopen_cache(&mut self) -> CacheStatus {
        if self.cache.is_err() {
            // With no data folder at start-up, ask again rather than open an empty path.
            if self.cache_path.as_os_str().is_empty() {
                match crate::paths::cache_path() {
                    Ok(path) => self.cache_path = path,
                    Err(error) => {
                        self.cache = Err(error.into());
                        return self.status();
                    }
                }
            }
            self.cache = Cache::open(&self.cache_path).map(|c| Arc::new(Mutex::new(c))).map_err(ErrorPayload::from);
            self.xero = None;
        }
        self.status()
    }

    /// Keeps a damaged (or newer) cache under a new name and starts an empty one in its place;
    /// refused for every other reason a cache cannot be opened (see [`Cache::start_fresh`]).
    pub fn start_fresh(&mut self) -> Result<FreshCache, ErrorPayload> {
        if self.cache.is_ok() {
            return Err(
                Error::InvalidInput("The cache is working; there is no need to start a fresh one.".to_owned()).into()
            );
        }
        let (cache, kept) = Cache::start_fresh(&self.cache_path)?;
        self.cache = Ok(Arc::new(Mutex::new(cache)));
        self.xero = None;
        Ok(FreshCache { kept_at: kept.display().to_string() })
    }
}

// Settings → Clean up: caches set aside and XPM clients of a disconnected XPM.
impl Session {
    pub fn leftovers(&self) -> Result<Vec<crate::cleanup::Leftover>, ErrorPayload> {
        Ok(crate::cleanup::leftovers(&*self.cache()?)?)
    }

    /// Removes the leftovers with these ids (only ones listed); returns what is left.
    pub fn remove_leftovers(&self, ids: &[String]) -> Result<Vec<crate::cleanup::Leftover>, ErrorPayload> {
        Ok(crate::cleanup::remove_leftovers(&mut *self.cache()?, ids)?)
    }
}

impl Session {
    /// What Xero sent this month and in recent months, by API (Xero bills egress beyond the
    /// tier's allowance). Counts not yet saved by a running sync are saved first.
    pub fn egress_usage(&self) -> Result<crate::xero::egress::EgressUsage, ErrorPayload> {
        use crate::xero::egress::{USAGE_MONTHS, usage};
        Ok(match &self.xero {
            Some(ctx) => ctx.egress_usage()?,
            None => usage(&*self.cache()?, chrono::Utc::now(), USAGE_MONTHS)?,
        })
    }
}

// --- Xero Practice Manager (issue 4) -------------------------------------------------------

/// The "Link XPM clients" review screen: the best suggestion of every file with no link, links
/// to clients XPM archived or deleted, and XPM clients linked from more than one file.
#[derive(Debug, Clone, Serialize, TS)]
pub struct XpmReview {
    pub suggestions: Vec<crate::xpm::suggest::XpmSuggestion>,
    pub flagged: Vec<crate::xpm::links::FlaggedLink>,
    pub conflicts: Vec<crate::xpm::links::XpmConflict>,
}

/// One link a person confirmed on the review screen.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, TS)]
pub struct XpmLinkChoice {
    pub file_id: FileId,
    pub xpm_uuid: String,
}

impl Session {
    pub fn xpm_status(&self) -> Result<crate::xpm::refresh::XpmStatus, ErrorPayload> {
        Ok(crate::xpm::refresh::status(&*self.cache()?)?)
    }

    /// Every cached XPM client (the pop-up searches them itself, so a keystroke needs no call).
    pub fn xpm_clients(&self) -> Result<Vec<crate::xpm::XpmClientRecord>, ErrorPayload> {
        Ok(self.cache()?.xpm_records()?)
    }

    /// Links a file to an XPM client, changes its link, or (with `None`) removes it; audited.
    pub fn link_xpm(&self, file: FileId, xpm_uuid: Option<&str>) -> Result<ClientFile, ErrorPayload> {
        Ok(crate::xpm::links::link(&mut *self.cache()?, file, xpm_uuid)?)
    }

    /// Suggested XPM clients for one file (best first), also when it is linked already.
    pub fn xpm_suggestions(&self, file: FileId) -> Result<Vec<crate::xpm::suggest::XpmSuggestion>, ErrorPayload> {
        let cache = self.cache()?;
        let facts = crate::xpm::suggest::facts_of(&cache.file_link_rows()?);
        let clients = cache.xpm_records()?;
        let all = crate::xpm::suggest::suggest(&facts, &clients, true);
        Ok(all.into_iter().filter(|s| s.file_id == file).collect())
    }

    /// Everything the review screen shows; re-run at any time, nothing is applied.
    pub fn xpm_review(&self) -> Result<XpmReview, ErrorPayload> {
        let cache = self.cache()?;
        let facts = crate::xpm::suggest::facts_of(&cache.file_link_rows()?);
        let suggestions =
            crate::xpm::suggest::first_per_file(crate::xpm::suggest::suggest(&facts, &cache.xpm_records()?, false));
        let (conflicts, flagged) = crate::xpm::links::problems(&cache)?;
        Ok(XpmReview { suggestions, flagged, conflicts })
    }

    /// Applies the links a person confirmed, each audited; returns how many were made.
    pub fn confirm_xpm_links(&self, choices: &[XpmLinkChoice]) -> Result<u32, ErrorPayload> {
        let mut cache = self.cache()?;
        for choice in choices {
            crate::xpm::links::link(&mut cache, choice.file_id, Some(&choice.xpm_uuid))?;
        }
        Ok(choices.len() as u32)
    }
}

// Client reports (issue 6): the page reads the cache only; refreshing and "Allow reports" go
// through `Session::xero` like a sync.
impl Session {
    pub fn client_reports(&self, id: FileId) -> Result<crate::reports::model::ClientReports, ErrorPayload> {
        Ok(crate::reports::client_reports(&*self.cache()?, id)?)
    }

    pub fn report_insights(&self) -> Result<Vec<crate::reports::model::ReportInsight>, ErrorPayload> {
        Ok(crate::reports::insights(&*self.cache()?)?)
    }

    /// Opens the client's reports in Xero (system browser, allowlisted Xero hosts only).
    pub fn open_reports_in_xero(&self, id: FileId) -> Result<(), ErrorPayload> {
        crate::reports::open::open_in_xero(&*self.cache()?, id)?;
        Ok(())
    }
}
