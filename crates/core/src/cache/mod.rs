//! The local SQLite cache: every client file the practice looks after, readable offline.
//!
//! Opening never harms a file it cannot use: a damaged file, or one written by a newer
//! Switchboard, is refused with a message that says where it is, and is left byte for byte as it
//! was. [`Cache::start_fresh`] then moves it aside (keeping it) and starts an empty cache.

mod audit;
mod checkpoint;
mod client_files;
mod egress;
// Connecting a file that existed before it was connected, and merging it with its twin.
mod file_connect;
pub mod migrations;
mod reports;
mod settings;
mod sync_results;
mod token_sets;
mod xpm_clients;
// The Settings menu's actions.
mod client_deletion;
mod console;
mod pack_deliveries;
mod payroll_switch;
mod xero_users;
mod xpm_records;
// Files staff add by hand or import from XPM or a CSV list.
mod new_files;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::{Connection, ErrorCode, OpenFlags, Transaction, TransactionBehavior};

pub use audit::{AuditEntry, os_user};
pub use client_deletion::DeletionTarget;
pub use client_files::validate_name;
pub use egress::EgressRow;
pub use file_connect::{Attached, ConnectableFile, MergeReport};
pub use migrations::LATEST_VERSION;
pub use new_files::NewFile;
pub use pack_deliveries::PackAttempt;
pub use reports::ReportFigures;
pub use sync_results::{OrgSnapshot, SyncTarget};
pub use token_sets::{REFRESH_TOKEN_IDLE_LIFETIME_MS, RetiredTokenSet, TokenSetId, TokenSetInfo};
pub use xero_users::UsersFetch;
pub use xpm_records::FileLinkRow;

use crate::error::{Error, Result};
use crate::model::UnixMillis;

pub struct Cache {
    // Declared first, so it is dropped (its thread joined) before `conn` closes.
    checkpointer: checkpoint::Checkpointer,
    /// A second, read-only connection: the table's rows are read in two halves at once, one on
    /// each connection (see `Cache::table_rows_in_halves`). Closed before `conn`, too.
    reader: Mutex<Connection>,
    conn: Connection,
    path: PathBuf,
    /// Random, made when the cache was created; keys this cache's secrets in the credential store.
    id: String,
    /// Who changes made through this cache are recorded as in the audit log.
    actor: String,
}

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";
/// The page size of a new cache file, in bytes.
pub const PAGE_SIZE: i64 = 16_384;

