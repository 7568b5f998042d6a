//! The Xero commands: set up the app, connect client files, sync.
//! They share the app's cache, credential store and cross-process token locks.

use std::io::{IsTerminal, Read, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use switchboard_core::Cache;
use switchboard_core::credential_store::os_store_from_env;
use switchboard_core::model::{ClientFile, ConnectionState, FileId, UnixMillis};
use switchboard_core::secret::Secret;
use switchboard_core::xero::app_settings::{XeroAppSettings, parse_ports};
use switchboard_core::xero::config::CONNECT_SCOPES;
use switchboard_core::xero::connect_file::FileConnectOutcome;
use switchboard_core::xero::context::XeroContext;
use switchboard_core::xero::sign_in::{TokenGrant, start_sign_in};
use switchboard_core::xero::sync::{SyncProgress, SyncReport};
use switchboard_core::xero::tier::XeroTier;
use switchboard_core::xero::tier_usage::check_room_for_a_connection;
use switchboard_core::xpm::XPM_SCOPES;
use switchboard_core::xpm::refresh::{XpmRefreshReport, XpmStatus};

use crate::terminal::shown;

/// Some files need a person (failed, disconnected or needing reconnect).
const NEEDS_ATTENTION: u8 = 3;

/// What `switchboard xero-app` does with the client secret.
pub enum SecretChange {
    /// Keep what is stored (a "Web app" keeps its secret when only the ports or tier change).
    Keep,
    ReadStdin,
    Remove,
}

pub fn set_up_app(
    mut cache: Cache,
    client_id: Option<String>,
    ports: Option<String>,
    secret_change: SecretChange,
    tier: Option<String>,
) -> Result<ExitCode, String> {
    let mut settings = XeroAppSettings::load(&cache).map_err(|e| e.to_string())?;
    let tier_given = tier.is_some();
    if let Some(tier) = tier {
        settings.tier = Some(XeroTier::from_code(&tier).map_err(|e| e.to_string())?);
    }
    let Some(client_id) = client_id else {
        if tier_given {
            let store = os_store_from_env().map_err(|e| e.to_string())?;
            settings.save(&mut cache, &store, None).map_err(|e| e.to_string())?;
            eprintln!("Saved. The Xero app's tier is {}.", settings.tier.map_or("not set", XeroTier::label));
            return Ok(ExitCode::SUCCESS);
        }
        // Just show them (scripts use the first line to tell whether an app is set up).
        let ports: Vec<_> = settings.redirect_ports.iter().map(u16::to_string).collect();
        let text = format!(
            "{}\nredirect ports: {}\nclient secret: {}\ntier: {}\n",
            settings.client_id.as_ref().map_or("no Xero app is set up".to_owned(), |id| format!("client id: {id}")),
            ports.join(", "),
            if settings.has_client_secret { "in the credential store" } else { "none (PKCE app)" },
            settings.tier.map_or("not set", XeroTier::label),
        );
        // A reader that stops early (`| grep -q`) is not an error.
        let _ = std::io::stdout().write_all(text.as_bytes());
        return Ok(ExitCode::SUCCESS);
    };
    let store = os_store_from_env().map_err(|e| e.to_string())?;
    settings.client_id = Some(client_id);
    if let Some(ports) = ports {
        settings.redirect_ports = parse_ports(&ports).map_err(|e| e.to_string())?;
    }
    let had_secret = settings.has_client_secret;
    let secret = match secret_change {
        SecretChange::Keep => None,
        SecretChange::Remove => {
            settings.has_client_secret = false;
            None
        }
        SecretChange::ReadStdin => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).map_err(|e| format!("Could not read the client secret: {e}"))?;
            settings.has_client_secret = true;
            Some(Secret::new(text.trim()))
        }
    };
    settings.save(&mut cache, &store, secret.as_ref()).map_err(|e| e.to_string())?;
    let ports: Vec<_> = settings.redirect_ports.iter().map(|p| format!("http://localhost:{p}/callback")).collect();
    eprintln!("Saved. Register these redirect URIs with the Xero app: {}", ports.join(", "));
    eprintln!(
        "{}",
        match (secret.is_some(), had_secret, settings.has_client_secret) {
            (true, _, _) => "The client secret is stored in this computer's credential store.",
            (false, _, true) => "The client secret already in the credential store is kept.",
            (false, true, false) => "The stored client secret was removed (a PKCE app).",
            (false, false, false) => "No client secret (a PKCE app).",
        }
    );
    Ok(ExitCode::SUCCESS)
}

