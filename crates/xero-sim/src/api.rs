//! api.xero.com: `/connections`, Accounting `Organisation` and `Users`, Payroll and Assets Settings.

use crate::config::Unavailable;
use crate::data::{Country, Organisation};
use crate::ratelimit::{Admission, Remaining};
use crate::render::{Xml, ms_date, ms_date_offset, ms_json, problem_json, sub_ms_of, ts0, ts7, us_datetime};
use crate::state::{AccessInfo, Shared, World, bump};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

type S = State<Arc<Shared>>;

/// Extra delay decided by the fault layer (a `Slow` fault), served inside the concurrency slot.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct ExtraDelay(pub Duration);

pub(crate) const JSON: &str = "application/json; charset=utf-8";
const XML: &str = "text/xml; charset=utf-8";

pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

fn problem(status: StatusCode, title: &str, detail: &str) -> Response {
    (status, [(header::CONTENT_TYPE, JSON)], problem_json(title, status.as_u16(), detail)).into_response()
}

pub(crate) fn forbidden() -> Response {
    problem(StatusCode::FORBIDDEN, "Forbidden", "AuthenticationUnsuccessful")
}

pub(crate) fn unauthorized_scope() -> Response {
    problem(StatusCode::UNAUTHORIZED, "Unauthorized", "AuthorizationUnsuccessful")
}

/// Check `Authorization: Bearer`; 401 as Xero answers it otherwise.
#[allow(clippy::result_large_err)] // the error is the finished response, built once per refusal
pub(crate) fn authenticate(s: &Shared, world: &World, headers: &HeaderMap) -> Result<AccessInfo, Response> {
    let now = s.clock.now_ms();
    let Some(info) = bearer(headers).and_then(|t| world.access(t)) else {
        let mut r = problem(StatusCode::UNAUTHORIZED, "Unauthorized", "AuthenticationUnsuccessful");
        r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return Err(r);
    };
    if info.exp_ms <= now {
        let when = us_datetime(info.exp_ms);
        let mut r =
            problem(StatusCode::UNAUTHORIZED, "Unauthorized", &format!("TokenExpired: token expired at {when}"));
        if let Ok(v) = HeaderValue::from_str(&format!(
            "Bearer error=\"invalid_token\", error_description=\"The token expired at '{when}'\""
        )) {
            r.headers_mut().insert(header::WWW_AUTHENTICATE, v);
        }
        return Err(r);
    }
    Ok(info.clone())
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("application/json"))
}

pub(crate) fn with_limits(mut resp: Response, r: Remaining) -> Response {
    let h = resp.headers_mut();
    h.insert("X-DayLimit-Remaining", HeaderValue::from(r.day));
    h.insert("X-MinLimit-Remaining", HeaderValue::from(r.minute));
    h.insert("X-AppMinLimit-Remaining", HeaderValue::from(r.app_minute));
    resp
}

pub(crate) fn too_many(problem: &str, retry_after: u64) -> Response {
    let mut resp = StatusCode::TOO_MANY_REQUESTS.into_response();
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(problem) {
        h.insert("X-Rate-Limit-Problem", v);
    }
    h.insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
    resp
}

/// What a tenant endpoint produces once every gate has passed.
pub(crate) struct Ctx<'a> {
    pub org: &'a Organisation,
    pub world: &'a World,
    pub json: bool,
    pub provider: String,
    pub now: i64,
}

