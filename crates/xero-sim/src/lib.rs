//! # xero-sim — a faithful local simulator of the Xero APIs Switchboard calls
//!
//! A real HTTP server (axum, HTTP/1.1 on 127.0.0.1) that behaves like Xero's identity service,
//! `/connections`, the Accounting API (`Organisation`, `Users`), Payroll AU/UK/NZ `Settings`
//! and Assets `Settings`, with Xero's rate limits, token rotation and grace, a seeded data
//! generator, and switches for latency and faults. Tests, the demo and benchmarks use it
//! instead of the internet.
//!
//! ```no_run
//! # async fn demo() -> Result<(), xero_sim::SimError> {
//! use xero_sim::{AutoConsent, SimConfig, Simulator};
//! let sim = Simulator::start(SimConfig::default().orgs(10).auto_consent(AutoConsent::all())).await?;
//! println!("authorize at {}", sim.authorize_url());
//! # Ok(()) }
//! ```
//!
//! The handle gives the URLs to configure ([`SimHandle::authorize_url`], [`SimHandle::token_url`],
//! [`SimHandle::revocation_url`], [`SimHandle::api_base`]…), the clock
//! ([`SimHandle::advance`]), live fault and latency switches ([`SimHandle::faults`]), counters
//! ([`SimHandle::stats`]: code and refresh grants, grace retries, `invalid_grant`s, API calls,
//! 429s), the generated data ([`SimHandle::orgs`], [`SimHandle::staff`]), and the Xero-side
//! events [`SimHandle::revoke_consent`], [`SimHandle::delete_tenant`],
//! [`SimHandle::set_auto_consent`]; with [`SimConfig::record_responses`], every answer sent
//! ([`SimHandle::take_responses`], for checking them against Xero's specs). Synchronous callers use [`Simulator::start_blocking`], which
//! runs the server on its own runtime. Dropping the handle stops the server.
//!
//! Run it on its own with `cargo run -p xero-sim --bin switchboard-sim -- --orgs 250 --port 0
//! --seed 1 [--latency-ms 50] [--auto-consent] [--tier starter]`; it prints the URLs below and a final
//! `SIM_BASE_URL=http://127.0.0.1:PORT` line for scripts, then serves until Ctrl-C. With
//! `--tls-cert FILE --tls-key FILE` (PEM; [`SimConfig::tls`] in code) it serves HTTPS instead, at
//! `https://127.0.0.1:PORT`; [`TestAuthority`] makes a certificate authority and a certificate.
//!
//! ## Where Xero's hosts live on the simulator
//!
//! One server serves all three hosts under a path prefix: replace the scheme+host of a real
//! Xero URL with the simulator's base plus the prefix, and keep the path.
//!
//! | Xero | simulator |
//! |---|---|
//! | `https://login.xero.com` | `{base}/login` |
//! | `https://identity.xero.com` | `{base}/identity` |
//! | `https://api.xero.com` | `{base}/api` |
//!
//! So:
//!
//! | endpoint | real | simulated |
//! |---|---|---|
//! | authorize (consent page) | `https://login.xero.com/identity/connect/authorize` | `{base}/login/identity/connect/authorize` (also `{base}/identity/connect/authorize`) |
//! | token | `https://identity.xero.com/connect/token` | `{base}/identity/connect/token` |
//! | revocation | `https://identity.xero.com/connect/revocation` | `{base}/identity/connect/revocation` |
//! | userinfo, discovery, JWKS | `https://identity.xero.com/connect/userinfo`, `/.well-known/openid-configuration[/jwks]` | `{base}/identity/…` |
//! | connections | `https://api.xero.com/connections[/{id}]` | `{base}/api/connections[/{id}]` |
//! | Accounting | `https://api.xero.com/api.xro/2.0/Organisation`, `/Users` | `{base}/api/api.xro/2.0/…` |
//! | Payroll AU | `https://api.xero.com/payroll.xro/1.0/Settings` | `{base}/api/payroll.xro/1.0/Settings` |
//! | Payroll UK/NZ | `https://api.xero.com/payroll.xro/2.0/Settings` | `{base}/api/payroll.xro/2.0/Settings` |
//! | Assets | `https://api.xero.com/assets.xro/1.0/Settings` | `{base}/api/assets.xro/1.0/Settings` |
//! | Reports | `https://api.xero.com/api.xro/2.0/Reports/{ProfitAndLoss,BalanceSheet,BankSummary,AgedReceivablesByContact,AgedPayablesByContact}` | `{base}/api/api.xro/2.0/Reports/…` (see [`reports`]) |
//! | Invoices | `https://api.xero.com/api.xro/2.0/Invoices` | `{base}/api/api.xro/2.0/Invoices` (see [`invoices`]) |
//! | (simulator control) | — | `{base}/_sim/…` (see below) |
//!
//! Paths are case-sensitive as written above (Xero's are not; only `/connections` also
//! answers as `/Connections`).
//!
//! ## Identity behaviour
//!
//! * `authorize` checks the client id and the **exact** registered redirect URI; a mismatch
//!   (or an unknown scope) is Xero's 500 page `Error: unauthorized_client : Invalid redirect_uri`.
//!   PKCE (`code_challenge_method=S256`) is required for clients without a secret. Other errors
//!   redirect back with `error=…&state=…`. Without auto-consent it shows an HTML consent page
//!   (signed in as staff user 0, or the staff user named by `login_hint`) with one check box per
//!   organisation, *Allow access*, *Allow access to all N* and *Cancel* (→ `error=access_denied`);
//!   below the Advanced tier, one radio button per organisation and no *all* (see *App tiers*).
//!   Allow creates one connection per ticked organisation, all sharing a new `authEventId` (an
//!   organisation already connected by the same user+app keeps its connection `id` and gets the
//!   new `authEventId` and `updatedDateUtc`), and redirects with `code`, `scope`, `state`,
//!   `session_state`.
//! * Codes live 5 minutes ([`SimConfig::code_lifetime`], Xero's is undocumented) and are
//!   consumed by **any** exchange attempt, successful or not.
//! * `token` (form-encoded): `authorization_code` (redirect_uri must equal the authorize one;
//!   PKCE S256 verified) and `refresh_token`. PKCE clients send `client_id` in the form (or a Basic
//!   header with an empty secret); "Web app" clients must authenticate with
//!   `Authorization: Basic base64(urlencode(id):urlencode(secret))` (Xero's documented way) or
//!   with `client_id` + `client_secret` in the form (accepted too; both at once is `invalid_client`). Errors are HTTP 400 `{"error":"invalid_grant"|"invalid_client"|"unsupported_grant_type"|"invalid_request"}`.
//!   A refresh token is issued only when `offline_access` was requested. The access token is a
//!   JWT signed with RS256 by the simulator's own 2048-bit key (`kid` and `x5t` in the header),
//!   verifiable with the JWKS at `{base}/identity/.well-known/openid-configuration/jwks` (the
//!   discovery document's `jwks_uri`), with Xero's claims (`nbf`, `exp` 30 minutes on the
//!   simulated clock, `iss`, `aud`, `client_id`, `sub`, `auth_time`, `xero_userid`,
//!   `global_session_id`, `sid`, `jti`, `authentication_event_id`, `scope` as a list) and
//!   Xero's size: about 1.25 KB for five scopes, 1.5 KB for eleven. The `id_token` (with
//!   `openid`) is signed the same way and carries `xero_userid`, `email`, names.
//! * **Rotation and grace** (Xero documents the 30-minute grace but not what the retry returns;
//!   this is the simulator's choice): every refresh with the *current* refresh token issues a
//!   new one and makes the used one "previous". Refreshing with the previous token within 30
//!   minutes of its first use returns the **same** new refresh token that first refresh issued
//!   (and a new access token) without rotating again — so a client that lost the response and
//!   retries ends up with the same pair another process may already have stored. After 30
//!   minutes, or once the chain has rotated again (only one previous token is kept), the old
//!   token is `invalid_grant`. A current token unused for 60 days is `invalid_grant`.
//! * `revocation` (form `token=<refresh_token>`, same client authentication) removes **all**
//!   grants and connections of that user for that app; the answer is 200 even for an unknown
//!   token (RFC 7009). Already-issued access tokens keep passing authentication until they
//!   expire (JWTs are stateless) but reach no tenant: `/connections` is empty and tenant calls
//!   answer 403. [`SimHandle::revoke_consent`] does the same for every app of a user (the user
//!   disconnecting in Xero's settings).
//!
//! ## API behaviour
//!
//! Every `api.xero.com` call needs `Authorization: Bearer` with a live access token: else 401
//! `{"Type":null,"Title":"Unauthorized","Status":401,"Detail":"AuthenticationUnsuccessful",…}`
//! (`Detail: "TokenExpired: token expired at MM/DD/YYYY HH:MM:SS"` for an expired one).
//! Tenant calls then check, in order: `xero-tenant-id` names a tenant this user+app has
//! connected and that is not deleted (else 403 `AuthenticationUnsuccessful`, Xero's body
//! exactly); the rate limits (429); the scope (401 `AuthorizationUnsuccessful`); the endpoint.
//!
//! * `Organisation` and `Users` answer JSON when `Accept` contains `application/json`, XML
//!   otherwise (as Xero does). JSON dates are MS-JSON `"\/Date(ms)\/"` (lock dates and
//!   `UpdatedDateUTC` with `+0000`), slashes escaped as Xero's .NET serializer does. Needs
//!   `accounting.settings` or `accounting.settings.read`.
//! * Payroll needs `payroll.settings(.read)`, Assets `assets(.read)`; missing → 401
//!   `AuthorizationUnsuccessful`. `payroll.xro/1.0` answers only AU organisations and
//!   `payroll.xro/2.0` only UK/NZ; the other regions (and every US organisation, which has no
//!   Xero payroll API) get **405** with an empty body. An organisation without a payroll
//!   subscription, or whose plan has no fixed assets, gets — by default — **403**
//!   `{"Title":"Forbidden","Status":403,"Detail":"AuthorizationUnsuccessful",…}` (Xero documents
//!   nothing; its docs call 403 "not permitted", and the `Detail` differs from the tenant check's
//!   `AuthenticationUnsuccessful`). [`Unavailable`] switches this to 401 (indistinguishable from a
//!   missing scope, as seen with Payroll AU on a demo company) or 404.
//! * Payroll 1.0 answers XML unless `Accept` asks for JSON; Payroll 2.0 and Assets are JSON.
//!
//! ## Rate limits
//!
//! Per (app, tenant): 5 concurrent, 60 per rolling minute, the tier's daily limit (5,000; 1,000 on
//! Starter) per rolling 24 hours; per app:
//! 10,000 per rolling minute, all on the simulated clock. Every tenant call that passes the
//! tenant check carries `X-DayLimit-Remaining`, `X-MinLimit-Remaining`,
//! `X-AppMinLimit-Remaining`; a 429 adds `X-Rate-Limit-Problem` (`concurrent`, `minute`, `day`,
//! `appminute`) and `Retry-After` (seconds until the window frees a slot; 1 for concurrent).
//! Refused calls do not use up quota. The configured latency is served *inside* the concurrency
//! slot, like a slow Xero.
//!
//! ## App tiers
//!
//! Xero's 2026 tiers ([`Tier`], [`SimConfig::tier`], `--tier`; every registered app is on the
//! simulator's tier; default **Advanced**, which the demo's one consent of hundreds of
//! organisations and the XPM tests need):
//!
//! | tier | connections | calls per organisation per day | organisations per consent | XPM scopes |
//! |---|---|---|---|---|
//! | Starter | 5 | 1,000 | one | refused |
//! | Core | 50 | 5,000 | one | refused |
//! | Plus | 1,000 | 5,000 | one | refused |
//! | Advanced | 10,000 | 5,000 | several | allowed |
//! | Enterprise | no cap | 5,000 | several | allowed |
//!
//! * **Connections** are counted as Xero counts them: distinct tenants connected to the app by
//!   anyone (a tenant two staff users connected counts once; a deleted organisation or a
//!   revoked user's connections stop counting). At the cap the consent page disables the
//!   organisations not yet connected and names the limit; reconnecting a connected one is always
//!   allowed; a consent that would still pass the cap (automatic consent too) redirects with
//!   `error=access_denied` and an `error_description` naming the limit (Xero documents no
//!   answer; see `connection_cap.rs`). [`SimHandle::connections_in_use`] and `GET /_sim/state`
//!   (`tier`, `connection_limit`, `connections_in_use` per client id) report them.
//! * **One organisation per consent** below Advanced: radio buttons on the page; a form naming
//!   several is answered with a 400 error page (the page cannot send it, so it is not the
//!   person's answer to pass to the app; the request stays open to go back and choose one).
//!   Automatic consent connects only the first organisation it would pick.
//! * **XPM** below Advanced: an authorize request with a `practicemanager` scope redirects with
//!   `error=unauthorized_client` ("Invalid scope for client: the app's Starter tier does not
//!   include Xero Practice Manager …").
//! * **Daily limit**: [`RateLimits::for_tier`]; [`SimConfig::rate_limits`] overrides it.
//!
//! ## Faults
//!
//! [`FaultRule`]s (added at start or live with [`SimHandle::faults`]) hit requests by path
//! prefix (default `/api/`), optionally one tenant, with a probability and an optional count:
//! 429 storms, 5xx, slow answers, connection resets (the socket is closed with no response,
//! before the request is handled), lost responses (handled — e.g. a refresh token rotated —
//! then the socket is closed with no response), truncated bodies. [`SimHandle::revoke_consent`] and [`SimHandle::delete_tenant`] model a
//! revoked consent and a deleted organisation.
//!
//! ## Control routes (for another process)
//!
//! `GET /_sim/state`, `GET /_sim/orgs`, `GET /_sim/staff`, `POST /_sim/clock/advance?seconds=N`,
//! `POST /_sim/revoke?user=<email|id>`, `POST /_sim/tenants/{id}/delete`,
//! `GET|POST|DELETE /_sim/faults` (JSON [`FaultRule`] or a list, e.g.
//! `{"kind":"server_error","status":503,"probability":0.2}`),
//! `POST|DELETE /_sim/auto-consent` (JSON [`AutoConsent`], e.g. `{"user":null,"tenants":"all"}`),
//! `GET /_sim/xpm/clients` (every XPM client with its ground truth `org`),
//! `POST /_sim/xpm/clients/{uuid}` (JSON [`xpm::XpmEdit`], e.g. `{"archived":true}`).
//!
//! ## Xero Practice Manager
//!
//! `{base}/api/practicemanager/3.1/client.api/list` (`detailed`, `modifiedsince`), `paged-list`
//! (`pageSize` 1–500, `pageToken`; non-archived, non-deleted only), `get/{uuid}`, `search?query=`
//! answer XML as XPM's documented examples (`Yes`/`No`, empty elements, `WebUrl`, masked
//! `TaxNumber`). A consent with a `practicemanager` scope connects the practice's tenant, listed
//! in `/connections` as `PRACTICEMANAGER` with a null `tenantName`. Same gates, rate limits and
//! faults as the other tenant APIs; see [`xpm::generate_practice`] for the generated practice.

