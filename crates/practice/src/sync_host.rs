//! The sync host: the one machine of the practice that holds every Xero token set and makes every
//! Xero call (`switchboard sync --practice`). Its age X25519 identity (secret key) lives in that
//! machine's OS credential store; its public key (recipient) is registered in the database, for
//! desktops to encrypt hand-overs to. A run holds a PostgreSQL advisory lock for its whole length
//! on a connection of its own, so a second sync host started by mistake stops instead of syncing
//! too; the lock ends with that connection, also when the process is killed.

use std::future::Future;
use std::pin::Pin;

use age::secrecy::ExposeSecret;
use switchboard_core::credential_store::CredentialStore;
use switchboard_core::secret::Secret;

use crate::connect::PracticeDb;
use crate::error::{Error, Result, from_db};
use crate::handover::{TakeReport, take_all};
use crate::sync_requests::{Progress, SyncRequest, claim_next, finish, requeue_abandoned};

/// The advisory lock key every sync host of a practice database takes ("SBSYNCHO").
const SYNC_HOST_LOCK: i64 = 0x5342_5359_4e43_484f;

/// The sync host's age X25519 identity. Its secret key never leaves this process and the
/// credential store; `Debug` shows the public key only.
pub struct SyncHostIdentity(age::x25519::Identity);

impl std::fmt::Debug for SyncHostIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SyncHostIdentity({})", self.recipient())
    }
}

impl SyncHostIdentity {
    pub fn generate() -> Self {
        SyncHostIdentity(age::x25519::Identity::generate())
    }

    /// The public key, `age1…`: what desktops encrypt to.
    pub fn recipient(&self) -> String {
        self.0.to_public().to_string()
    }

    /// The key of the identity in the sync host's credential store.
    pub fn key(db: &PracticeDb) -> String {
        format!("practice/{}/sync-host/identity", db.server().host_port())
    }

    /// The identity kept in `store` for this practice database, if any.
    pub fn load(db: &PracticeDb, store: &dyn CredentialStore) -> Result<Option<Self>> {
        let stored = store.get(&Self::key(db)).map_err(|e| Error::CredentialStore(e.to_string()))?;
        let Some(stored) = stored else { return Ok(None) };
        let identity = stored.expose().parse::<age::x25519::Identity>().map_err(|_| {
            Error::CredentialStore(format!("the sync host key kept as {} is not an age X25519 key", Self::key(db)))
        })?;
        Ok(Some(SyncHostIdentity(identity)))
    }

    /// Keeps the identity in `store` for this practice database.
    pub fn save(&self, db: &PracticeDb, store: &dyn CredentialStore) -> Result<()> {
        let secret = Secret::new(self.0.to_string().expose_secret());
        store.set(&Self::key(db), &secret).map_err(|e| Error::CredentialStore(e.to_string()))
    }

    pub(crate) fn decrypt(&self, ciphertext: &[u8]) -> std::result::Result<Secret, String> {
        let plain = age::decrypt(&self.0, ciphertext).map_err(|e| e.to_string())?;
        String::from_utf8(plain).map(Secret::new).map_err(|_| "the token set is not UTF-8 text".to_owned())
    }
}

/// The registered sync host, as everyone may read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncHostInfo {
    pub recipient: String,
    pub host_name: String,
    pub registered_by: String,
}

impl PracticeDb {
    /// Registers `identity`'s public key as the practice's one sync host on `host_name`,
    /// replacing any earlier one. Admins only; audited.
    pub async fn register_sync_host(&self, identity: &SyncHostIdentity, host_name: &str) -> Result<()> {
        let client = self.client().await?;
        client
            .execute("SELECT practice_register_sync_host($1, $2)", &[&identity.recipient(), &host_name.trim()])
            .await
            .map_err(from_db)?;
        Ok(())
    }

    /// The registered sync host, if any.
    pub async fn sync_host(&self) -> Result<Option<SyncHostInfo>> {
        let client = self.client().await?;
        let row = client
            .query_opt("SELECT recipient, host_name, registered_by FROM sync_host", &[])
            .await
            .map_err(from_db)?;
        Ok(row.map(|r| SyncHostInfo { recipient: r.get(0), host_name: r.get(1), registered_by: r.get(2) }))
    }
}

pub(crate) async fn registered_recipient(client: &tokio_postgres::Client) -> Result<String> {
    let row = client.query_opt("SELECT recipient FROM sync_host", &[]).await.map_err(from_db)?;
    row.map(|r| r.get(0)).ok_or(Error::NoSyncHost)
}

/// Being the practice's one running sync host: the advisory lock, held by a connection of its
/// own until this is dropped (or the process ends, however it ends).
pub struct SyncHostLock {
    // Out of the pool: dropping it closes the connection, which ends the lock.
    _client: deadpool_postgres::ClientWrapper,
}

