//! The simulator's mutable world: organisations, staff, pending consents, codes, grants
//! (refresh-token chains), access tokens and connections. All rules that are not HTTP live here.

use crate::clock::Clock;
use crate::config::{AutoConsent, ConsentTenants, SimClient, SimConfig, Unavailable};
use crate::connection_cap::CapReached;
use crate::data::{Dataset, Organisation, StaffUser};
use crate::faults::Faults;
use crate::ratelimit::RateLimiter;
use crate::tier::Tier;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use uuid::Uuid;

pub const ACCESS_TOKEN_SECS: i64 = 1800;
pub const REFRESH_GRACE_MS: i64 = 30 * 60 * 1000;
pub const REFRESH_IDLE_MS: i64 = 60 * 86_400_000;
const ID_TOKEN_SECS: i64 = 300;

/// Scopes the simulated Xero knows. Anything else is refused at `authorize`.
pub const KNOWN_SCOPES: &[&str] = &[
    "openid",
    "profile",
    "email",
    "offline_access",
    "accounting.settings",
    "accounting.settings.read",
    "accounting.transactions",
    "accounting.transactions.read",
    "accounting.invoices",
    "accounting.invoices.read",
    "accounting.payments",
    "accounting.payments.read",
    "accounting.banktransactions",
    "accounting.banktransactions.read",
    "accounting.manualjournals",
    "accounting.manualjournals.read",
    "accounting.reports.read",
    "accounting.journals.read",
    "accounting.budgets.read",
    "accounting.contacts",
    "accounting.contacts.read",
    "accounting.attachments",
    "accounting.attachments.read",
    "assets",
    "assets.read",
    "payroll.employees",
    "payroll.employees.read",
    "payroll.payruns",
    "payroll.payruns.read",
    "payroll.payslip",
    "payroll.payslip.read",
    "payroll.settings",
    "payroll.settings.read",
    "payroll.timesheets",
    "payroll.timesheets.read",
    "files",
    "files.read",
    "projects",
    "projects.read",
    // Xero Practice Manager (the practice's XPM tenant)
    "practicemanager",
    "practicemanager.read",
    "practicemanager.client",
    "practicemanager.client.read",
    "practicemanager.job",
    "practicemanager.job.read",
    "practicemanager.staff",
    "practicemanager.staff.read",
    "practicemanager.time",
    "practicemanager.time.read",
    // Granular report scopes (apps created on or after 2 March 2026), see `reports.rs`.
    "accounting.reports.profitandloss.read",
    "accounting.reports.balancesheet.read",
    "accounting.reports.aged.read",
    "accounting.reports.banksummary.read",
    "accounting.reports.trialbalance.read",
    "accounting.reports.executivesummary.read",
];

/// Scopes that reach the practice's XPM tenant rather than its organisations.
pub(crate) fn is_xpm_scope(scope: &str) -> bool {
    scope.starts_with("practicemanager")
}

pub(crate) fn needs_tenant(scope: &str) -> bool {
    !matches!(scope, "openid" | "profile" | "email" | "offline_access") && !is_xpm_scope(scope)
}

/// Counters a test can read through [`crate::SimHandle::stats`].
#[derive(Debug, Default)]
pub struct Stats {
    pub authorization_code_grants: AtomicU64,
    pub refresh_grants: AtomicU64,
    pub refresh_grace_grants: AtomicU64,
    pub invalid_grants: AtomicU64,
    pub token_requests: AtomicU64,
    pub revocations: AtomicU64,
    pub api_requests: AtomicU64,
    pub rate_limited: AtomicU64,
    pub api_bytes_served: AtomicU64,
}

/// A snapshot of the simulator's counters ([`crate::SimHandle::stats`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct StatsSnapshot {
    /// Successful `authorization_code` exchanges.
    pub authorization_code_grants: u64,
    /// Successful `refresh_token` grants (including retries inside the grace window).
    pub refresh_grants: u64,
    /// Of those, retries that used the previous refresh token inside the 30-minute grace.
    pub refresh_grace_grants: u64,
    /// `invalid_grant` answers.
    pub invalid_grants: u64,
    /// Every request to the token endpoint.
    pub token_requests: u64,
    pub revocations: u64,
    /// Every tenant API call that passed authentication and the tenant check.
    pub api_requests: u64,
    /// 429s from the real limits (not from a storm fault).
    pub rate_limited: u64,
    /// Body bytes of every answer under `/api/` (faults and 429s included), as sent.
    pub api_bytes_served: u64,
}

