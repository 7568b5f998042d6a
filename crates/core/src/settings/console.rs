//! The client-facing console of one client file: whether it is on, what the client may see, how
//! often the client is reminded; and the client's people who use it. Stored by `cache::console`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::model::{FileId, UnixMillis};

type IpcResult<T> = std::result::Result<T, crate::error::ErrorPayload>;

/// How often the console reminds the client of what is outstanding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReminderCadence {
    Never,
    Weekly,
    Fortnightly,
    Monthly,
}

impl ReminderCadence {
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

/// One client's console settings. A file that never had any gets [`ConsoleSettings::default`]:
/// console off, nothing shown, no reminders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ConsoleSettings {
    pub enabled: bool,
    pub show_reports: bool,
    pub show_documents: bool,
    pub show_tasks: bool,
    pub reminder_cadence: ReminderCadence,
}

impl Default for ConsoleSettings {
    fn default() -> Self {
        ConsoleSettings {
            enabled: false,
            show_reports: false,
            show_documents: false,
            show_tasks: false,
            reminder_cadence: ReminderCadence::Never,
        }
    }
}

impl ConsoleSettings {
    /// Settings that make sense together, or a sentence saying what to change.
    pub fn validate(&self) -> Result<()> {
        let shows_something = self.show_reports || self.show_documents || self.show_tasks;
        if self.enabled && !shows_something {
            return Err(Error::InvalidInput(
                "A console that is on must show the client something: choose reports, documents or tasks.".to_owned(),
            ));
        }
        if !self.enabled && self.reminder_cadence != ReminderCadence::Never {
            return Err(Error::InvalidInput(
                "Reminders point the client to the console: switch the console on, or set reminders to Never."
                    .to_owned(),
            ));
        }
        Ok(())
    }

    /// One line for the audit log.
    pub fn summary(&self) -> String {
        let shown: Vec<&str> =
            [(self.show_reports, "reports"), (self.show_documents, "documents"), (self.show_tasks, "tasks")]
                .into_iter()
                .filter_map(|(on, what)| on.then_some(what))
                .collect();
        format!(
            "{}; shows {}; reminders {}",
            if self.enabled { "on" } else { "off" },
            if shown.is_empty() { "nothing".to_owned() } else { shown.join(", ") },
            self.reminder_cadence.code()
        )
    }
}

/// What a client's person may do in the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ConsoleRole {
    /// Sees everything the console shows and answers requests.
    Owner,
    /// Uploads documents and answers requests.
    Contributor,
    /// Only reads.
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
