//! The Xero API calls a sync makes: `/connections`, `Organisation`, and the payroll and assets
//! "is it available?" probes — paced by the rate limiter, with 429s and lost answers handled as
//! Xero asks (<https://developer.xero.com/documentation/guides/oauth2/limits/>). Every remote string is untrusted and parsed leniently.

use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use serde::Deserialize;

use super::body_cap::{BodyCap, ReadError, read_capped};
use super::config::XeroEndpoints;
use super::egress::EgressMeter;
use super::rate_limit::RateLimiter;
use crate::error::Error;
use crate::model::{ServiceState, UnavailableReason};
use crate::secret::Secret;

/// A 429 asking us to wait longer than this is reported rather than waited out.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(120);
/// Retries of one call after a 5xx or a lost connection.
const RETRIES: u32 = 3;
/// Retries of one call after a 429 that is not the daily limit (Xero says when to come back).
const RATE_LIMIT_RETRIES: u32 = 6;

/// Why one call failed, after retries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallError {
    /// Xero answered with this status; `detail` is its `Detail` (e.g. `AuthenticationUnsuccessful`).
    Status { status: u16, detail: Option<String> },
    /// A rate limit: `problem` is Xero's `X-Rate-Limit-Problem` (`day`, `minute`, ...).
    RateLimited { problem: String, retry_after: Option<Duration> },
    /// No usable answer (connection refused or reset, timeout).
    Unreachable(String),
    /// TLS failed on the server's certificate: the whole sentence, naming the host. Not retried.
    Untrusted(String),
    /// An answer that is not what Xero sends.
    Malformed(String),
    /// A web page (`Content-Type: text/html`) instead of data: a proxy's or a network's sign-in
    /// page, or an error page in front of Xero. Xero's APIs never answer HTML.
    WebPage { status: u16 },
    /// An answer larger than its kind's cap: reading stopped there. Not retried.
    TooLarge(BodyCap),
}

impl CallError {
    /// One sentence for the row's "last sync failed" reason.
    pub fn reason(&self) -> String {
        match self {
            CallError::Status { status, detail } => match detail {
                Some(d) => format!("Xero answered {status} ({d})."),
                None => format!("Xero answered {status}."),
            },
            CallError::RateLimited { problem, retry_after } if problem == "day" => format!(
                "Xero's daily limit for this organisation is used up{}; it will be synced again after that.",
                retry_after.map(|d| format!(" for the next {} minutes", d.as_secs().div_ceil(60))).unwrap_or_default()
            ),
            CallError::RateLimited { problem, .. } => match limit_name(problem) {
                Some(limit) => format!("Xero kept refusing calls over {limit}; try again shortly."),
                None => "Xero kept refusing calls as too many (rate-limited); try again shortly.".to_owned(),
            },
            CallError::Unreachable(e) => format!("Xero could not be reached ({e})."),
            CallError::Untrusted(sentence) => sentence.clone(),
            CallError::Malformed(e) => format!("Xero's answer could not be read ({e})."),
            CallError::WebPage { .. } => {
                "Xero's address answered with a web page, not data (a proxy or sign-in page?).".to_owned()
            }
            CallError::TooLarge(cap) => cap.too_large(),
        }
    }

    /// This failure as the error of an operation that needed Xero to answer.
    pub fn unreachable(&self) -> Error {
        match self {
            CallError::Untrusted(sentence) => Error::CertificateNotTrusted(sentence.clone()),
            other => Error::XeroUnreachable(other.reason()),
        }
    }

    fn detail_is(&self, wanted: &str) -> bool {
        matches!(self, CallError::Status { detail: Some(d), .. } if d.eq_ignore_ascii_case(wanted))
    }

    fn status(&self) -> Option<u16> {
        match self {
            CallError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// 403 `AuthenticationUnsuccessful`: this token set no longer reaches the tenant (consent
    /// revoked, organisation deleted, trial ended, demo reset).
    pub fn tenant_unreachable(&self) -> bool {
        self.status() == Some(403) && self.detail_is("AuthenticationUnsuccessful")
    }

    /// Any other 401: the access token itself was refused (expired, or clocks disagree).
    pub fn token_rejected(&self) -> bool {
        self.status() == Some(401) && !self.detail_is("AuthorizationUnsuccessful")
    }

    /// 401 `AuthorizationUnsuccessful`: the consent lacks a scope the call needs.
    pub fn scope_missing(&self) -> bool {
        self.status() == Some(401) && self.detail_is("AuthorizationUnsuccessful")
    }
}

/// Which limit Xero's `X-Rate-Limit-Problem` names, as a person reads it (`None`: not said, or
/// a value Xero does not document).
fn limit_name(problem: &str) -> Option<&'static str> {
    match problem {
        "minute" => Some("its limit of calls per minute for this organisation"),
        "appminute" => Some("its limit of calls per minute for the practice's whole Xero app"),
        "concurrent" => Some("its limit of calls at the same time for this organisation"),
        "day" => Some("its daily limit for this organisation"),
        _ => None,
    }
}

/// One entry of `GET /connections`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Connection {
    pub id: String,
    pub auth_event_id: Option<String>,
    pub tenant_id: String,
    /// `ORGANISATION`, `PRACTICEMANAGER`, ... kept as Xero sent it (an open set).
    pub tenant_type: Option<String>,
    /// Can be null (Practice Manager tenants).
    pub tenant_name: Option<String>,
}