impl Stats {
    pub fn snapshot(&self) -> StatsSnapshot {
        let g = |a: &AtomicU64| a.load(Ordering::Relaxed);
        StatsSnapshot {
            authorization_code_grants: g(&self.authorization_code_grants),
            refresh_grants: g(&self.refresh_grants),
            refresh_grace_grants: g(&self.refresh_grace_grants),
            invalid_grants: g(&self.invalid_grants),
            token_requests: g(&self.token_requests),
            revocations: g(&self.revocations),
            api_requests: g(&self.api_requests),
            rate_limited: g(&self.rate_limited),
            api_bytes_served: g(&self.api_bytes_served),
        }
    }
}

pub(crate) fn bump(a: &AtomicU64) {
    a.fetch_add(1, Ordering::Relaxed);
}

#[derive(Clone, Debug)]
pub(crate) struct PendingAuth {
    pub client_id: String,
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    pub state: Option<String>,
    pub code_challenge: Option<String>,
    pub nonce: Option<String>,
    pub user: Uuid,
    pub created_ms: i64,
}

#[derive(Clone, Debug)]
struct AuthCode {
    client_id: String,
    redirect_uri: String,
    scopes: Vec<String>,
    code_challenge: Option<String>,
    nonce: Option<String>,
    user: Uuid,
    auth_event_id: Uuid,
    created_ms: i64,
    used: bool,
}

#[derive(Clone, Debug)]
struct Grant {
    client_id: String,
    user: Uuid,
    scopes: Vec<String>,
    auth_event_id: Uuid,
    current: String,
    current_issued_ms: i64,
    previous: Option<(String, i64)>,
}

/// What a valid access token stands for.
#[derive(Clone, Debug)]
pub(crate) struct AccessInfo {
    pub client_id: String,
    pub user: Uuid,
    pub scopes: Vec<String>,
    pub exp_ms: i64,
}

impl AccessInfo {
    pub fn has_any_scope(&self, wanted: &[&str]) -> bool {
        self.scopes.iter().any(|s| wanted.contains(&s.as_str()))
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Connection {
    pub id: Uuid,
    pub auth_event_id: Uuid,
    pub tenant_id: Uuid,
    pub user: Uuid,
    pub client_id: String,
    pub created_ms: i64,
    pub updated_ms: i64,
}

/// The token endpoint's successful answer, in Xero's field order.
#[derive(Clone, Debug, Serialize)]
pub struct TokenResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
    pub access_token: String,
    pub expires_in: i64,
    pub token_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    pub scope: String,
}

/// A token-endpoint error (`{"error":"…"}`, HTTP 400).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OAuthError {
    InvalidGrant,
    InvalidClient,
    UnsupportedGrantType,
    InvalidRequest,
}

impl OAuthError {
    pub fn code(self) -> &'static str {
        match self {
            OAuthError::InvalidGrant => "invalid_grant",
            OAuthError::InvalidClient => "invalid_client",
            OAuthError::UnsupportedGrantType => "unsupported_grant_type",
            OAuthError::InvalidRequest => "invalid_request",
        }
    }
}

#[derive(Debug)]
pub(crate) struct World {
    pub orgs: Vec<Organisation>,
    pub org_index: HashMap<Uuid, usize>,
    pub staff: Vec<StaffUser>,
    pub deleted: HashSet<Uuid>,
    pub pending: HashMap<String, PendingAuth>,
    codes: HashMap<String, AuthCode>,
    grants: HashMap<Uuid, Grant>,
    refresh_index: HashMap<String, Uuid>,
    access: HashMap<String, AccessInfo>,
    pub connections: Vec<Connection>,
    pub auto_consent: Option<AutoConsent>,
    /// The practice's Xero Practice Manager.
    pub xpm: crate::xpm::Practice,
}

