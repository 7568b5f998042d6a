//! "Open in Xero" for a client's reports: Xero's deep link into the organisation's reports, built
//! from the cached short code and opened only through the core's link allowlist (`browser::link_allowlist`).

use crate::cache::Cache;
use crate::error::{Error, Result};
use crate::model::FileId;

/// Opens the client's reports in Xero in the system browser; returns the link opened.
pub fn open_in_xero(cache: &Cache, file: FileId) -> Result<String> {
    let f = cache.file(file)?;
    let short_code =
        f.xero.as_ref().and_then(|x| x.short_code.as_deref()).filter(|s| !s.is_empty()).ok_or_else(|| {
            Error::InvalidInput(format!(
                "{} has no Xero short code yet; sync it once, then Open in Xero works.",
                crate::xero::printable(&f.display_name, 120)
            ))
        })?;
    let url = crate::browser::link_allowlist::xero_deep_link(short_code, "/Reports/")?;
    crate::browser::link_allowlist::open(url.as_str())?;
    Ok(url.to_string())
}
