//! Access: who can reach a client's Xero organisation (user access) and every client file one
//! person can reach (staff access, with its CSV report). The lists come from Xero's `Users`
//! endpoint ([`fetch`]) and are cached for offline review (`cache::xero_users`).

pub mod email;
pub mod fetch;
mod session;
pub mod staff_csv;
pub mod users;
