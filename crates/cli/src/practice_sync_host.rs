//! The sync host from the command line: `switchboard practice sync-host init` (an admin, on the
//! machine the practice chooses), `switchboard sync --practice` (that machine, on a schedule and
//! on request), and the sync requests desktops write (`practice sync-request`, `sync-requests`).
//!
//! The sync host signs in as the practice database's owner (the URL names them): only the owner
//! reads the token hand-overs. Its age key is kept in this computer's OS credential store.

use std::process::ExitCode;

use clap::Subcommand;
use switchboard_core::credential_store::os_store_from_env;
use switchboard_practice::sync_host::{self, SyncHostIdentity, SyncWork, WorkFuture, WorkOutcome};
use switchboard_practice::{Error, PracticeDb, Progress, SyncRequest, SyncState};

use crate::terminal::shown;

/// `switchboard sync --practice` when another sync host holds the lock.
const ANOTHER_SYNC_HOST: u8 = 4;
/// Something needs attention (a failed request, a refused hand-over), as `switchboard sync`.
const NEEDS_ATTENTION: u8 = 3;

#[derive(Subcommand)]
pub enum SyncHostCommand {
    /// Make this computer the practice's sync host: create its key (kept in this computer's
    /// credential store; an existing one is kept unless --new-key) and register its public key.
    /// Admins only; the sync host then runs `switchboard sync --practice` as the database owner.
    Init {
        /// The name shown for this sync host (by default the computer's name).
        #[arg(long)]
        host_name: Option<String>,
        /// Replace this computer's key with a new one (hand-overs made to the old key are refused).
        #[arg(long)]
        new_key: bool,
    },
    /// Show the registered sync host.
    Show,
}

pub async fn sync_host(db: &PracticeDb, command: SyncHostCommand) -> Result<ExitCode, String> {
    let failed = |e: Error| e.to_string();
    match command {
        SyncHostCommand::Init { host_name, new_key } => {
            let store = os_store_from_env().map_err(|e| e.to_string())?;
            let kept = if new_key { None } else { SyncHostIdentity::load(db, &store).map_err(failed)? };
            let (identity, made) = match kept {
                Some(identity) => (identity, false),
                None => (SyncHostIdentity::generate(), true),
            };
            let host_name = host_name.unwrap_or_else(computer_name);
            // Kept before it is registered: a key registered but lost would strand hand-overs.
            if made {
                identity.save(db, &store).map_err(failed)?;
            }
            db.register_sync_host(&identity, &host_name).await.map_err(failed)?;
            println!(
                "{} is the sync host of {} ({} key {}, kept in this computer's credential store).",
                shown(&host_name),
                db.server(),
                if made { "new" } else { "existing" },
                identity.recipient()
            );
            println!("Run `switchboard sync --practice` here, as the database owner, on a schedule.");
        }
        SyncHostCommand::Show => match db.sync_host().await.map_err(failed)? {
            Some(host) => println!(
                "Sync host: {} (key {}, registered by {})",
                shown(&host.host_name),
                host.recipient,
                host.registered_by
            ),
            None => println!("No sync host is registered yet."),
        },
    }
    Ok(ExitCode::SUCCESS)
}

/// `practice sync-request [FILE]`: ask the sync host for a sync.
pub async fn request(db: &PracticeDb, file: Option<i64>) -> Result<ExitCode, String> {
    let id = db.request_sync(file).await.map_err(|e| e.to_string())?;
    match file {
        Some(file) => println!("Asked the sync host to sync file {file} (request {id})."),
        None => println!("Asked the sync host to sync the practice (request {id})."),
    }
    Ok(ExitCode::SUCCESS)
}