/// State shared by every request of one simulator.
#[derive(Debug)]
pub(crate) struct Shared {
    pub clients: Vec<SimClient>,
    pub clock: Clock,
    pub faults: Faults,
    pub limiter: RateLimiter,
    pub stats: Stats,
    pub world: Mutex<World>,
    pub tier: Tier,
    pub unavailable: Unavailable,
    pub code_lifetime_ms: i64,
    pub invoice_parts: usize,
    pub base_url: Mutex<String>,
}

pub(crate) fn random_token() -> String {
    let mut bytes = [0u8; 32];
    bytes[..16].copy_from_slice(Uuid::new_v4().as_bytes());
    bytes[16..].copy_from_slice(Uuid::new_v4().as_bytes());
    URL_SAFE_NO_PAD.encode(bytes)
}

/// PKCE S256: BASE64URL(SHA256(verifier)) == challenge, and the verifier is 43..=128 of `A-Za-z0-9-._~`.
pub fn pkce_ok(verifier: &str, challenge: &str) -> bool {
    let len_ok = (43..=128).contains(&verifier.len());
    let chars_ok = verifier.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
    len_ok && chars_ok && URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) == challenge
}

impl Shared {
    pub(crate) fn new(config: &SimConfig, data: Dataset) -> Self {
        let clock = match config.frozen_clock_ms {
            Some(ms) => Clock::frozen_at(ms),
            None => Clock::wall(),
        };
        let org_index = data.orgs.iter().enumerate().map(|(i, o)| (o.organisation_id, i)).collect();
        let xpm_size = config.xpm_clients.unwrap_or(data.orgs.len() * 3 / 2 + 10);
        let xpm = crate::xpm::generate_practice(config.seed, &data.orgs, xpm_size, clock.now_ms());
        Shared {
            clients: config.clients.clone(),
            clock,
            faults: Faults::new(config.seed, config.faults.clone(), config.latency),
            limiter: RateLimiter::new(config.effective_rate_limits()),
            stats: Stats::default(),
            world: Mutex::new(World {
                orgs: data.orgs,
                org_index,
                staff: data.staff,
                deleted: HashSet::new(),
                pending: HashMap::new(),
                codes: HashMap::new(),
                grants: HashMap::new(),
                refresh_index: HashMap::new(),
                access: HashMap::new(),
                connections: Vec::new(),
                auto_consent: config.auto_consent.clone(),
                xpm,
            }),
            tier: config.tier,
            unavailable: config.unavailable,
            code_lifetime_ms: config.code_lifetime.as_millis() as i64,
            invoice_parts: config.invoice_parts,
            base_url: Mutex::new(String::new()),
        }
    }

    pub fn client(&self, client_id: &str) -> Option<&SimClient> {
        self.clients.iter().find(|c| c.client_id == client_id)
    }

    pub fn world(&self) -> std::sync::MutexGuard<'_, World> {
        self.world.lock().expect("world lock")
    }

    pub fn issuer(&self) -> String {
        format!("{}/identity", self.base_url.lock().expect("base url"))
    }

    /// Authenticate a client at the token/revocation endpoint. `basic` = (id, secret) from an
    /// `Authorization: Basic` header (`client_secret_basic`); `form_client_id` and
    /// `form_client_secret` from the body (`client_secret_post`, or a PKCE client's bare id).
    pub(crate) fn authenticate_client(
        &self,
        basic: Option<(String, String)>,
        form_client_id: Option<&str>,
        form_client_secret: Option<&str>,
    ) -> Result<&SimClient, OAuthError> {
        let basic = match (basic, form_client_id, form_client_secret) {
            (Some(b), _, None) => Some(b),
            (Some(_), _, Some(_)) => return Err(OAuthError::InvalidClient), // two methods at once
            (None, Some(id), Some(secret)) => Some((id.to_string(), secret.to_string())), // client_secret_post
            (None, _, None) => None,
            (None, None, Some(_)) => return Err(OAuthError::InvalidClient),
        };
        match basic {
            Some((id, secret)) => {
                let client = self.client(&id).ok_or(OAuthError::InvalidClient)?;
                if let Some(form_id) = form_client_id
                    && form_id != id
                {
                    return Err(OAuthError::InvalidClient);
                }
                match &client.client_secret {
                    Some(s) if *s == secret => Ok(client),
                    None if secret.is_empty() => Ok(client),
                    _ => Err(OAuthError::InvalidClient),
                }
            }
            None => {
                let id = form_client_id.ok_or(OAuthError::InvalidClient)?;
                let client = self.client(id).ok_or(OAuthError::InvalidClient)?;
                if client.client_secret.is_some() {
                    // a "Web app" must send its secret
                    return Err(OAuthError::InvalidClient);
                }
                Ok(client)
            }
        }
    }
}

