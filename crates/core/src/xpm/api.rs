//! XPM v3.1's client calls, over the same paced, retrying HTTP as the rest of Xero
//! (`XeroApi::get_as`, asking for XML): paged list, list modified since, get one.

use url::Url;

use super::XpmClientRecord;
use super::xml::{ClientList, XmlError, parse_client, parse_client_list};
use crate::model::UnixMillis;
use crate::secret::Secret;
use crate::xero::api::{CallError, XeroApi};
use crate::xero::body_cap::BodyCap;
use crate::xero::config::XeroEndpoints;

/// XPM's page size limit (1–500); the largest means the fewest calls against the rate limits.
pub const PAGE_SIZE: u32 = 500;
const XML_ACCEPT: &str = "application/xml";

/// Why an XPM call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum XpmCallError {
    Call(CallError),
    Xml(XmlError),
}

impl XpmCallError {
    /// One sentence for a person.
    pub fn reason(&self) -> String {
        match self {
            XpmCallError::Call(e) => e.reason().replace("Xero", "XPM"),
            XpmCallError::Xml(e) => format!("XPM's answer could not be used: {e}. Nothing cached was changed."),
        }
    }

    pub fn token_rejected(&self) -> bool {
        matches!(self, XpmCallError::Call(e) if e.token_rejected())
    }
}

impl From<CallError> for XpmCallError {
    fn from(e: CallError) -> Self {
        XpmCallError::Call(e)
    }
}

impl From<XmlError> for XpmCallError {
    fn from(e: XmlError) -> Self {
        XpmCallError::Xml(e)
    }
}

fn url(endpoints: &XeroEndpoints, path: &str) -> Url {
    endpoints.api_url(&format!("practicemanager/3.1/{path}"))
}

/// One page of `client.api/paged-list` (active clients only); `token` from the previous page.
pub async fn paged_list(
    api: &XeroApi,
    endpoints: &XeroEndpoints,
    access: &Secret,
    tenant: &str,
    token: Option<&str>,
) -> Result<(ClientList, Option<String>), XpmCallError> {
    let mut u = url(endpoints, "client.api/paged-list");
    u.query_pairs_mut().append_pair("pageSize", &PAGE_SIZE.to_string());
    if let Some(t) = token {
        u.query_pairs_mut().append_pair("pageToken", t);
    }
    let body = api.get_as(u, access, Some(tenant), XML_ACCEPT, BodyCap::XPM_CLIENTS).await?;
    let list = parse_client_list(&body)?;
    // Only the token is taken from XPM's `Next` link: the URL itself is rebuilt on our API host.
    let next = list.next_page.as_deref().and_then(page_token_of);
    Ok((list, next))
}

fn page_token_of(next: &str) -> Option<String> {
    let parsed = Url::parse(next).or_else(|_| Url::parse("https://x.invalid/").and_then(|b| b.join(next))).ok()?;
    parsed.query_pairs().find(|(k, _)| k.eq_ignore_ascii_case("pageToken")).map(|(_, v)| v.into_owned())
}

/// `client.api/list?modifiedsince=` (UTC `yyyy-MM-ddTHH:mm:ss`): every client changed since,
/// archived and deleted ones included.
pub async fn modified_since(
    api: &XeroApi,
    endpoints: &XeroEndpoints,
    access: &Secret,
    tenant: &str,
    since: UnixMillis,
) -> Result<ClientList, XpmCallError> {
    let stamp =
        chrono::DateTime::from_timestamp_millis(since.0).unwrap_or_default().format("%Y-%m-%dT%H:%M:%S").to_string();
    let mut u = url(endpoints, "client.api/list");
    u.query_pairs_mut().append_pair("modifiedsince", &stamp);
    let body = api.get_as(u, access, Some(tenant), XML_ACCEPT, BodyCap::XPM_CLIENTS).await?;
    Ok(parse_client_list(&body)?)
}

/// `client.api/get/{uuid}`; `None` when XPM no longer knows the client.
pub async fn get_client(
    api: &XeroApi,
    endpoints: &XeroEndpoints,
    access: &Secret,
    tenant: &str,
    uuid: &str,
) -> Result<Option<XpmClientRecord>, XpmCallError> {
    let u = url(endpoints, &format!("client.api/get/{}", urlencode(uuid)));
    match api.get_as(u, access, Some(tenant), XML_ACCEPT, BodyCap::XPM_CLIENT).await {
        Ok(body) => Ok(Some(parse_client(&body)?)),
        Err(CallError::Status { status: 404, .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_token_is_read_from_the_next_link() {
        assert_eq!(
            page_token_of(
                "https://api.xero.com/practicemanager/3.1/client.api/paged-list?pageSize=500&pageToken=abc%3D"
            )
            .as_deref(),
            Some("abc=")
        );
        assert_eq!(page_token_of("client.api/paged-list?pageToken=t2").as_deref(), Some("t2"));
        assert_eq!(page_token_of("https://api.xero.com/x?pageSize=5"), None);
    }
}