/// `practice sync-requests`: every request and its progress.
pub async fn list(db: &PracticeDb) -> Result<ExitCode, String> {
    let requests = db.sync_requests(50).await.map_err(|e| e.to_string())?;
    println!("{:>6}  {:<10}  {:<20}  {:<9}  {:<11}  MESSAGE", "ID", "FILE", "BY", "STATE", "PROGRESS");
    for r in &requests {
        let file = r.file_id.map(|f| f.to_string()).unwrap_or_else(|| "all".into());
        let progress = match r.total {
            Some(total) => format!("{}/{total} ({} failed)", r.done, r.failed),
            None if r.state == SyncState::Requested => "-".into(),
            None => format!("{} ({} failed)", r.done, r.failed),
        };
        println!(
            "{:>6}  {:<10}  {:<20}  {:<9}  {:<11}  {}",
            r.id,
            file,
            r.requested_by,
            r.state.code(),
            progress,
            shown(r.message.as_deref().unwrap_or(""))
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The Xero side of a request, until the sync host's Xero sync is built: each request fails,
/// saying so, rather than claiming a sync that did not happen.
struct NotBuiltYet;

impl SyncWork for NotBuiltYet {
    fn sync<'a>(&'a self, _request: &'a SyncRequest, _progress: &'a Progress<'a>) -> WorkFuture<'a> {
        Box::pin(async {
            WorkOutcome::Failed {
                message:
                    "Xero sync from the sync host is not built yet: sync on a desktop with `switchboard sync` meanwhile"
                        .into(),
            }
        })
    }
}

/// `switchboard sync --practice`: one run of the sync host, or with `every` (`--watch`) a sync
/// host that stays up until Ctrl+C.
pub fn sync(url: &str, every: Option<std::time::Duration>) -> Result<ExitCode, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("could not start: {e}"))?;
    runtime.block_on(async {
        let db = PracticeDb::open(url).await.map_err(|e| e.to_string())?;
        let store = os_store_from_env().map_err(|e| e.to_string())?;
        let identity = SyncHostIdentity::load(&db, &store).map_err(|e| e.to_string())?.ok_or_else(|| {
            format!(
                "this computer is not the sync host of {}: an admin runs `switchboard practice sync-host init` here first",
                db.server()
            )
        })?;
        let label = format!("{} pid {}", computer_name(), std::process::id());
        let outcome = match every {
            None => sync_host::run(&db, &identity, &store, &NotBuiltYet, &label).await,
            Some(every) => {
                println!("The sync host is up; Ctrl+C stops it.");
                // Listening for Ctrl+C from the start (a spawned task runs at serve's first wait),
                // so an early one stops it cleanly rather than killing it.
                let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
                tokio::spawn(async move {
                    tokio::signal::ctrl_c().await.ok();
                    stop_tx.send(()).ok();
                });
                let stop = async {
                    stop_rx.await.ok();
                };
                sync_host::serve(&db, &identity, &store, &NotBuiltYet, &label, every, stop).await
            }
        };
        let report = match outcome {
            Ok(report) => report,
            Err(error @ Error::AnotherSyncHost { .. }) => {
                eprintln!("switchboard: {error}");
                return Ok(ExitCode::from(ANOTHER_SYNC_HOST));
            }
            Err(error) => return Err(error.to_string()),
        };
        println!("Took {} token set(s) handed over by staff.", report.handovers.taken.len());
        for (_, why) in &report.handovers.refused {
            println!("Refused: {why}");
        }
        if report.requeued > 0 {
            println!("{} request(s) left running by a stopped sync host were started again.", report.requeued);
        }
        println!("Sync requests: {} done, {} failed.", report.done.len(), report.failed.len());
        for (id, why) in &report.failed {
            println!("  request {id}: {}", shown(why));
        }
        let attention = !report.failed.is_empty() || !report.handovers.refused.is_empty();
        Ok(if attention { ExitCode::from(NEEDS_ATTENTION) } else { ExitCode::SUCCESS })
    })
}

fn computer_name() -> String {
    whoami::hostname().unwrap_or_else(|_| "this computer".to_owned())
}
