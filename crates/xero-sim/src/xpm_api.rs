//! `api.xero.com/practicemanager/3.1/client.api/…`: XPM's client endpoints, in XML.
//!
//! Every call passes the same gates as the rest of the API (bearer 401, tenant 403, rate limits
//! 429 with their headers, latency inside the concurrency slot), then needs a `practicemanager`
//! scope (401 `AuthorizationUnsuccessful` otherwise). The tenant must be the practice's
//! `PRACTICEMANAGER` tenant: an organisation's tenant id is refused with 403.

use crate::api::{ExtraDelay, gated_call};
use crate::state::{AccessInfo, Shared, World};
use crate::xpm::{self, Practice, XpmClient};
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

type S = State<Arc<Shared>>;
type Q = Query<HashMap<String, String>>;

const XML: &str = "text/xml; charset=utf-8";
/// Scopes that may read XPM clients (XPM OAS).
const CLIENT_SCOPES: &[&str] =
    &["practicemanager", "practicemanager.read", "practicemanager.client", "practicemanager.client.read"];
const DEFAULT_PAGE_SIZE: usize = 50;
const MAX_PAGE_SIZE: usize = 500;

fn xml(status: StatusCode, text: String) -> Response {
    (status, [(header::CONTENT_TYPE, XML)], text).into_response()
}

fn bad_request(description: &str) -> Response {
    xml(StatusCode::BAD_REQUEST, xpm::error_xml(description))
}

/// Query parameters are case-insensitive at XPM.
fn param<'a>(q: &'a HashMap<String, String>, name: &str) -> Option<&'a str> {
    q.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

fn flag(q: &HashMap<String, String>, name: &str) -> bool {
    param(q, name).is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

/// The API's gates with the practice's own tenant, then `produce` with the practice and the base
/// URL.
async fn xpm_call(
    s: Arc<Shared>,
    headers: HeaderMap,
    extra: Option<ExtraDelay>,
    produce: impl FnOnce(&Practice, &str) -> Response,
) -> Response {
    let reachable = |world: &World, info: &AccessInfo, t: &Uuid| *t == world.xpm.tenant_id && world.connected(info, t);
    gated_call(&s, &headers, extra, CLIENT_SCOPES, reachable, |_, _| {
        let base = s.base_url.lock().expect("base url").clone();
        produce(&s.world().xpm, &base)
    })
    .await
}

/// `yyyy-MM-ddTHH:mm:ss` (UTC) → Unix ms.
fn parse_modified_since(text: &str) -> Option<i64> {
    chrono::NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M:%S").ok().map(|t| t.and_utc().timestamp_millis())
}

/// `GET client.api/list[?detailed=true][&modifiedsince=…]`: every client, archived and deleted
/// included; with `modifiedsince` only those changed at or after it.
pub(crate) async fn list(
    State(s): S,
    headers: HeaderMap,
    extra: Option<Extension<ExtraDelay>>,
    Query(q): Q,
) -> Response {
    let since = match param(&q, "modifiedsince") {
        Some(text) => match parse_modified_since(text) {
            Some(ms) => Some(ms),
            None => return bad_request("modifiedsince must be a date and time formatted as yyyy-MM-ddTHH:mm:ss"),
        },
        None => None,
    };
    let detailed = flag(&q, "detailed");
    xpm_call(s, headers, extra.map(|e| e.0), move |p, _| {
        let clients = p.clients.iter().filter(|c| since.is_none_or(|t| c.modified_ms >= t));
        xml(StatusCode::OK, xpm::list_xml("List", clients, detailed, None))
    })
    .await
}

fn page_token(offset: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("offset:{offset}"))
}

fn page_offset(token: &str) -> Option<usize> {
    let bytes = URL_SAFE_NO_PAD.decode(token.trim()).ok()?;
    String::from_utf8(bytes).ok()?.strip_prefix("offset:")?.parse().ok()
}

/// `GET client.api/paged-list?pageSize=1..500&pageToken=…`: non-archived, non-deleted clients
/// one page at a time; `<Pagination><Links><Next>` holds the next page's URL (empty at the end).
pub(crate) async fn paged_list(
    State(s): S,
    headers: HeaderMap,
    extra: Option<Extension<ExtraDelay>>,
    Query(q): Q,
) -> Response {
    let size = match param(&q, "pageSize").map(|v| v.trim().parse::<usize>()) {
        None => DEFAULT_PAGE_SIZE,
        Some(Ok(n)) if (1..=MAX_PAGE_SIZE).contains(&n) => n,
        Some(_) => return bad_request("pageSize must be between 1 and 500"),
    };
    let offset = match param(&q, "pageToken").filter(|t| !t.is_empty()) {
        None => 0,
        Some(token) => match page_offset(token) {
            Some(o) => o,
            None => return bad_request("pageToken is not valid"),
        },
    };
    let detailed = flag(&q, "detailed");
    xpm_call(s, headers, extra.map(|e| e.0), move |p, base| {
        let active: Vec<&XpmClient> = p.clients.iter().filter(|c| !c.is_archived && !c.is_deleted).collect();
        let page = active.iter().skip(offset).take(size).copied();
        let url = |token: Option<String>| {
            let mut u = format!("{base}/api/practicemanager/3.1/client.api/paged-list?pageSize={size}");
            if let Some(t) = token {
                u.push_str(&format!("&pageToken={t}"));
            }
            u
        };
        let next = (offset + size < active.len()).then(|| url(Some(page_token(offset + size))));
        xml(StatusCode::OK, xpm::list_xml("PagedList", page, detailed, Some((url(None), next))))
    })
    .await
}

/// `GET client.api/get/{uuid}`.
pub(crate) async fn get_client(
    State(s): S,
    headers: HeaderMap,
    extra: Option<Extension<ExtraDelay>>,
    Path(id): Path<String>,
) -> Response {
    let uuid = Uuid::parse_str(id.trim()).ok();
    xpm_call(s, headers, extra.map(|e| e.0), move |p, _| match uuid.and_then(|u| p.client(&u)) {
        Some(c) => xml(StatusCode::OK, xpm::get_xml(c)),
        None => xml(StatusCode::NOT_FOUND, xpm::error_xml("Client not found")),
    })
    .await
}

/// `GET client.api/search?query=…[&detailed=true]`: names containing the query, any case.
pub(crate) async fn search(
    State(s): S,
    headers: HeaderMap,
    extra: Option<Extension<ExtraDelay>>,
    Query(q): Q,
) -> Response {
    let Some(query) = param(&q, "query").map(str::to_lowercase) else {
        return bad_request("query is required");
    };
    let detailed = flag(&q, "detailed");
    xpm_call(s, headers, extra.map(|e| e.0), move |p, _| {
        let hits = p.clients.iter().filter(|c| !c.is_deleted && c.name.to_lowercase().contains(&query));
        xml(StatusCode::OK, xpm::list_xml("Search", hits, detailed, None))
    })
    .await
}
