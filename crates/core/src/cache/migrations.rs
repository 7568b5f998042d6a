//! The cache's schema history. Append only: a released migration is never edited.

use rusqlite_migration::{M, Migrations};

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
    include_str!("../../migrations/014_audit_actor.sql"),
];

/// Every migration ends with `PRAGMA foreign_key_check`: one that rebuilds a table (as 008 does)
/// runs with foreign keys off, and must leave no row pointing nowhere.
pub fn migrations() -> Migrations<'static> {
    Migrations::new(STEPS.iter().map(|sql| M::up(sql).foreign_key_check()).collect())
}

/// The schema version this build writes (SQLite's `user_version` after all migrations).
pub const LATEST_VERSION: i64 = STEPS.len() as i64;