impl World {
    pub fn org(&self, id: &Uuid) -> Option<&Organisation> {
        self.org_index.get(id).map(|&i| &self.orgs[i])
    }

    /// Staff user by email (case-insensitive) or user id.
    pub fn find_staff(&self, key: &str) -> Option<&StaffUser> {
        self.staff.iter().find(|s| s.email.eq_ignore_ascii_case(key) || s.user_id.to_string().eq_ignore_ascii_case(key))
    }

    pub fn staff_by_id(&self, id: &Uuid) -> Option<&StaffUser> {
        self.staff.iter().find(|s| s.user_id == *id)
    }

    /// The organisations a staff user can connect right now (not deleted).
    pub fn visible_orgs(&self, user: &Uuid) -> Vec<&Organisation> {
        match self.staff_by_id(user) {
            Some(s) => s.orgs.iter().filter(|id| !self.deleted.contains(id)).filter_map(|id| self.org(id)).collect(),
            None => Vec::new(),
        }
    }

    pub fn tenants_for_auto(&self, user: &Uuid, which: &ConsentTenants) -> Vec<Uuid> {
        let visible: Vec<Uuid> = self.visible_orgs(user).iter().map(|o| o.organisation_id).collect();
        match which {
            ConsentTenants::All => visible,
            ConsentTenants::First(n) => visible.into_iter().take(*n).collect(),
            ConsentTenants::Ids(ids) => ids.iter().filter(|id| visible.contains(id)).copied().collect(),
        }
    }

    /// The person clicked Allow with `chosen` organisations: unless that takes the app past
    /// `tier`'s connection cap, connect the tenants it reaches (new connections, or refresh
    /// existing ones with the new authEventId) and mint a single-use code.
    pub(crate) fn consent(
        &mut self,
        tier: Tier,
        req: &PendingAuth,
        chosen: &[Uuid],
        now: i64,
    ) -> Result<String, CapReached> {
        let tenants = self.tenants_to_connect(req, chosen);
        self.check_cap(tier, &req.client_id, &tenants)?;
        let auth_event_id = Uuid::new_v4();
        {
            for t in &tenants {
                if let Some(c) = self
                    .connections
                    .iter_mut()
                    .find(|c| c.tenant_id == *t && c.user == req.user && c.client_id == req.client_id)
                {
                    c.auth_event_id = auth_event_id;
                    c.updated_ms = now;
                } else {
                    self.connections.push(Connection {
                        id: Uuid::new_v4(),
                        auth_event_id,
                        tenant_id: *t,
                        user: req.user,
                        client_id: req.client_id.clone(),
                        created_ms: now,
                        updated_ms: now,
                    });
                }
            }
        }
        let code = random_token();
        self.codes.insert(
            code.clone(),
            AuthCode {
                client_id: req.client_id.clone(),
                redirect_uri: req.redirect_uri.clone(),
                scopes: req.scopes.clone(),
                code_challenge: req.code_challenge.clone(),
                nonce: req.nonce.clone(),
                user: req.user,
                auth_event_id,
                created_ms: now,
                used: false,
            },
        );
        Ok(code)
    }