mod admin;
mod api;
pub mod clock;
pub mod config;
mod connection_cap;
pub mod data;
pub mod faults;
mod identity;
pub mod invoices;
pub mod ratelimit;
pub mod record;
pub mod render;
pub mod reports;
mod server;
mod signing;
mod state;
pub mod tier;
pub mod tls;
pub mod xpm;
mod xpm_api;

pub use clock::Clock;
pub use config::{
    AutoConsent, ConsentTenants, DEFAULT_CLIENT_ID, DEFAULT_REDIRECT_PORTS, RateLimits, SimClient, SimConfig,
    Unavailable,
};
pub use data::{Country, Dataset, Organisation, StaffUser, generate};
pub use faults::{FaultKind, FaultRule, Faults, Latency};
pub use record::RecordedResponse;
pub use server::{SimError, SimHandle, Simulator};
pub use state::{StatsSnapshot, TokenResponse, pkce_ok};
pub use tier::Tier;
pub use tls::{SimTls, TestAuthority};

/// Human-readable lines describing where each Xero endpoint lives on a simulator at `base`.
pub fn endpoint_lines(base: &str) -> Vec<String> {
    vec![
        format!("login    (https://login.xero.com)    = {base}/login"),
        format!("identity (https://identity.xero.com) = {base}/identity"),
        format!("api      (https://api.xero.com)      = {base}/api"),
        format!("authorize:   {base}/login/identity/connect/authorize"),
        format!("token:       {base}/identity/connect/token"),
        format!("revocation:  {base}/identity/connect/revocation"),
        format!("connections: {base}/api/connections"),
        format!("accounting:  {base}/api/api.xro/2.0/Organisation"),
        format!("payroll:     {base}/api/payroll.xro/1.0/Settings (AU), {base}/api/payroll.xro/2.0/Settings (UK/NZ)"),
        format!("assets:      {base}/api/assets.xro/1.0/Settings"),
        format!("xpm:         {base}/api/practicemanager/3.1/client.api/list (also paged-list, get/{{uuid}}, search)"),
        format!("control:     {base}/_sim/state"),
    ]
}
