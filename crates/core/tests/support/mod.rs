//! What the tests and benchmarks against the Xero simulator share: a Xero context (cache on disk,
//! in-memory credential store) pointed at a running simulator.
//!
//! Included with `mod support;` (benchmarks: `#[path = "../tests/support/mod.rs"] mod support;`).

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use switchboard_core::Cache;
use switchboard_core::credential_store::CredentialStore;
use switchboard_core::error::Result;
use switchboard_core::xero::config::{XeroApp, XeroEndpoints};
use switchboard_core::xero::context::XeroContext;
use switchboard_core::xero::rate_limit::Limits;
use switchboard_core::xero::sign_in::{TokenGrant, start_sign_in};
use xero_sim::SimHandle;
use xero_sim::config::{DEFAULT_CLIENT_ID, DEFAULT_REDIRECT_PORTS};

/// The simulator's identity and API endpoints, as the app would be configured for them.
pub fn sim_endpoints(sim: &SimHandle) -> XeroEndpoints {
    XeroEndpoints {
        authorize: sim.authorize_url().parse().unwrap(),
        token: sim.token_url().parse().unwrap(),
        revocation: sim.revocation_url().parse().unwrap(),
        api: format!("{}/", sim.api_base()).parse().unwrap(),
    }
}

/// A Xero context for the simulator: the practice's app as the simulator registers it, a cache
/// in `dir`, and `store` for the tokens.
pub fn sim_context(sim: &SimHandle, dir: &Path, store: Arc<dyn CredentialStore>, limits: Limits) -> XeroContext {
    let cache = Arc::new(Mutex::new(Cache::open(&dir.join("cache.sqlite3")).unwrap()));
    let app = XeroApp {
        client_id: DEFAULT_CLIENT_ID.to_owned(),
        has_client_secret: false,
        redirect_ports: DEFAULT_REDIRECT_PORTS.to_vec(),
    };
    XeroContext::new(cache, store, dir.join("locks"), app, sim_endpoints(sim), None, limits)
}

/// The system browser's part of a sign-in asking for `scopes`: follow the simulator's redirect
/// back to the sign-in's loopback listener, which hands the code over for the exchange.
#[allow(dead_code)] // tests/tls.rs signs in with consent_in only
pub async fn consent(ctx: &XeroContext, scopes: &[&str]) -> TokenGrant {
    let browser = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    consent_in(browser, ctx, scopes).await.unwrap()
}

/// [`consent`] in the given browser (which must not follow redirects), returning what the code
/// exchange, the app's part, came to.
pub async fn consent_in(browser: reqwest::Client, ctx: &XeroContext, scopes: &[&str]) -> Result<TokenGrant> {
    let pending = start_sign_in(&ctx.app, &ctx.endpoints, scopes, ctx.client_secret.as_ref()).await.unwrap();
    let authorize = browser.get(pending.authorize_url.clone()).send().await.unwrap();
    assert!(authorize.status().is_redirection(), "authorize answered {}", authorize.status());
    let back = authorize.headers()["location"].to_str().unwrap().to_owned();
    assert!(back.starts_with(&pending.redirect_uri()), "{back}");
    let returning = tokio::spawn(async move { browser.get(back).send().await.unwrap().status() });
    let grant = pending.finish(&ctx.http, Duration::from_secs(30), std::future::pending()).await;
    assert!(returning.await.unwrap().is_success());
    grant
}
