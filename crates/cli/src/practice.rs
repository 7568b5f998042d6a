//! `switchboard practice`: Practice mode's shared database (PostgreSQL). Creating and migrating
//! it, managing staff and their access (admins), a staff member signing in from their own
//! computer (which keeps their password in their OS credential store), the files they may see,
//! and access requests.
//!
//! The database URL comes from `--database-url` or `$SWITCHBOARD_DATABASE_URL` (better for a URL
//! holding the owner's password: arguments are visible to other users of the computer). With
//! `--role`, the command signs in as that staff member with the password `sign-in` stored;
//! without, as the user and password the URL names.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use switchboard_core::credential_store::{CredentialStore, os_store_from_env};
use switchboard_core::secret::Secret;
use switchboard_practice::{AccessMode, NewStaff, Password, PracticeDb, RequestState, Server, credential_key};

use crate::practice_sync_host::{self, SyncHostCommand};
use crate::terminal::shown;

/// The new staff member's password, or the password `sign-in` stores; otherwise one is generated
/// (add) or read from standard input (sign-in).
const PASSWORD_VAR: &str = "SWITCHBOARD_STAFF_PASSWORD";
/// The practice database's URL, when `--database-url` is not given.
pub(crate) const DATABASE_URL_VAR: &str = "SWITCHBOARD_DATABASE_URL";

#[derive(Args)]
pub struct PracticeArgs {
    /// The practice database: postgresql://[user[:password]@]host[:port]/database (or
    /// $SWITCHBOARD_DATABASE_URL)
    #[arg(long, value_name = "URL", global = true)]
    database_url: Option<String>,
    /// Sign in as this staff member, with the password `switchboard practice sign-in` stored.
    #[arg(long, global = true)]
    role: Option<String>,
    #[command(subcommand)]
    command: PracticeCommand,
}

#[derive(Subcommand)]
enum PracticeCommand {
    /// Create the practice database's schema, or migrate it to this version (as its owner: a
    /// role that may create roles). Refuses a schema newer than this Switchboard.
    Init,
    /// Staff and their access (admins only).
    #[command(subcommand)]
    Staff(StaffCommand),
    /// Check a staff member's password against the practice database and keep it in this
    /// computer's credential store (password from $SWITCHBOARD_STAFF_PASSWORD or standard input).
    SignIn,
    /// The client files you may see; with --all-names, the id and name of every file (to ask
    /// for access to one).
    Files {
        #[arg(long)]
        all_names: bool,
    },
    /// Ask an admin for access to a client file (by id).
    Request {
        file: i64,
        #[arg(long)]
        reason: String,
    },
    /// Access requests: your own, or everyone's for an admin.
    Requests,
    /// Move a Solo cache (--cache, or this computer's) into a new practice database, as its
    /// owner: client files, XPM links, console settings and users, Xero users and the audit log.
    MoveIn,
    /// Approve (granting the file) or decline an access request (admins only).
    Decide {
        request: i64,
        #[arg(long, conflicts_with = "decline", required_unless_present = "decline")]
        approve: bool,
        #[arg(long)]
        decline: bool,
    },
    /// The practice's sync host, which holds the Xero token sets (see `switchboard sync --practice`).
    #[command(subcommand)]
    SyncHost(SyncHostCommand),
    /// Ask the sync host to sync one client file (by id), or the whole practice.
    SyncRequest { file: Option<i64> },
    /// Every sync request and its progress.
    SyncRequests,
}

#[derive(Subcommand)]
enum StaffCommand {
    /// Add a staff member: a database login with a password ($SWITCHBOARD_STAFF_PASSWORD, or one
    /// generated and printed once). Admins see every file; others nothing until granted.
    Add {
        /// Their name as shown in Switchboard.
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
        /// Their login name (lower-case letters, digits, _); by default from the email.
        #[arg(long = "login")]
        login: Option<String>,
        #[arg(long)]
        admin: bool,
    },
    /// Remove a staff member: their access ends at once, open sessions included.
    Remove {
        /// Their login name.
        staff: String,
    },
    /// List the staff, with their access and granted files.
    List,
    /// Set a staff member's access: all, selected or mirror-xero.
    Access { staff: String, mode: String },
    /// Grant one client file (by id) to a staff member, for good or until a time.
    Grant {
        staff: String,
        file: i64,
        /// When the grant ends (RFC 3339, e.g. 2027-01-31T17:00:00+13:00), by the database's clock.
        #[arg(long, conflicts_with = "hours")]
        until: Option<String>,
        /// Or: how many hours from now it lasts.
        #[arg(long)]
        hours: Option<u32>,
    },
    /// Take a granted client file back.
    Revoke { staff: String, file: i64 },
}

/// `cache`: the top-level `--cache`, the Solo cache `move-in` reads.
pub fn run(args: PracticeArgs, cache: Option<std::path::PathBuf>) -> Result<ExitCode, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("could not start: {e}"))?;
    runtime.block_on(run_async(args, cache))
}

