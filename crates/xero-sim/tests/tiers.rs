//! Xero's 2026 app tiers over real HTTP: the connection cap, the daily call limit, one
//! organisation per consent below Advanced, and XPM only from Advanced.

mod common;

use common::*;
use reqwest::{Response, StatusCode};
use serde_json::Value;
use std::time::Duration;
use uuid::Uuid;
use xero_sim::{AutoConsent, DEFAULT_CLIENT_ID, RateLimits, SimConfig, SimHandle, Simulator, Tier};

const NOW: i64 = 1_764_000_000_000; // a frozen clock, for the daily window
const XPM_SCOPES: &str = "openid profile email offline_access practicemanager.client.read";

async fn sim(config: SimConfig) -> SimHandle {
    Simulator::start(config).await.expect("simulator starts")
}

async fn authorize(sim: &SimHandle, scope: &str) -> Response {
    http().get(authorize_url(sim, scope, "st-1", &pkce())).send().await.unwrap()
}

/// Staff user `user` consents (automatically) to exactly `tenant`: the redirect's parameters.
async fn consent_as(sim: &SimHandle, user: usize, tenant: Uuid) -> Vec<(String, String)> {
    let email = sim.staff()[user].email.clone();
    sim.set_auto_consent(Some(AutoConsent::ids(vec![tenant]).as_user(email)));
    location_params(&authorize(sim, ALL_SCOPES).await)
}

/// The consent page for `scope` (automatic consent off): its HTML and its request id.
async fn consent_page(sim: &SimHandle, scope: &str) -> (String, String) {
    sim.set_auto_consent(None);
    let resp = authorize(sim, scope).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let html = resp.text().await.unwrap();
    let request = between(&html, "name=\"request\" value=\"", "\"").to_string();
    (html, request)
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> &'a str {
    let from = s.find(start).unwrap_or_else(|| panic!("{start} in {s}")) + start.len();
    &s[from..from + s[from..].find(end).unwrap()]
}

/// The `<input …>` tag of a tenant on the consent page.
fn tenant_input(html: &str, tenant: Uuid) -> &str {
    let id = format!("value=\"{tenant}\"");
    let at = html.find(&id).unwrap_or_else(|| panic!("{tenant} on the page"));
    let start = html[..at].rfind('<').unwrap();
    &html[start..at + html[at..].find('>').unwrap()]
}

fn form(request: &str, tenants: &[Uuid]) -> Vec<(String, String)> {
    let mut f = vec![("request".to_string(), request.to_string()), ("action".into(), "allow".into())];
    f.extend(tenants.iter().map(|t| ("tenant".to_string(), t.to_string())));
    f
}

async fn sim_state(sim: &SimHandle) -> Value {
    http().get(format!("{}/_sim/state", sim.base_url())).send().await.unwrap().json().await.unwrap()
}

// ------------------------------------------------------------------------------------------
// the connection cap

#[tokio::test]
async fn starter_refuses_a_sixth_organisation_across_staff_users_and_still_reconnects() {
    let sim = sim(SimConfig::default().tier(Tier::Starter).orgs(10).staff_users(2)).await;
    let staff = sim.staff();
    // staff user 1 connects two of the organisations it can see, staff user 0 three others
    let theirs: Vec<Uuid> = staff[1].orgs.iter().take(2).copied().collect();
    assert_eq!(theirs.len(), 2, "the seed gives staff user 1 at least two organisations");
    let ours: Vec<Uuid> = staff[0].orgs.iter().filter(|o| !theirs.contains(o)).take(4).copied().collect();
    for &t in &theirs {
        assert!(param(&consent_as(&sim, 1, t).await, "code").is_some());
    }
    for &t in &ours[..3] {
        assert!(param(&consent_as(&sim, 0, t).await, "code").is_some());
    }
    assert_eq!(sim.connections_in_use(DEFAULT_CLIENT_ID), 5);

    // a tenant counts once however many users connect it: user 0 may connect user 1's
    assert!(param(&consent_as(&sim, 0, theirs[0]).await, "code").is_some());
    assert_eq!(sim.connections_in_use(DEFAULT_CLIENT_ID), 5);

    // the sixth organisation is refused, as the person's refusal with the limit named
    let refused = consent_as(&sim, 0, ours[3]).await;
    assert_eq!(param(&refused, "error"), Some("access_denied"));
    assert_eq!(param(&refused, "state"), Some("st-1"));
    let description = param(&refused, "error_description").unwrap();
    assert!(description.contains("connection limit (Starter tier: 5 connections)"), "{description}");
    assert!(param(&refused, "code").is_none());
    assert_eq!(sim.connections_in_use(DEFAULT_CLIENT_ID), 5);

    // reconnecting a connected organisation always works
    sim.set_auto_consent(Some(AutoConsent::ids(vec![theirs[1]]).as_user(staff[1].email.clone())));
    let access = s(&connect(&sim, ALL_SCOPES).await, "access_token");
    assert_eq!(connections(&sim, &access).await.len(), 2, "staff user 1 keeps its two");

    // the app's tests read the tier and the count from the control routes
    let state = sim_state(&sim).await;
    assert_eq!(state["tier"], "starter");
    assert_eq!(state["connection_limit"], 5);
    assert_eq!(state["connections_in_use"][DEFAULT_CLIENT_ID], 5);
    assert_eq!(sim.tier(), Tier::Starter);

    // a revoked user's connections no longer count: the sixth now fits
    assert!(sim.revoke_consent(&staff[0].email));
    assert_eq!(sim.connections_in_use(DEFAULT_CLIENT_ID), 2);
    assert!(param(&consent_as(&sim, 0, ours[3]).await, "code").is_some());
}

