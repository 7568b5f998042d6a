//! Who can reach a client's Xero organisation (Xero's `Users` endpoint, cached for offline
//! review), and the practice-wide reverse view: every client file one person can reach. Fetched
//! by [`super::fetch`], stored by `cache::xero_users`.

use serde::Serialize;
use ts_rs::TS;

use crate::model::{FileId, UnixMillis};

/// One user of a Xero organisation, as Xero listed them (remote text: shown as text only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct XeroUser {
    pub user_id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// Xero's `OrganisationRole` (`ADMIN`, `STANDARD`, `FINANCIALADVISER`, ...), kept as sent.
    pub role: String,
    /// The person who pays for the organisation's subscription.
    pub is_subscriber: bool,
}

impl XeroUser {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name).trim().to_owned()
    }
}

/// A file's users as last fetched from Xero.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct UserAccess {
    pub file_id: FileId,
    pub users: Vec<XeroUser>,
    /// When the list was fetched; `None`: never (the list is then empty).
    pub fetched_at: Option<UnixMillis>,
    /// Where the users are managed in Xero, when the organisation's short code is known.
    pub manage_url: Option<String>,
}

/// One client file a person can reach, as of that file's last fetch of its users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct StaffAccessRow {
    pub file_id: FileId,
    pub display_name: String,
    pub user_name: String,
    pub role: String,
    pub is_subscriber: bool,
    pub fetched_at: UnixMillis,
}

/// "Who can see what": every client file one email reaches in Xero.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct StaffAccess {
    pub email: String,
    pub files: Vec<StaffAccessRow>,
    /// Files whose users were never fetched: the report cannot speak for them.
    pub files_never_checked: u32,
}
