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

    #[error("The local cache at {path} could not be opened ({detail}). Check that the folder exists and that you may read and write it.")]
    CacheUnavailable { path: PathBuf, detail: String },

    #[error("The local cache could not be read or written ({0}). Nothing was changed; try again, and restart Switchboard if it persists.")]
    Storage(#[from] rusqlite::Error),

    #[error("{what} was not found in the local cache. It may have been removed; refresh the list.")]
    NotFound { what: String },

    #[error("{0}")]
    InvalidInput(String),

    #[error("Could not write {path}: {source}. Choose another folder or free some space and try again.")]
    Write { path: PathBuf, source: std::io::Error },
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
    Write,
}

impl Error {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::CacheTooNew { .. } => ErrorKind::CacheTooNew,
            Error::CacheCorrupt { .. } => ErrorKind::CacheCorrupt,
            Error::CacheUnavailable { .. } => ErrorKind::CacheUnavailable,
            Error::Storage(_) => ErrorKind::Storage,
            Error::NotFound { .. } => ErrorKind::NotFound,
            Error::InvalidInput(_) => ErrorKind::InvalidInput,
            Error::Write { .. } => ErrorKind::Write,
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
