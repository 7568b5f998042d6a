//! Talking to Xero: where it is (config), signing in (OAuth 2 with PKCE over a loopback redirect),
//! and keeping token sets fresh (token vault).

pub mod api;
pub mod app_settings;
pub mod body_cap;
pub mod config;
pub mod connect_file;
pub mod context;
pub mod egress;
pub mod http;
pub mod loopback;
pub mod rate_limit;
pub mod reconnect_queue;
pub mod retire;
mod session;
pub mod sign_in;
pub mod sync;
pub mod tier;
pub mod tier_usage;
pub mod token_entries;
pub mod token_http;
pub mod token_vault;

/// Remote text (error descriptions and details) is untrusted: keep at most `max` characters and
/// no control characters before it reaches a message a person reads.
pub(crate) fn printable(text: &str, max: usize) -> String {
    text.chars().filter(|c| !c.is_control()).take(max).collect()
}
