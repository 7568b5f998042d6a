//! The client-facing console of one client file: whether its people get a client pack, what the
//! pack holds, how often it is sent; and the client's people who get it. Stored by
//! `cache::console`; the pack itself is `client_packs`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::model::{FileId, UnixMillis};

type IpcResult<T> = std::result::Result<T, crate::error::ErrorPayload>;

/// How often the file's console users get the client pack by email (during `switchboard sync`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PackCadence {
    Never,
    Weekly,
    Fortnightly,
    /// The first sync of each calendar month.
    Monthly,
}

impl PackCadence {
    pub fn code(self) -> &'static str {
        match self {
            Self::Never => "never",
            Self::Weekly => "weekly",
            Self::Fortnightly => "fortnightly",
            Self::Monthly => "monthly",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "never" => Self::Never,
            "weekly" => Self::Weekly,
            "fortnightly" => Self::Fortnightly,
            "monthly" => Self::Monthly,
            _ => return None,
        })
    }
}

/// One client's console settings: whether its people get a client pack, what the pack holds, and
/// how often it is sent. A file that never had any gets [`ConsoleSettings::default`]: off, empty,
/// never sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ConsoleSettings {
    pub enabled: bool,
    /// The client's key figures from the cached reports.
    pub key_reports: bool,
    /// What the client can act on (reconnect Xero, payroll not reachable, reports not allowed).
    pub action_items: bool,
    pub cadence: PackCadence,
}

impl Default for ConsoleSettings {
    fn default() -> Self {
        ConsoleSettings { enabled: false, key_reports: false, action_items: false, cadence: PackCadence::Never }
    }
}

impl ConsoleSettings {
    /// Settings that make sense together, or a sentence saying what to change.
    pub fn validate(&self) -> Result<()> {
        if self.enabled && !self.key_reports && !self.action_items {
            return Err(Error::InvalidInput(
                "A console that is on sends the client a pack: choose key reports, what to act on, or both.".to_owned(),
            ));
        }
        if !self.enabled && self.cadence != PackCadence::Never {
            return Err(Error::InvalidInput(
                "Packs go only to a console that is on: switch the console on, or set sending to Never.".to_owned(),
            ));
        }
        Ok(())
    }

    /// One line for the audit log.
    pub fn summary(&self) -> String {
        let held: Vec<&str> = [(self.key_reports, "key reports"), (self.action_items, "what to act on")]
            .into_iter()
            .filter_map(|(on, what)| on.then_some(what))
            .collect();
        format!(
            "{}; pack holds {}; sent {}",
            if self.enabled { "on" } else { "off" },
            if held.is_empty() { "nothing".to_owned() } else { held.join(" and ") },
            self.cadence.code()
        )
    }
}

/// What a client's person may do in the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ConsoleRole {
    /// Gets everything the pack holds.
    Owner,
    /// Gets everything the pack holds.
    Contributor,
    /// Gets the key reports only, never what to act on.
    Viewer,
}

impl ConsoleRole {
    pub fn code(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Contributor => "contributor",
            Self::Viewer => "viewer",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "owner" => Self::Owner,
            "contributor" => Self::Contributor,
            "viewer" => Self::Viewer,
            _ => return None,
        })
    }

    /// Whether this person's pack holds what the client can act on (a viewer only reads).
    pub fn gets_action_items(self) -> bool {
        self != Self::Viewer
    }
}

/// A person of the client who uses the console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ConsoleUser {
    #[ts(type = "number")]
    pub id: i64,
    pub file_id: FileId,
    pub name: String,
    pub email: String,
    pub role: ConsoleRole,
    pub updated_at: UnixMillis,
}

impl ConsoleUser {
    /// `Name <email>`, as the audit log and the sync's summary name the person.
    pub fn mailbox(&self) -> String {
        format!("{} <{}>", self.name, self.email)
    }
}

/// A console user as typed in the dialog (new, or the new values of an existing one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ConsoleUserDraft {
    pub name: String,
    pub email: String,
    pub role: ConsoleRole,
}

impl ConsoleUserDraft {
    /// Trimmed and checked: a person's name (1-100 characters, no control characters) and a
    /// valid email.
    pub fn validated(&self) -> Result<ConsoleUserDraft> {
        let name = self.name.trim();
        let length = name.chars().count();
        if length == 0 {
            return Err(Error::InvalidInput("A console user needs a name.".to_owned()));
        }
        if length > 100 {
            return Err(Error::InvalidInput(format!("A name can be at most 100 characters; this one has {length}.")));
        }
        if name.chars().any(char::is_control) {
            return Err(Error::InvalidInput(
                "A name cannot contain control characters such as line breaks or tabs.".to_owned(),
            ));
        }
        Ok(ConsoleUserDraft {
            name: name.to_owned(),
            email: crate::access::email::validate_email(&self.email)?,
            role: self.role,
        })
    }
}

impl crate::session::Session {
    pub fn console_settings(&self, id: FileId) -> IpcResult<ConsoleSettings> {
        Ok(self.cache()?.console_settings(id)?)
    }

    pub fn save_console_settings(&self, id: FileId, settings: &ConsoleSettings) -> IpcResult<ConsoleSettings> {
        Ok(self.cache()?.save_console_settings(id, settings)?)
    }

    pub fn console_users(&self, id: FileId) -> IpcResult<Vec<ConsoleUser>> {
        Ok(self.cache()?.console_users(id)?)
    }

    pub fn add_console_user(&self, id: FileId, user: &ConsoleUserDraft) -> IpcResult<Vec<ConsoleUser>> {
        let mut cache = self.cache()?;
        cache.add_console_user(id, user)?;
        Ok(cache.console_users(id)?)
    }

    pub fn update_console_user(
        &self,
        id: FileId,
        user_id: i64,
        user: &ConsoleUserDraft,
    ) -> IpcResult<Vec<ConsoleUser>> {
        let mut cache = self.cache()?;
        cache.update_console_user(id, user_id, user)?;
        Ok(cache.console_users(id)?)
    }

    pub fn remove_console_user(&self, id: FileId, user_id: i64) -> IpcResult<Vec<ConsoleUser>> {
        let mut cache = self.cache()?;
        cache.remove_console_user(id, user_id)?;
        Ok(cache.console_users(id)?)
    }
}