impl Connection {
    pub fn is_organisation(&self) -> bool {
        self.tenant_type.as_deref().is_none_or(|t| t.eq_ignore_ascii_case("ORGANISATION"))
    }
}

/// What `GET Organisation` tells about an organisation (the fields Switchboard keeps).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Organisation {
    pub name: String,
    pub short_code: Option<String>,
    pub country_code: Option<String>,
    /// The Xero edition's region: `AU`, `NZ`, `UK`, `US`, `GLOBAL`, ...
    pub version: Option<String>,
    #[serde(rename = "OrganisationID")]
    pub organisation_id: Option<String>,
    /// Kept so XPM link suggestions can tell apart clients with the same name.
    pub tax_number: Option<String>,
    pub employer_identification_number: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct OrganisationResponse {
    organisations: Vec<Organisation>,
}

/// Which payroll API a region has, if any (Xero: AU → 1.0; UK and NZ → 2.0; none elsewhere).
pub fn payroll_path(org: &Organisation) -> Option<&'static str> {
    let region = org.version.as_deref().or(org.country_code.as_deref()).unwrap_or("");
    match region.to_ascii_uppercase().as_str() {
        "AU" => Some("payroll.xro/1.0/Settings"),
        "UK" | "GB" | "NZ" => Some("payroll.xro/2.0/Settings"),
        _ => None,
    }
}

/// Reads a `GET /connections` answer.
pub fn parse_connections(body: &[u8]) -> Result<Vec<Connection>, CallError> {
    serde_json::from_slice(body).map_err(|e| CallError::Malformed(e.to_string()))
}

/// Reads a `GET Organisation` answer: its one organisation.
pub fn parse_organisation(body: &[u8]) -> Result<Organisation, CallError> {
    let response: OrganisationResponse =
        serde_json::from_slice(body).map_err(|e| CallError::Malformed(e.to_string()))?;
    response
        .organisations
        .into_iter()
        .next()
        .ok_or_else(|| CallError::Malformed("no organisation in the answer".to_owned()))
}

pub struct XeroApi {
    http: reqwest::Client,
    endpoints: XeroEndpoints,
    limiter: Arc<RateLimiter>,
    egress: Arc<EgressMeter>,
}

impl XeroApi {
    /// An API client that counts what Xero sends in memory only; see [`XeroApi::with_egress`].
    pub fn new(http: reqwest::Client, endpoints: XeroEndpoints, limiter: Arc<RateLimiter>) -> Self {
        XeroApi { http, endpoints, limiter, egress: Arc::default() }
    }

    /// Counts every answer's bytes with `meter` (which keeps them in the cache).
    pub fn with_egress(self, meter: Arc<EgressMeter>) -> Self {
        XeroApi { egress: meter, ..self }
    }

    pub fn egress(&self) -> &EgressMeter {
        &self.egress
    }

    pub(crate) fn endpoints(&self) -> &XeroEndpoints {
        &self.endpoints
    }

    /// The tenants this token set reaches; `auth_event` narrows them to one consent.
    pub async fn connections(&self, access: &Secret, auth_event: Option<&str>) -> Result<Vec<Connection>, CallError> {
        let mut url = self.endpoints.api_url("connections");
        if let Some(event) = auth_event {
            url.query_pairs_mut().append_pair("authEventId", event);
        }
        parse_connections(&self.get(url, access, None, BodyCap::CONNECTIONS).await?)
    }

    pub async fn organisation(&self, access: &Secret, tenant: &str) -> Result<Organisation, CallError> {
        let url = self.endpoints.api_url("api.xro/2.0/Organisation");
        parse_organisation(&self.get(url, access, Some(tenant), BodyCap::ORGANISATION).await?)
    }