pub fn connect(cache: Cache, cache_path: &Path, timeout_secs: u64) -> Result<ExitCode, String> {
    let ctx = context(cache, cache_path)?;
    runtime()?.block_on(async {
        let grant = sign_in(&ctx, CONNECT_SCOPES, "connect client files from Xero", timeout_secs).await?;
        let (files, report) = ctx.connect_from_grant(grant, show_progress).await.map_err(|e| e.to_string())?;
        eprintln!();
        println!("Connected {} client files.", files.len());
        Ok(summary(report))
    })
}

/// `switchboard connect --file`: one consent for one file not yet linked to an organisation.
/// Exits 3 when nothing was connected (no organisation picked, or it already is another file and
/// `--merge` was not given).
pub fn connect_file(
    cache: Cache,
    cache_path: &Path,
    timeout_secs: u64,
    file: &str,
    merge: bool,
) -> Result<ExitCode, String> {
    let id = find_file(&cache, file)?;
    // Refused before any address is printed: other software, or already linked.
    let target = cache.connectable_file(id).map_err(|e| e.to_string())?;
    check_room_for_a_connection(&cache).map_err(|e| e.to_string())?;
    let name = shown(&target.name);
    let ctx = context(cache, cache_path)?;
    runtime()?.block_on(async {
        let grant =
            sign_in(&ctx, CONNECT_SCOPES, &format!("connect {name} (pick its organisation)"), timeout_secs).await?;
        let outcome = ctx.connect_file_from_grant(id, grant, show_progress).await.map_err(|e| e.to_string())?;
        eprintln!();
        match outcome {
            FileConnectOutcome::Connected { sync, .. } => {
                println!("Connected {name} to Xero.");
                Ok(summary(sync))
            }
            FileConnectOutcome::NothingPicked { .. } => {
                println!("No organisation was picked in Xero, so {name} was not connected. Nothing changed.");
                Ok(ExitCode::from(NEEDS_ATTENTION))
            }
            FileConnectOutcome::AlreadyAnotherFile { other, other_name, organisation_name, .. } => {
                let organisation = organisation_name.map(|n| format!(", {},", shown(&n))).unwrap_or_default();
                println!(
                    "The organisation picked{organisation} is already the client file {} (id {}).",
                    shown(&other_name),
                    other.0
                );
                if !merge {
                    println!(
                        "Nothing changed. To make them one file, run: switchboard connect --file {} --merge",
                        id.0
                    );
                    return Ok(ExitCode::from(NEEDS_ATTENTION));
                }
                let merged = ctx
                    .cache
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .merge_files(other, id)
                    .map_err(|e| e.to_string())?;
                println!(
                    "Merged: {name} and {} are now one client file, {} (id {}), connected to Xero.",
                    shown(&other_name),
                    shown(&merged.name),
                    merged.kept.0
                );
                Ok(ExitCode::SUCCESS)
            }
        }
    })
}

/// The file named on the command line: its id, or a name that exactly one file has.
fn find_file(cache: &Cache, given: &str) -> Result<FileId, String> {
    let files = cache.list_files().map_err(|e| e.to_string())?;
    if let Ok(id) = given.trim().parse::<i64>()
        && let Some(file) = files.iter().find(|f| f.id.0 == id)
    {
        return Ok(file.id);
    }
    let named: Vec<&ClientFile> = files.iter().filter(|f| f.display_name == given.trim()).collect();
    match named.as_slice() {
        [one] => Ok(one.id),
        [] => {
            Err(format!("No client file has the id or the exact name {}. `switchboard list` shows them.", shown(given)))
        }
        several => Err(format!(
            "{} client files are named {} (ids {}); give the id instead.",
            several.len(),
            shown(given),
            several.iter().map(|f| f.id.0.to_string()).collect::<Vec<_>>().join(", ")
        )),
    }
}

/// Prints the consent address for a person to open (a headless CLI opens no browser itself) and
/// waits for Xero's redirect back to the loopback listener.
async fn sign_in(ctx: &XeroContext, scopes: &[&str], to: &str, timeout_secs: u64) -> Result<TokenGrant, String> {
    let pending =
        start_sign_in(&ctx.app, &ctx.endpoints, scopes, ctx.client_secret.as_ref()).await.map_err(|e| e.to_string())?;
    println!("Open this address in a browser to {to}:");
    println!("{}", pending.authorize_url);
    std::io::stdout().flush().ok();
    pending
        .finish(&ctx.http, Duration::from_secs(timeout_secs), std::future::pending())
        .await
        .map_err(|e| e.to_string())
}

