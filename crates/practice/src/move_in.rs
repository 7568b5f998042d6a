//! Moving a Solo cache into a new practice database (issue 24): its client files, XPM links,
//! Client Console settings and users, the Xero users of each file and the audit log, in one
//! transaction: all of it or, on any failure, nothing.
//!
//! The cache is read through the core's own API (never written: an older cache is only migrated,
//! as the app would on its next start). The practice database must have no client files yet.
//! Run as the database's owner: only the owner may turn off the audit triggers for the move, so
//! that moved entries keep the time and actor Solo mode recorded (the audit log otherwise stamps
//! every row with the role that wrote it and the time of writing), and so that moving 10,000 files
//! does not log 10,000 inserts: one entry says who moved the cache in instead.
//!
//! The Solo cache's token sets are not moved: handing a token set to the sync host (encrypted to
//! its key) is not built yet. The report lists them so they can be connected again.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use chrono::{DateTime, Utc};
use switchboard_core::Cache;
use switchboard_core::cache::TokenSetId;
use switchboard_core::model::FileId;
use tokio_postgres::Transaction;
use tokio_postgres::binary_copy::BinaryCopyInWriter;
use tokio_postgres::types::{ToSql, Type};

use crate::connect::PracticeDb;
use crate::error::{Error, Result, from_db};

/// The tables whose per-row audit trigger is off during the move (one entry sums it up).
const AUDITED_TABLES: &[&str] = &["client_files", "xpm_links", "console_settings", "console_users", "xero_users"];

/// What a move-in moved, and what it left.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MoveInReport {
    pub files: u64,
    pub xpm_links: u64,
    /// Files whose console settings differ from Solo's defaults (console off, nothing sent).
    pub console_settings: u64,
    pub console_users: u64,
    pub xero_users: u64,
    /// Xero users without a usable email, or a second user of one file with the same email: the
    /// practice keys Xero users by email, so these are not moved.
    pub xero_users_skipped: u64,
    pub audit_entries: u64,
    /// The Solo cache's token sets, none of them moved.
    pub token_sets_left: Vec<TokenSetLeft>,
}

/// A token set of the Solo cache that was not moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenSetLeft {
    pub id: i64,
    /// The Xero user who consented, when Xero said.
    pub xero_user_id: Option<String>,
    /// The practice's XPM connection uses it.
    pub xpm: bool,
    /// The files it reaches, by name.
    pub files: Vec<String>,
}

/// An audit entry's time, actor, practice file id and file name, as written.
type AuditStamp<'a> = (DateTime<Utc>, &'a str, Option<i64>, Option<&'a str>);

/// What is read from the Solo cache, before anything is written.
#[derive(Default)]
struct Solo {
    files: Vec<SoloFile>,
    audit: Vec<switchboard_core::cache::AuditEntry>,
    token_sets: Vec<TokenSetLeft>,
    xero_users_skipped: u64,
}

struct SoloFile {
    id: FileId,
    name: String,
    software: String,
    tenant: Option<String>,
    xpm: Option<(String, String)>,
    console: Option<switchboard_core::settings::console::ConsoleSettings>,
    console_users: Vec<(String, String, String)>,
    xero_emails: Vec<String>,
}

impl PracticeDb {
    /// Moves the Solo cache at `cache_path` into this practice database, which must have no client
    /// files yet, in one transaction. For the database's owner only.
    pub async fn move_in(&self, cache_path: &Path) -> Result<MoveInReport> {
        let path = cache_path.to_owned();
        // The cache is SQLite: read it off the async runtime.
        let solo = tokio::task::spawn_blocking(move || read_solo(&path))
            .await
            .map_err(|e| Error::Database(format!("reading the Solo cache stopped: {e}")))??;
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(from_db)?;
        let report = write(&tx, &solo).await?;
        tx.commit().await.map_err(from_db)?;
        Ok(report)
    }
}