    /// Whether payroll answers for this organisation. `Err` only when the probe itself failed
    /// (the file then keeps its last known payroll state).
    pub async fn probe_payroll(
        &self,
        access: &Secret,
        tenant: &str,
        org: &Organisation,
    ) -> Result<ServiceState, CallError> {
        match payroll_path(org) {
            Some(path) => self.probe(access, tenant, path).await,
            None => Ok(ServiceState::Unavailable { reason: UnavailableReason::WrongRegion }),
        }
    }

    pub async fn probe_fixed_assets(&self, access: &Secret, tenant: &str) -> Result<ServiceState, CallError> {
        self.probe(access, tenant, "assets.xro/1.0/Settings").await
    }

    /// Xero documents no "not subscribed" answer; this maps what is observed (facts §6): 401
    /// scope missing, 403 `AuthorizationUnsuccessful` not subscribed, 404 not set up, 405 wrong
    /// region.
    async fn probe(&self, access: &Secret, tenant: &str, path: &str) -> Result<ServiceState, CallError> {
        let unavailable = |reason| Ok(ServiceState::Unavailable { reason });
        match self.get(self.endpoints.api_url(path), access, Some(tenant), BodyCap::SETTINGS).await {
            Ok(_) => Ok(ServiceState::Connected),
            Err(e) if e.scope_missing() => unavailable(UnavailableReason::ScopeNotGranted),
            Err(e) if e.tenant_unreachable() => Err(e),
            Err(e) => match e.status() {
                Some(403) => unavailable(UnavailableReason::NotSubscribed),
                Some(404) => unavailable(UnavailableReason::NotSetUp),
                Some(405) => unavailable(UnavailableReason::WrongRegion),
                _ => Err(e),
            },
        }
    }

    /// A tenant call to any path under the API host (e.g. `api.xro/2.0/Reports/BalanceSheet?date=…`),
    /// with the same pacing and retries as the calls above; the answer's bytes, at most `cap`.
    pub async fn get_path(
        &self,
        access: &Secret,
        tenant: &str,
        path: &str,
        cap: BodyCap,
    ) -> Result<Vec<u8>, CallError> {
        self.get(self.endpoints.api_url(path), access, Some(tenant), cap).await
    }

    pub(super) async fn get(
        &self,
        url: url::Url,
        access: &Secret,
        tenant: Option<&str>,
        cap: BodyCap,
    ) -> Result<Vec<u8>, CallError> {
        self.call(reqwest::Method::GET, url, access, tenant, tenant, "application/json", cap).await
    }

    /// A GET with the same pacing and retries, asking for `accept` (XPM answers XML).
    pub(crate) async fn get_as(
        &self,
        url: url::Url,
        access: &Secret,
        tenant: Option<&str>,
        accept: &str,
        cap: BodyCap,
    ) -> Result<Vec<u8>, CallError> {
        self.call(reqwest::Method::GET, url, access, tenant, tenant, accept, cap).await
    }