#[tokio::test]
async fn at_the_cap_the_consent_page_disables_new_organisations_and_names_the_limit() {
    let sim = sim(SimConfig::default().tier(Tier::Starter).orgs(8)).await;
    let orgs: Vec<Uuid> = sim.orgs().iter().map(|o| o.organisation_id).collect();
    let (html, _) = consent_page(&sim, ALL_SCOPES).await;
    assert!(!html.contains("connection-limit"), "no limit shown below the cap");
    for &t in &orgs[..5] {
        assert!(param(&consent_as(&sim, 0, t).await, "code").is_some());
    }

    let (html, request) = consent_page(&sim, ALL_SCOPES).await;
    let message = between(&html, "id=\"connection-limit\">", "</p>");
    assert!(message.contains("limit of 5 connections (Starter tier)"), "{message}");
    for &t in &orgs[..5] {
        assert!(!tenant_input(&html, t).contains("disabled"), "connected organisations can be reconnected");
    }
    for &t in &orgs[5..] {
        assert!(tenant_input(&html, t).contains("disabled"), "{}", tenant_input(&html, t));
    }
    // a form naming a disabled organisation anyway is refused with the limit
    let params = location_params(&submit_consent(&sim, &form(&request, &[orgs[6]])).await);
    assert_eq!(param(&params, "error"), Some("access_denied"));
    assert!(param(&params, "error_description").unwrap().contains("5 connections"));
}

#[tokio::test]
async fn enterprise_has_no_cap_and_every_other_tier_has_xeros() {
    let caps: Vec<Option<usize>> = Tier::ALL.iter().map(|t| t.connection_limit()).collect();
    assert_eq!(caps, [Some(5), Some(50), Some(1_000), Some(10_000), None]);
    let sim = sim(SimConfig::default().tier(Tier::Enterprise).orgs(3)).await;
    assert_eq!(sim_state(&sim).await["connection_limit"], Value::Null);
}

// ------------------------------------------------------------------------------------------
// calls per organisation per day

/// Organisation calls with `access` to `tenant`, a minute apart every 60 (Xero's minute limit),
/// until one is refused: the refusal and how many were admitted.
async fn call_until_refused(sim: &SimHandle, access: &str, tenant: &str, at_most: usize) -> (Response, usize) {
    for n in 0..at_most {
        if n > 0 && n % 60 == 0 {
            sim.advance(Duration::from_secs(60));
        }
        let resp = get_api(sim, "/api.xro/2.0/Organisation", access, Some(tenant), true).await;
        if resp.status() != StatusCode::OK {
            return (resp, n);
        }
    }
    panic!("no call refused in {at_most}");
}

#[tokio::test]
async fn starters_thousand_and_first_call_to_an_organisation_gets_the_daily_limit() {
    let config = SimConfig::default().tier(Tier::Starter).orgs(2).frozen_clock(NOW).auto_consent(AutoConsent::first(1));
    let sim = sim(config).await;
    let access = s(&connect(&sim, ALL_SCOPES).await, "access_token");
    let tenant = connections(&sim, &access).await[0]["tenantId"].as_str().unwrap().to_string();
    let (resp, admitted) = call_until_refused(&sim, &access, &tenant, 1_100).await;
    assert_eq!(admitted, 1_000);
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(&resp, "X-Rate-Limit-Problem").as_deref(), Some("day"));
    assert_eq!(header(&resp, "X-DayLimit-Remaining").as_deref(), Some("0"));
    let retry_after: u64 = header(&resp, "Retry-After").unwrap().parse().unwrap();
    assert!(retry_after > 23 * 3600, "the day frees its first minute tomorrow: {retry_after}");
}

