//! Opening an XPM client's page (the XPM Dashboard column).
//!
//! The URL is the `WebUrl` XPM returned, so it is remote data: the core itself checks it is
//! `https` on XPM's own host before the system browser sees it (design.md §4). Issue 5 builds a
//! general dashboard allowlist; this is only the part XPM needs.

use url::Url;

use crate::error::{Error, Result};

/// The only host an XPM client page may be on.
pub const XPM_WEB_HOST: &str = "practicemanager.xero.com";

/// `web_url` if it is an https URL on XPM's host (no credentials, default port).
pub fn checked_xpm_url(web_url: &str) -> Result<Url> {
    let refused = || {
        Error::InvalidInput(format!(
            "Switchboard only opens XPM pages on https://{XPM_WEB_HOST}/; this client's XPM address was refused."
        ))
    };
    let url = Url::parse(web_url.trim()).map_err(|_| refused())?;
    let host_ok = url.host_str().is_some_and(|h| h.eq_ignore_ascii_case(XPM_WEB_HOST));
    if url.scheme() != "https" || !host_ok || url.port().is_some() || !url.username().is_empty() || url.password().is_some() {
        return Err(refused());
    }
    Ok(url)
}

/// Opens the checked URL in the system browser.
pub fn open_xpm_page(web_url: &str) -> Result<()> {
    let url = checked_xpm_url(web_url)?;
    // `open_url_under` compares origin and path: the origin is XPM's fixed one, the path the page's.
    let mut allowed = Url::parse(&format!("https://{XPM_WEB_HOST}/")).expect("a fixed URL");
    allowed.set_path(url.path());
    crate::browser::open_url_under(&url, &allowed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_practicemanager_pages_pass() {
        assert!(checked_xpm_url("https://practicemanager.xero.com/Client/123/Detail").is_ok());
        for bad in [
            "http://practicemanager.xero.com/Client/123/Detail",
            "https://practicemanager.xero.com.evil.example/Client/1",
            "https://evil.example/?practicemanager.xero.com",
            "https://user:pw@practicemanager.xero.com/Client/1",
            "https://practicemanager.xero.com:8443/Client/1",
            "javascript:alert(1)",
            "file:///etc/passwd",
            "not a url",
        ] {
            assert!(checked_xpm_url(bad).is_err(), "{bad}");
        }
    }
}
