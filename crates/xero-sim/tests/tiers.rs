//! Xero's 2026 app tiers over real HTTP: the daily call limit.

mod common;

use common::*;
use reqwest::{Response, StatusCode};
use std::time::Duration;
use xero_sim::{AutoConsent, RateLimits, SimConfig, SimHandle, Simulator, Tier};

const NOW: i64 = 1_764_000_000_000; // a frozen clock, for the daily window

async fn sim(config: SimConfig) -> SimHandle {
    Simulator::start(config).await.expect("simulator starts")
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
