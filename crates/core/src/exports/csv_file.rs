//! Writing a CSV file for spreadsheets: the one writer every export uses (a byte-order mark, a
//! temporary file renamed into place) and the one guard against cells a spreadsheet would run.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

/// Writes a spreadsheet file at `path`: a UTF-8 byte-order mark first, so Excel reads non-ASCII
/// names correctly, then what `write` writes. Written to a temporary file and renamed, so a
/// failure never leaves half a file behind.
pub fn write_csv_file(path: &Path, write: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    let write_error = |source| Error::Write { path: path.to_owned(), source };
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(write_error)?;
    // An export holds client names and figures: only its owner may read it (Unix; on Windows the
    // Downloads folder's own permissions apply). tempfile makes it 0600 already; this says so.
    #[cfg(unix)]
    std::fs::set_permissions(temp.path(), std::os::unix::fs::PermissionsExt::from_mode(0o600)).map_err(write_error)?;
    temp.write_all("\u{feff}".as_bytes()).map_err(write_error)?;
    write(&mut temp)?;
    temp.persist(path).map_err(|e| write_error(e.error))?;
    Ok(())
}

/// The error of a CSV writer, as a sentence.
pub(crate) fn csv_error(e: csv::Error) -> Error {
    Error::InvalidInput(format!("Could not write the CSV: {e}"))
}

/// A cell of remote or typed text, safe to open in a spreadsheet: spreadsheets run a cell that
/// starts with `=`, `+`, `-`, `@`, tab or carriage return as a formula, so such a cell is
/// prefixed with `'` (OWASP's advice: <https://owasp.org/www-community/attacks/CSV_Injection>).
pub fn text_cell(value: &str) -> String {
    guard(value, false)
}

/// A cell that may hold an amount, guarded like [`text_cell`] except that a negative amount
/// (`-12.50`, `-1,234`) stays a number: it is not a formula.
pub fn figure_cell(value: &str) -> String {
    guard(value, true)
}

fn guard(value: &str, amounts: bool) -> String {
    let runs = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let amount = amounts && value.strip_prefix('-').is_some_and(is_plain_amount);
    if runs && !amount { format!("'{value}") } else { value.to_owned() }
}

/// Digits with optional thousands commas and one decimal point, after optional spaces.
fn is_plain_amount(text: &str) -> bool {
    let text = text.trim_start();
    text.bytes().any(|b| b.is_ascii_digit())
        && text.bytes().all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
        && text.bytes().filter(|&b| b == b'.').count() <= 1
}

#[cfg(test)]
mod tests {
    use super::{figure_cell, text_cell};

    #[test]
    fn cells_a_spreadsheet_would_run_are_prefixed_and_amounts_stay_numbers() {
        for (value, text, figure) in [
            ("=SUM(A1)", "'=SUM(A1)", "'=SUM(A1)"),
            ("+1+1", "'+1+1", "'+1+1"),
            ("@x", "'@x", "'@x"),
            ("\tx", "'\tx", "'\tx"),
            ("-2", "'-2", "-2"),
            ("-1,234.50", "'-1,234.50", "-1,234.50"),
            ("-1+2", "'-1+2", "'-1+2"),
            ("-", "'-", "'-"),
            ("Safe = fine", "Safe = fine", "Safe = fine"),
            ("(12.00)", "(12.00)", "(12.00)"),
        ] {
            assert_eq!(text_cell(value), text, "{value:?}");
            assert_eq!(figure_cell(value), figure, "{value:?}");
        }
    }
}
