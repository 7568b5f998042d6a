//! Talking to Xero: where it is (config), signing in (OAuth 2 with PKCE over a loopback redirect).

pub mod config;
pub mod loopback;
pub mod sign_in;
