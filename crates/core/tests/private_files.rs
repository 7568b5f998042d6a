//! Files at rest on Unix: the data folder 0700; the cache, its -wal and -shm, and exports 0600,
//! whatever the umask (the usual 022 would leave them readable by every user of the machine).
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use switchboard_core::model::ClientFileDraft;
use switchboard_core::{Cache, Session};

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).permissions().mode() & 0o777
}

fn side(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

#[test]
fn a_new_cache_its_side_files_and_its_folder_are_private() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data/switchboard/cache.sqlite3");
    let mut cache = Cache::open(&path).unwrap();
    cache.upsert_files(&[ClientFileDraft::named("Private Ltd")]).unwrap();
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    assert_eq!(mode(&dir.path().join("data")), 0o700, "every folder it made");
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&side(&path, "-wal")), 0o600);
    assert_eq!(mode(&side(&path, "-shm")), 0o600);
}

#[test]
fn a_cache_an_earlier_version_left_readable_becomes_private() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite3");
    let folder = mode(dir.path());
    {
        let mut cache = Cache::open(&path).unwrap();
        cache.upsert_files(&[ClientFileDraft::named("Private Ltd")]).unwrap();
        for file in [path.clone(), side(&path, "-wal"), side(&path, "-shm")] {
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
        // Still open: the side files exist when the next one opens.
        let reopened = Cache::open(&path).unwrap();
        for file in [path.clone(), side(&path, "-wal"), side(&path, "-shm")] {
            assert_eq!(mode(&file), 0o600, "{}", file.display());
        }
        drop(reopened);
    }
    assert_eq!(mode(dir.path()), folder, "a folder it did not make is left as it was");
}

#[test]
fn the_data_folder_and_exports_are_private() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let exports = dir.path().join("exports");
    std::fs::create_dir(&data).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    // SAFETY: the only test in this binary that reads or writes these variables.
    unsafe {
        std::env::set_var(switchboard_core::paths::DATA_DIR_VAR, &data);
        std::env::set_var(switchboard_core::exports::EXPORT_DIR_VAR, &exports);
    }
    let session = Session::open_default();
    assert_eq!(mode(&data), 0o700, "the data folder an earlier version made 0755");
    assert_eq!(mode(&data.join("cache.sqlite3")), 0o600);
    let id = session.cache().unwrap().upsert_files(&[ClientFileDraft::named("Export Ltd")]).unwrap()[0];
    let export = session.export_csv(&[id]).unwrap();
    assert_eq!(mode(Path::new(&export.path)), 0o600);
}
