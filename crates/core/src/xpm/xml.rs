//! Reading XPM v3.1's XML answers (quick-xml + serde).
//!
//! Lenient where XPM varies (unknown elements ignored, optional ones may be missing or empty,
//! `Yes`/`No` booleans in any case, `WebUrl` inside each client or at the response level) and
//! strict where an answer cannot be XPM's: a document type declaration (the door to entity
//! expansion), a root other than `<Response>` (an HTML page from a proxy or a sign-in portal),
//! a document larger than [`MAX_DOCUMENT_BYTES`], or `<Status>` other than `OK`. Every refusal
//! is a sentence a person can act on; the caller writes nothing when parsing fails.

use quick_xml::events::Event;
use serde::Deserialize;

use super::XpmClientRecord;

/// A 15,000-client practice's full list is ~20 MB; anything this large is not a client list.
pub const MAX_DOCUMENT_BYTES: usize = 128 * 1024 * 1024;

/// Why an answer could not be read as XPM's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XmlError {
    #[error("XPM's answer was empty")]
    Empty,
    #[error("XPM's answer was {0} MB, larger than any client list; it was not read")]
    TooLarge(usize),
    #[error("the answer was a web page, not XPM data (a proxy, firewall or sign-in page may be in the way)")]
    HtmlPage,
    #[error("the answer declares a document type, which XPM never does; it was refused for safety")]
    DocType,
    #[error("the answer is XML but not an XPM response (its root is <{0}>)")]
    WrongRoot(String),
    #[error("XPM reported an error: {0}")]
    Status(String),
    #[error("XPM's answer is not well-formed XML ({0})")]
    Malformed(String),
    #[error("XPM's answer has a client without {0}")]
    MissingField(&'static str),
}

/// One page (or all) of a client list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClientList {
    pub clients: Vec<XpmClientRecord>,
    /// `paged-list`: the URL of the next page, `None` on the last one.
    pub next_page: Option<String>,
}

#[derive(Deserialize)]
struct ResponseXml {
    #[serde(rename = "Status")]
    status: Option<String>,
    #[serde(rename = "ErrorDescription")]
    error_description: Option<String>,
    #[serde(rename = "WebUrl")]
    web_url: Option<String>,
    #[serde(rename = "Clients")]
    clients: Option<ClientsXml>,
    #[serde(rename = "Client")]
    client: Option<ClientXml>,
    #[serde(rename = "Pagination")]
    pagination: Option<PaginationXml>,
}

#[derive(Deserialize)]
struct ClientsXml {
    #[serde(rename = "Client", default)]
    client: Vec<ClientXml>,
}

#[derive(Deserialize)]
struct PaginationXml {
    #[serde(rename = "Links")]
    links: Option<LinksXml>,
}

#[derive(Deserialize)]
struct LinksXml {
    #[serde(rename = "Next")]
    next: Option<String>,
}

#[derive(Deserialize)]
struct ClientXml {
    #[serde(rename = "UUID")]
    uuid: Option<String>,
    #[serde(rename = "Name")]
    name: Option<String>,
    #[serde(rename = "Email")]
    email: Option<String>,
    #[serde(rename = "TaxNumber")]
    tax_number: Option<String>,
    #[serde(rename = "ClientCode")]
    client_code: Option<String>,
    #[serde(rename = "IsProspect")]
    is_prospect: Option<String>,
    #[serde(rename = "IsArchived")]
    is_archived: Option<String>,
    #[serde(rename = "IsDeleted")]
    is_deleted: Option<String>,
    #[serde(rename = "WebUrl")]
    web_url: Option<String>,
}

/// `client.api/list`, `paged-list` or `search`.
pub fn parse_client_list(body: &[u8]) -> Result<ClientList, XmlError> {
    let response = parse_response(body)?;
    let clients = response.clients.map(|c| c.client).unwrap_or_default();
    Ok(ClientList {
        clients: clients.into_iter().map(|c| record(c, None)).collect::<Result<_, _>>()?,
        next_page: response.pagination.and_then(|p| p.links).and_then(|l| text(l.next)),
    })
}

/// `client.api/get/{uuid}`: `WebUrl` may sit at the response level (XPM's documented example).
pub fn parse_client(body: &[u8]) -> Result<XpmClientRecord, XmlError> {
    let response = parse_response(body)?;
    let client = response.client.ok_or(XmlError::MissingField("a <Client> element"))?;
    record(client, text(response.web_url))
}

fn parse_response(body: &[u8]) -> Result<ResponseXml, XmlError> {
    if body.len() > MAX_DOCUMENT_BYTES {
        return Err(XmlError::TooLarge(body.len() / (1024 * 1024)));
    }
    let text = std::str::from_utf8(body).map_err(|_| XmlError::Malformed("it is not UTF-8".to_owned()))?;
    check_prolog(text)?;
    let response: ResponseXml =
        quick_xml::de::from_str(text).map_err(|e| XmlError::Malformed(crate::xero::printable(&e.to_string(), 160)))?;
    match response.status.as_deref().map(str::trim) {
        Some(s) if s.eq_ignore_ascii_case("OK") => Ok(response),
        other => Err(XmlError::Status(crate::xero::printable(
            text_ref(response.error_description.as_deref()).or(other).unwrap_or("no status"),
            200,
        ))),
    }
}

/// Looks at what comes before the root element: no DOCTYPE, and the root must be `<Response>`.
fn check_prolog(text: &str) -> Result<(), XmlError> {
    if text.trim().is_empty() {
        return Err(XmlError::Empty);
    }
    let mut reader = quick_xml::Reader::from_str(text);
    loop {
        match reader.read_event() {
            Ok(Event::Decl(_) | Event::Comment(_) | Event::PI(_)) => {}
            Ok(Event::Text(t)) if t.clone().into_inner().trim().is_empty() => {}
            Ok(Event::DocType(d)) => {
                return Err(if d.into_inner().trim().eq_ignore_ascii_case("html") {
                    XmlError::HtmlPage
                } else {
                    XmlError::DocType
                });
            }
            Ok(Event::Start(e) | Event::Empty(e)) => {
                let name = e.name().0.to_owned();
                return match name.as_str() {
                    "Response" => Ok(()),
                    n if n.eq_ignore_ascii_case("html") => Err(XmlError::HtmlPage),
                    n => Err(XmlError::WrongRoot(crate::xero::printable(n, 40))),
                };
            }
            Ok(Event::Eof) => return Err(XmlError::Empty),
            Ok(_) => return Err(XmlError::Malformed("text before the root element".to_owned())),
            Err(e) => return Err(XmlError::Malformed(crate::xero::printable(&e.to_string(), 160))),
        }
    }
}

fn record(c: ClientXml, response_web_url: Option<String>) -> Result<XpmClientRecord, XmlError> {
    let uuid = text(c.uuid).ok_or(XmlError::MissingField("a UUID"))?;
    let name = text(c.name).ok_or(XmlError::MissingField("a Name"))?;
    Ok(XpmClientRecord {
        uuid,
        name,
        email: text(c.email),
        tax_number: text(c.tax_number),
        client_code: text(c.client_code),
        prospect: yes(c.is_prospect),
        archived: yes(c.is_archived),
        deleted: yes(c.is_deleted),
        web_url: text(c.web_url).or(response_web_url),
    })
}

/// Empty elements (`<Email />`) and whitespace mean "not given".
fn text(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

fn text_ref(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

fn yes(value: Option<String>) -> bool {
    value.is_some_and(|v| v.trim().eq_ignore_ascii_case("yes") || v.trim().eq_ignore_ascii_case("true"))
}
