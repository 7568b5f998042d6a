//! Switchboard's desktop shell. Every command is one call into `switchboard_core::Session`;
//! the shell holds no behaviour of its own (design.md §3).

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use switchboard_core::cache::AuditEntry;
use switchboard_core::model::FileId;
use switchboard_core::session::{CacheStatus, ClientDetails, CsvExport, FreshCache};
use switchboard_core::{ErrorKind, ErrorPayload, Session};
use tauri::ipc::Response;
use tauri::{AppHandle, Manager, State};

mod cleanup;
mod client_actions;
mod clients;
mod reports;
mod updates;
mod xero;
mod xpm;

/// Set to `1` by the start-up benchmark: print a line when the first rows are painted, and
/// another, then quit, when all of them are.
const EXIT_AFTER_PAINT_VAR: &str = "SWITCHBOARD_EXIT_AFTER_PAINT";

/// The one session the window talks to. Commands run on the blocking pool, never on the main
/// (GTK/WebView) thread, so a 10,000-row load or an export cannot freeze the window.
#[derive(Clone)]
pub(crate) struct Shared(Arc<Mutex<Session>>);

impl Shared {
    pub(crate) async fn run<T: Send + 'static>(
        &self,
        command: &'static str,
        call: impl FnOnce(&mut Session) -> Result<T, ErrorPayload> + Send + 'static,
    ) -> Result<T, ErrorPayload> {
        let session = self.0.clone();
        let started = Instant::now();
        let result = tauri::async_runtime::spawn_blocking(move || {
            call(&mut session.lock().unwrap_or_else(PoisonError::into_inner))
        })
        .await
        .unwrap_or_else(|_| Err(internal_error()));
        // Kinds and timings only: messages may carry paths, never log payloads.
        match &result {
            Ok(_) => tracing::debug!(command, ms = started.elapsed().as_millis() as u64, "ok"),
            Err(e) => tracing::debug!(command, ms = started.elapsed().as_millis() as u64, kind = ?e.kind, "failed"),
        }
        result
    }
}

/// Only reached if a core call panicked; the session itself stays usable.
fn internal_error() -> ErrorPayload {
    ErrorPayload {
        kind: ErrorKind::Storage,
        message: "Switchboard hit an internal error while using the local cache. Nothing was changed; try again, and restart Switchboard if it persists.".to_owned(),
    }
}

#[tauri::command]
async fn cache_status(state: State<'_, Shared>) -> Result<CacheStatus, ErrorPayload> {
    state.run("cache_status", |s| Ok(s.status())).await
}

/// The table as `ClientTablePayload` JSON, written by the core and passed on as it is.
#[tauri::command]
async fn load_client_table(state: State<'_, Shared>) -> Result<Response, ErrorPayload> {
    state.run("load_client_table", |s| s.client_table_json()).await.map(Response::new)
}

/// The first rows of the table and the summary of all files (`ClientTablePayload` JSON), for
/// the screen to paint while `load_client_table` brings the rest.
#[tauri::command]
async fn load_client_table_head(state: State<'_, Shared>) -> Result<Response, ErrorPayload> {
    state.run("load_client_table_head", |s| s.client_table_head_json()).await.map(Response::new)
}

#[tauri::command]
async fn client_details(state: State<'_, Shared>, id: FileId) -> Result<ClientDetails, ErrorPayload> {
    state.run("client_details", move |s| s.client_details(id)).await
}

#[tauri::command]
async fn export_csv(state: State<'_, Shared>, ids: Vec<FileId>) -> Result<CsvExport, ErrorPayload> {
    state.run("export_csv", move |s| s.export_csv(&ids)).await
}

/// The latest changes to the practice as a whole, for Settings.
#[tauri::command]
async fn practice_history(state: State<'_, Shared>) -> Result<Vec<AuditEntry>, ErrorPayload> {
    state.run("practice_history", |s| s.practice_history()).await
}

/// "Try again" on the screen shown when the cache could not be opened for a reason that may pass.
#[tauri::command]
async fn reopen_cache(state: State<'_, Shared>) -> Result<CacheStatus, ErrorPayload> {
    state.run("reopen_cache", |s| Ok(s.reopen_cache())).await
}