fn read_solo(path: &Path) -> Result<Solo> {
    // Cache::open creates a cache that is missing: a mistyped path would move in nothing.
    if !path.is_file() {
        return Err(Error::NotFound(format!("there is no Solo cache at {}", path.display())));
    }
    let core = |e: switchboard_core::Error| Error::SoloCache(e.to_string());
    let cache = Cache::open(path).map_err(core)?;
    let mut solo = Solo { audit: cache.all_audit_entries().map_err(core)?, ..Solo::default() };
    // Oldest first, so the practice's ids keep the order of events.
    solo.audit.reverse();
    let mut sets: BTreeMap<TokenSetId, TokenSetLeft> = BTreeMap::new();
    let default_console = switchboard_core::settings::console::ConsoleSettings::default();
    for file in cache.list_files().map_err(core)? {
        let console = cache.console_settings(file.id).map_err(core)?;
        let console_users = cache
            .console_users(file.id)
            .map_err(core)?
            .into_iter()
            .map(|u| (u.name, u.email, u.role.code().to_owned()))
            .collect();
        // One row per email (the practice's key): Xero may list two users with one address.
        let mut seen = HashSet::new();
        let mut xero_emails = Vec::new();
        for user in cache.user_access(file.id).map_err(core)?.users {
            let email = user.email.trim().to_owned();
            if email.find('@').is_some_and(|at| at > 0) && seen.insert(email.to_lowercase()) {
                xero_emails.push(email);
            } else {
                solo.xero_users_skipped += 1;
            }
        }
        if let Some(set) = cache.token_set_of(file.id).map_err(core)? {
            sets.entry(set.id)
                .or_insert_with(|| TokenSetLeft {
                    id: set.id.0,
                    xero_user_id: set.xero_user_id,
                    xpm: false,
                    files: vec![],
                })
                .files
                .push(file.display_name.clone());
        }
        solo.files.push(SoloFile {
            id: file.id,
            software: file.software.code().to_owned(),
            tenant: file.xero.map(|x| x.tenant_id),
            xpm: file.xpm.map(|x| (x.uuid, x.name)),
            console: (console != default_console).then_some(console),
            console_users,
            xero_emails,
            name: file.display_name,
        });
    }
    let xpm_set = switchboard_core::xpm::refresh::xpm_token_set(&cache).map_err(core)?;
    if let Some(id) = xpm_set {
        let info = cache.token_set(id).ok();
        sets.entry(id)
            .or_insert_with(|| TokenSetLeft {
                id: id.0,
                xero_user_id: info.and_then(|i| i.xero_user_id),
                xpm: true,
                files: vec![],
            })
            .xpm = true;
    }
    solo.token_sets = sets.into_values().collect();
    Ok(solo)
}

async fn write(tx: &Transaction<'_>, solo: &Solo) -> Result<MoveInReport> {
    let role: String = tx.query_one("SELECT session_user::text", &[]).await.map_err(from_db)?.get(0);
    let owner: bool = tx
        .query_one(
            "SELECT session_user = practice_owner() OR (SELECT rolsuper FROM pg_roles WHERE rolname = session_user)",
            &[],
        )
        .await
        .map_err(from_db)?
        .get(0);
    if !owner {
        return Err(Error::NotAllowed(format!(
            "moving a Solo cache in is for the practice database's owner (who ran `switchboard practice init`), not {role}"
        )));
    }
    // Turning the triggers off locks these tables against other writers until the commit (which
    // turns them on again first), so the check for files below cannot race another move-in.
    for table in AUDITED_TABLES {
        tx.batch_execute(&format!("ALTER TABLE {table} DISABLE TRIGGER audit")).await.map_err(from_db)?;
    }
    tx.batch_execute("ALTER TABLE audit_log DISABLE TRIGGER stamp").await.map_err(from_db)?;
    let existing: i64 = tx.query_one("SELECT count(*) FROM client_files", &[]).await.map_err(from_db)?.get(0);
    if existing > 0 {
        return Err(Error::Invalid(format!(
            "the practice database already has {existing} client files: a Solo cache moves only into a new practice database, so nothing was moved"
        )));
    }

    // The practice's ids for the files, from the table's own identity sequence (COPY writes the
    // id given).
    let count = solo.files.len() as i64;
    let ids: Vec<i64> = tx
        .query(
            "SELECT nextval(pg_get_serial_sequence('client_files', 'id')) FROM generate_series(1, $1::bigint)",
            &[&count],
        )
        .await
        .map_err(from_db)?
        .iter()
        .map(|row| row.get(0))
        .collect();
    let id_of: HashMap<FileId, i64> = solo.files.iter().map(|f| f.id).zip(ids.iter().copied()).collect();
    let mut report = MoveInReport { xero_users_skipped: solo.xero_users_skipped, ..MoveInReport::default() };

    let mut rows: Vec<Vec<&(dyn ToSql + Sync)>> = Vec::with_capacity(solo.files.len());
    for (file, id) in solo.files.iter().zip(&ids) {
        rows.push(vec![id, &file.name, &file.software, &file.tenant]);
    }
    report.files = copy(tx, "client_files (id, display_name, software, xero_tenant_id)", TYPES_FILES, &rows).await?;

    rows.clear();
    for (file, id) in solo.files.iter().zip(&ids) {
        if let Some((uuid, name)) = &file.xpm {
            rows.push(vec![id, uuid, name]);
        }
    }
    report.xpm_links = copy(tx, "xpm_links (file_id, xpm_client_uuid, xpm_client_name)", TYPES_LINKS, &rows).await?;

    // Solo's "key reports" and "what to act on" are the practice's reports and tasks; Solo has
    // no documents in its packs, so none are turned on.
    let consoles: Vec<(i64, bool, bool, bool, &str)> = solo
        .files
        .iter()
        .zip(&ids)
        .filter_map(|(file, id)| {
            file.console.map(|c| (*id, c.enabled, c.key_reports, c.action_items, c.cadence.code()))
        })
        .collect();
    rows.clear();
    for c in &consoles {
        rows.push(vec![&c.0, &c.1, &c.2, &c.3, &c.4]);
    }
    report.console_settings =
        copy(tx, "console_settings (file_id, enabled, key_reports, action_items, cadence)", TYPES_CONSOLE, &rows)
            .await?;

    rows.clear();
    for (file, id) in solo.files.iter().zip(&ids) {
        for (name, email, role) in &file.console_users {
            rows.push(vec![id, name, email, role]);
        }
    }
    report.console_users = copy(tx, "console_users (file_id, name, email, role)", TYPES_USERS, &rows).await?;

    rows.clear();
    for (file, id) in solo.files.iter().zip(&ids) {
        for email in &file.xero_emails {
            rows.push(vec![id, email]);
        }
    }
    report.xero_users = copy(tx, "xero_users (file_id, email)", TYPES_XERO, &rows).await?;

    // The history as Solo recorded it. An entry of a file no longer in the cache keeps its file's
    // name but no id (a practice id is only ever a file that moved in); like the practice's own
    // entries, those are then for admins only.
    let audit: Vec<AuditStamp<'_>> = solo
        .audit
        .iter()
        .map(|e| {
            let at = DateTime::from_timestamp_millis(e.at.0).unwrap_or_default();
            let actor = e.actor.as_deref().unwrap_or("unknown (Solo mode, before the log kept it)");
            let file = e.file_id.and_then(|f| id_of.get(&f).copied());
            let name = Some(e.file_name.as_str()).filter(|n| !n.is_empty());
            (at, actor, file, name)
        })
        .collect();
    rows.clear();
    for (entry, (at, actor, file, name)) in solo.audit.iter().zip(&audit) {
        rows.push(vec![at, actor, file, name, &entry.action, &entry.old_value, &entry.new_value]);
    }
    report.audit_entries =
        copy(tx, "audit_log (at, actor, file_id, file_name, action, old_value, new_value)", TYPES_AUDIT, &rows).await?;
    drop(rows);

    for table in AUDITED_TABLES {
        tx.batch_execute(&format!("ALTER TABLE {table} ENABLE TRIGGER audit")).await.map_err(from_db)?;
    }
    tx.batch_execute("ALTER TABLE audit_log ENABLE TRIGGER stamp").await.map_err(from_db)?;
    report.token_sets_left = solo.token_sets.clone();
    // Stamped as usual: the owner, now.
    let summary = format!("by {role}: {}", summary(&report));
    tx.execute("SELECT practice_audit(NULL, 'moved in from a Solo cache', NULL, $1)", &[&summary])
        .await
        .map_err(from_db)?;
    Ok(report)
}

