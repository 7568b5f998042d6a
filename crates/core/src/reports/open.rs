//! "Open in Xero" for a client's reports. The URL is built here from the cached short code and
//! checked against the hosts reports may open (https, Xero's web hosts only) before the system
//! browser sees it. Issue 5 builds the general dashboard allowlist; this is only the check the
//! reports need.

use url::Url;

use crate::cache::Cache;
use crate::error::{Error, Result};
use crate::model::FileId;

/// The Xero web hosts a report link may point at.
const REPORT_HOSTS: &[&str] = &["go.xero.com", "reporting.xero.com"];

/// Whether `url` may be opened as a Xero report page: https, an allowlisted host, no user info,
/// the default port.
pub fn is_allowed_report_url(url: &Url) -> bool {
    url.scheme() == "https"
        && url.host_str().is_some_and(|h| REPORT_HOSTS.contains(&h))
        && url.username().is_empty()
        && url.password().is_none()
        && url.port().is_none()
}

/// Xero's deep link into the organisation's reports (the short code is percent-encoded).
pub fn reports_url(short_code: &str) -> Result<Url> {
    let mut url = Url::parse("https://go.xero.com/organisationlogin/default.aspx").expect("a fixed URL parses");
    url.query_pairs_mut().append_pair("shortcode", short_code).append_pair("redirecturl", "/Reports/");
    Ok(url)
}

/// Opens the client's reports in Xero in the system browser.
pub fn open_in_xero(cache: &Cache, file: FileId) -> Result<String> {
    let f = cache.file(file)?;
    let short_code = f
        .xero
        .as_ref()
        .and_then(|x| x.short_code.as_deref())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            Error::InvalidInput(format!("{} has no Xero short code yet; sync it once, then Open in Xero works.", f.display_name))
        })?;
    let url = reports_url(short_code)?;
    if !is_allowed_report_url(&url) {
        return Err(Error::InvalidInput("Switchboard only opens Xero's own pages over https.".to_owned()));
    }
    // The check above is the allowlist; `open_url_under` with the URL itself only launches it.
    crate::browser::open_url_under(&url, &url)?;
    Ok(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_xero_hosts_are_allowed() {
        for ok in ["https://go.xero.com/organisationlogin/default.aspx?shortcode=%21abc", "https://reporting.xero.com/!abc/v1/Run/1016"] {
            assert!(is_allowed_report_url(&Url::parse(ok).unwrap()), "{ok}");
        }
        for refused in [
            "http://go.xero.com/Reports",
            "https://go.xero.com.evil.example/",
            "https://evil.example/go.xero.com",
            "https://user@go.xero.com/",
            "https://go.xero.com:8443/",
            "javascript:alert(1)",
            "file:///etc/passwd",
        ] {
            assert!(!is_allowed_report_url(&Url::parse(refused).unwrap()), "{refused}");
        }
    }

    #[test]
    fn the_short_code_is_percent_encoded() {
        let url = reports_url("!a&b=c").unwrap();
        assert_eq!(url.as_str(), "https://go.xero.com/organisationlogin/default.aspx?shortcode=%21a%26b%3Dc&redirecturl=%2FReports%2F");
        assert!(is_allowed_report_url(&url));
    }
}
