//! A row's one-click links: the file's dashboard in Xero and its client page in XPM, built from
//! the cache alone (so they work offline) and checked by [`crate::browser::link_allowlist`]
//! before the system browser sees them.

use crate::browser::{OpenedLink, link_allowlist};
use crate::error::{Error, ErrorPayload, Result};
use crate::model::{AccountingSoftware, ClientFile, FileId};
use crate::session::Session;

type IpcResult<T> = std::result::Result<T, ErrorPayload>;

/// The Xero dashboard link of a file, from the cache alone (so it works offline).
pub fn xero_dashboard_link(file: &ClientFile) -> Result<url::Url> {
    if file.software != AccountingSoftware::Xero {
        return Err(Error::InvalidInput(format!(
            "{} is not synced by Xero, so it has no Xero dashboard.",
            file.display_name
        )));
    }
    let short_code = file.xero.as_ref().and_then(|x| x.short_code.as_deref()).ok_or_else(|| {
        Error::InvalidInput(format!(
            "Xero has not told Switchboard the short code of {} yet, so its dashboard cannot be opened. Sync it and try again.",
            file.display_name
        ))
    })?;
    link_allowlist::xero_dashboard_url(short_code)
}

/// The XPM client page of a file: the `WebUrl` XPM returned, checked like any other link.
pub fn xpm_page_link(file: &ClientFile) -> Result<url::Url> {
    let url = file.xpm.as_ref().and_then(|x| x.web_url.as_deref()).ok_or_else(|| {
        Error::InvalidInput(format!("{} is not linked to an XPM client with a page to open.", file.display_name))
    })?;
    link_allowlist::check_url(url)
}

impl Session {
    pub fn open_xero_dashboard(&self, id: FileId) -> IpcResult<OpenedLink> {
        let file = self.cache()?.file(id)?;
        let url = link_allowlist::open(xero_dashboard_link(&file)?.as_str())?;
        Ok(OpenedLink { url: url.to_string() })
    }

    pub fn open_xpm_dashboard(&self, id: FileId) -> IpcResult<OpenedLink> {
        let file = self.cache()?.file(id)?;
        let url = link_allowlist::open(xpm_page_link(&file)?.as_str())?;
        Ok(OpenedLink { url: url.to_string() })
    }
}
