//! `switchboard`: the Client Connections list from the command line, for scripts and reports.
//! It opens the same cache as the app (`$SWITCHBOARD_DATA_DIR` moves it, as for the app).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use switchboard_core::clients::csv_export;
use switchboard_core::model::ClientFile;
use switchboard_core::{Cache, paths};

mod client_packs;
mod clients;
mod practice;
mod practice_move_in;
mod practice_sync_host;
mod report;
mod terminal;
mod xero;

#[derive(Parser)]
#[command(name = "switchboard", version, about = "Switchboard's client connections, from the command line")]
struct Cli {
    /// Use this cache file instead of the one in the app-data folder.
    #[arg(long, global = true, value_name = "FILE")]
    cache: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List every client file (a table by default).
    List {
        /// Print JSON (the same shape the app uses).
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// Print CSV (the same columns as the app's export).
        #[arg(long)]
        csv: bool,
    },
    /// Write every client file to a CSV file for spreadsheets.
    Export {
        #[arg(long, value_name = "PATH")]
        csv: PathBuf,
    },
    /// Show the practice's Xero app settings, or set them up (as registered at developer.xero.com).
    XeroApp {
        #[arg(long)]
        client_id: Option<String>,
        /// The ports of the http://localhost:<port>/callback redirect URIs registered with the app.
        #[arg(long, value_name = "PORT,PORT,...")]
        ports: Option<String>,
        /// A "Web app" type app: read its client secret from standard input. Without it (or
        /// --no-client-secret) a stored secret is kept.
        #[arg(long, conflicts_with = "no_client_secret")]
        client_secret_stdin: bool,
        /// A PKCE app after all: remove the stored client secret.
        #[arg(long)]
        no_client_secret: bool,
        /// The app's tier at Xero (starter, core, plus, advanced, enterprise): it caps connections
        /// and decides whether one consent may add several organisations. Alone, it changes just
        /// the tier.
        #[arg(long)]
        tier: Option<String>,
    },
    /// Connect client files: sign in to Xero in a browser and pick the organisations.
    Connect {
        /// Give up after this many seconds without an answer from the browser.
        #[arg(long, default_value_t = 600)]
        timeout_secs: u64,
        /// Connect the practice's Xero Practice Manager instead, and load its clients.
        #[arg(long, conflicts_with = "file")]
        xpm: bool,
        /// Connect this one client file (its id, or its exact name), not yet linked to a Xero
        /// organisation: the organisation picked in the consent becomes it.
        #[arg(long, value_name = "ID|NAME")]
        file: Option<String>,
        /// With --file: when the organisation picked already is another client file, merge the
        /// two into one (without it, nothing changes and the command says so).
        #[arg(long, requires = "file")]
        merge: bool,
    },
    /// Sync every connected client file with Xero, refresh the reports of every client whose
    /// connection allows them, the XPM clients when XPM is connected, and send the client packs
    /// whose cadence is due (for a nightly scheduled task). Exits 0 when everything worked, 3
    /// when something needs attention (the summary says what).
    ///
    /// With --practice: run as the practice's sync host instead (see `switchboard practice
    /// sync-host`): take the token sets staff handed over and work the sync requests. Exits 4
    /// when another sync host is already running.
    Sync {
        #[arg(long)]
        practice: bool,
        /// With --practice: the practice database, as its owner (or $SWITCHBOARD_DATABASE_URL).
        #[arg(long, value_name = "URL", requires = "practice")]
        database_url: Option<String>,
        /// With --practice: stay up until Ctrl+C, syncing as soon as a request or hand-over
        /// arrives, and at least every --every-minutes.
        #[arg(long, requires = "practice")]
        watch: bool,
        #[arg(long, default_value_t = 60, requires = "watch")]
        every_minutes: u64,
    },
    /// Add a client file by hand (not connected). A name the list already has is added too, with
    /// a warning.
    Add {
        /// The client's name.
        name: String,
        /// xero, quickbooks-online (or qbo), myob, none, or "other: <name>".
        #[arg(long, default_value = "none")]
        software: String,
        /// Link it to the cached XPM client with this client code (or uuid).
        #[arg(long, value_name = "CODE")]
        xpm_client: Option<String>,
    },
    /// Import client files from the cached XPM clients or a CSV list. Prints a preview; nothing is
    /// imported without --yes.
    Import {
        /// Every current XPM client no file links to yet.
        #[arg(long, conflicts_with = "csv", required_unless_present = "csv")]
        xpm: bool,
        /// A CSV file with the columns name, software and optionally xpm client code or email.
        #[arg(long, value_name = "FILE")]
        csv: Option<PathBuf>,
        /// Import (all or nothing) instead of previewing.
        #[arg(long)]
        yes: bool,
    },
    /// Print one of a client's key reports from the cache (readable offline).
    Report {
        /// The client's name (or part of it) or id.
        client: String,
        /// profit-and-loss, profit-and-loss-ytd, balance-sheet, aged-receivables, aged-payables, bank-summary
        report: String,
        /// Print CSV instead of a table.
        #[arg(long, conflicts_with = "save")]
        csv: bool,
        /// Save it as a CSV file named after the client in the Downloads folder (or
        /// $SWITCHBOARD_EXPORT_DIR) instead of printing it, and print where it went.
        #[arg(long)]
        save: bool,
        /// Fetch it from Xero first (the cached copy is printed if that fails).
        #[arg(long)]
        refresh: bool,
    },
    /// Practice mode: the practice's shared database (PostgreSQL), its staff and their access.
    Practice(practice::PracticeArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("switchboard: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    // Practice mode works on the practice database, not the cache (`practice move-in` reads one,
    // through the core, by its path).
    if let Command::Practice(args) = cli.command {
        return practice::run(args, cli.cache);
    }
    if let Command::Sync { practice: true, database_url, watch, every_minutes } = cli.command {
        let url = database_url
            .or_else(|| std::env::var(practice::DATABASE_URL_VAR).ok().filter(|v| !v.is_empty()))
            .ok_or(format!("give the practice database with --database-url or ${}", practice::DATABASE_URL_VAR))?;
        let every = watch.then(|| std::time::Duration::from_secs(every_minutes.max(1) * 60));
        return practice_sync_host::sync(&url, every);
    }
    let cache_path = match cli.cache.clone() {
        Some(path) => path,
        None => paths::cache_path().map_err(|e| e.to_string())?,
    };
    let cache = Cache::open(&cache_path).map_err(|e| e.to_string())?;
    match cli.command {
        Command::XeroApp { client_id, ports, client_secret_stdin, no_client_secret, tier } => {
            let secret = match (client_secret_stdin, no_client_secret) {
                (true, _) => xero::SecretChange::ReadStdin,
                (false, true) => xero::SecretChange::Remove,
                (false, false) => xero::SecretChange::Keep,
            };
            return xero::set_up_app(cache, client_id, ports, secret, tier);
        }
        Command::Connect { timeout_secs, xpm: true, .. } => return xero::connect_xpm(cache, &cache_path, timeout_secs),
        Command::Connect { timeout_secs, file: Some(file), merge, .. } => {
            return xero::connect_file(cache, &cache_path, timeout_secs, &file, merge);
        }
        Command::Connect { timeout_secs, .. } => return xero::connect(cache, &cache_path, timeout_secs),
        Command::Sync { .. } => return xero::sync(cache, &cache_path),
        Command::Report { client, report, csv, save, refresh } => {
            let output = match (csv, save) {
                (_, true) => report::Output::SavedCsv,
                (true, false) => report::Output::Csv,
                (false, false) => report::Output::Table,
            };
            return report::run(cache, &cache_path, &client, &report, output, refresh);
        }
        Command::Add { name, software, xpm_client } => {
            return clients::add(cache, &name, &software, xpm_client.as_deref());
        }
        Command::Import { csv: Some(path), yes, .. } => return clients::import_csv(cache, &path, yes),
        Command::Import { csv: None, yes, .. } => return clients::import_xpm(cache, yes),
        Command::List { .. } | Command::Export { .. } => {}
        Command::Practice(_) => unreachable!("handled above"),
    }
    let mut files = cache.list_files().map_err(|e| e.to_string())?;
    files.sort_by(|a, b| a.display_name.cmp(&b.display_name).then(a.id.cmp(&b.id)));
    let mut stdout = std::io::stdout().lock();
    let printed = match cli.command {
        Command::List { json: true, .. } => serde_json::to_writer_pretty(&mut stdout, &files)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(stdout)),
        Command::List { csv: true, .. } => {
            csv_export::write_csv(&files, &mut stdout).map_err(|e| e.to_string())?;
            Ok(())
        }
        Command::List { .. } => print_table(&files, &mut stdout),
        Command::Export { csv } => {
            let mut cache = cache;
            let export = csv_export::export_clients(&mut cache, &files, &csv).map_err(|e| e.to_string())?;
            eprintln!("Wrote {} client files to {}", export.rows, export.path);
            Ok(())
        }
        Command::XeroApp { .. }
        | Command::Connect { .. }
        | Command::Sync { .. }
        | Command::Report { .. }
        | Command::Add { .. }
        | Command::Import { .. }
        | Command::Practice(_) => {
            unreachable!("handled above")
        }
    };
    match printed {
        // The reader went away (`switchboard list | head`): not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        other => other.map(|()| ExitCode::SUCCESS).map_err(|e| e.to_string()),
    }
}

fn print_table(files: &[ClientFile], mut out: impl Write) -> std::io::Result<()> {
    const NAME_WIDTH: usize = 40;
    const XPM_WIDTH: usize = 30;
    writeln!(
        out,
        "{:<NAME_WIDTH$}  {:<17}  {:<15}  {:<11}  {:<11}  {:<XPM_WIDTH$}  LAST SYNC (UTC)",
        "CLIENT", "SOFTWARE", "CONNECTION", "PAYROLL", "ASSETS", "XPM CLIENT"
    )?;
    for f in files {
        writeln!(
            out,
            "{:<NAME_WIDTH$}  {:<17}  {:<15}  {:<11}  {:<11}  {:<XPM_WIDTH$}  {}",
            fit(&f.display_name, NAME_WIDTH),
            fit(f.software.label(), 17),
            f.connection.label(),
            f.payroll.code(),
            f.fixed_assets.code(),
            xpm_link(f, XPM_WIDTH),
            f.sync.last_success_at.map(|t| t.to_rfc3339()).unwrap_or_else(|| "never".into())
                + if f.sync.last_error.is_some() { "  (last attempt failed)" } else { "" },
        )?;
    }
    writeln!(out, "{} client files", files.len())
}

/// The linked XPM client's name, flagged when XPM archived or deleted it; `-` when not linked.
fn xpm_link(file: &ClientFile, width: usize) -> String {
    match &file.xpm {
        None => "-".to_owned(),
        Some(x) => {
            let flag = if x.deleted {
                " (deleted)"
            } else if x.archived {
                " (archived)"
            } else {
                ""
            };
            fit(&format!("{}{flag}", x.name), width)
        }
    }
}

/// Cuts a name to `width` characters for the table, its control and direction characters shown
/// as escapes (see [`terminal::shown`]).
fn fit(text: &str, width: usize) -> String {
    let clean = terminal::shown(text);
    if clean.chars().count() <= width { clean } else { clean.chars().take(width - 1).chain(['…']).collect() }
}