async fn run_async(args: PracticeArgs, cache: Option<std::path::PathBuf>) -> Result<ExitCode, String> {
    let url = args
        .database_url
        .or_else(|| std::env::var(DATABASE_URL_VAR).ok().filter(|v| !v.is_empty()))
        .ok_or(format!("give the practice database with --database-url or ${DATABASE_URL_VAR}"))?;
    let url = url.as_str();
    match args.command {
        PracticeCommand::Init => {
            if args.role.is_some() {
                return Err("init runs as the database's owner, named in the URL, not with --role".into());
            }
            let report = switchboard_practice::init(url).await.map_err(|e| e.to_string())?;
            if report.from == report.to {
                println!("The practice database is up to date (schema version {}).", report.to);
            } else {
                println!("The practice database is at schema version {} (was {}).", report.to, report.from);
            }
            Ok(ExitCode::SUCCESS)
        }
        PracticeCommand::SignIn => sign_in(url, args.role.as_deref()).await,
        PracticeCommand::MoveIn => {
            if args.role.is_some() {
                return Err("move-in runs as the database's owner, named in the URL, not with --role".into());
            }
            let cache = match cache {
                Some(path) => path,
                None => switchboard_core::paths::cache_path().map_err(|e| e.to_string())?,
            };
            crate::practice_move_in::run(url, &cache).await
        }
        PracticeCommand::Staff(command) => {
            let db = open(url, args.role.as_deref()).await?;
            staff(&db, command).await.map(|()| ExitCode::SUCCESS)
        }
        PracticeCommand::SyncHost(command) => {
            practice_sync_host::sync_host(&open(url, args.role.as_deref()).await?, command).await
        }
        PracticeCommand::SyncRequest { file } => {
            practice_sync_host::request(&open(url, args.role.as_deref()).await?, file).await
        }
        PracticeCommand::SyncRequests => practice_sync_host::list(&open(url, args.role.as_deref()).await?).await,
        command => {
            let db = open(url, args.role.as_deref()).await?;
            files_and_requests(&db, command).await.map_err(|e| e.to_string()).map(|()| ExitCode::SUCCESS)
        }
    }
}

async fn files_and_requests(db: &PracticeDb, command: PracticeCommand) -> switchboard_practice::Result<()> {
    match command {
        PracticeCommand::Files { all_names: true } => {
            let names = db.file_names().await?;
            for file in &names {
                println!("{:>8}  {}", file.id, shown(&file.display_name));
            }
            println!("{} client files in the practice", names.len());
        }
        PracticeCommand::Files { all_names: false } => {
            let files = db.list_files().await?;
            println!("{:>8}  {:<40}  {:<17}  VERSION", "ID", "CLIENT", "SOFTWARE");
            for file in &files {
                println!(
                    "{:>8}  {:<40}  {:<17}  {}",
                    file.id,
                    shown(&file.display_name),
                    shown(&file.software),
                    file.version
                );
            }
            println!("{} client files you may see", files.len());
        }
        PracticeCommand::Request { file, reason } => {
            let id = db.request_access(file, &reason).await?;
            println!("Asked for access to file {file} (request {id}); an admin decides.");
        }
        PracticeCommand::Requests => {
            let requests = db.access_requests().await?;
            for r in &requests {
                let state = match r.state {
                    RequestState::Pending => "pending".to_owned(),
                    RequestState::Approved => format!("approved by {}", r.decided_by.as_deref().unwrap_or("?")),
                    RequestState::Declined => format!("declined by {}", r.decided_by.as_deref().unwrap_or("?")),
                };
                println!("{:>6}  file {:<8}  {:<20}  {:<28}  {}", r.id, r.file_id, r.role, state, shown(&r.reason));
            }
            println!("{} requests", requests.len());
        }
        PracticeCommand::Decide { request, approve, .. } => {
            db.decide_request(request, approve).await?;
            println!("Request {request} {}.", if approve { "approved: the file is granted" } else { "declined" });
        }
        PracticeCommand::Init
        | PracticeCommand::SignIn
        | PracticeCommand::Staff(_)
        | PracticeCommand::MoveIn
        | PracticeCommand::SyncHost(_)
        | PracticeCommand::SyncRequest { .. }
        | PracticeCommand::SyncRequests => {
            unreachable!("handled by the caller")
        }
    }
    Ok(())
}

/// Signs in as `role` with its stored password, or as the URL's own user.
async fn open(url: &str, role: Option<&str>) -> Result<PracticeDb, String> {
    let Some(role) = role else {
        return PracticeDb::open(url).await.map_err(|e| e.to_string());
    };
    let server = server_of(url)?;
    let store = os_store_from_env().map_err(|e| e.to_string())?;
    let stored = store.get(&credential_key(&server, role)).map_err(|e| e.to_string())?.ok_or_else(|| {
        format!("no password of \"{role}\" for {server} on this computer: run `switchboard practice sign-in --role {role}` first")
    })?;
    PracticeDb::connect(url, role, &Password::new(stored.expose())).await.map_err(|e| e.to_string())
}

