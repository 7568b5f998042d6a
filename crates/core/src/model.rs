//! The client file: one row of the Client Connections screen, with every column it shows.
//!
//! Values that come from remote systems (software names, reasons a service is unavailable) are
//! *open* enums: a value this version does not know is kept in an `Other` variant, never an error,
//! so a newer Xero or a newer Switchboard writing the cache cannot break an older reader.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Milliseconds since the Unix epoch, UTC. (A plain number in TypeScript, not a bigint.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(transparent)]
#[ts(type = "number")]
pub struct UnixMillis(pub i64);

impl UnixMillis {
    pub fn now() -> Self {
        let since_epoch = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        UnixMillis(since_epoch.as_millis() as i64)
    }

    /// `2026-11-25T19:30:00Z`, for exports and people.
    pub fn to_rfc3339(self) -> String {
        chrono::DateTime::from_timestamp_millis(self.0)
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .unwrap_or_else(|| format!("{} ms", self.0))
    }
}

/// The local id of a client file in the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(transparent)]
#[ts(type = "number")]
pub struct FileId(pub i64);

/// The software that syncs a client file's books.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum AccountingSoftware {
    Xero,
    QuickbooksOnline,
    Myob,
    /// The practice keeps the file but no software syncs it.
    None,
    /// Any other product, by the name it was given.
    Other(String),
}

impl AccountingSoftware {
    pub fn code(&self) -> &str {
        match self {
            Self::Xero => "xero",
            Self::QuickbooksOnline => "quickbooks_online",
            Self::Myob => "myob",
            Self::None => "none",
            Self::Other(name) => name,
        }
    }

    pub fn from_code(code: &str) -> Self {
        match code {
            "xero" => Self::Xero,
            "quickbooks_online" => Self::QuickbooksOnline,
            "myob" => Self::Myob,
            "none" => Self::None,
            other => Self::Other(other.to_owned()),
        }
    }

    /// The name a person reads.
    pub fn label(&self) -> &str {
        match self {
            Self::Xero => "Xero",
            Self::QuickbooksOnline => "QuickBooks Online",
            Self::Myob => "MYOB",
            Self::None => "None",
            Self::Other(name) => name,
        }
    }
}

/// Whether the file's accounting software connection works, as of the last *good* sync.
///
/// A failed sync attempt does not replace this: the row keeps its last good status and the
/// failure is carried beside it in [`SyncRecord::last_error`], so staff still see what worked.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ConnectionState {
    Connected,
    /// Never connected, or synced by other software.
    NotConnected,
    /// The token set expired or was revoked, or scopes are missing: a person must consent again.
    NeedsReconnect {
        reason: String,
    },
    /// The tenant is no longer in `/connections`, or was deleted at Xero.
    Disconnected {
        reason: String,
    },
}

impl ConnectionState {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Connected => "connected",
            Self::NotConnected => "not_connected",
            Self::NeedsReconnect { .. } => "needs_reconnect",
            Self::Disconnected { .. } => "disconnected",
        }
    }

    pub fn reason(&self) -> Option<&str> {
        match self {
            Self::NeedsReconnect { reason } | Self::Disconnected { reason } => Some(reason),
            Self::Connected | Self::NotConnected => None,
        }
    }

    /// Rebuilds a state from its stored code; `None` for a code this version never writes.
    pub fn from_parts(code: &str, reason: Option<String>) -> Option<Self> {
        let reason = reason.unwrap_or_default();
        Some(match code {
            "connected" => Self::Connected,
            "not_connected" => Self::NotConnected,
            "needs_reconnect" => Self::NeedsReconnect { reason },
            "disconnected" => Self::Disconnected { reason },
            _ => return None,
        })
    }

    pub fn label(&self) -> &'static str {
        match self {
            Self::Connected => "Connected",
            Self::NotConnected => "Not connected",
            Self::NeedsReconnect { .. } => "Needs reconnect",
            Self::Disconnected { .. } => "Disconnected",
        }
    }
}

/// Whether Payroll (or Fixed Assets) can be reached for a file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ServiceState {
    /// No sync has probed it yet (for example the file was never connected).
    NotChecked,
    Connected,
    Unavailable {
        reason: UnavailableReason,
    },
    /// A staff member switched it off for this file; distinct from "unavailable".
    DisconnectedByStaff,
}

impl ServiceState {
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotChecked => "not_checked",
            Self::Connected => "connected",
            Self::Unavailable { .. } => "unavailable",
            Self::DisconnectedByStaff => "disconnected_by_staff",
        }
    }

    pub fn reason_code(&self) -> Option<&str> {
        match self {
            Self::Unavailable { reason } => Some(reason.code()),
            _ => None,
        }
    }

    pub fn from_parts(code: &str, reason: Option<&str>) -> Option<Self> {
        Some(match code {
            "not_checked" => Self::NotChecked,
            "connected" => Self::Connected,
            "unavailable" => Self::Unavailable { reason: UnavailableReason::from_code(reason.unwrap_or("")) },
            "disconnected_by_staff" => Self::DisconnectedByStaff,
            _ => return None,
        })
    }

    pub fn label(&self) -> String {
        match self {
            Self::NotChecked => "Not checked yet".to_owned(),
            Self::Connected => "Connected".to_owned(),
            Self::Unavailable { reason } => format!("Unavailable: {}", reason.explanation()),
            Self::DisconnectedByStaff => "Disconnected by staff".to_owned(),
        }
    }
}