/// The gates every API call goes through, in order: bearer token (401), a tenant this token may
/// reach (`reachable`; 403), rate limits (429), latency inside the concurrency slot, scope (401),
/// then `produce` with the caller and the tenant.
#[allow(clippy::result_large_err)] // the error is the finished response, built once per refusal
pub(crate) async fn gated_call(
    s: &Shared,
    headers: &HeaderMap,
    extra: Option<ExtraDelay>,
    scopes: &[&str],
    reachable: impl FnOnce(&World, &AccessInfo, &Uuid) -> bool,
    produce: impl FnOnce(&AccessInfo, Uuid) -> Response,
) -> Response {
    let delay = s.faults.sample_latency() + extra.map(|e| e.0).unwrap_or_default();
    let gate = {
        let world = s.world();
        authenticate(s, &world, headers).and_then(|info| {
            let tenant = headers
                .get("xero-tenant-id")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| Uuid::parse_str(v.trim()).ok());
            match tenant {
                Some(t) if reachable(&world, &info, &t) => Ok((info, t)),
                _ => Err(forbidden()),
            }
        })
    };
    let (info, tenant) = match gate {
        Ok(x) => x,
        Err(r) => {
            tokio::time::sleep(delay).await;
            return r;
        }
    };
    bump(&s.stats.api_requests);
    let (permit, remaining) = match s.limiter.admit(&info.client_id, tenant, s.clock.now_ms()) {
        Admission::Admitted(p, r) => (p, r),
        Admission::Refused { problem, retry_after_secs, remaining } => {
            bump(&s.stats.rate_limited);
            tokio::time::sleep(delay).await;
            return with_limits(too_many(problem.header_value(), retry_after_secs), remaining);
        }
    };
    tokio::time::sleep(delay).await;
    let resp = if info.has_any_scope(scopes) { produce(&info, tenant) } else { unauthorized_scope() };
    drop(permit);
    with_limits(resp, remaining)
}

