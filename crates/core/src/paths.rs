//! Where Switchboard keeps its files.

use std::path::PathBuf;

use crate::error::{Error, Result};

/// Points every Switchboard file (the cache above all) at another folder, for tests and demos.
pub const DATA_DIR_VAR: &str = "SWITCHBOARD_DATA_DIR";

/// The cache's file name inside the data folder.
pub const CACHE_FILE: &str = "cache.sqlite3";

/// The per-user app-data folder (`%APPDATA%\Switchboard`, `~/Library/Application Support/Switchboard`,
/// `~/.local/share/switchboard`), or `$SWITCHBOARD_DATA_DIR` when set. With neither there is no
/// fallback: a shared folder such as /tmp would put every client's figures where others can
/// reach them.
pub fn data_dir() -> Result<PathBuf> {
    data_dir_from(std::env::var_os(DATA_DIR_VAR), dirs::data_dir())
}

fn data_dir_from(chosen: Option<std::ffi::OsString>, per_user: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(dir) = chosen.filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    let base = per_user.ok_or(Error::NoDataFolder)?;
    Ok(if cfg!(any(target_os = "windows", target_os = "macos")) {
        base.join("Switchboard")
    } else {
        base.join("switchboard")
    })
}

/// The cache in the data folder, which is created if needed and (on Unix) made 0700.
pub fn cache_path() -> Result<PathBuf> {
    let dir = data_dir()?;
    let unavailable = |e: std::io::Error| Error::CacheUnavailable { path: dir.join(CACHE_FILE), detail: e.to_string() };
    crate::private_files::create_dir_all(&dir).map_err(unavailable)?;
    crate::private_files::restrict_dir(&dir).map_err(unavailable)?;
    Ok(dir.join(CACHE_FILE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_no_per_user_folder_and_none_chosen_there_is_no_data_folder_at_all() {
        let error = data_dir_from(None, None).unwrap_err();
        assert!(matches!(error, Error::NoDataFolder));
        assert!(error.to_string().contains("SWITCHBOARD_DATA_DIR"), "{error}");
        assert_eq!(data_dir_from(Some("".into()), None).unwrap_err().kind(), crate::ErrorKind::CacheUnavailable);
        assert_eq!(data_dir_from(Some("/chosen".into()), None).unwrap(), PathBuf::from("/chosen"));
    }
}
