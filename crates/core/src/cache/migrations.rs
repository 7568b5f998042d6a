//! The cache's schema history. Append only: a released migration is never edited.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension};
use rusqlite_migration::{M, Migrations};

use crate::error::{Error, Result};

const STEPS: &[&str] = &[
    include_str!("../../migrations/001_client_files.sql"),
    include_str!("../../migrations/002_xpm_links_and_audit.sql"),
    include_str!("../../migrations/003_token_sets.sql"),
    include_str!("../../migrations/004_xpm_client_details.sql"),
    include_str!("../../migrations/005_client_settings.sql"),
    include_str!("../../migrations/006_reports.sql"),
    include_str!("../../migrations/007_partial_link_indexes.sql"),
    include_str!("../../migrations/008_cache_id_and_unique_ids.sql"),
    include_str!("../../migrations/009_xero_egress.sql"),
    include_str!("../../migrations/010_xero_users_changes.sql"),
    include_str!("../../migrations/011_audit_actor.sql"),
    include_str!("../../migrations/012_client_packs.sql"),
];

/// The steps as `rusqlite_migration` runs them, for tests that build a cache of an older version
/// (opening a cache runs [`to_latest`]). Every migration ends with `PRAGMA foreign_key_check`: one that rebuilds a table (as 008 does)
/// runs with foreign keys off, and must leave no row pointing nowhere.
pub fn migrations() -> Migrations<'static> {
    Migrations::new(STEPS.iter().map(|sql| M::up(sql).foreign_key_check()).collect())
}

/// The schema version this build writes (SQLite's `user_version` after all migrations).
pub const LATEST_VERSION: i64 = STEPS.len() as i64;

/// Brings the cache at `path` to [`LATEST_VERSION`] in one IMMEDIATE transaction that also reads
/// `user_version`: two processes opening a fresh cache at once then migrate one after the other,
/// the second finding nothing left to do (reading the version before taking the write lock,
/// both would run the first migration and the second would fail on "table already exists").
pub(super) fn to_latest(conn: &mut Connection, path: &Path) -> Result<()> {
    let sql_error = |e: rusqlite::Error| super::classify(path, e);
    let tx = super::write_transaction(conn).map_err(sql_error)?;
    let found: i64 = tx.pragma_query_value(None, "user_version", |row| row.get(0)).map_err(sql_error)?;
    if found > LATEST_VERSION {
        return Err(Error::CacheTooNew { path: path.to_owned(), found, supported: LATEST_VERSION });
    }
    if found == LATEST_VERSION {
        return Ok(());
    }
    for (index, step) in STEPS.iter().enumerate().skip(found as usize) {
        tx.execute_batch(step).map_err(sql_error)?;
        let dangling: Option<String> =
            tx.query_row("PRAGMA foreign_key_check", [], |row| row.get(0)).optional().map_err(sql_error)?;
        if let Some(table) = dangling {
            return Err(Error::CacheCorrupt {
                path: path.to_owned(),
                detail: format!("migration {} left a row of {table} pointing nowhere", index + 1),
            });
        }
    }
    tx.pragma_update(None, "user_version", LATEST_VERSION).map_err(sql_error)?;
    tx.commit().map_err(sql_error)
}
