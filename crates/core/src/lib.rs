//! Switchboard's core: the client-file model, the SQLite cache and the exports built on it.
//!
//! Every front end (the Tauri shell, the `switchboard` CLI, tests) calls into this crate; none
//! of them holds behaviour of its own. The crate has no Tauri dependency on purpose.

pub mod bindings;
pub mod browser;
pub mod cache;
pub mod credential_store;
pub mod csv_export;
pub mod error;
pub mod export_files;
pub mod fixtures;
pub mod model;
pub mod name_order;
pub mod paths;
mod private_files;
pub mod reports;
pub mod run_mode;
pub mod secret;
pub mod session;
pub mod table;
pub mod updates;
pub mod work_list;
pub mod xero;
// The Settings menu and one-click links (issue 5).
pub mod cleanup;
pub mod client_actions;
pub mod client_settings;
// Files added by hand or imported from XPM or a CSV list.
pub mod clients;
pub mod dashboard;
pub mod xpm;

#[cfg(test)]
mod extreme_numbers;

pub use cache::Cache;
pub use error::{Error, ErrorKind, ErrorPayload};
pub use session::Session;
