//! Settings: the practice's Xero app ([`xero_app`]), a client's Client Console ([`console`]),
//! Clean up ([`cleanup`]) and the practice's history of changes ([`practice_history`]).

pub mod cleanup;
pub mod console;
pub mod practice_history;
pub mod xero_app;
