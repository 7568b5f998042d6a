//! Switchboard's desktop shell. Every command is one call into `switchboard_core::Session`; the
//! shell holds no behaviour of its own. The commands are in `commands/`, one module per feature.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::sync::{Arc, Mutex};
use std::time::Instant;

use switchboard_core::Session;
use tauri::Manager;

mod commands;
mod ipc;
mod updater;

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
        .plugin(updater::plugin())
        .setup(|app| {
            updater::manage(app.handle());
            let started = Instant::now();
            let session = Session::open_default();
            tracing::info!(ms = started.elapsed().as_millis() as u64, "cache: {:?}", session.status());
            app.manage(ipc::Shared(Arc::new(Mutex::new(session))));
            Ok(())
        })
        // `tauri::generate_handler![…]` over every command in `commands/`, written by build/.
        .invoke_handler(include!(concat!(env!("OUT_DIR"), "/invoke_handler.rs")))
        .run(tauri::generate_context!("../tauri.conf.json"))
        .expect("Switchboard could not start its window");
}
