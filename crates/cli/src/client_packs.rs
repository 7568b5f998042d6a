//! The client packs due today, sent at the end of `switchboard sync`.

use std::path::Path;

use chrono::Local;
use switchboard_core::Session;

use crate::terminal::shown;

/// Sends the packs whose cadence is due on this computer's date and prints what happened.
/// Answers false when something needs attention (a failed send, or packs that could not go).
pub fn send_due_packs(cache_path: &Path) -> bool {
    let run = match Session::open(cache_path).send_due_packs(Local::now().date_naive()) {
        Ok(run) => run,
        Err(e) => {
            println!("Client packs were not sent: {}", shown(&e.message));
            return false;
        }
    };
    if run.sent > 0 || !run.failed.is_empty() {
        println!("Client packs: sent {}, failed {}.", run.sent, run.failed.len());
    }
    for (_, to, why) in &run.failed {
        println!("  {}: {} It is tried again at the next sync.", shown(to), shown(why));
    }
    if let Some((_, why)) = run.skipped.first() {
        println!("Client packs were not sent to {} clients: {}", run.skipped.len(), shown(why));
    }
    run.failed.is_empty() && run.skipped.is_empty()
}