/// An organisation's endpoint: the gates, with the tenant connected to this token's user and app
/// and not deleted.
pub(crate) async fn tenant_call(
    s: Arc<Shared>,
    headers: HeaderMap,
    extra: Option<ExtraDelay>,
    scopes: &[&str],
    produce: impl FnOnce(&Ctx<'_>) -> Response,
) -> Response {
    gated_call(
        &s,
        &headers,
        extra,
        scopes,
        |world, info, t| world.connected(info, t),
        |info, tenant| {
            let world = s.world();
            match world.org(&tenant) {
                Some(org) if !world.deleted.contains(&tenant) => {
                    let provider = s
                        .clients
                        .iter()
                        .find(|c| c.client_id == info.client_id)
                        .map(|c| c.name.clone())
                        .unwrap_or_default();
                    produce(&Ctx { org, world: &world, json: wants_json(&headers), provider, now: s.clock.now_ms() })
                }
                _ => forbidden(),
            }
        },
    )
    .await
}

fn body(content_type: &'static str, text: String) -> Response {
    (StatusCode::OK, [(header::CONTENT_TYPE, content_type)], text).into_response()
}

// ---------------------------------------------------------------------------------------------
// connections

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ConnectionJson {
    id: Uuid,
    auth_event_id: Uuid,
    tenant_id: Uuid,
    tenant_type: &'static str,
    tenant_name: Option<String>,
    created_date_utc: String,
    updated_date_utc: String,
}

/// `GET /api/connections[?authEventId=…]`
pub(crate) async fn connections(State(s): S, headers: HeaderMap, Query(q): Query<HashMap<String, String>>) -> Response {
    let world = s.world();
    let info = match authenticate(&s, &world, &headers) {
        Ok(i) => i,
        Err(r) => return r,
    };
    let filter = q.iter().find(|(k, _)| k.eq_ignore_ascii_case("authEventId")).map(|(_, v)| v.to_ascii_lowercase());
    let list: Vec<ConnectionJson> = world
        .connections
        .iter()
        .filter(|c| c.user == info.user && c.client_id == info.client_id && !world.deleted.contains(&c.tenant_id))
        .filter(|c| filter.as_ref().is_none_or(|f| c.auth_event_id.to_string() == *f))
        .map(|c| ConnectionJson {
            id: c.id,
            auth_event_id: c.auth_event_id,
            tenant_id: c.tenant_id,
            // The practice's XPM tenant: `PRACTICEMANAGER`, and Xero gives it no name.
            tenant_type: if c.tenant_id == world.xpm.tenant_id { "PRACTICEMANAGER" } else { "ORGANISATION" },
            tenant_name: world.org(&c.tenant_id).map(|o| o.name.clone()),
            created_date_utc: ts7(c.created_ms, sub_ms_of(&c.id)),
            updated_date_utc: ts7(
                c.updated_ms,
                // never earlier than created within the same millisecond
                if c.updated_ms == c.created_ms { sub_ms_of(&c.id) } else { sub_ms_of(&c.auth_event_id) },
            ),
        })
        .collect();
    body(JSON, serde_json::to_string(&list).unwrap_or_default())
}

/// `DELETE /api/connections/{id}` — 204, or 404 for an id this token's user+app doesn't have.
pub(crate) async fn delete_connection(State(s): S, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let mut world = s.world();
    let info = match authenticate(&s, &world, &headers) {
        Ok(i) => i,
        Err(r) => return r,
    };
    let Ok(id) = Uuid::parse_str(&id) else { return StatusCode::NOT_FOUND.into_response() };
    let before = world.connections.len();
    world.connections.retain(|c| !(c.id == id && c.user == info.user && c.client_id == info.client_id));
    if world.connections.len() < before {
        StatusCode::NO_CONTENT.into_response()
    } else {
        StatusCode::NOT_FOUND.into_response()
    }
}

// ---------------------------------------------------------------------------------------------
// Accounting: Organisation

#[derive(Serialize)]
struct OrganisationJson<'a> {
    #[serde(rename = "APIKey")]
    api_key: &'a str,
    #[serde(rename = "Name")]
    name: &'a str,
    #[serde(rename = "LegalName")]
    legal_name: &'a str,
    #[serde(rename = "PaysTax")]
    pays_tax: bool,
    #[serde(rename = "Version")]
    version: &'a str,
    #[serde(rename = "OrganisationType")]
    organisation_type: &'a str,
    #[serde(rename = "BaseCurrency")]
    base_currency: &'a str,
    #[serde(rename = "CountryCode")]
    country_code: &'a str,
    #[serde(rename = "IsDemoCompany")]
    is_demo_company: bool,
    #[serde(rename = "OrganisationStatus")]
    organisation_status: &'a str,
    #[serde(rename = "RegistrationNumber", skip_serializing_if = "Option::is_none")]
    registration_number: Option<&'a str>,
    #[serde(rename = "EmployerIdentificationNumber", skip_serializing_if = "Option::is_none")]
    employer_identification_number: Option<&'a str>,
    #[serde(rename = "TaxNumber", skip_serializing_if = "Option::is_none")]
    tax_number: Option<&'a str>,
    #[serde(rename = "FinancialYearEndDay")]
    financial_year_end_day: u32,
    #[serde(rename = "FinancialYearEndMonth")]
    financial_year_end_month: u32,
    #[serde(rename = "SalesTaxBasis", skip_serializing_if = "Option::is_none")]
    sales_tax_basis: Option<&'a str>,
    #[serde(rename = "SalesTaxPeriod", skip_serializing_if = "Option::is_none")]
    sales_tax_period: Option<&'a str>,
    #[serde(rename = "DefaultSalesTax")]
    default_sales_tax: &'a str,
    #[serde(rename = "DefaultPurchasesTax")]
    default_purchases_tax: &'a str,
    #[serde(rename = "PeriodLockDate", skip_serializing_if = "Option::is_none")]
    period_lock_date: Option<String>,
    #[serde(rename = "EndOfYearLockDate", skip_serializing_if = "Option::is_none")]
    end_of_year_lock_date: Option<String>,
    #[serde(rename = "CreatedDateUTC")]
    created_date_utc: String,
    #[serde(rename = "OrganisationEntityType")]
    organisation_entity_type: &'a str,
    #[serde(rename = "Timezone")]
    timezone: &'a str,
    #[serde(rename = "ShortCode")]
    short_code: &'a str,
    #[serde(rename = "OrganisationID")]
    organisation_id: Uuid,
    #[serde(rename = "LineOfBusiness", skip_serializing_if = "Option::is_none")]
    line_of_business: Option<&'a str>,
    #[serde(rename = "Edition")]
    edition: &'a str,
    #[serde(rename = "Class")]
    class: &'a str,
    #[serde(rename = "Addresses")]
    addresses: [(); 0],
    #[serde(rename = "Phones")]
    phones: [(); 0],
    #[serde(rename = "ExternalLinks")]
    external_links: [(); 0],
    #[serde(rename = "PaymentTerms")]
    payment_terms: serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize)]
struct Envelope<T: Serialize> {
    #[serde(rename = "Id")]
    id: Uuid,
    #[serde(rename = "Status")]
    status: &'static str,
    #[serde(rename = "ProviderName")]
    provider_name: String,
    #[serde(rename = "DateTimeUTC")]
    date_time_utc: String,
    #[serde(flatten)]
    payload: T,
}

