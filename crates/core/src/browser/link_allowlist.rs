//! What Switchboard may open in the system browser, and the Xero links it builds.
//!
//! The web UI never names a URL: it asks for "the Xero dashboard of file X", and the core builds
//! the link from the cache and checks it here before the browser sees it. The check is strict on
//! purpose, so that no link from remote data leads anywhere but Xero: `https` only, the host exactly one of Xero's own, written plainly — no
//! user info, no port, no percent-encoding or backslashes in the host, nothing but printable ASCII.

use url::Url;

use crate::error::{Error, Result};

/// Xero's hosts that Switchboard's links point at: the organisation deep links (dashboard, users),
/// XPM client pages (`WebUrl`), and Xero's report pages.
pub const ALLOWED_HOSTS: &[&str] = &["go.xero.com", "practicemanager.xero.com", "reporting.xero.com"];

/// Longer than any link Xero or XPM hands out; a longer "link" is not one of theirs.
const MAX_URL_LEN: usize = 2048;

/// Checks that `raw` may be opened, and returns it parsed. The error says why not.
pub fn check_url(raw: &str) -> Result<Url> {
    let refuse = |why: &str| Err(Error::InvalidInput(format!("Switchboard did not open that link: {why}")));
    if raw.is_empty() {
        return refuse("it is empty.");
    }
    if raw.len() > MAX_URL_LEN {
        return refuse("it is too long to be a Xero link.");
    }
    // Spaces, control characters and non-ASCII (look-alike letters) have no place in Xero's links.
    if !raw.bytes().all(|b| b.is_ascii_graphic()) {
        return refuse("it contains spaces, control characters or non-ASCII characters.");
    }
    let Some(rest) = raw.strip_prefix("https://") else {
        return refuse("only https:// links to Xero are opened.");
    };
    // The host exactly as written, up to the path, query or fragment.
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    if !ALLOWED_HOSTS.contains(&authority) {
        return refuse(&format!("only links to {} are opened.", ALLOWED_HOSTS.join(", ")));
    }
    let url = Url::parse(raw).or_else(|_| refuse("it is not a valid web address."))?;
    // What the browser will see must be what was checked.
    let plain = url.scheme() == "https"
        && url.host_str() == Some(authority)
        && url.username().is_empty()
        && url.password().is_none()
        && url.port().is_none();
    if !plain {
        return refuse("its address is not plainly one of Xero's.");
    }
    Ok(url)
}

/// Opens a link in the system browser after checking it.
pub fn open(raw: &str) -> Result<Url> {
    let url = check_url(raw)?;
    crate::browser::launch(&url)?;
    Ok(url)
}

/// A Xero organisation short code (e.g. `!mBdtL`), as Xero's `Organisation` endpoint gives it.
fn check_short_code(code: &str) -> Result<&str> {
    let code = code.trim();
    if code.is_empty() || code.len() > 32 || !code.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::InvalidInput(
            "This organisation's short code from Xero does not look right, so no link was built. Sync the file and try again.".to_owned(),
        ));
    }
    Ok(code)
}

/// Xero's deep link into an organisation (`organisationlogin/default.aspx?shortcode=...`), short
/// code percent-encoded.
pub fn xero_deep_link(short_code: &str, redirect_path: &str) -> Result<Url> {
    let code: String = url::form_urlencoded::byte_serialize(check_short_code(short_code)?.as_bytes()).collect();
    check_url(&format!(
        "https://go.xero.com/organisationlogin/default.aspx?shortcode={code}&redirecturl={redirect_path}"
    ))
}

/// The organisation's dashboard in Xero.
pub fn xero_dashboard_url(short_code: &str) -> Result<Url> {
    xero_deep_link(short_code, "/Dashboard/")
}

/// Where the organisation's users are managed in Xero.
pub fn xero_users_url(short_code: &str) -> Result<Url> {
    xero_deep_link(short_code, "/Settings/Users/")
}