impl SyncHostLock {
    /// Takes the lock, or says which sync host holds it. `label` names this one (host and process)
    /// to a second one started meanwhile.
    pub async fn acquire(db: &PracticeDb, label: &str) -> Result<SyncHostLock> {
        let client = db.client().await?;
        // application_name carries the label to whoever finds the lock taken.
        let name: String = format!("switchboard sync host {label}").chars().take(63).collect();
        client.execute("SELECT set_config('application_name', $1, false)", &[&name]).await.map_err(from_db)?;
        let locked: bool =
            client.query_one("SELECT pg_try_advisory_lock($1)", &[&SYNC_HOST_LOCK]).await.map_err(from_db)?.get(0);
        if locked {
            return Ok(SyncHostLock { _client: deadpool_postgres::Object::take(client) });
        }
        let holder = client
            .query_opt(
                "SELECT a.application_name, a.pid, coalesce(host(a.client_addr), 'local') FROM pg_locks l \
                 JOIN pg_stat_activity a ON a.pid = l.pid \
                 WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
                   AND (l.classid::bigint << 32) | l.objid::bigint = $1 LIMIT 1",
                &[&SYNC_HOST_LOCK],
            )
            .await
            .map_err(from_db)?;
        let holder = match holder {
            Some(row) => {
                let app: String = row.get(0);
                let pid: i32 = row.get(1);
                let addr: String = row.get(2);
                let label = app.strip_prefix("switchboard sync host ").unwrap_or(&app).to_owned();
                format!("{label}, database session {pid} from {addr}")
            }
            None => "unknown".to_owned(),
        };
        Err(Error::AnotherSyncHost { holder })
    }
}

/// How a sync request's work went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkOutcome {
    Done { message: Option<String> },
    Failed { message: String },
}

/// The boxed future a [`SyncWork`] returns (a trait object's method cannot be `async fn`).
pub type WorkFuture<'a> = Pin<Box<dyn Future<Output = WorkOutcome> + Send + 'a>>;

/// The Xero side of a sync request: the sync host claims a request and hands it here, with a way
/// to report progress (which desktops see). The real Xero sync plugs in here.
pub trait SyncWork: Send + Sync {
    fn sync<'a>(&'a self, request: &'a SyncRequest, progress: &'a Progress<'a>) -> WorkFuture<'a>;
}

/// What one sync host run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RunReport {
    pub handovers: TakeReport,
    /// Requests a killed sync host left running, put back to be claimed again.
    pub requeued: u64,
    pub done: Vec<i64>,
    pub failed: Vec<(i64, String)>,
}

/// The sync host staying up: holds the lock until `stop` completes, and does a run's work at
/// once, then again whenever a sync request or hand-over arrives (LISTEN) and at least every
/// `every`. Returns the totals of all its rounds.
pub async fn serve(
    db: &PracticeDb,
    identity: &SyncHostIdentity,
    store: &dyn CredentialStore,
    work: &dyn SyncWork,
    label: &str,
    every: std::time::Duration,
    stop: impl Future<Output = ()>,
) -> Result<RunReport> {
    let _lock = SyncHostLock::acquire(db, label).await?;
    check_key(db, identity).await?;
    let wake = std::sync::Arc::new(tokio::sync::Notify::new());
    let listener = db.listener(wake.clone()).await?;
    listener.batch_execute("LISTEN switchboard_sync; LISTEN switchboard_handover").await.map_err(from_db)?;
    let mut total = RunReport { requeued: requeue_abandoned(db).await?, ..RunReport::default() };
    tokio::pin!(stop);
    loop {
        let round = round(db, identity, store, work).await?;
        total.handovers.taken.extend(round.handovers.taken);
        total.handovers.refused.extend(round.handovers.refused);
        total.done.extend(round.done);
        total.failed.extend(round.failed);
        tokio::select! {
            () = &mut stop => return Ok(total),
            () = wake.notified() => {}
            () = tokio::time::sleep(every) => {}
        }
        // (Our own progress reports wake us too: at most one extra round, which finds nothing.)
        if listener.is_closed() {
            return Err(Error::SessionEnded);
        }
    }
}

async fn check_key(db: &PracticeDb, identity: &SyncHostIdentity) -> Result<()> {
    let registered = {
        let client = db.client().await?;
        registered_recipient(&client).await?
    };
    if registered != identity.recipient() {
        return Err(Error::NotAllowed(format!(
            "this computer's sync host key ({}) is not the registered one ({registered}): run `switchboard practice sync-host init` here, or run the sync on the registered sync host",
            identity.recipient()
        )));
    }
    Ok(())
}

/// Takes the waiting hand-overs, then works every waiting request.
async fn round(
    db: &PracticeDb,
    identity: &SyncHostIdentity,
    store: &dyn CredentialStore,
    work: &dyn SyncWork,
) -> Result<RunReport> {
    let mut report = RunReport { handovers: take_all(db, identity, store).await?, ..RunReport::default() };
    while let Some(request) = claim_next(db).await? {
        let progress = Progress::new(db, request.id);
        let outcome = work.sync(&request, &progress).await;
        finish(db, request.id, &outcome).await?;
        match outcome {
            WorkOutcome::Done { .. } => report.done.push(request.id),
            WorkOutcome::Failed { message } => report.failed.push((request.id, message)),
        }
    }
    Ok(report)
}

/// One run of the sync host: holds the lock, takes every waiting hand-over, then claims each
/// sync request in turn and hands it to `work`. Signed in as the practice's owner.
pub async fn run(
    db: &PracticeDb,
    identity: &SyncHostIdentity,
    store: &dyn CredentialStore,
    work: &dyn SyncWork,
    label: &str,
) -> Result<RunReport> {
    let _lock = SyncHostLock::acquire(db, label).await?;
    check_key(db, identity).await?;
    // We hold the lock, so a request still "running" belongs to a sync host that died.
    let requeued = requeue_abandoned(db).await?;
    Ok(RunReport { requeued, ..round(db, identity, store, work).await? })
}