    #[allow(clippy::too_many_arguments)]
    fn issue(
        &mut self,
        shared: &Shared,
        client_id: &str,
        user: Uuid,
        scopes: &[String],
        auth_event_id: Uuid,
        refresh_token: Option<String>,
        nonce: Option<&str>,
        now: i64,
    ) -> TokenResponse {
        let exp_ms = now + ACCESS_TOKEN_SECS * 1000;
        let issuer = shared.issuer();
        let staff = self.staff_by_id(&user).cloned();
        let session = Uuid::new_v4().simple().to_string();
        let claims = serde_json::json!({
            "nbf": now / 1000,
            "exp": exp_ms / 1000,
            "iss": issuer,
            "aud": format!("{issuer}/resources"),
            "client_id": client_id,
            "sub": user.simple().to_string(),
            "auth_time": now / 1000,
            "xero_userid": user.to_string(),
            "global_session_id": session,
            "sid": session,
            "jti": Uuid::new_v4().simple().to_string().to_uppercase(),
            "authentication_event_id": auth_event_id.to_string(),
            "scope": scopes,
        });
        let access_token = crate::signing::sign_jwt(&claims);
        self.access.insert(
            access_token.clone(),
            AccessInfo { client_id: client_id.to_string(), user, scopes: scopes.to_vec(), exp_ms },
        );
        let id_token = if scopes.iter().any(|s| s == "openid") {
            let mut c = serde_json::json!({
                "nbf": now / 1000,
                "exp": now / 1000 + ID_TOKEN_SECS,
                "iss": issuer,
                "aud": client_id,
                "iat": now / 1000,
                "auth_time": now / 1000,
                "sub": user.simple().to_string(),
                "xero_userid": user.to_string(),
                "global_session_id": session,
                "sid": session,
                "authentication_event_id": auth_event_id.to_string(),
            });
            if let Some(n) = nonce {
                c["nonce"] = n.into();
            }
            if let Some(s) = &staff {
                if scopes.iter().any(|x| x == "email") {
                    c["email"] = s.email.clone().into();
                    c["preferred_username"] = s.email.clone().into();
                }
                if scopes.iter().any(|x| x == "profile") {
                    c["given_name"] = s.first_name.clone().into();
                    c["family_name"] = s.last_name.clone().into();
                    c["name"] = format!("{} {}", s.first_name, s.last_name).into();
                }
            }
            Some(crate::signing::sign_jwt(&c))
        } else {
            None
        };
        TokenResponse {
            id_token,
            access_token,
            expires_in: ACCESS_TOKEN_SECS,
            token_type: "Bearer",
            refresh_token,
            scope: scopes.join(" "),
        }
    }

    /// `grant_type=authorization_code`.
    pub(crate) fn exchange_code(
        &mut self,
        shared: &Shared,
        client: &SimClient,
        code: &str,
        redirect_uri: Option<&str>,
        verifier: Option<&str>,
        now: i64,
    ) -> Result<TokenResponse, OAuthError> {
        let Some(c) = self.codes.get_mut(code) else { return Err(OAuthError::InvalidGrant) };
        if c.used || c.client_id != client.client_id || now - c.created_ms > shared.code_lifetime_ms {
            c.used = true;
            return Err(OAuthError::InvalidGrant);
        }
        // a code is consumed by any attempt, successful or not
        c.used = true;
        let c = c.clone();
        if redirect_uri != Some(c.redirect_uri.as_str()) {
            return Err(OAuthError::InvalidGrant);
        }
        if let Some(challenge) = &c.code_challenge {
            match verifier {
                Some(v) if pkce_ok(v, challenge) => {}
                _ => return Err(OAuthError::InvalidGrant),
            }
        }
        let refresh = if c.scopes.iter().any(|s| s == "offline_access") {
            let token = random_token();
            let grant_id = Uuid::new_v4();
            self.grants.insert(
                grant_id,
                Grant {
                    client_id: c.client_id.clone(),
                    user: c.user,
                    scopes: c.scopes.clone(),
                    auth_event_id: c.auth_event_id,
                    current: token.clone(),
                    current_issued_ms: now,
                    previous: None,
                },
            );
            self.refresh_index.insert(token.clone(), grant_id);
            Some(token)
        } else {
            None
        };
        Ok(self.issue(shared, &c.client_id, c.user, &c.scopes, c.auth_event_id, refresh, c.nonce.as_deref(), now))
    }