#[tokio::test]
async fn the_daily_limit_follows_the_tier_unless_overridden() {
    for (tier, limits, remaining_after_one) in [
        (Tier::Starter, None, "999"),
        (Tier::Core, None, "4999"),
        (Tier::Enterprise, None, "4999"),
        (Tier::Starter, Some(RateLimits { per_day: 3, ..RateLimits::for_tier(Tier::Starter) }), "2"),
    ] {
        let mut config = SimConfig::default().tier(tier).orgs(1).auto_consent(AutoConsent::all());
        if let Some(l) = limits {
            config = config.rate_limits(l);
        }
        let sim = sim(config).await;
        let access = s(&connect(&sim, ALL_SCOPES).await, "access_token");
        let tenant = connections(&sim, &access).await[0]["tenantId"].as_str().unwrap().to_string();
        let resp = get_api(&sim, "/api.xro/2.0/Organisation", &access, Some(&tenant), true).await;
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(header(&resp, "X-DayLimit-Remaining").as_deref(), Some(remaining_after_one), "{tier}");
    }
}

// ------------------------------------------------------------------------------------------
// one organisation per consent below Advanced

#[tokio::test]
async fn below_advanced_the_consent_page_offers_one_organisation_and_refuses_a_form_with_two() {
    for tier in [Tier::Starter, Tier::Core, Tier::Plus] {
        let sim = sim(SimConfig::default().tier(tier).orgs(4)).await;
        let orgs: Vec<Uuid> = sim.orgs().iter().map(|o| o.organisation_id).collect();
        let (html, request) = consent_page(&sim, ALL_SCOPES).await;
        assert!(tenant_input(&html, orgs[0]).contains("type=\"radio\""), "{tier}: radio buttons");
        assert!(!html.contains("type=\"checkbox\""));
        assert!(!html.contains("id=\"allow-all\""), "{tier}: no 'Allow access to all'");

        let resp = submit_consent(&sim, &form(&request, &orgs[..2])).await;
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST, "{tier}");
        let page = resp.text().await.unwrap();
        assert!(page.contains("one organisation per consent"), "{page}");
        assert_eq!(sim.connections_in_use(DEFAULT_CLIENT_ID), 0);

        // the request stays open: going back and choosing one works
        let params = location_params(&submit_consent(&sim, &form(&request, &orgs[1..2])).await);
        assert!(param(&params, "code").is_some(), "{tier}");
        assert_eq!(sim.connections_in_use(DEFAULT_CLIENT_ID), 1);
    }
}

#[tokio::test]
async fn below_advanced_automatic_consent_connects_only_the_first_organisation() {
    let sim = sim(SimConfig::default().tier(Tier::Core).orgs(4).auto_consent(AutoConsent::all())).await;
    let access = s(&connect(&sim, ALL_SCOPES).await, "access_token");
    let conns = connections(&sim, &access).await;
    assert_eq!(conns.len(), 1);
    assert_eq!(conns[0]["tenantId"], sim.orgs()[0].organisation_id.to_string());
}

#[tokio::test]
async fn advanced_and_above_connect_several_organisations_in_one_consent() {
    for tier in [Tier::Advanced, Tier::Enterprise] {
        let sim = sim(SimConfig::default().tier(tier).orgs(4)).await;
        let orgs: Vec<Uuid> = sim.orgs().iter().map(|o| o.organisation_id).collect();
        let (html, request) = consent_page(&sim, ALL_SCOPES).await;
        assert!(tenant_input(&html, orgs[0]).contains("type=\"checkbox\""), "{tier}: check boxes");
        assert!(html.contains("id=\"allow-all\""));
        let params = location_params(&submit_consent(&sim, &form(&request, &orgs[..3])).await);
        assert!(param(&params, "code").is_some(), "{tier}");
        assert_eq!(sim.connections_in_use(DEFAULT_CLIENT_ID), 3);
    }
    assert_eq!(SimConfig::default().tier, Tier::Advanced, "the default tier is Advanced");
}

// ------------------------------------------------------------------------------------------
// XPM only from Advanced

#[tokio::test]
async fn xpm_scopes_are_refused_below_advanced_and_allowed_from_it() {
    for tier in [Tier::Starter, Tier::Core, Tier::Plus] {
        let sim = sim(SimConfig::default().tier(tier).orgs(2).auto_consent(AutoConsent::all())).await;
        let params = location_params(&authorize(&sim, XPM_SCOPES).await);
        assert_eq!(param(&params, "error"), Some("unauthorized_client"), "{tier}");
        assert_eq!(param(&params, "state"), Some("st-1"));
        let description = param(&params, "error_description").unwrap();
        assert!(description.contains(&format!("{tier} tier does not include Xero Practice Manager")), "{description}");
        assert_eq!(sim.connections_in_use(DEFAULT_CLIENT_ID), 0);
    }
    for tier in [Tier::Advanced, Tier::Enterprise] {
        let sim = sim(SimConfig::default().tier(tier).orgs(2).auto_consent(AutoConsent::all())).await;
        let access = s(&connect(&sim, XPM_SCOPES).await, "access_token");
        let conns = connections(&sim, &access).await;
        assert_eq!(conns.len(), 1, "{tier}");
        assert_eq!(conns[0]["tenantType"], "PRACTICEMANAGER");
    }
}