#[derive(Serialize)]
struct Organisations<'a> {
    #[serde(rename = "Organisations")]
    organisations: [OrganisationJson<'a>; 1],
}

fn organisation_json(o: &Organisation) -> OrganisationJson<'_> {
    OrganisationJson {
        api_key: &o.api_key,
        name: &o.name,
        legal_name: &o.legal_name,
        pays_tax: o.pays_tax,
        version: o.country.version(),
        organisation_type: o.organisation_type,
        base_currency: o.country.currency(),
        country_code: o.country.country_code(),
        is_demo_company: o.is_demo,
        organisation_status: "ACTIVE",
        registration_number: o.registration_number.as_deref(),
        employer_identification_number: o.employer_identification_number.as_deref(),
        tax_number: o.tax_number.as_deref(),
        financial_year_end_day: o.financial_year_end_day,
        financial_year_end_month: o.financial_year_end_month,
        sales_tax_basis: o.sales_tax_basis,
        sales_tax_period: o.sales_tax_period,
        default_sales_tax: o.default_sales_tax,
        default_purchases_tax: o.default_purchases_tax,
        period_lock_date: o.period_lock_date_ms.map(ms_date_offset),
        end_of_year_lock_date: o.end_of_year_lock_date_ms.map(ms_date_offset),
        created_date_utc: ms_date(o.created_ms),
        organisation_entity_type: o.organisation_type,
        timezone: o.timezone,
        short_code: &o.short_code,
        organisation_id: o.organisation_id,
        line_of_business: o.line_of_business.as_deref(),
        edition: o.edition,
        class: o.class,
        addresses: [],
        phones: [],
        external_links: [],
        payment_terms: serde_json::Map::new(),
    }
}

fn xml_response_open(x: &mut Xml, ctx: &Ctx<'_>) {
    x.open_with(
        "Response",
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\"",
    );
    x.el("Id", &Uuid::new_v4().to_string());
    x.el("Status", "OK");
    x.el("ProviderName", &ctx.provider);
    x.el("DateTimeUTC", &ts7(ctx.now, sub_ms_of(&ctx.org.organisation_id)));
}

fn organisation_xml(ctx: &Ctx<'_>) -> String {
    let o = ctx.org;
    let tf = |b: bool| if b { "true" } else { "false" };
    let mut x = Xml::new();
    xml_response_open(&mut x, ctx);
    x.open("Organisations").open("Organisation");
    x.el("APIKey", &o.api_key)
        .el("Name", &o.name)
        .el("LegalName", &o.legal_name)
        .el("PaysTax", tf(o.pays_tax))
        .el("Version", o.country.version())
        .el("OrganisationType", o.organisation_type)
        .el("BaseCurrency", o.country.currency())
        .el("CountryCode", o.country.country_code())
        .el("IsDemoCompany", tf(o.is_demo))
        .el("OrganisationStatus", "ACTIVE")
        .opt("RegistrationNumber", o.registration_number.as_deref())
        .opt("EmployerIdentificationNumber", o.employer_identification_number.as_deref())
        .opt("TaxNumber", o.tax_number.as_deref())
        .el("FinancialYearEndDay", &o.financial_year_end_day.to_string())
        .el("FinancialYearEndMonth", &o.financial_year_end_month.to_string())
        .opt("SalesTaxBasis", o.sales_tax_basis)
        .opt("SalesTaxPeriod", o.sales_tax_period)
        .el("DefaultSalesTax", o.default_sales_tax)
        .el("DefaultPurchasesTax", o.default_purchases_tax)
        .opt("PeriodLockDate", o.period_lock_date_ms.map(ts0).as_deref())
        .opt("EndOfYearLockDate", o.end_of_year_lock_date_ms.map(ts0).as_deref())
        .el("CreatedDateUTC", &ts0(o.created_ms))
        .el("OrganisationEntityType", o.organisation_type)
        .el("Timezone", o.timezone)
        .el("ShortCode", &o.short_code)
        .el("OrganisationID", &o.organisation_id.to_string())
        .opt("LineOfBusiness", o.line_of_business.as_deref())
        .el("Edition", o.edition)
        .el("Class", o.class)
        .empty("Addresses")
        .empty("Phones")
        .empty("ExternalLinks")
        .empty("PaymentTerms");
    x.close("Organisation").close("Organisations").close("Response");
    x.finish()
}

