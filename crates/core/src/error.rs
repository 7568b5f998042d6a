//! The core's one error type, and the `{ kind, message }` shape it takes across IPC.

use std::path::PathBuf;

use serde::Serialize;
use ts_rs::TS;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "The local cache at {path} was written by a newer Switchboard (schema version {found}; this version understands up to {supported}). Update Switchboard to open it; the file was left untouched."
    )]
    CacheTooNew { path: PathBuf, found: i64, supported: i64 },

    #[error(
        "The local cache at {path} is damaged or is not a Switchboard cache ({detail}). It was left untouched; you can start a fresh cache beside it and sync again."
    )]
    CacheCorrupt { path: PathBuf, detail: String },

    #[error(
        "The local cache at {path} could not be opened ({detail}). Nothing was changed; check that the folder exists and that you may read and write it, then try again."
    )]
    CacheUnavailable { path: PathBuf, detail: String },

    #[error(
        "Switchboard could not find a folder for its data: this user account has no home or app-data folder. Set SWITCHBOARD_DATA_DIR to a folder only you can read, then try again."
    )]
    NoDataFolder,

    #[error(
        "The local cache could not be read or written ({0}). Nothing was changed; try again, and restart Switchboard if it persists."
    )]
    Storage(#[from] rusqlite::Error),

    #[error("{what} was not found in the local cache. It may have been removed; refresh the list.")]
    NotFound { what: String },

    #[error("{0}")]
    InvalidInput(String),

    #[error("None of the redirect ports registered for the Xero app ({}) is free on this computer. Close the program using them, or register another port with the Xero app and add it in Settings.", ports.iter().map(u16::to_string).collect::<Vec<_>>().join(", "))]
    NoFreePort { ports: Vec<u16> },

    #[error("Xero sign-in was not completed within {minutes} minutes. Start again when you are ready.")]
    SignInTimedOut { minutes: u64 },

    #[error("Xero sign-in was cancelled.")]
    SignInCancelled,

    #[error(
        "The sign-in response did not belong to the sign-in Switchboard started, so it was ignored. Start again from Switchboard."
    )]
    SignInStateMismatch,

    #[error(
        "Xero did not grant access: {reason}. Nothing was connected; start again and choose Allow access to connect."
    )]
    ConsentDenied { reason: String },

    #[error(
        "Xero sign-in failed: {0} Start again; if it keeps failing, check the Xero app's client id and redirect ports in Settings."
    )]
    SignInFailed(String),

    #[error(
        "This connection needs to be reconnected: {0}. Use Connect on the row to sign in to Xero again; the cached data is kept."
    )]
    NeedsReconnect(String),

    #[error("Xero could not be reached ({0}). Check the internet connection; the cached data is still shown.")]
    XeroUnreachable(String),

    /// TLS to Xero (or XPM) failed on the server's certificate: the sentence names the host and
    /// why. A kind of unreachable to the UI; not retried, as trying again cannot help.
    #[error("{0}")]
    CertificateNotTrusted(String),

    /// Xero answered, but not with what was asked (the message says what and what to do).
    #[error("{0}")]
    XeroRefused(String),

    #[error(
        "The system's credential store could not be used ({0}). On Linux, make sure a keyring (such as GNOME Keyring) is running and unlocked."
    )]
    CredentialStore(String),

    #[error("Could not write {path}: {source}. Choose another folder or free some space and try again.")]
    Write { path: PathBuf, source: std::io::Error },

    /// Xero Practice Manager: not connected, or its answer could not be used (the sentence says which).
    #[error("{0}")]
    Xpm(String),

    /// Checking for, downloading or installing an update of Switchboard failed (the sentence says
    /// why and what to do; see `updates::UpdateFailure`).
    #[error("{0}")]
    Update(String),

    /// Sending through the practice's mail server failed, or it is not set up (the sentence says
    /// why and what to do; see `client_packs::mail::transport`).
    #[error("{0}")]
    Mail(String),
}

/// A stable name for each kind of error, so the UI can switch on it (the message is for people).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    CacheTooNew,
    CacheCorrupt,
    CacheUnavailable,
    Storage,
    NotFound,
    InvalidInput,
    CredentialStore,
    NoFreePort,
    SignInTimedOut,
    SignInCancelled,
    SignInStateMismatch,
    ConsentDenied,
    SignInFailed,
    NeedsReconnect,
    XeroUnreachable,
    XeroRefused,
    Write,
    Xpm,
    Update,
    Mail,
}

impl Error {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::CacheTooNew { .. } => ErrorKind::CacheTooNew,
            Error::CacheCorrupt { .. } => ErrorKind::CacheCorrupt,
            Error::CacheUnavailable { .. } | Error::NoDataFolder => ErrorKind::CacheUnavailable,
            Error::Storage(_) => ErrorKind::Storage,
            Error::NotFound { .. } => ErrorKind::NotFound,
            Error::InvalidInput(_) => ErrorKind::InvalidInput,
            Error::CredentialStore(_) => ErrorKind::CredentialStore,
            Error::NoFreePort { .. } => ErrorKind::NoFreePort,
            Error::SignInTimedOut { .. } => ErrorKind::SignInTimedOut,
            Error::SignInCancelled => ErrorKind::SignInCancelled,
            Error::SignInStateMismatch => ErrorKind::SignInStateMismatch,
            Error::ConsentDenied { .. } => ErrorKind::ConsentDenied,
            Error::SignInFailed(_) => ErrorKind::SignInFailed,
            Error::NeedsReconnect(_) => ErrorKind::NeedsReconnect,
            Error::XeroUnreachable(_) | Error::CertificateNotTrusted(_) => ErrorKind::XeroUnreachable,
            Error::XeroRefused(_) => ErrorKind::XeroRefused,
            Error::Write { .. } => ErrorKind::Write,
            Error::Xpm(_) => ErrorKind::Xpm,
            Error::Update(_) => ErrorKind::Update,
            Error::Mail(_) => ErrorKind::Mail,
        }
    }
}

/// What an error looks like to the web UI: `{ kind, message }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ErrorPayload {
    pub kind: ErrorKind,
    pub message: String,
}

impl From<Error> for ErrorPayload {
    fn from(error: Error) -> Self {
        ErrorPayload { kind: error.kind(), message: error.to_string() }
    }
}
