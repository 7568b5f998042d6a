//! tauri-build reads the app config from the repository root (design.md §3), resolves the
//! capabilities in `capabilities/` and generates `allow-*` permissions for the app's own commands.

/// Every command the shell exposes; each gets `allow-<name>` / `deny-<name>` permissions.
const COMMANDS: &[&str] = &[
    "cache_status",
    "load_client_table",
    "load_client_table_head",
    "client_details",
    "export_csv",
    "start_fresh_cache",
    "reopen_cache",
    "table_painted",
    "xero_status",
    "save_xero_settings",
    "connect_xero",
    "connect_file",
    "cancel_connect",
    "reconnect_in_queue",
    "discard_reconnect_queue",
    "sync_now",
    "cancel_sync",
    "egress_usage",
    "practice_history",
    // The Settings menu and one-click links (issue 5).
    "open_xero_dashboard",
    "open_xpm_dashboard",
    "open_xero_users_page",
    "rename_client",
    "merge_client_files",
    "set_payroll_disconnected",
    "console_settings",
    "save_console_settings",
    "console_users",
    "add_console_user",
    "update_console_user",
    "remove_console_user",
    "user_access",
    "refresh_user_access",
    "refresh_all_user_access",
    "staff_access",
    "export_staff_access",
    "delete_client",
    // XPM (issue 4)
    "xpm_status",
    "xpm_clients",
    "xpm_suggestions",
    "link_xpm",
    "xpm_review",
    "confirm_xpm_links",
    "connect_xpm",
    "refresh_xpm",
    "disconnect_xpm",
    "client_reports",
    "report_insights",
    "refresh_reports",
    "refresh_all_reports",
    "allow_reports",
    "open_reports_in_xero",
    // Client files added by hand or imported from XPM or a CSV file.
    "add_client",
    "preview_xpm_import",
    "import_from_xpm",
    "preview_csv_import",
    "import_csv",
    // Settings → Clean up
    "leftovers",
    "remove_leftovers",
    // Updates of the app itself (the updater plugin's own commands are not granted).
    "update_status",
    "check_for_update",
    "install_update",
];

fn main() {
    println!("cargo:rerun-if-changed=capabilities");
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    tauri_build::try_build(attributes).expect("failed to run tauri-build");
}
