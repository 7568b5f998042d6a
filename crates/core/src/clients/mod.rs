//! Client files: the Client Connections list ([`table`]) and a client's work list, details,
//! one-click links, renaming, merging and deleting; where files come from besides a Xero
//! consent (added by hand, imported from the cached XPM clients or from the practice's own CSV
//! list: every such file starts not connected, connecting it is a separate step); and the list
//! exported as CSV.

pub mod add;
pub mod csv_export;
pub mod csv_import;
pub mod deletion;
pub mod links;
pub mod session;
pub mod software;
pub mod table;
pub mod work_list;
pub mod xpm_import;

use std::collections::HashMap;

/// How names are compared when warning about a name already in the list: trimmed, case folded.
/// Two files may share a name (practices have two "Smith Pty Ltd"), so a match only warns.
pub(crate) fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// How many files already carry each name (by [`name_key`]).
pub(crate) fn name_counts(names: impl IntoIterator<Item = String>) -> HashMap<String, u32> {
    let mut counts = HashMap::new();
    for name in names {
        *counts.entry(name_key(&name)).or_insert(0) += 1;
    }
    counts
}

/// The warning shown when a new file takes a name the list already has.
pub(crate) fn duplicate_warning(name: &str, count: u32) -> String {
    let files = if count == 1 { "a client file" } else { "client files" };
    format!("The list already has {files} named \"{name}\". Add it anyway only if it is a different client.")
}

/// An untrusted name (from XPM or a CSV file) made fit for the list: each run of control
/// characters (a line break inside a quoted CSV cell, a tab) becomes one space; everything else is
/// kept exactly, then the rules of a typed name apply.
pub(crate) fn clean_remote_name(name: &str) -> crate::error::Result<String> {
    let mut cleaned = String::with_capacity(name.len());
    let mut in_control = false;
    for c in name.chars() {
        if c.is_control() {
            if !in_control {
                cleaned.push(' ');
            }
            in_control = true;
        } else {
            cleaned.push(c);
            in_control = false;
        }
    }
    crate::cache::validate_name(&cleaned)
}