/// Why a service is unavailable. Xero documents no official "not subscribed" answer, so these
/// are Switchboard's classification of what the probes saw (the status and body of each probe request).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum UnavailableReason {
    /// The organisation has no subscription to the product.
    NotSubscribed,
    /// Subscribed, but the product's setup was never finished.
    NotSetUp,
    /// The consent did not grant the scopes the product needs.
    ScopeNotGranted,
    /// The product answers for another region (e.g. AU payroll asked of a UK organisation).
    WrongRegion,
    /// The product could not be reached.
    NotReachable,
    Other(String),
}

impl UnavailableReason {
    pub fn code(&self) -> &str {
        match self {
            Self::NotSubscribed => "not_subscribed",
            Self::NotSetUp => "not_set_up",
            Self::ScopeNotGranted => "scope_not_granted",
            Self::WrongRegion => "wrong_region",
            Self::NotReachable => "not_reachable",
            Self::Other(text) => text,
        }
    }

    pub fn from_code(code: &str) -> Self {
        match code {
            "not_subscribed" => Self::NotSubscribed,
            "not_set_up" => Self::NotSetUp,
            "scope_not_granted" => Self::ScopeNotGranted,
            "wrong_region" => Self::WrongRegion,
            "not_reachable" => Self::NotReachable,
            other => Self::Other(other.to_owned()),
        }
    }

    pub fn explanation(&self) -> &str {
        match self {
            Self::NotSubscribed => "the organisation is not subscribed",
            Self::NotSetUp => "it has not been set up in Xero",
            Self::ScopeNotGranted => "the connection was not granted access to it",
            Self::WrongRegion => "it is not offered for this organisation's region",
            Self::NotReachable => "it could not be reached",
            Self::Other(text) => text,
        }
    }
}

/// Where the file lives at Xero.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub struct XeroIds {
    /// The `xero-tenant-id`; a file is matched to its organisation by this, never duplicated.
    pub tenant_id: String,
    /// The connection id from `/connections` (what `DELETE /connections/{id}` takes).
    pub connection_id: Option<String>,
    /// The organisation's short code (e.g. `!mBdtL`), used for dashboard deep links.
    pub short_code: Option<String>,
}

/// An XPM client as cached from Xero Practice Manager.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub struct XpmClient {
    pub uuid: String,
    pub name: String,
    /// The page XPM itself returns for the client (`WebUrl`).
    pub web_url: Option<String>,
    pub archived: bool,
    pub deleted: bool,
}

/// When the file was last synced, and how the last attempt went.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub struct SyncRecord {
    pub last_success_at: Option<UnixMillis>,
    pub last_attempt_at: Option<UnixMillis>,
    /// Why the last attempt failed; `None` when it succeeded (or none was made).
    pub last_error: Option<String>,
}

impl SyncRecord {
    /// The last attempt failed, so what the row shows is older than that attempt.
    pub fn last_attempt_failed(&self) -> bool {
        self.last_error.is_some()
    }
}

/// One client file, with everything the cache knows about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ClientFile {
    pub id: FileId,
    /// The name staff see; may have been renamed locally.
    pub display_name: String,
    /// The name the accounting software gives the file, when it has told us.
    pub remote_name: Option<String>,
    pub software: AccountingSoftware,
    pub connection: ConnectionState,
    pub payroll: ServiceState,
    pub fixed_assets: ServiceState,
    pub xero: Option<XeroIds>,
    /// The XPM client this file is linked to.
    pub xpm: Option<XpmClient>,
    pub sync: SyncRecord,
}

/// A client file to write into the cache (a new one, or fresh data for one matched by tenant id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientFileDraft {
    pub display_name: String,
    pub remote_name: Option<String>,
    pub software: AccountingSoftware,
    pub connection: ConnectionState,
    pub payroll: ServiceState,
    pub fixed_assets: ServiceState,
    pub xero: Option<XeroIds>,
    /// Applied when the file is created; links of existing files change only through
    /// [`crate::Cache::link_xpm_client`], which audits the change.
    pub xpm_client_uuid: Option<String>,
    pub sync: SyncRecord,
}

impl ClientFileDraft {
    /// A file with nothing known about it but its name.
    pub fn named(display_name: impl Into<String>) -> Self {
        ClientFileDraft {
            display_name: display_name.into(),
            remote_name: None,
            software: AccountingSoftware::None,
            connection: ConnectionState::NotConnected,
            payroll: ServiceState::NotChecked,
            fixed_assets: ServiceState::NotChecked,
            xero: None,
            xpm_client_uuid: None,
            sync: SyncRecord::default(),
        }
    }
}
