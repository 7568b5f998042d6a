//! Switchboard's core: the client-file model, the SQLite cache and the exports built on it.
//!
//! Every front end (the Tauri shell, the `switchboard` CLI, tests) calls into this crate; none
//! of them holds behaviour of its own. The crate has no Tauri dependency on purpose.
//!
//! One folder per feature, each with its part of the [`Session`] API:
//! - `clients/`: the Client Connections list, a client's details, links, adding, importing,
//!   merging, deleting, and the list as CSV;
//! - `xero/`: the Xero connection (sign-in, tokens, rate limits, connect, sync, egress);
//! - `xpm/`: Xero Practice Manager (its clients, links, suggestions);
//! - `reports/`: client reports and insights;
//! - `access/`: user access and staff access;
//! - `settings/`: the Xero app, the Client Console, clean up, practice history;
//! - `client_packs/`: what the Client Console sends its users by email;
//! - `startup/`: recovering when the cache cannot be opened; `cache/`: the SQLite cache itself.
//!
//! Shared: `session` (the struct), `exports` (CSV files), `browser` (the system browser and the
//! link allowlist), `model`, `error`, `paths`, `credential_store`, `secret`, `updates`.

pub mod access;
pub mod bindings;
pub mod browser;
pub mod cache;
pub mod client_packs;
pub mod clients;
pub mod credential_store;
pub mod error;
pub mod exports;
pub mod fixtures;
pub mod model;
pub mod paths;
mod private_files;
pub mod reports;
pub mod run_mode;
pub mod secret;
pub mod session;
pub mod settings;
pub mod startup;
pub mod updates;
pub mod xero;
pub mod xpm;

#[cfg(test)]
mod extreme_numbers_proptest;

pub use cache::Cache;
pub use error::{Error, ErrorKind, ErrorPayload};
pub use session::Session;
