//! What Settings → Clean up offers to remove: caches set aside as unusable (renamed beside the
//! cache by "Start a fresh cache", kept so they could be inspected or recovered) and the XPM
//! clients still cached after the practice's XPM was disconnected. Only what [`leftovers`] lists
//! can be removed, and never the cache in use.

use std::path::{Path, PathBuf};

use serde::Serialize;
use ts_rs::TS;

use crate::cache::Cache;
use crate::error::{Error, Result};

/// The id of the cached XPM clients in a list of leftovers (set-aside caches use their file name).
pub const XPM_CLIENTS_ID: &str = "xpm-clients";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LeftoverKind {
    /// A cache "Start a fresh cache" set aside, with its side files.
    SetAsideCache { path: String },
    /// XPM clients cached for a practice whose XPM is no longer connected.
    XpmClients { clients: u32, linked_files: u32 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Leftover {
    /// What to pass to [`remove_leftovers`].
    pub id: String,
    pub what: LeftoverKind,
    /// On disk for a set-aside cache; for XPM clients, about what their details take.
    #[ts(type = "number")]
    pub bytes: u64,
}

/// Everything there is to clean up for the cache at `cache.path()`, set-aside caches first
/// (oldest first).
pub fn leftovers(cache: &Cache) -> Result<Vec<Leftover>> {
    let mut found: Vec<Leftover> = set_aside_caches(cache.path())?
        .into_iter()
        .map(|(name, path, bytes)| Leftover {
            id: name,
            what: LeftoverKind::SetAsideCache { path: path.display().to_string() },
            bytes,
        })
        .collect();
    if !crate::xpm::refresh::status(cache)?.connected {
        let (clients, bytes) = cache.xpm_records_size()?;
        if clients > 0 {
            let linked_files = cache.file_link_rows()?.iter().filter(|f| f.xpm_client_uuid.is_some()).count() as u32;
            found.push(Leftover {
                id: XPM_CLIENTS_ID.to_owned(),
                what: LeftoverKind::XpmClients { clients, linked_files },
                bytes,
            });
        }
    }
    Ok(found)
}

/// Removes the leftovers with these ids, each only if [`leftovers`] lists it now; returns what is
/// left. An id not listed (the live cache's name, a path, something already removed) is refused
/// before anything is removed.
pub fn remove_leftovers(cache: &mut Cache, ids: &[String]) -> Result<Vec<Leftover>> {
    let listed = leftovers(cache)?;
    let chosen: Vec<&Leftover> = ids
        .iter()
        .map(|id| {
            listed.iter().find(|l| &l.id == id).ok_or_else(|| {
                Error::InvalidInput(format!(
                    "{id} is not something Settings offers to clean up, so nothing was removed."
                ))
            })
        })
        .collect::<Result<_>>()?;
    for leftover in chosen {
        let removed = match &leftover.what {
            LeftoverKind::SetAsideCache { path } => {
                remove_set_aside(cache.path(), Path::new(path))?;
                format!("the set-aside cache {path}")
            }
            LeftoverKind::XpmClients { clients, linked_files } => {
                cache.forget_xpm_records(crate::xpm::refresh::LAST_REFRESH_KEY)?;
                format!("{clients} cached XPM client(s), unlinking {linked_files} file(s)")
            }
        };
        cache.record_practice_change("remove_leftover", None, Some(&removed))?;
    }
    leftovers(cache)
}

/// `<stem>.unusable-<time>.sqlite3` beside the cache, as `Cache::start_fresh` names them: file
/// name, path and size with its side files.
fn set_aside_caches(cache_path: &Path) -> Result<Vec<(String, PathBuf, u64)>> {
    let Some(dir) = cache_path.parent().map(|d| if d.as_os_str().is_empty() { Path::new(".") } else { d }) else {
        return Ok(Vec::new());
    };
    let prefix = format!("{}.unusable-", stem(cache_path));
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => return Err(Error::Write { path: dir.to_owned(), source: e }),
    };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !(name.starts_with(&prefix) && name.ends_with(".sqlite3")) {
            continue;
        }
        let path = entry.path();
        let bytes = [path.clone(), side(&path, "-wal"), side(&path, "-shm")]
            .iter()
            .filter_map(|p| std::fs::symlink_metadata(p).ok())
            .filter(|m| m.is_file())
            .map(|m| m.len())
            .sum();
        found.push((name, path, bytes));
    }
    // The time in the name sorts as it reads.
    found.sort();
    Ok(found)
}

fn remove_set_aside(cache_path: &Path, path: &Path) -> Result<()> {
    // Belt and braces: the pattern above cannot match the cache in use, and this says so.
    if path == cache_path {
        return Err(Error::InvalidInput("The cache in use is never removed.".to_owned()));
    }
    for file in [path.to_owned(), side(path, "-wal"), side(path, "-shm")] {
        match std::fs::remove_file(&file) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(Error::Write { path: file, source: e }),
            _ => {}
        }
    }
    Ok(())
}

fn stem(path: &Path) -> String {
    path.file_stem().and_then(|s| s.to_str()).unwrap_or("cache").to_owned()
}

fn side(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

impl crate::session::Session {
    pub fn leftovers(&self) -> std::result::Result<Vec<Leftover>, crate::error::ErrorPayload> {
        Ok(leftovers(&*self.cache()?)?)
    }

    /// Removes the leftovers with these ids (only ones listed); returns what is left.
    pub fn remove_leftovers(&self, ids: &[String]) -> std::result::Result<Vec<Leftover>, crate::error::ErrorPayload> {
        Ok(remove_leftovers(&mut *self.cache()?, ids)?)
    }
}
