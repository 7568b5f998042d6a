//! tauri-build reads the app config from the repository root (design.md §3), resolves the
//! capabilities in `capabilities/` and generates `allow-*` permissions for the app's own commands.

/// Every command the shell exposes; each gets `allow-<name>` / `deny-<name>` permissions.
const COMMANDS: &[&str] = &[
    "cache_status",
    "load_client_table",
    "client_details",
    "export_csv",
    "start_fresh_cache",
    "table_painted",
    "xero_status",
    "save_xero_settings",
    "connect_xero",
    "cancel_connect",
    "sync_now",
    "cancel_sync",
    "client_reports",
    "report_insights",
    "refresh_reports",
    "allow_reports",
    "open_reports_in_xero",
];

fn main() {
    println!("cargo:rerun-if-changed=capabilities");
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    tauri_build::try_build(attributes).expect("failed to run tauri-build");
}
