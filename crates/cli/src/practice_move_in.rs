//! `switchboard practice move-in`: moves a Solo cache (`--cache`, or the app's own) into a new
//! practice database, as its owner, and lists the token sets it could not move.

use std::path::Path;
use std::process::ExitCode;

use switchboard_practice::{PracticeDb, move_in_summary};

use crate::terminal::shown;

/// How many file names a token set's line shows.
const NAMES_SHOWN: usize = 3;

pub async fn run(url: &str, cache: &Path) -> Result<ExitCode, String> {
    let db = PracticeDb::open(url).await.map_err(|e| e.to_string())?;
    let report = db.move_in(cache).await.map_err(|e| e.to_string())?;
    println!("Moved the Solo cache at {} into the practice database at {}:", cache.display(), db.server());
    println!("  {}.", move_in_summary(&report));
    if report.xero_users_skipped > 0 {
        println!(
            "  {} Xero users were not moved: no email, or the same email twice in one organisation (the practice keys them by email).",
            report.xero_users_skipped
        );
    }
    println!(
        "  Connection states and sync times stay in the Solo cache: the practice database does not keep them yet."
    );
    if report.token_sets_left.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "Not moved: {} token sets (the Solo cache's connections to Xero and XPM stay on this computer).",
        report.token_sets_left.len()
    );
    println!("Connect these again from a desktop or hand them over once the sync host is set up:");
    for set in &report.token_sets_left {
        let mut uses = Vec::new();
        if set.xpm {
            uses.push("the practice's XPM connection".to_owned());
        }
        if !set.files.is_empty() {
            let names: Vec<String> = set.files.iter().take(NAMES_SHOWN).map(|n| shown(n)).collect();
            let more = set.files.len().saturating_sub(NAMES_SHOWN);
            let tail = if more > 0 { format!(" and {more} more") } else { String::new() };
            uses.push(format!("{} files: {}{tail}", set.files.len(), names.join(", ")));
        }
        let user = set.xero_user_id.as_deref().map(|u| format!(" (Xero user {})", shown(u))).unwrap_or_default();
        println!("  token set {}{user}: {}", set.id, uses.join("; "));
    }
    Ok(ExitCode::SUCCESS)
}