#[tauri::command]
async fn start_fresh_cache(state: State<'_, Shared>) -> Result<FreshCache, ErrorPayload> {
    state.run("start_fresh_cache", |s| s.start_fresh()).await
}

/// The UI calls this when the first rows are painted while the rest load (`complete: false`),
/// and when the table with all its rows is painted (`complete: true`).
#[tauri::command]
fn table_painted(app: AppHandle, milestones: BTreeMap<String, f64>, complete: bool) {
    tracing::debug!(?milestones, complete, "table painted");
    if std::env::var(EXIT_AFTER_PAINT_VAR).is_ok_and(|v| v == "1") {
        // The start-up benchmark reads the times of these lines, and the page's milestones (ms
        // since navigation) from them.
        let milestones = serde_json::to_string(&milestones).unwrap_or_default();
        if complete {
            println!("switchboard: all rows painted {milestones}");
            app.exit(0);
        } else {
            println!("switchboard: first rows painted {milestones}");
        }
    }
}

/// WebKitGTK (Linux) rasterises the page with Skia on the GPU by default. Where the GL is
/// software (llvmpipe: virtual machines, remote desktops, Xvfb) the first table frame then took
/// 300–490 ms in most launches, against 70–165 ms when Skia paints on the CPU's threads, and
/// compositing (smooth scrolling) still works. A value set in the environment is left as it is.
#[cfg(target_os = "linux")]
fn prefer_cpu_rasterisation() {
    const VAR: &str = "WEBKIT_SKIA_ENABLE_CPU_RENDERING";
    if std::env::var_os(VAR).is_none() {
        // SAFETY: called first in `main`, before any other thread exists to read the environment.
        unsafe { std::env::set_var(VAR, "1") };
    }
}

fn main() {
    #[cfg(target_os = "linux")]
    prefer_cpu_rasterisation();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    tracing::debug!("starting");

    tauri::Builder::default()
        .plugin(updates::plugin())
        .setup(|app| {
            updates::manage(app.handle());
            let started = Instant::now();
            let session = Session::open_default();
            tracing::info!(ms = started.elapsed().as_millis() as u64, "cache: {:?}", session.status());
            app.manage(Shared(Arc::new(Mutex::new(session))));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            cache_status,
            load_client_table,
            load_client_table_head,
            client_details,
            export_csv,
            start_fresh_cache,
            practice_history,
            reopen_cache,
            table_painted,
            xero::xero_status,
            xero::save_xero_settings,
            xero::connect_xero,
            xero::connect_file,
            xero::cancel_connect,
            xero::reconnect_in_queue,
            xero::discard_reconnect_queue,
            xero::sync_now,
            xero::cancel_sync,
            xero::egress_usage,
            client_actions::open_xero_dashboard,
            client_actions::open_xpm_dashboard,
            client_actions::open_xero_users_page,
            client_actions::rename_client,
            client_actions::merge_client_files,
            client_actions::set_payroll_disconnected,
            client_actions::console_settings,
            client_actions::save_console_settings,
            client_actions::console_users,
            client_actions::add_console_user,
            client_actions::update_console_user,
            client_actions::remove_console_user,
            client_actions::user_access,
            client_actions::refresh_user_access,
            client_actions::refresh_all_user_access,
            client_actions::staff_access,
            client_actions::export_staff_access,
            client_actions::delete_client,
            xpm::xpm_status,
            xpm::xpm_clients,
            xpm::xpm_suggestions,
            xpm::link_xpm,
            xpm::xpm_review,
            xpm::confirm_xpm_links,
            xpm::connect_xpm,
            xpm::refresh_xpm,
            xpm::disconnect_xpm,
            reports::client_reports,
            reports::report_insights,
            reports::refresh_reports,
            reports::refresh_all_reports,
            reports::allow_reports,
            reports::open_reports_in_xero,
            clients::add_client,
            clients::preview_xpm_import,
            clients::import_from_xpm,
            clients::preview_csv_import,
            clients::import_csv,
            cleanup::leftovers,
            cleanup::remove_leftovers,
            updates::update_status,
            updates::check_for_update,
            updates::install_update,
        ])
        .run(tauri::generate_context!("../tauri.conf.json"))
        .expect("Switchboard could not start its window");
}