/// The counts, as one line (the audit entry's and the command's).
pub fn summary(report: &MoveInReport) -> String {
    format!(
        "{} client files, {} XPM links, {} console settings, {} console users, {} Xero users, {} audit entries; {} token sets not moved",
        report.files,
        report.xpm_links,
        report.console_settings,
        report.console_users,
        report.xero_users,
        report.audit_entries,
        report.token_sets_left.len()
    )
}

const TYPES_FILES: &[Type] = &[Type::INT8, Type::TEXT, Type::TEXT, Type::TEXT];
const TYPES_LINKS: &[Type] = &[Type::INT8, Type::TEXT, Type::TEXT];
const TYPES_CONSOLE: &[Type] = &[Type::INT8, Type::BOOL, Type::BOOL, Type::BOOL, Type::TEXT];
const TYPES_USERS: &[Type] = &[Type::INT8, Type::TEXT, Type::TEXT, Type::TEXT];
const TYPES_XERO: &[Type] = &[Type::INT8, Type::TEXT];
const TYPES_AUDIT: &[Type] =
    &[Type::TIMESTAMPTZ, Type::TEXT, Type::INT8, Type::TEXT, Type::TEXT, Type::TEXT, Type::TEXT];

/// Writes the rows with one binary COPY; returns how many.
async fn copy(
    tx: &Transaction<'_>,
    table_and_columns: &str,
    types: &[Type],
    rows: &[Vec<&(dyn ToSql + Sync)>],
) -> Result<u64> {
    if rows.is_empty() {
        return Ok(0);
    }
    let sink = tx.copy_in(&format!("COPY {table_and_columns} FROM STDIN (FORMAT binary)")).await.map_err(refused)?;
    let writer = BinaryCopyInWriter::new(sink, types);
    tokio::pin!(writer);
    for row in rows {
        writer.as_mut().write(row).await.map_err(refused)?;
    }
    writer.finish().await.map_err(refused)
}

/// A row the practice database refuses (a constraint) says which and why, and that nothing moved.
fn refused(error: tokio_postgres::Error) -> Error {
    match error.as_db_error() {
        Some(db) if db.code().code().starts_with("23") => Error::Invalid(format!(
            "the practice database refused a row of the Solo cache, so nothing was moved: {}{}",
            db.message(),
            db.detail().map(|d| format!(" ({d})")).unwrap_or_default()
        )),
        _ => from_db(error),
    }
}