    /// One call with retries. `limit_as`: the tenant whose rate limits the call counts against;
    /// `tenant_header`: the `xero-tenant-id` to send (tenant endpoints only); `accept`: the media
    /// type asked for; `cap`: the most of the answer read.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn call(
        &self,
        method: reqwest::Method,
        url: url::Url,
        access: &Secret,
        tenant_header: Option<&str>,
        limit_as: Option<&str>,
        accept: &str,
        cap: BodyCap,
    ) -> Result<Vec<u8>, CallError> {
        self.call_with(method, url, access, tenant_header, limit_as, accept, cap, &[]).await
    }

    /// A tenant GET sending these headers too (e.g. `If-Modified-Since`).
    pub(crate) async fn get_with(
        &self,
        url: url::Url,
        access: &Secret,
        tenant: &str,
        cap: BodyCap,
        headers: &[(&'static str, String)],
    ) -> Result<Vec<u8>, CallError> {
        self.call_with(reqwest::Method::GET, url, access, Some(tenant), Some(tenant), "application/json", cap, headers)
            .await
    }

    /// [`XeroApi::call`] with `headers` added to the request.
    #[allow(clippy::too_many_arguments)]
    async fn call_with(
        &self,
        method: reqwest::Method,
        url: url::Url,
        access: &Secret,
        tenant_header: Option<&str>,
        limit_as: Option<&str>,
        accept: &str,
        cap: BodyCap,
        headers: &[(&'static str, String)],
    ) -> Result<Vec<u8>, CallError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let outcome = {
                let _permit = match limit_as {
                    Some(t) => Some(self.limiter.acquire(t).await),
                    None => None,
                };
                let mut request = self
                    .http
                    .request(method.clone(), url.clone())
                    .bearer_auth(access.expose())
                    .header(reqwest::header::ACCEPT, accept);
                if let Some(t) = tenant_header {
                    request = request.header("xero-tenant-id", t);
                }
                for (name, value) in headers {
                    request = request.header(*name, value);
                }
                send(request, &url, &self.egress, cap).await
            };
            let mut budget = RETRIES;
            let retry_in = match &outcome {
                Ok(_) => return outcome,
                Err(CallError::RateLimited { problem, .. }) if problem == "day" => return outcome,
                Err(CallError::RateLimited { retry_after, .. }) => {
                    let wait = retry_after.unwrap_or(Duration::from_secs(1));
                    if wait > MAX_RETRY_AFTER {
                        return outcome;
                    }
                    budget = RATE_LIMIT_RETRIES;
                    wait
                }
                Err(CallError::Unreachable(_)) => Duration::from_millis(200 * u64::from(attempt)),
                Err(CallError::Status { status, .. }) if *status >= 500 => {
                    Duration::from_millis(300 * u64::from(attempt))
                }
                Err(_) => return outcome,
            };
            if attempt > budget {
                return outcome;
            }
            tokio::time::sleep(retry_in).await;
        }
    }
}

/// A `Retry-After` of seconds, at most a day: Xero's longest limit resets within a day, and a
/// larger remote number would only be shown to a person as a wait of billions of minutes.
pub(crate) fn retry_after(header: &str) -> Option<Duration> {
    let seconds: u64 = header.trim().parse().ok()?;
    Some(Duration::from_secs(seconds.min(24 * 60 * 60)))
}

/// One request; every answer's body is read up to `cap` (a 429's too: Xero counts it as sent)
/// and what arrived is counted by `egress`.
async fn send(
    request: reqwest::RequestBuilder,
    url: &url::Url,
    egress: &EgressMeter,
    cap: BodyCap,
) -> Result<Vec<u8>, CallError> {
    let response = request.send().await.map_err(|e| transport_error(&e))?;
    let status = response.status();
    let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let rate_limited = (status == StatusCode::TOO_MANY_REQUESTS).then(|| CallError::RateLimited {
        problem: header("x-rate-limit-problem").unwrap_or_else(|| "unknown".to_owned()).to_ascii_lowercase(),
        retry_after: header("retry-after").as_deref().and_then(retry_after),
    });
    let web_page = header("content-type").is_some_and(|t| t.trim_start().to_ascii_lowercase().starts_with("text/html"));
    let body = match read_capped(response, cap).await {
        Ok(body) => body,
        Err(ReadError::TooLarge { cap, read }) => {
            egress.record(url, read);
            return Err(CallError::TooLarge(cap));
        }
        Err(ReadError::Transport { error, read }) => {
            egress.record(url, read);
            return Err(CallError::Unreachable(without_url(&error)));
        }
    };
    egress.record(url, body.len());
    if let Some(error) = rate_limited {
        return Err(error);
    }
    // A 5xx page stays a status, so it is retried like any 5xx.
    if web_page && !status.is_server_error() {
        return Err(CallError::WebPage { status: status.as_u16() });
    }
    if status.is_success() {
        Ok(body)
    } else {
        Err(CallError::Status { status: status.as_u16(), detail: problem_detail(&body) })
    }
}

/// Xero's error bodies use `Detail` or `detail` (facts §8.7); keep it short and printable.
fn problem_detail(body: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let detail = value.get("Detail").or_else(|| value.get("detail"))?.as_str()?;
    Some(super::printable(detail, 120))
}

fn transport_error(error: &reqwest::Error) -> CallError {
    match super::http::certificate_problem(error) {
        Some(sentence) => CallError::Untrusted(sentence),
        None => CallError::Unreachable(without_url(error)),
    }
}

/// reqwest's messages name the URL; ours say what happened.
fn without_url(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        "the request timed out".to_owned()
    } else if error.is_connect() {
        "the connection failed".to_owned()
    } else if error.is_body() || error.is_decode() {
        "the answer was cut off".to_owned()
    } else {
        "the connection was lost".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_is_seconds_at_most_a_day() {
        assert_eq!(retry_after(" 30 "), Some(Duration::from_secs(30)));
        assert_eq!(retry_after("18446744073709551615"), Some(Duration::from_secs(86_400)));
        for not_seconds in ["", "-1", "1e9", "99999999999999999999999", "Wed, 21 Oct 2026 07:28:00 GMT"] {
            assert_eq!(retry_after(not_seconds), None, "{not_seconds}");
        }
    }
}
