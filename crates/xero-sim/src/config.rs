//! How a simulator is set up: data size, seed, clients, consent behaviour, latency and faults.

use crate::faults::{FaultRule, Latency};
use crate::tier::Tier;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use uuid::Uuid;

/// Client id of the app registered by default (a PKCE "mobile or desktop app": no secret).
pub const DEFAULT_CLIENT_ID: &str = "5W1TCHB0ARD51M0000000000000DE5K7";

/// Redirect URIs registered for the default client: `http://localhost:{port}/callback` for
/// ports 53682..=53686 (Xero accepts no wildcard, so a desktop app pre-registers a few ports).
pub const DEFAULT_REDIRECT_PORTS: [u16; 5] = [53682, 53683, 53684, 53685, 53686];

/// An app registered with the simulated Xero developer portal.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SimClient {
    pub client_id: String,
    /// `None` = "Auth Code with PKCE" app (no secret); `Some` = "Web app" (HTTP Basic secret required).
    pub client_secret: Option<String>,
    /// Exact redirect URIs; `authorize` and the code exchange compare byte for byte.
    pub redirect_uris: Vec<String>,
    /// The app's name, shown on the consent page and as `ProviderName` in API payloads.
    pub name: String,
}

impl SimClient {
    /// A PKCE (no-secret) desktop client.
    pub fn public(client_id: impl Into<String>, redirect_uris: Vec<String>) -> Self {
        SimClient { client_id: client_id.into(), client_secret: None, redirect_uris, name: "Switchboard".into() }
    }
    /// A "Web app" client that must authenticate with HTTP Basic at the token endpoint.
    pub fn confidential(client_id: impl Into<String>, secret: impl Into<String>, redirect_uris: Vec<String>) -> Self {
        SimClient {
            client_id: client_id.into(),
            client_secret: Some(secret.into()),
            redirect_uris,
            name: "Switchboard".into(),
        }
    }
}

impl Default for SimClient {
    fn default() -> Self {
        SimClient::public(
            DEFAULT_CLIENT_ID,
            DEFAULT_REDIRECT_PORTS.iter().map(|p| format!("http://localhost:{p}/callback")).collect(),
        )
    }
}

/// Which organisations an automatic consent grants.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentTenants {
    /// Every organisation the user can see (not deleted).
    All,
    /// The first `n` organisations the user can see, in dataset order.
    First(usize),
    /// Exactly these tenant ids (ignoring any the user cannot see).
    Ids(Vec<Uuid>),
}

/// Automatic consent: `authorize` redirects straight back with a code, as if the person had
/// signed in as `user` and clicked Allow with `tenants` ticked. Below the Advanced tier a
/// consent connects one organisation, so only the first of `tenants` (that the user can see)
/// is connected; a consent that would pass the tier's connection cap is refused
/// (`error=access_denied`) as the consent page's would be.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AutoConsent {
    /// A staff user's email or user id; `None` = the first staff user (or the `login_hint`).
    pub user: Option<String>,
    pub tenants: ConsentTenants,
}

impl AutoConsent {
    pub fn all() -> Self {
        AutoConsent { user: None, tenants: ConsentTenants::All }
    }
    pub fn first(n: usize) -> Self {
        AutoConsent { user: None, tenants: ConsentTenants::First(n) }
    }
    pub fn ids(ids: Vec<Uuid>) -> Self {
        AutoConsent { user: None, tenants: ConsentTenants::Ids(ids) }
    }
    pub fn as_user(mut self, user: impl Into<String>) -> Self {
        self.user = Some(user.into());
        self
    }
}

/// How the payroll and assets probes answer for an organisation that does not subscribe to
/// (or has not set up) Payroll / Fixed Assets. Xero documents no response for this; see the
/// crate docs for why [`Unavailable::Forbidden`] is the default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unavailable {
    /// 403 `{"Title":"Forbidden","Status":403,"Detail":"AuthorizationUnsuccessful",…}`.
    #[default]
    Forbidden,
    /// 401 `AuthorizationUnsuccessful`, indistinguishable from a missing scope.
    Unauthorized,
    /// 404 `{"Title":"Not Found","Status":404,"Detail":"NotFound",…}`.
    NotFound,
}

/// Xero's documented limits; change them only to exercise a client. The default is Xero's for
/// every tier but Starter; [`RateLimits::for_tier`] follows the tier.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct RateLimits {
    pub concurrent: u32,
    pub per_minute: u32,
    pub per_day: u32,
    pub app_per_minute: u32,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits { concurrent: 5, per_minute: 60, per_day: 5000, app_per_minute: 10_000 }
    }
}

impl RateLimits {
    /// Xero's limits for an app on `tier` (the daily limit per organisation is the tier's).
    pub fn for_tier(tier: Tier) -> Self {
        RateLimits { per_day: tier.calls_per_day(), ..RateLimits::default() }
    }
}