    /// `grant_type=refresh_token`: rotation, 30-minute grace for the previous token, 60-day idle expiry.
    pub(crate) fn refresh(
        &mut self,
        shared: &Shared,
        client: &SimClient,
        token: &str,
        now: i64,
    ) -> Result<(TokenResponse, bool), OAuthError> {
        let grant_id = *self.refresh_index.get(token).ok_or(OAuthError::InvalidGrant)?;
        let grant = self.grants.get_mut(&grant_id).ok_or(OAuthError::InvalidGrant)?;
        if grant.client_id != client.client_id {
            return Err(OAuthError::InvalidGrant);
        }
        let (refresh_token, grace) = if grant.current == token {
            if now - grant.current_issued_ms > REFRESH_IDLE_MS {
                return Err(OAuthError::InvalidGrant);
            }
            let new = random_token();
            if let Some((old_prev, _)) = grant.previous.take() {
                self.refresh_index.remove(&old_prev);
            }
            grant.previous = Some((grant.current.clone(), now));
            grant.current = new.clone();
            grant.current_issued_ms = now;
            self.refresh_index.insert(new.clone(), grant_id);
            (new, false)
        } else {
            match &grant.previous {
                Some((prev, superseded)) if prev == token && now - superseded <= REFRESH_GRACE_MS => {
                    // inside the grace: answer with the pair the first refresh produced
                    (grant.current.clone(), true)
                }
                _ => return Err(OAuthError::InvalidGrant),
            }
        };
        let (client_id, user, scopes, event) =
            (grant.client_id.clone(), grant.user, grant.scopes.clone(), grant.auth_event_id);
        Ok((self.issue(shared, &client_id, user, &scopes, event, Some(refresh_token), None, now), grace))
    }

    /// Revocation by refresh token: remove every grant and connection of that user for that app.
    /// Returns whether anything was revoked.
    pub(crate) fn revoke_refresh_token(&mut self, client_id: &str, token: &str) -> bool {
        let Some(grant_id) = self.refresh_index.get(token).copied() else { return false };
        let Some(grant) = self.grants.get(&grant_id) else { return false };
        if grant.client_id != client_id {
            return false;
        }
        let user = grant.user;
        self.revoke_user_app(user, Some(client_id));
        true
    }

    /// Remove the user's grants and connections for one app (or every app).
    pub(crate) fn revoke_user_app(&mut self, user: Uuid, client_id: Option<&str>) -> usize {
        let matches = |g_client: &str, g_user: Uuid| g_user == user && client_id.is_none_or(|c| c == g_client);
        let doomed: Vec<Uuid> =
            self.grants.iter().filter(|(_, g)| matches(&g.client_id, g.user)).map(|(id, _)| *id).collect();
        for id in &doomed {
            self.grants.remove(id);
        }
        self.refresh_index.retain(|_, g| !doomed.contains(g));
        let before = self.connections.len();
        self.connections.retain(|c| !matches(&c.client_id, c.user));
        doomed.len() + (before - self.connections.len())
    }

    pub(crate) fn access(&self, token: &str) -> Option<&AccessInfo> {
        self.access.get(token)
    }

    /// A connection of this token's user+app to the tenant, if any (and the tenant not deleted).
    pub(crate) fn connected(&self, info: &AccessInfo, tenant: &Uuid) -> bool {
        !self.deleted.contains(tenant)
            && self
                .connections
                .iter()
                .any(|c| c.tenant_id == *tenant && c.user == info.user && c.client_id == info.client_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_s256_matches_rfc_7636_appendix_b() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        assert!(pkce_ok(verifier, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
        assert!(!pkce_ok(verifier, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cN"));
        assert!(!pkce_ok("short", &URL_SAFE_NO_PAD.encode(Sha256::digest(b"short"))), "43..128 chars");
        let bad_chars = "a".repeat(42) + "!";
        assert!(!pkce_ok(&bad_chars, &URL_SAFE_NO_PAD.encode(Sha256::digest(bad_chars.as_bytes()))));
    }
}