/// The server a URL names, without signing in (for the credential-store key).
fn server_of(url: &str) -> Result<Server, String> {
    Server::from_url(url).map_err(|e| e.to_string())
}

async fn sign_in(url: &str, role: Option<&str>) -> Result<ExitCode, String> {
    let role = role.ok_or("say who signs in with --role")?;
    let password = match std::env::var(PASSWORD_VAR) {
        Ok(value) if !value.is_empty() => Password::new(value),
        _ => {
            if std::io::stdin().is_terminal() {
                eprintln!("Password of {role} (it shows as you type; or set ${PASSWORD_VAR}):");
            }
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line).map_err(|e| format!("could not read the password: {e}"))?;
            Password::new(line.trim_end_matches(['\r', '\n']))
        }
    };
    let db = PracticeDb::connect(url, role, &password).await.map_err(|e| e.to_string())?;
    let store = os_store_from_env().map_err(|e| e.to_string())?;
    let key = credential_key(db.server(), role);
    store.set(&key, &Secret::new(password.expose())).map_err(|e| e.to_string())?;
    println!("Signed in to {} as {role}; the password is kept in this computer's credential store.", db.server());
    Ok(ExitCode::SUCCESS)
}

async fn staff(db: &PracticeDb, command: StaffCommand) -> Result<(), String> {
    let failed = |e: switchboard_practice::Error| e.to_string();
    match command {
        StaffCommand::Add { name, email, login, admin } => {
            let (password, generated) = match std::env::var(PASSWORD_VAR) {
                Ok(value) if !value.is_empty() => (Password::new(value), false),
                _ => (Password::generate(), true),
            };
            let new = NewStaff { role: login, display_name: name, email, is_admin: admin };
            let role = db.add_staff(&new, &password).await.map_err(failed)?;
            println!("Added {} as {role}{}.", shown(&new.display_name), if admin { " (admin)" } else { "" });
            if generated {
                // Printed once, here; the database keeps only its SCRAM verifier.
                println!("Password (shown once): {}", password.expose());
                println!(
                    "They sign in on their computer with: switchboard practice sign-in --database-url <URL without password> --role {role}"
                );
            }
        }
        StaffCommand::Remove { staff: role } => {
            let ended = db.remove_staff(&role).await.map_err(failed)?;
            println!("Removed {role}; {ended} open session(s) ended.");
        }
        StaffCommand::List => {
            let staff = db.list_staff().await.map_err(failed)?;
            let grants = db.file_grants().await.map_err(failed)?;
            println!("{:<20}  {:<30}  {:<30}  {:<11}  FILES", "LOGIN", "NAME", "EMAIL", "ACCESS");
            for member in &staff {
                let files: Vec<String> = grants
                    .iter()
                    .filter(|g| g.role == member.role)
                    .map(|g| match g.expires_at {
                        Some(end) => format!("{} (until {})", g.file_id, end.to_rfc3339()),
                        None => g.file_id.to_string(),
                    })
                    .collect();
                let access = if member.is_admin { "admin".to_owned() } else { member.access.code().replace('_', "-") };
                println!(
                    "{:<20}  {:<30}  {:<30}  {:<11}  {}",
                    member.role,
                    shown(&member.display_name),
                    shown(&member.email),
                    access,
                    if files.is_empty() { "-".to_owned() } else { files.join(", ") }
                );
            }
            println!("{} staff", staff.len());
        }
        StaffCommand::Access { staff: role, mode } => {
            let mode = AccessMode::parse(&mode).map_err(failed)?;
            db.set_access(&role, mode).await.map_err(failed)?;
            println!("{role} now has access: {}.", mode.code().replace('_', "-"));
        }
        StaffCommand::Grant { staff: role, file, until, hours } => {
            let expires = match (until, hours) {
                (Some(text), _) => Some(
                    DateTime::parse_from_rfc3339(&text)
                        .map_err(|e| format!("--until {text}: not an RFC 3339 time ({e})"))?
                        .with_timezone(&Utc),
                ),
                // From the database's clock, which decides when the grant ends.
                (None, Some(hours)) => {
                    Some(db.now().await.map_err(failed)? + chrono::Duration::hours(i64::from(hours)))
                }
                (None, None) => None,
            };
            db.grant_file(&role, file, expires).await.map_err(failed)?;
            match expires {
                Some(end) => println!("Granted file {file} to {role} until {}.", end.to_rfc3339()),
                None => println!("Granted file {file} to {role}."),
            }
        }
        StaffCommand::Revoke { staff: role, file } => {
            if db.revoke_file(&role, file).await.map_err(failed)? {
                println!("Revoked file {file} from {role}.");
            } else {
                println!("{role} had no grant of file {file}.");
            }
        }
    }
    Ok(())
}