pub fn sync(cache: Cache, cache_path: &Path) -> Result<ExitCode, String> {
    let xpm_connected = xpm_status(&cache)?.connected;
    let ctx = context(cache, cache_path)?;
    let runtime = runtime()?;
    let started = UnixMillis::now();
    let report = runtime.block_on(ctx.sync(None, &AtomicBool::new(false), show_progress)).map_err(|e| e.to_string())?;
    eprintln!();
    let mut exit = summary(report);
    let files = ctx.cache.lock().unwrap_or_else(|e| e.into_inner()).list_files().map_err(|e| e.to_string())?;
    for line in needing_attention(&files, started) {
        println!("  {line}");
    }
    let mut attention = |ok: bool| {
        if !ok {
            exit = ExitCode::from(NEEDS_ATTENTION);
        }
    };
    // The reports of every client that allows them, so the insights compare nightly figures.
    let reports = runtime.block_on(ctx.refresh_all_reports_today()).map_err(|e| e.to_string())?;
    if reports.clients > 0 {
        println!(
            "Reports: refreshed {} of {} clients ({} reports).",
            reports.clients - reports.failed.len() as u32,
            reports.clients,
            reports.fetched
        );
        for f in &reports.failed {
            println!("  {}: {}", shown(&f.display_name), shown(&f.reason));
        }
        attention(reports.failed.is_empty());
    }
    if xpm_connected {
        match runtime.block_on(ctx.refresh_xpm()) {
            Ok(r) => println!("{}", xpm_summary(r)),
            Err(e) => {
                println!("XPM was not refreshed: {e}");
                attention(false);
            }
        }
    }
    // Last, so each pack holds the figures this sync fetched.
    attention(crate::client_packs::send_due_packs(cache_path));
    Ok(exit)
}

/// `switchboard connect --xpm`: the practice's XPM, through the same sign-in.
pub fn connect_xpm(cache: Cache, cache_path: &Path, timeout_secs: u64) -> Result<ExitCode, String> {
    let ctx = context(cache, cache_path)?;
    runtime()?.block_on(async {
        let grant = sign_in(&ctx, XPM_SCOPES, "connect the practice's Xero Practice Manager", timeout_secs).await?;
        let report = ctx.connect_xpm_from_grant(grant).await.map_err(|e| e.to_string())?;
        println!("{}", xpm_summary(report));
        Ok(ExitCode::SUCCESS)
    })
}

fn xpm_status(cache: &Cache) -> Result<XpmStatus, String> {
    switchboard_core::xpm::refresh::status(cache).map_err(|e| e.to_string())
}

fn xpm_summary(r: XpmRefreshReport) -> String {
    format!(
        "XPM: {} {} client{} ({} cached).",
        if r.full { "loaded" } else { "refreshed" },
        r.received,
        if r.received == 1 { "" } else { "s" },
        r.cached
    )
}

fn context(cache: Cache, cache_path: &Path) -> Result<XeroContext, String> {
    let store = Arc::new(os_store_from_env().map_err(|e| e.to_string())?);
    // Token locks live beside the cache, so the app and every CLI run share them.
    let lock_dir = cache_path.parent().unwrap_or(Path::new(".")).join("locks");
    XeroContext::from_settings(Arc::new(Mutex::new(cache)), store, lock_dir).map_err(|e| e.to_string())
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| format!("Could not start: {e}"))
}

fn show_progress(p: SyncProgress) {
    let mut err = std::io::stderr();
    if err.is_terminal() {
        let _ = write!(err, "\rSynced {}/{} client files ({} failed)", p.done, p.total, p.failed);
    }
}

/// Each file that needs a person after a sync that started at `started`, with the reason, by
/// name: those whose attempt failed in this sync, and every Xero file disconnected or waiting
/// for a new sign-in (these say so, as the cause is not this sync's).
fn needing_attention(files: &[ClientFile], started: UnixMillis) -> Vec<String> {
    let mut lines: Vec<(String, String)> = files
        .iter()
        .filter(|f| f.xero.is_some())
        .filter_map(|f| {
            let failed_now = f.sync.last_attempt_at.is_some_and(|at| at >= started);
            let why = match (&f.connection, &f.sync.last_error) {
                (ConnectionState::Disconnected { reason }, _) => format!("disconnected: {reason}"),
                (ConnectionState::NeedsReconnect { reason }, _) => format!("needs reconnecting: {reason}"),
                (_, Some(error)) if failed_now => error.clone(),
                _ => return None,
            };
            Some((f.display_name.clone(), why))
        })
        .collect();
    lines.sort_by_cached_key(|(name, _)| name.to_lowercase());
    lines.into_iter().map(|(name, why)| format!("{}: {}", shown(&name), shown(&why))).collect()
}

fn summary(report: SyncReport) -> ExitCode {
    println!(
        "Synced {} client files; {} failed, {} disconnected, {} need reconnecting.",
        report.synced, report.failed, report.disconnected, report.needs_reconnect
    );
    if report.failed + report.disconnected + report.needs_reconnect == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(NEEDS_ATTENTION)
    }
}