const SETTINGS_SCOPES: &[&str] = &["accounting.settings", "accounting.settings.read"];

/// `GET /api/api.xro/2.0/Organisation`
pub(crate) async fn organisation(
    State(s): S,
    headers: HeaderMap,
    extra: Option<axum::Extension<ExtraDelay>>,
) -> Response {
    tenant_call(s, headers, extra.map(|e| e.0), SETTINGS_SCOPES, |ctx| {
        if ctx.json {
            let env = Envelope {
                id: Uuid::new_v4(),
                status: "OK",
                provider_name: ctx.provider.clone(),
                date_time_utc: ms_date(ctx.now),
                payload: Organisations { organisations: [organisation_json(ctx.org)] },
            };
            body(JSON, ms_json(&env))
        } else {
            body(XML, organisation_xml(ctx))
        }
    })
    .await
}

// ---------------------------------------------------------------------------------------------
// Accounting: Users

#[derive(Serialize)]
struct UserJson<'a> {
    #[serde(rename = "UserID")]
    user_id: Uuid,
    #[serde(rename = "EmailAddress")]
    email_address: &'a str,
    #[serde(rename = "FirstName")]
    first_name: &'a str,
    #[serde(rename = "LastName")]
    last_name: &'a str,
    #[serde(rename = "UpdatedDateUTC")]
    updated_date_utc: String,
    #[serde(rename = "IsSubscriber")]
    is_subscriber: bool,
    #[serde(rename = "OrganisationRole")]
    organisation_role: &'a str,
}

#[derive(Serialize)]
struct Users<'a> {
    #[serde(rename = "Users")]
    users: Vec<UserJson<'a>>,
}

/// The organisation's own users, then the practice staff who can reach it; with each one's
/// update time in ms (for the XML form).
fn users_of<'a>(ctx: &'a Ctx<'a>) -> Vec<(UserJson<'a>, i64)> {
    let o = ctx.org;
    let mut out: Vec<(UserJson<'a>, i64)> = o
        .users
        .iter()
        .map(|u| {
            let user = UserJson {
                user_id: u.user_id,
                email_address: &u.email,
                first_name: &u.first_name,
                last_name: &u.last_name,
                updated_date_utc: ms_date_offset(u.updated_ms),
                is_subscriber: u.is_subscriber,
                organisation_role: u.role,
            };
            (user, u.updated_ms)
        })
        .collect();
    for s in ctx.world.staff.iter().filter(|s| s.orgs.contains(&o.organisation_id)) {
        let user = UserJson {
            user_id: s.user_id,
            email_address: &s.email,
            first_name: &s.first_name,
            last_name: &s.last_name,
            updated_date_utc: ms_date_offset(o.created_ms),
            is_subscriber: false,
            organisation_role: "FINANCIALADVISER",
        };
        out.push((user, o.created_ms));
    }
    out
}

/// An `If-Modified-Since` value in ms: a date-time with an offset (`2020-02-06T12:17:43.202-08:00`,
/// the form Xero's spec shows), one without (UTC, as Xero writes its own), or an HTTP date.
/// `None` (the header ignored) when it is none of these.
fn modified_since_ms(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
        return Some(t.timestamp_millis());
    }
    if let Ok(t) = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f") {
        return Some(t.and_utc().timestamp_millis());
    }
    chrono::DateTime::parse_from_rfc2822(text).ok().map(|t| t.timestamp_millis())
}

