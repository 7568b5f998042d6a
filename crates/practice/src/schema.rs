//! The practice database's schema history: versioned migrations (refinery, from `migrations/`),
//! applied by `init`, and the check every connection makes that the schema is the one this build
//! knows. A released migration is never edited; a new one is the next `V<n>__<name>.sql`.

use crate::connect::{PracticeDb, Server, parse};
use crate::error::{Error, Result, from_db};

mod embedded {
    refinery::embed_migrations!("migrations");
}

/// The schema version this build writes and reads (the highest migration).
pub const LATEST_VERSION: i64 = 2;

/// Refinery's history table: one row per applied migration.
const HISTORY: &str = "refinery_schema_history";

/// An arbitrary key for the advisory lock two `init`s at once take turns on.
const INIT_LOCK: i64 = 0x5357_4244_5052_4143;

/// What `init` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitReport {
    /// The schema version found (0: a database without the practice schema).
    pub from: i64,
    pub to: i64,
}

/// Creates the practice schema in the database the URL names, or migrates it to this build's
/// version, connected as its owner (a role allowed to create roles: it creates the
/// `switchboard_staff` group, and later the staff). Refuses a schema newer than this build.
pub async fn init(owner_url: &str) -> Result<InitReport> {
    let db = PracticeDb::unchecked(parse(owner_url)?)?;
    let mut client = db.client().await?;
    // Two inits at once migrate one after the other; the second finds nothing left to do.
    client.execute("SELECT pg_advisory_lock($1)", &[&INIT_LOCK]).await.map_err(from_db)?;
    let result = migrate(&mut client, db.server()).await;
    let unlocked = client.execute("SELECT pg_advisory_unlock($1)", &[&INIT_LOCK]).await;
    let report = result?;
    unlocked.map_err(from_db)?;
    Ok(report)
}

async fn migrate(client: &mut deadpool_postgres::Object, server: &Server) -> Result<InitReport> {
    let from = applied_version(client).await?.unwrap_or(0);
    if from > LATEST_VERSION {
        return Err(Error::SchemaTooNew { server: server.to_string(), found: from, supported: LATEST_VERSION });
    }
    // Every pending migration in one transaction: a failure leaves the database as it was.
    let runner = embedded::migrations::runner().set_grouped(true).set_abort_divergent(true).set_abort_missing(true);
    let pg: &mut tokio_postgres::Client = client.as_mut();
    runner.run_async(pg).await.map_err(|e| Error::Migration(migration_error(&e)))?;
    Ok(InitReport { from, to: LATEST_VERSION })
}

/// Refinery's error and its cause (the server's message), without the SQL.
fn migration_error(error: &refinery::Error) -> String {
    let mut text = error.to_string();
    if let Some(cause) = std::error::Error::source(error) {
        if let Some(db) = cause.downcast_ref::<tokio_postgres::Error>().and_then(|e| e.as_db_error()) {
            text = format!("{text}: {}", db.message());
        } else {
            text = format!("{text}: {cause}");
        }
    }
    text
}

/// The highest applied migration, or `None` when the practice schema was never created.
async fn applied_version(client: &tokio_postgres::Client) -> Result<Option<i64>> {
    let exists: bool =
        client.query_one("SELECT to_regclass($1) IS NOT NULL", &[&HISTORY]).await.map_err(from_db)?.get(0);
    if !exists {
        return Ok(None);
    }
    let version: Option<i32> =
        client.query_one(&format!("SELECT max(version) FROM {HISTORY}"), &[]).await.map_err(from_db)?.get(0);
    Ok(Some(version.map(i64::from).unwrap_or(0)))
}

/// Refuses a database without the practice schema, or with another version than this build's.
pub(crate) async fn check_version(client: &tokio_postgres::Client, server: &Server) -> Result<()> {
    let server_name = server.to_string();
    match applied_version(client).await? {
        None | Some(0) => Err(Error::NotInitialised { server: server_name }),
        Some(found) if found > LATEST_VERSION => {
            Err(Error::SchemaTooNew { server: server_name, found, supported: LATEST_VERSION })
        }
        Some(found) if found < LATEST_VERSION => {
            Err(Error::SchemaTooOld { server: server_name, found, supported: LATEST_VERSION })
        }
        Some(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn latest_version_is_the_highest_migration() {
        let highest = super::embedded::migrations::runner().get_migrations().iter().map(|m| m.version()).max();
        assert_eq!(highest.map(i64::from), Some(super::LATEST_VERSION));
    }
}