/// Everything [`crate::Simulator::start`] needs.
#[derive(Clone, Debug)]
pub struct SimConfig {
    /// Number of organisations to generate.
    pub orgs: usize,
    /// Number of practice staff users (at least 1). User 0 sees every organisation.
    pub staff_users: usize,
    /// Seed for the data generator and for probabilistic faults.
    pub seed: u64,
    /// Port on 127.0.0.1; 0 = any free port.
    pub port: u16,
    /// Registered apps.
    pub clients: Vec<SimClient>,
    /// `Some` = skip the consent page.
    pub auto_consent: Option<AutoConsent>,
    /// Per-request latency.
    pub latency: Latency,
    /// Faults active from the start (more can be added at run time).
    pub faults: Vec<FaultRule>,
    /// The tier of every registered app: its connection cap, daily call limit, whether a consent
    /// may connect several organisations and whether XPM scopes are allowed. Default
    /// [`Tier::Advanced`], because the demo connects hundreds of organisations in one consent
    /// and the XPM tests need the XPM API; tests of the lower tiers set it.
    pub tier: Tier,
    /// `None` = Xero's limits for the tier ([`RateLimits::for_tier`]); `Some` overrides them.
    pub rate_limits: Option<RateLimits>,
    pub unavailable: Unavailable,
    /// Lifetime of an authorization code (Xero's is undocumented; default 5 minutes).
    pub code_lifetime: Duration,
    /// `None` = wall clock; `Some(ms)` = a clock frozen at that Unix time until advanced.
    pub frozen_clock_ms: Option<i64>,
    /// Clients in the practice's XPM; `None` = 1.5 × the organisations + 10.
    pub xpm_clients: Option<usize>,
    /// Each outstanding invoice is served as this many smaller ones with the same total (1 = as
    /// generated); large values give organisations thousands of invoices, over several pages.
    pub invoice_parts: usize,
    /// `Some` = serve HTTPS with this certificate instead of HTTP.
    pub tls: Option<crate::tls::SimTls>,
    /// Keep every answer for [`crate::SimHandle::take_responses`] (conformance tests).
    pub record_responses: bool,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            orgs: 25,
            staff_users: 2,
            seed: 1,
            port: 0,
            clients: vec![SimClient::default()],
            auto_consent: None,
            latency: Latency::default(),
            faults: Vec::new(),
            tier: Tier::default(),
            rate_limits: None,
            unavailable: Unavailable::default(),
            code_lifetime: Duration::from_secs(300),
            frozen_clock_ms: None,
            xpm_clients: None,
            invoice_parts: 1,
            tls: None,
            record_responses: false,
        }
    }
}

impl SimConfig {
    pub fn orgs(mut self, n: usize) -> Self {
        self.orgs = n;
        self
    }
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }
    pub fn staff_users(mut self, n: usize) -> Self {
        self.staff_users = n;
        self
    }
    pub fn client(mut self, client: SimClient) -> Self {
        self.clients.push(client);
        self
    }
    pub fn clients(mut self, clients: Vec<SimClient>) -> Self {
        self.clients = clients;
        self
    }
    pub fn auto_consent(mut self, consent: AutoConsent) -> Self {
        self.auto_consent = Some(consent);
        self
    }
    pub fn latency(mut self, fixed: Duration) -> Self {
        self.latency = Latency { fixed, jitter: Duration::ZERO };
        self
    }
    pub fn latency_jitter(mut self, fixed: Duration, jitter: Duration) -> Self {
        self.latency = Latency { fixed, jitter };
        self
    }
    pub fn fault(mut self, rule: FaultRule) -> Self {
        self.faults.push(rule);
        self
    }
    pub fn tier(mut self, tier: Tier) -> Self {
        self.tier = tier;
        self
    }
    /// Override the tier's rate limits (e.g. `RateLimits { per_day: 3, ..RateLimits::for_tier(tier) }`).
    pub fn rate_limits(mut self, limits: RateLimits) -> Self {
        self.rate_limits = Some(limits);
        self
    }
    /// The limits in force: the override, else the tier's.
    pub fn effective_rate_limits(&self) -> RateLimits {
        self.rate_limits.unwrap_or_else(|| RateLimits::for_tier(self.tier))
    }
    pub fn unavailable(mut self, u: Unavailable) -> Self {
        self.unavailable = u;
        self
    }
    pub fn xpm_clients(mut self, n: usize) -> Self {
        self.xpm_clients = Some(n);
        self
    }
    pub fn invoice_parts(mut self, parts: usize) -> Self {
        self.invoice_parts = parts.max(1);
        self
    }
    pub fn tls(mut self, tls: crate::tls::SimTls) -> Self {
        self.tls = Some(tls);
        self
    }
    pub fn frozen_clock(mut self, unix_ms: i64) -> Self {
        self.frozen_clock_ms = Some(unix_ms);
        self
    }
}
