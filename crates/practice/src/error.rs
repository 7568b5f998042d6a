//! What can go wrong, each as a sentence for a person. Never holds a password or a whole
//! database URL (which may carry one): servers are named by host, port and database only.

pub type Result<T> = std::result::Result<T, Error>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the practice database URL is not valid: {0}")]
    BadUrl(String),
    #[error(
        "the practice database at {server} needs TLS: it is not on this computer, so its certificate must be checked (remove sslmode=disable)"
    )]
    TlsRequired { server: String },
    #[error("cannot reach the practice database at {server}: {detail}")]
    Unreachable { server: String, detail: String },
    #[error("the practice database at {server} refused the sign-in of \"{role}\": wrong role name or password")]
    WrongPassword { server: String, role: String },
    #[error("the practice database at {server} has no database \"{database}\"")]
    NoDatabase { server: String, database: String },
    #[error("{server} is not a practice database yet: run `switchboard practice init` there first")]
    NotInitialised { server: String },
    #[error(
        "the practice database at {server} has schema version {found}, newer than this Switchboard knows ({supported}): update Switchboard"
    )]
    SchemaTooNew { server: String, found: i64, supported: i64 },
    #[error(
        "the practice database at {server} has schema version {found}, older than this Switchboard needs ({supported}): an admin runs `switchboard practice init` to migrate it"
    )]
    SchemaTooOld { server: String, found: i64, supported: i64 },
    #[error("the practice database ended this session: the server stopped, or this staff member was removed")]
    SessionEnded,
    #[error("not allowed: {0}")]
    NotAllowed(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    #[error(
        "client file {file} was changed by someone else meanwhile (now version {current}); reload it and try again"
    )]
    Conflict { file: i64, current: i64 },
    #[error("Another sync host ({holder}) is syncing this practice; this one stops.")]
    AnotherSyncHost { holder: String },
    #[error(
        "no sync host is registered for this practice: an admin runs `switchboard practice sync-host init` on the chosen machine"
    )]
    NoSyncHost,
    #[error("this computer's credential store failed: {0}")]
    CredentialStore(String),
    #[error("migrating the practice database failed: {0}")]
    Migration(String),
    /// The core's own message (a cache that cannot be read, or one newer than this build).
    #[error("{0}")]
    SoloCache(String),
    #[error("the practice database failed: {0}")]
    Database(String),
}

/// The SQLSTATE classes this crate tells apart. Messages come from the server and the schema's
/// own RAISE statements, which never include a password.
pub(crate) fn from_db(error: tokio_postgres::Error) -> Error {
    let Some(db) = error.as_db_error() else {
        return if error.is_closed() { Error::SessionEnded } else { Error::Database(error.to_string()) };
    };
    let message = db.message().to_owned();
    match db.code().code() {
        // admin_shutdown: pg_terminate_backend ended this session.
        "57P01" => Error::SessionEnded,
        // insufficient_privilege, also raised when a row breaks a row-level security policy.
        "42501" => Error::NotAllowed(message),
        // no_data_found, raised by the admin functions for an unknown staff member or file.
        "P0002" => Error::NotFound(message),
        // invalid_parameter_value, duplicate_object, unique_violation, check_violation,
        // foreign_key_violation, not_null_violation, invalid_text_representation
        "22023" | "42710" | "23505" | "23514" | "23503" | "23502" | "22P02" => Error::Invalid(message),
        _ => Error::Database(message),
    }
}