/// `GET /api/api.xro/2.0/Users`
/// With `If-Modified-Since`, only the users created or modified after that time, as Xero
/// documents for this endpoint (`200` with those, possibly none; a removed user is just gone).
pub(crate) async fn users(State(s): S, headers: HeaderMap, extra: Option<axum::Extension<ExtraDelay>>) -> Response {
    let since = headers.get(header::IF_MODIFIED_SINCE).and_then(|v| v.to_str().ok()).and_then(modified_since_ms);
    tenant_call(s, headers, extra.map(|e| e.0), SETTINGS_SCOPES, |ctx| {
        let mut list = users_of(ctx);
        if let Some(since) = since {
            list.retain(|(_, updated_ms)| *updated_ms > since);
        }
        if ctx.json {
            let env = Envelope {
                id: Uuid::new_v4(),
                status: "OK",
                provider_name: ctx.provider.clone(),
                date_time_utc: ms_date(ctx.now),
                payload: Users { users: list.into_iter().map(|(u, _)| u).collect() },
            };
            body(JSON, ms_json(&env))
        } else {
            let mut x = Xml::new();
            xml_response_open(&mut x, ctx);
            x.open("Users");
            for (u, updated_ms) in &list {
                x.open("User")
                    .el("UserID", &u.user_id.to_string())
                    .el("EmailAddress", u.email_address)
                    .el("FirstName", u.first_name)
                    .el("LastName", u.last_name)
                    .el("UpdatedDateUTC", &ts0(*updated_ms))
                    .el("IsSubscriber", if u.is_subscriber { "true" } else { "false" })
                    .el("OrganisationRole", u.organisation_role)
                    .close("User");
            }
            x.close("Users").close("Response");
            body(XML, x.finish())
        }
    })
    .await
}

// ---------------------------------------------------------------------------------------------
// Payroll & Assets

const PAYROLL_SCOPES: &[&str] = &["payroll.settings", "payroll.settings.read"];
const ASSETS_SCOPES: &[&str] = &["assets", "assets.read"];

fn not_available(u: Unavailable) -> Response {
    match u {
        Unavailable::Forbidden => problem(StatusCode::FORBIDDEN, "Forbidden", "AuthorizationUnsuccessful"),
        Unavailable::Unauthorized => unauthorized_scope(),
        Unavailable::NotFound => problem(StatusCode::NOT_FOUND, "Not Found", "NotFound"),
    }
}

fn wrong_region() -> Response {
    StatusCode::METHOD_NOT_ALLOWED.into_response()
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct AuAccount<'a> {
    #[serde(rename = "AccountID")]
    account_id: Uuid,
    #[serde(rename = "Type")]
    kind: &'a str,
    code: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct AuTracking {
    #[serde(rename = "TrackingCategoryID")]
    tracking_category_id: Uuid,
    tracking_category_name: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct AuTrackingCategories {
    employee_groups: AuTracking,
    timesheet_categories: AuTracking,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct AuSettings<'a> {
    accounts: Vec<AuAccount<'a>>,
    tracking_categories: AuTrackingCategories,
    days_in_payroll_year: &'a str,
    #[serde(rename = "EmployeesAreSTP2")]
    employees_are_stp2: bool,
}

#[derive(Serialize)]
struct AuSettingsPayload<'a> {
    #[serde(rename = "Settings")]
    settings: AuSettings<'a>,
}

/// `GET /api/payroll.xro/1.0/Settings` (Payroll AU).
pub(crate) async fn payroll_au(
    State(s): S,
    headers: HeaderMap,
    extra: Option<axum::Extension<ExtraDelay>>,
) -> Response {
    let unavailable = s.unavailable;
    tenant_call(s, headers, extra.map(|e| e.0), PAYROLL_SCOPES, |ctx| {
        let o = ctx.org;
        if o.country != Country::AU {
            return wrong_region();
        }
        if !o.has_payroll {
            return not_available(unavailable);
        }
        let settings = AuSettings {
            accounts: o
                .payroll_accounts
                .iter()
                .map(|a| AuAccount { account_id: a.account_id, kind: a.kind, code: a.code, name: a.name })
                .collect(),
            tracking_categories: AuTrackingCategories {
                employee_groups: AuTracking {
                    tracking_category_id: o.payroll_tracking[0].0,
                    tracking_category_name: o.payroll_tracking[0].1.clone(),
                },
                timesheet_categories: AuTracking {
                    tracking_category_id: o.payroll_tracking[1].0,
                    tracking_category_name: o.payroll_tracking[1].1.clone(),
                },
            },
            days_in_payroll_year: o.payroll_days_in_year,
            employees_are_stp2: o.payroll_stp2,
        };
        if ctx.json {
            let env = Envelope {
                id: Uuid::nil(),
                status: "OK",
                provider_name: ctx.provider.clone(),
                date_time_utc: ms_date(ctx.now),
                payload: AuSettingsPayload { settings },
            };
            body(JSON, ms_json(&env))
        } else {
            let mut x = Xml::new();
            xml_response_open(&mut x, ctx);
            x.open("Settings").open("Accounts");
            for a in &settings.accounts {
                x.open("Account")
                    .el("AccountID", &a.account_id.to_string())
                    .el("Type", a.kind)
                    .el("Code", a.code)
                    .el("Name", a.name)
                    .close("Account");
            }
            x.close("Accounts").open("TrackingCategories");
            for (el, t) in [
                ("EmployeeGroups", &settings.tracking_categories.employee_groups),
                ("TimesheetCategories", &settings.tracking_categories.timesheet_categories),
            ] {
                x.open(el)
                    .el("TrackingCategoryID", &t.tracking_category_id.to_string())
                    .el("TrackingCategoryName", &t.tracking_category_name)
                    .close(el);
            }
            x.close("TrackingCategories")
                .el("DaysInPayrollYear", settings.days_in_payroll_year)
                .el("EmployeesAreSTP2", if settings.employees_are_stp2 { "true" } else { "false" })
                .close("Settings")
                .close("Response");
            body(XML, x.finish())
        }
    })
    .await
}

#[derive(Serialize)]
struct V2Account<'a> {
    #[serde(rename = "accountID")]
    account_id: Uuid,
    #[serde(rename = "type")]
    kind: &'a str,
    code: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct V2Settings<'a> {
    accounts: Vec<V2Account<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct V2Envelope<'a> {
    id: Uuid,
    provider_name: String,
    #[serde(rename = "dateTimeUTC")]
    date_time_utc: String,
    http_status_code: &'static str,
    pagination: Option<()>,
    problem: Option<()>,
    settings: V2Settings<'a>,
}

