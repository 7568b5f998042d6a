//! Where exports go and what they are called: the Downloads folder, a name that says what the
//! file holds and when it was made, never overwriting an earlier export, and never a name that
//! Windows refuses or treats as a device.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Moves exports out of the Downloads folder (for tests and locked-down machines).
pub const EXPORT_DIR_VAR: &str = "SWITCHBOARD_EXPORT_DIR";

/// Longest part of a file name taken from a name (a client's), in characters: with the report's
/// title and the time after it, the whole name stays far below the 255 every system allows.
const MAX_NAME_CHARS: usize = 80;

/// Names Windows keeps for devices, with or without an extension (`aux.txt` is the AUX device).
const WINDOWS_DEVICES: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7",
    "COM8", "COM9", "COM¹", "COM²", "COM³", "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8",
    "LPT9", "LPT¹", "LPT²", "LPT³",
];

/// The Downloads known folder (`FOLDERID_Downloads` on Windows), or `$SWITCHBOARD_EXPORT_DIR`;
/// without either, the data folder (never a shared one such as /tmp).
pub fn export_dir() -> Result<PathBuf> {
    match std::env::var_os(EXPORT_DIR_VAR).filter(|d| !d.is_empty()).map(PathBuf::from).or_else(dirs::download_dir) {
        Some(dir) => Ok(dir),
        None => crate::paths::data_dir(),
    }
}

/// `<dir>/<stem> 2026-11-25 2230.csv`, numbered `(2)`, `(3)`… when taken: an export never
/// overwrites an earlier one. `stem` must already be safe (see [`file_stem_from`]).
pub fn unused_csv_path(dir: &Path, stem: &str) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Write { path: dir.to_owned(), source })?;
    let stem = format!("{stem} {}", chrono::Local::now().format("%Y-%m-%d %H%M"));
    (1..1000)
        .map(|n| match n {
            1 => dir.join(format!("{stem}.csv")),
            n => dir.join(format!("{stem} ({n}).csv")),
        })
        .find(|p| !p.exists())
        .ok_or_else(|| Error::InvalidInput(format!("Too many exports in {} this minute.", dir.display())))
}

/// A part of a file name made from a name a person or Xero chose, usable on Windows, macOS and
/// Linux alike (a file saved on one is often copied to another): characters Windows refuses
/// (`<>:"/\|?*`, control characters) become `_`; trailing dots and spaces, which Windows drops
/// silently, are removed; a device name (`CON`, `aux.txt`, `COM1`…) gets a leading `_`; an empty
/// result becomes `fallback`.
pub fn file_stem_from(name: &str, fallback: &str) -> String {
    let replaced: String = name
        .trim()
        .chars()
        .map(|c| if c.is_control() || r#"<>:"/\|?*"#.contains(c) { '_' } else { c })
        .take(MAX_NAME_CHARS)
        .collect();
    let stem = replaced.trim_end_matches(['.', ' ']);
    if stem.is_empty() {
        return fallback.to_owned();
    }
    // Windows compares the part before the first dot, without trailing spaces, to its devices.
    let base = stem.split('.').next().unwrap_or(stem).trim_end();
    if WINDOWS_DEVICES.iter().any(|d| d.eq_ignore_ascii_case(base)) { format!("_{stem}") } else { stem.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::file_stem_from;

    #[test]
    fn names_windows_refuses_or_reads_as_devices_become_plain_file_names() {
        for (name, stem) in [
            ("Acme Pty Ltd", "Acme Pty Ltd"),
            ("CON", "_CON"),
            ("con", "_con"),
            ("aux.txt", "_aux.txt"),
            ("Com1 .ltd", "_Com1 .ltd"),
            ("LPT²", "_LPT²"),
            ("CONSOLE Co", "CONSOLE Co"),
            ("a/b:c*?\"<>|", "a_b_c______"),
            ("Smith & Co.", "Smith & Co"),
            ("Trailing space ", "Trailing space"),
            ("Dots...", "Dots"),
            ("tab\there", "tab_here"),
            ("Zoë Ñandú-O'Brien", "Zoë Ñandú-O'Brien"),
            ("...", "client"),
            ("  ", "client"),
        ] {
            assert_eq!(file_stem_from(name, "client"), stem, "{name:?}");
        }
        let long = "É".repeat(300);
        assert_eq!(file_stem_from(&long, "client").chars().count(), 80);
    }
}
