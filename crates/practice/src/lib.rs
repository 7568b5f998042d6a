//! Practice mode's database: the practice's shared client list in PostgreSQL (issue 24).
//!
//! Staff are PostgreSQL login roles; which client files each may see and change is decided by the
//! database itself, with row-level security driven by their access grants (see
//! `migrations/V1__practice_schema.sql`), so a staff member's desktop cannot reach another file
//! even with raw SQL. This crate creates and migrates that database ([`init`]), connects to it
//! as a staff member or its owner ([`PracticeDb`]), and carries the operations on staff, access
//! and client files.
//!
//! Modules: `connect` (URL, TLS, pool), `schema` (migrations, version check), `staff` (staff and
//! access, admin only), `requests` (access requests), `files` (client files and their rows),
//! `move_in` (a Solo cache into a new practice database), `sync_host` (the one machine holding
//! the Xero token sets: its key, its lock, a run), `handover` (token sets from desktops to the sync
//! host, encrypted), `sync_requests`, `password`, `error`.

mod connect;
mod error;
mod files;
pub mod handover;
mod move_in;
mod password;
mod requests;
mod schema;
mod staff;
pub mod sync_host;
mod sync_requests;

pub use connect::{PracticeDb, Server};
pub use error::{Error, Result};
pub use files::{AuditEntry, ClientFile, ConsoleSettings, ConsoleUser, FileName, XpmLink};
pub use move_in::{MoveInReport, TokenSetLeft, summary as move_in_summary};
pub use password::Password;
pub use requests::{AccessRequest, RequestState};
pub use schema::{InitReport, LATEST_VERSION, init};
pub use staff::{AccessMode, FileGrant, NewStaff, Staff, role_from_email};
pub use sync_requests::{Progress, SYNC_CHANNEL, SyncRequest, SyncState};

/// The key of a staff member's password in their OS credential store.
pub fn credential_key(server: &Server, role: &str) -> String {
    format!("practice/{}/{role}/password", server.host_port())
}
