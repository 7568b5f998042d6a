//! Where Switchboard keeps its files.

use std::path::PathBuf;

/// Points every Switchboard file (the cache above all) at another folder, for tests and demos.
pub const DATA_DIR_VAR: &str = "SWITCHBOARD_DATA_DIR";

/// The cache's file name inside the data folder.
pub const CACHE_FILE: &str = "cache.sqlite3";

/// The per-user app-data folder (`%APPDATA%\Switchboard`, `~/Library/Application Support/Switchboard`,
/// `~/.local/share/switchboard`), or `$SWITCHBOARD_DATA_DIR` when set.
pub fn data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os(DATA_DIR_VAR).filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    let base = dirs::data_dir().unwrap_or_else(std::env::temp_dir);
    if cfg!(any(target_os = "windows", target_os = "macos")) {
        base.join("Switchboard")
    } else {
        base.join("switchboard")
    }
}

pub fn cache_path() -> PathBuf {
    data_dir().join(CACHE_FILE)
}