impl Cache {
    /// Opens (creating if needed) the cache at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Cache> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::private_files::create_dir_all(dir).map_err(|e| unavailable(path, e.to_string()))?;
        }
        check_header(path)?;
        // A new cache starts as an empty file only its owner may read; SQLite gives its -wal and
        // -shm files the same mode.
        crate::private_files::create_file_if_missing(path).map_err(|e| unavailable(path, e.to_string()))?;
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| classify(path, e))?;
        // Before any statement: another process (a `switchboard sync`, or a second copy opening
        // a fresh cache) may hold the lock for a moment, and SQLite then waits instead of failing.
        conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| classify(path, e))?;
        // SQLite falls back to reading a file it may not write (read-only, or immutable): every
        // change would then fail later. Say so now.
        if conn.is_readonly(rusqlite::MAIN_DB).map_err(|e| classify(path, e))? {
            return Err(unavailable(path, "the file may be read but not written".to_owned()));
        }
        // Only reads until the file is known to be sound and of a version we understand.
        check_integrity(&conn, path)?;
        let found: i64 =
            conn.pragma_query_value(None, "user_version", |row| row.get(0)).map_err(|e| classify(path, e))?;
        if found > LATEST_VERSION {
            return Err(Error::CacheTooNew { path: path.to_owned(), found, supported: LATEST_VERSION });
        }
        let mut conn = conn;
        // A new cache gets 16 KiB pages instead of SQLite's 4 KiB: a full practice write then
        // logs a quarter as many pages, each written with system calls of its own (the
        // 10,000-file write took ~14% less time). It only takes effect before the file's first
        // write; an existing cache keeps the page size it was made with.
        conn.pragma_update(None, "page_size", PAGE_SIZE)?;
        set_wal(&conn).map_err(|e| classify(path, e))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // What is deleted (a deleted client's reports and names) is overwritten with zeros instead
        // of staying readable in free pages of the file. It costs the writes that delete or
        // replace rows a little (see README, Performance); inserts are unaffected.
        conn.pragma_update(None, "secure_delete", true)?;
        // A practice of 10,000 files is ~6 MB of pages: keep them all in memory (the default
        // 2 MB cache spills pages to the WAL halfway through a full write).
        conn.pragma_update(None, "cache_size", -32_768)?;
        conn.pragma_update(None, "wal_autocheckpoint", checkpoint::INLINE_CHECKPOINT_PAGES)?;
        // Foreign keys are turned on only after migrating: a migration that rebuilds a table drops
        // the old one, and with foreign keys on that drop would run ON DELETE CASCADE / SET NULL on
        // every table pointing at it (and the pragma cannot change inside a migration's
        // transaction). Each migration checks the foreign keys itself before it commits.
        conn.pragma_update(None, "foreign_keys", false)?;
        migrations::to_latest(&mut conn, path)?;
        conn.pragma_update(None, "foreign_keys", true)?;
        let id = settings::cache_id(&conn)
            .map_err(|e| match e {
                Error::Storage(err) => classify(path, err),
                other => other,
            })?
            .ok_or_else(|| Error::CacheCorrupt { path: path.to_owned(), detail: "the cache has no id".to_owned() })?;
        restrict_cache_files(path);
        let checkpointer = checkpoint::Checkpointer::start(path).map_err(|e| classify(path, e))?;
        let reader = open_reader(path).map_err(|e| classify(path, e))?;
        Ok(Cache { checkpointer, reader: Mutex::new(reader), conn, path: path.to_owned(), id, actor: os_user() })
    }

    /// Moves a damaged cache, or one written by a newer Switchboard, aside — renamed, never
    /// deleted or overwritten — and opens a new, empty one at `path`. Returns the new cache and
    /// where the old file now is.
    ///
    /// Any other failure to open (busy, permission denied, a file held by antivirus) passes, and
    /// the file behind it is sound: it is refused here, changing nothing, so that a moment's
    /// trouble never costs a practice its cache.
    pub fn start_fresh(path: &Path) -> Result<(Cache, PathBuf)> {
        match Cache::open(path) {
            Err(Error::CacheCorrupt { .. } | Error::CacheTooNew { .. }) => {}
            Ok(_) => {
                return Err(Error::InvalidInput(format!(
                    "The cache at {} opens normally, so it was not set aside.",
                    path.display()
                )));
            }
            Err(other) => {
                let reason = match other {
                    Error::CacheUnavailable { detail, .. } => detail,
                    other => other.to_string(),
                };
                return Err(Error::InvalidInput(format!(
                    "The cache at {} was not set aside: it is not damaged but could not be opened ({reason}); try again once that is fixed.",
                    path.display()
                )));
            }
        }
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("cache");
        let kept = path.with_file_name(format!("{stem}.unusable-{stamp}.sqlite3"));
        if kept.exists() {
            return Err(Error::InvalidInput(format!(
                "{} already exists; wait a second and try again.",
                kept.display()
            )));
        }
        std::fs::rename(path, &kept).map_err(|e| Error::Write { path: kept.clone(), source: e })?;
        // SQLite's side files belong to the old database: keep them with it, or the new
        // cache would try to replay the old write-ahead log.
        for suffix in ["-wal", "-shm"] {
            let side = side_file(path, suffix);
            if side.exists() {
                let target = side_file(&kept, suffix);
                std::fs::rename(&side, &target).map_err(|e| Error::Write { path: target, source: e })?;
            }
        }
        let mut cache = Cache::open(path)?;
        cache.record_practice_change(
            "start_fresh",
            None,
            Some(&format!("the unusable cache was kept at {}", kept.display())),
        )?;
        Ok((cache, kept))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// This cache's random id (32 hex digits): no other cache file has it, a fresh one included.
    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.pragma_query_value(None, "user_version", |row| row.get(0))?)
    }

    /// `PRAGMA integrity_check`, for crash tests and diagnostics: `"ok"` when sound.
    pub fn integrity_check(&self) -> Result<String> {
        Ok(self.conn.pragma_query_value(None, "integrity_check", |row| row.get(0))?)
    }
}

