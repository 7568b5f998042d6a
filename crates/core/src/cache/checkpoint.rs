//! Copies the write-ahead log back into the database file on a thread of its own.
//!
//! SQLite normally checkpoints inside the commit that pushes the log past its threshold, so the
//! person whose sync wrote 10,000 files would also wait for a second copy of every page. The
//! cache raises that threshold (see [`INLINE_CHECKPOINT_PAGES`]) and, after each bulk write,
//! asks this thread to checkpoint instead. A PASSIVE checkpoint never blocks readers or writers;
//! what it cannot copy now is copied next time, and SQLite checkpoints when the cache closes.

use std::path::Path;
use std::sync::mpsc::{Sender, channel};
use std::thread::JoinHandle;

use rusqlite::{Connection, OpenFlags};

/// The write-ahead log size (in 4 KiB pages) at which a commit checkpoints inline: a safety net
/// for when the background checkpoint cannot keep up. 16 MiB, about three full practices.
pub(super) const INLINE_CHECKPOINT_PAGES: i64 = 4_096;

pub(super) struct Checkpointer {
    nudge: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts the thread with its own connection to the cache at `path`.
    pub(super) fn start(path: &Path) -> rusqlite::Result<Checkpointer> {
        let conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        let (nudge, nudges) = channel::<()>();
        let thread = std::thread::Builder::new()
            .name("cache-checkpoint".to_owned())
            .spawn(move || {
                while nudges.recv().is_ok() {
                    // Several writes while a checkpoint ran need only one more.
                    while nudges.try_recv().is_ok() {}
                    if let Err(error) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
                        tracing::warn!(%error, "background checkpoint of the cache failed");
                    }
                }
            })
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        Ok(Checkpointer { nudge: Some(nudge), thread: Some(thread) })
    }

    /// Asks for a checkpoint soon; never waits.
    pub(super) fn nudge(&self) {
        if let Some(nudge) = &self.nudge {
            let _ = nudge.send(());
        }
    }
}

impl Drop for Checkpointer {
    /// Finishes a checkpoint in progress and closes the thread's connection before the cache's
    /// own, so the last one to close (the cache's) can fold the log into the file and remove it.
    fn drop(&mut self) {
        drop(self.nudge.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