/// `GET /api/payroll.xro/2.0/Settings` (Payroll UK and NZ; JSON only).
pub(crate) async fn payroll_v2(
    State(s): S,
    headers: HeaderMap,
    extra: Option<axum::Extension<ExtraDelay>>,
) -> Response {
    let unavailable = s.unavailable;
    tenant_call(s, headers, extra.map(|e| e.0), PAYROLL_SCOPES, |ctx| {
        let o = ctx.org;
        if !matches!(o.country, Country::UK | Country::NZ) {
            return wrong_region();
        }
        if !o.has_payroll {
            return not_available(unavailable);
        }
        let env = V2Envelope {
            id: if o.country == Country::UK { o.payroll_settings_id } else { Uuid::nil() },
            provider_name: ctx.provider.clone(),
            date_time_utc: ts7(ctx.now, sub_ms_of(&o.payroll_settings_id)),
            http_status_code: "OK",
            pagination: None,
            problem: None,
            settings: V2Settings {
                accounts: o
                    .payroll_accounts
                    .iter()
                    .map(|a| V2Account { account_id: a.account_id, kind: a.kind, code: a.code, name: a.name })
                    .collect(),
            },
        };
        body(JSON, serde_json::to_string(&env).unwrap_or_default())
    })
    .await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AssetsSettings<'a> {
    asset_number_prefix: &'a str,
    asset_number_sequence: &'a str,
    asset_start_date: String,
    opt_in_for_tax: bool,
}

/// `GET /api/assets.xro/1.0/Settings` (JSON only).
pub(crate) async fn assets(State(s): S, headers: HeaderMap, extra: Option<axum::Extension<ExtraDelay>>) -> Response {
    let unavailable = s.unavailable;
    tenant_call(s, headers, extra.map(|e| e.0), ASSETS_SCOPES, |ctx| {
        let o = ctx.org;
        if !o.has_assets {
            return not_available(unavailable);
        }
        let settings = AssetsSettings {
            asset_number_prefix: o.assets_prefix,
            asset_number_sequence: &o.assets_sequence,
            asset_start_date: ts0(o.assets_start_ms),
            opt_in_for_tax: o.assets_opt_in_for_tax,
        };
        body(JSON, serde_json::to_string(&settings).unwrap_or_default())
    })
    .await
}
