//! Files at rest that only their owner may read: the cache holds every client's figures and
//! names, an export the same. On Unix the data folder is made 0700 and the cache, its write-ahead
//! log and shared-memory files, and exports 0600, whatever the umask. On Windows the per-user
//! folders (`%APPDATA%`, Downloads) already admit only their user and inherit that to what is
//! created inside; nothing here changes permissions there, so nothing can widen them.

use std::io;
use std::path::Path;

/// Creates `dir` and any missing parents; on Unix, the folders it creates are 0700.
pub(crate) fn create_dir_all(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir)
    }
}

/// Makes Switchboard's own data folder 0700 (one made by an earlier version may be 0755). Never
/// called on a folder a person chose for something else.
pub(crate) fn restrict_dir(dir: &Path) -> io::Result<()> {
    restrict(dir, 0o700)
}

/// Makes a file of Switchboard's 0600, if it exists.
pub(crate) fn restrict_file(path: &Path) -> io::Result<()> {
    match restrict(path, 0o600) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// Creates an empty file at `path` that only its owner may read, unless something is there: SQLite
/// then makes the cache's side files with the same mode as the cache itself.
pub(crate) fn create_file_if_missing(path: &Path) -> io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        other => other.map(drop),
    }
}

#[cfg(unix)]
fn restrict(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let current = std::fs::metadata(path)?.permissions().mode() & 0o777;
    // Only ever narrower: a bit the owner took away is not given back.
    if current & !mode != 0 {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(current & mode))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn restrict(_path: &Path, _mode: u32) -> io::Result<()> {
    Ok(())
}
