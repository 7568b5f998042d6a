//! Xero Practice Manager: the practice connects its XPM once (same Xero sign-in,
//! `practicemanager` scopes, the `PRACTICEMANAGER` tenant); its clients are cached from XPM's
//! v3.1 XML, refreshed incrementally, linked to client files by staff (audited), and suggested
//! for files with no link. Nothing here links anything without a person confirming.

pub mod api;
pub mod links;
pub mod refresh;
pub mod session;
pub mod suggest;
pub mod xml;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An XPM client as cached, with everything the link pop-up and the suggestions use.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub struct XpmClientRecord {
    pub uuid: String,
    pub name: String,
    pub email: Option<String>,
    /// As XPM shows it: masked except the last three digits (`******123`).
    pub tax_number: Option<String>,
    pub client_code: Option<String>,
    pub prospect: bool,
    pub archived: bool,
    pub deleted: bool,
    /// The client's page in XPM, as XPM returns it.
    pub web_url: Option<String>,
}

/// The scopes an XPM connect asks for: identity, a refresh token, and XPM's clients (read only).
pub const XPM_SCOPES: &[&str] = &["openid", "profile", "email", "offline_access", "practicemanager.client.read"];
