//! The accounting software of a file staff add: from the dialog's choice, or a CSV cell.

use crate::error::{Error, Result};
use crate::model::AccountingSoftware;

/// A software name for "other" is short text; the codes Switchboard gives its own kinds are
/// refused, so "Other: xero" cannot be stored as something that reads back as Xero.
pub fn checked(software: AccountingSoftware) -> Result<AccountingSoftware> {
    match software {
        AccountingSoftware::Other(name) => other(&name),
        known => Ok(known),
    }
}

fn other(name: &str) -> Result<AccountingSoftware> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::InvalidInput("Give the name of the other accounting software.".to_owned()));
    }
    if name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(Error::InvalidInput(
            "The other software's name must be at most 100 characters on one line.".to_owned(),
        ));
    }
    Ok(known(name).unwrap_or_else(|| AccountingSoftware::Other(name.to_owned())))
}

/// The kinds Switchboard knows, by any of the names a practice's list may use for them.
fn known(text: &str) -> Option<AccountingSoftware> {
    let key: String = text.trim().to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ");
    Some(match key.as_str() {
        "xero" => AccountingSoftware::Xero,
        "quickbooks online" | "quickbooks_online" | "quickbooks-online" | "quickbooks" | "qbo" => {
            AccountingSoftware::QuickbooksOnline
        }
        "myob" => AccountingSoftware::Myob,
        "none" | "no software" => AccountingSoftware::None,
        _ => return None,
    })
}

/// A CSV cell: `Xero`, `QuickBooks Online` (or `QBO`), `MYOB`, `None` (or empty), or
/// `Other: <name>`. Anything else is refused with what would be accepted.
pub fn from_cell(cell: &str) -> Result<AccountingSoftware> {
    let cell = cell.trim();
    if cell.is_empty() {
        return Ok(AccountingSoftware::None);
    }
    if let Some(found) = known(cell) {
        return Ok(found);
    }
    if let Some(rest) = cell.get(5..).filter(|_| cell[..5].eq_ignore_ascii_case("other")) {
        let rest = rest.trim_start();
        if rest.is_empty() || rest.starts_with(':') {
            return other(rest.trim_start_matches(':'));
        }
    }
    Err(Error::InvalidInput(format!(
        "Unknown accounting software \"{cell}\": use Xero, QuickBooks Online, MYOB, None, or Other: <name>."
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_name_each_kind_and_other_keeps_its_spelling() {
        assert_eq!(from_cell(" xero ").unwrap(), AccountingSoftware::Xero);
        assert_eq!(from_cell("QuickBooks  Online").unwrap(), AccountingSoftware::QuickbooksOnline);
        assert_eq!(from_cell("").unwrap(), AccountingSoftware::None);
        assert_eq!(from_cell("Other: Reckon One").unwrap(), AccountingSoftware::Other("Reckon One".into()));
        assert_eq!(from_cell("other:xero").unwrap(), AccountingSoftware::Xero);
        assert!(from_cell("Other").unwrap_err().to_string().contains("name of the other"));
        assert!(from_cell("Sage").unwrap_err().to_string().contains("Unknown accounting software \"Sage\""));
        assert!(from_cell("Otherwise").is_err());
    }
}