/// How long a statement waits for another connection's write lock before giving up.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Switches a new cache to write-ahead logging (a cache already in it stays so). Changing the
/// mode needs the file to itself, and SQLite reports "busy" at once instead of calling the busy
/// handler when another connection opening the same new cache holds it; wait as the busy
/// timeout would.
fn set_wal(conn: &Connection) -> rusqlite::Result<()> {
    let started = std::time::Instant::now();
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Err(e) if e.sqlite_error_code() == Some(ErrorCode::DatabaseBusy) && started.elapsed() < BUSY_TIMEOUT => {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            other => return other,
        }
    }
}

/// Every transaction that writes takes the write lock when it begins. A deferred one that read
/// first and then writes fails at once with SQLITE_BUSY_SNAPSHOT whenever another process (a
/// `switchboard sync`) committed in between: its snapshot is stale, and the busy timeout does not
/// help. Begun IMMEDIATE it waits (up to [`BUSY_TIMEOUT`]) for the lock instead, and its reads see
/// the latest data. The cost: a transaction that turns out to write nothing still waits its turn.
pub(crate) fn write_transaction(conn: &mut Connection) -> rusqlite::Result<Transaction<'_>> {
    conn.transaction_with_behavior(TransactionBehavior::Immediate)
}

fn open_reader(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // Room for the half of a large practice it reads.
    conn.pragma_update(None, "cache_size", -16_384)?;
    Ok(conn)
}

/// A cache made by an earlier version (or copied in) may be readable by others: once it is known
/// to be a sound cache of ours, it and its side files become 0600 (Unix). Not being able to is
/// no reason to refuse the cache, so it is only logged.
fn restrict_cache_files(path: &Path) {
    for file in [path.to_owned(), side_file(path, "-wal"), side_file(path, "-shm")] {
        if let Err(error) = crate::private_files::restrict_file(&file) {
            tracing::warn!(%error, "could not make {} private", file.display());
        }
    }
}

fn side_file(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// A non-empty file that does not start with SQLite's header is not a cache at all; say so
/// before SQLite gets to touch it.
fn check_header(path: &Path) -> Result<()> {
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(unavailable(path, e.to_string())),
    };
    let mut header = Vec::with_capacity(16);
    file.by_ref().take(16).read_to_end(&mut header).map_err(|e| unavailable(path, e.to_string()))?;
    if header.is_empty() || header == SQLITE_HEADER {
        Ok(())
    } else {
        Err(Error::CacheCorrupt {
            path: path.to_owned(),
            detail: "the file does not start with an SQLite header".to_owned(),
        })
    }
}

fn check_integrity(conn: &Connection, path: &Path) -> Result<()> {
    let verdict: String =
        conn.pragma_query_value(None, "quick_check", |row| row.get(0)).map_err(|e| classify(path, e))?;
    if verdict == "ok" { Ok(()) } else { Err(Error::CacheCorrupt { path: path.to_owned(), detail: verdict }) }
}

/// Sorts SQLite's failures at open time into "damaged" and "cannot be reached".
fn classify(path: &Path, error: rusqlite::Error) -> Error {
    match error.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => {
            Error::CacheCorrupt { path: path.to_owned(), detail: error.to_string() }
        }
        Some(
            ErrorCode::CannotOpen
            | ErrorCode::PermissionDenied
            | ErrorCode::ReadOnly
            | ErrorCode::SystemIoFailure
            | ErrorCode::DatabaseBusy
            | ErrorCode::DatabaseLocked,
        ) => unavailable(path, error.to_string()),
        _ => Error::Storage(error),
    }
}

fn unavailable(path: &Path, detail: String) -> Error {
    Error::CacheUnavailable { path: path.to_owned(), detail }
}

fn now() -> i64 {
    UnixMillis::now().0
}
