//! The simulator over real HTTP on loopback, with reqwest as the client.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::Value;
use std::time::{Duration, Instant};
use xero_sim::{
    AutoConsent, Country, DEFAULT_CLIENT_ID, FaultKind, FaultRule, RateLimits, SimClient, SimConfig, SimError,
    SimHandle, SimTls, Simulator, TestAuthority, Unavailable,
};

const NOW: i64 = 1_764_000_000_000; // 2025-11-24, a frozen clock for deterministic windows

async fn sim(config: SimConfig) -> SimHandle {
    Simulator::start(config).await.expect("simulator starts")
}

fn uuid_like(s: &str) -> bool {
    uuid::Uuid::parse_str(s).is_ok()
}

/// `2019-12-07T18:46:19.5165400`: 7 fractional digits, no zone.
fn xero_ts7(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() == 27
        && b[4] == b'-'
        && b[10] == b'T'
        && b[19] == b'.'
        && s[20..].bytes().all(|c| c.is_ascii_digit())
        && !s.ends_with('Z')
}

/// The keys appear in this order in the raw JSON (first occurrences).
fn keys_in_order(raw: &str, keys: &[&str]) {
    let pos: Vec<usize> =
        keys.iter().map(|k| raw.find(&format!("\"{k}\":")).unwrap_or_else(|| panic!("{k} missing in {raw}"))).collect();
    assert!(pos.windows(2).all(|w| w[0] < w[1]), "key order {keys:?} in {raw}");
}

fn extract_all<'a>(html: &'a str, start: &str, end: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(start) {
        let after = &rest[i + start.len()..];
        let j = after.find(end).unwrap();
        out.push(&after[..j]);
        rest = &after[j..];
    }
    out
}

// ------------------------------------------------------------------------------------------
// the whole path

#[tokio::test]
async fn consent_page_token_connections_organisation_payroll_assets() {
    let sim = sim(SimConfig::default().orgs(60).seed(11)).await;
    let orgs = sim.orgs();
    let pick =
        |f: &dyn Fn(&xero_sim::Organisation) -> bool| orgs.iter().find(|o| f(o)).expect("dataset has one").clone();
    let au_payroll = pick(&|o| o.country == Country::AU && o.has_payroll && o.has_assets);
    let au_no_payroll = pick(&|o| o.country == Country::AU && !o.has_payroll);
    let uk_payroll = pick(&|o| o.country == Country::UK && o.has_payroll);
    let nz_payroll = pick(&|o| o.country == Country::NZ && o.has_payroll);
    let us = pick(&|o| o.country == Country::US);
    let no_assets = pick(&|o| !o.has_assets);
    let mut chosen =
        vec![au_payroll.clone(), au_no_payroll.clone(), uk_payroll.clone(), nz_payroll.clone(), us.clone()];
    if !chosen.iter().any(|o| o.organisation_id == no_assets.organisation_id) {
        chosen.push(no_assets.clone());
    }

    // 1. the consent page a person sees
    let p = pkce();
    let page = http().get(authorize_url(&sim, ALL_SCOPES, "xyz-state", &p)).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(header(&page, "content-type").unwrap().starts_with("text/html"));
    let html = page.text().await.unwrap();
    let staff = &sim.staff()[0];
    assert!(html.contains(&staff.email), "signed-in user shown");
    let boxes = extract_all(&html, "name=\"tenant\" value=\"", "\"");
    assert_eq!(boxes.len(), 60, "one check box per organisation of staff user 0");
    assert!(html.contains("id=\"allow\"") && html.contains("id=\"cancel\""));
    assert!(!html.contains("O'Brien"), "names are HTML-escaped");
    let request_id = extract_all(&html, "name=\"request\" value=\"", "\"")[0].to_string();

    // 2. Allow with some organisations ticked
    let mut form = vec![("request".to_string(), request_id.clone()), ("action".into(), "allow".into())];
    for o in &chosen {
        form.push(("tenant".into(), o.organisation_id.to_string()));
    }
    let resp = submit_consent(&sim, &form).await;
    let params = location_params(&resp);
    assert_eq!(param(&params, "state"), Some("xyz-state"));
    let code = param(&params, "code").unwrap().to_string();
    // the pending request is single-use
    let again = submit_consent(&sim, &form).await;
    assert_eq!(again.status(), StatusCode::INTERNAL_SERVER_ERROR);

    // 3. code → tokens
    let resp = exchange(&sim, &code, &p.verifier).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(header(&resp, "cache-control").as_deref(), Some("no-store, no-cache, max-age=0"));
    let raw = resp.text().await.unwrap();
    keys_in_order(&raw, &["id_token", "access_token", "expires_in", "token_type", "refresh_token", "scope"]);
    let tokens: Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(tokens["expires_in"], 1800);
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(s(&tokens, "scope"), ALL_SCOPES);
    assert_eq!(tokens.as_object().unwrap().len(), 6);
    let access = s(&tokens, "access_token");
    let claims = jwt_claims(&access);
    assert_eq!(claims["xero_userid"], staff.user_id.to_string());
    assert!(uuid_like(claims["authentication_event_id"].as_str().unwrap()));
    let exp = claims["exp"].as_i64().unwrap();
    let now_s = sim.clock().now_ms() / 1000;
    assert!((exp - now_s - 1800).abs() <= 2, "30-minute access token");
    let id_claims = jwt_claims(&s(&tokens, "id_token"));
    assert_eq!(id_claims["email"], staff.email);
    assert_eq!(sim.stats().authorization_code_grants, 1);

    // 4. connections
    let raw = http().get(sim.connections_url()).bearer_auth(&access).send().await.unwrap().text().await.unwrap();
    keys_in_order(
        &raw,
        &["id", "authEventId", "tenantId", "tenantType", "tenantName", "createdDateUtc", "updatedDateUtc"],
    );
    let conns = connections(&sim, &access).await;
    assert_eq!(conns.len(), chosen.len());
    let event = claims["authentication_event_id"].as_str().unwrap();
    for c in &conns {
        assert_eq!(c.as_object().unwrap().len(), 7);
        assert_eq!(c["authEventId"], event);
        assert_eq!(c["tenantType"], "ORGANISATION");
        assert!(xero_ts7(c["createdDateUtc"].as_str().unwrap()), "{}", c["createdDateUtc"]);
        assert!(xero_ts7(c["updatedDateUtc"].as_str().unwrap()));
        assert!(c["updatedDateUtc"].as_str().unwrap() >= c["createdDateUtc"].as_str().unwrap());
        let org = orgs.iter().find(|o| o.organisation_id.to_string() == c["tenantId"].as_str().unwrap()).unwrap();
        assert_eq!(c["tenantName"], org.name.as_str());
    }
    let filtered: Vec<Value> = http()
        .get(format!("{}?authEventId={}", sim.connections_url(), event))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(filtered.len(), chosen.len());
    let none: Vec<Value> = http()
        .get(format!("{}?authEventId={}", sim.connections_url(), uuid::Uuid::new_v4()))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(none.is_empty());

    // 5. Organisation (JSON) for every connected tenant
    for o in &chosen {
        let t = o.organisation_id.to_string();
        let resp = get_api(&sim, "/api.xro/2.0/Organisation", &access, Some(&t), true).await;
        assert_eq!(resp.status(), StatusCode::OK);
        assert!(header(&resp, "content-type").unwrap().starts_with("application/json"));
        let raw = resp.text().await.unwrap();
        assert!(raw.contains("\"DateTimeUTC\":\"\\/Date("), "MS-JSON dates with escaped slashes: {raw}");
        let v: Value = serde_json::from_str(&raw).unwrap();
        assert_eq!(v["Status"], "OK");
        assert_eq!(v["ProviderName"], "Switchboard");
        let org = &v["Organisations"][0];
        assert_eq!(v["Organisations"].as_array().unwrap().len(), 1);
        assert_eq!(org["OrganisationID"], t);
        assert_eq!(org["Name"], o.name.as_str());
        assert_eq!(org["LegalName"], o.legal_name.as_str());
        assert_eq!(org["ShortCode"], o.short_code.as_str());
        assert_eq!(org["CountryCode"], o.country.country_code());
        assert_eq!(org["Version"], o.country.version());
        assert_eq!(org["BaseCurrency"], o.country.currency());
        assert_eq!(org["IsDemoCompany"], o.is_demo);
        assert_eq!(org["OrganisationStatus"], "ACTIVE");
        assert!(org["Class"].is_string() && org["Edition"].is_string() && org["Timezone"].is_string());
        let created = org["CreatedDateUTC"].as_str().unwrap();
        assert_eq!(created, format!("/Date({})/", o.created_ms));
        if let Some(lock) = org.get("PeriodLockDate") {
            let l = lock.as_str().unwrap();
            assert!(l.starts_with("/Date(") && l.ends_with("+0000)/"), "{l}");
        }
        for k in ["Addresses", "Phones", "ExternalLinks"] {
            assert!(org[k].is_array());
        }
        assert!(org["PaymentTerms"].is_object());
    }

    // 6. payroll: the right API per region, "not available" otherwise
    let t = |o: &xero_sim::Organisation| o.organisation_id.to_string();
    let au = get_api(&sim, "/payroll.xro/1.0/Settings", &access, Some(&t(&au_payroll)), true).await;
    assert_eq!(au.status(), StatusCode::OK);
    let v: Value = au.json().await.unwrap();
    assert_eq!(v["Status"], "OK");
    assert!(v["Settings"]["Accounts"].as_array().unwrap().len() >= 5);
    assert!(v["Settings"]["Accounts"][0]["AccountID"].is_string());
    assert!(v["Settings"]["TrackingCategories"]["EmployeeGroups"]["TrackingCategoryID"].is_string());
    assert!(v["Settings"]["DaysInPayrollYear"].is_string());
    assert!(v["Settings"]["EmployeesAreSTP2"].is_boolean());
    let au_v2 = get_api(&sim, "/payroll.xro/2.0/Settings", &access, Some(&t(&au_payroll)), true).await;
    assert_eq!(au_v2.status(), StatusCode::METHOD_NOT_ALLOWED, "NZ/UK payroll on an AU org");
    for o in [&uk_payroll, &nz_payroll] {
        let r = get_api(&sim, "/payroll.xro/2.0/Settings", &access, Some(&t(o)), true).await;
        assert_eq!(r.status(), StatusCode::OK);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["httpStatusCode"], "OK");
        assert!(v["pagination"].is_null() && v["problem"].is_null());
        assert!(xero_ts7(v["dateTimeUTC"].as_str().unwrap()));
        let accounts = v["settings"]["accounts"].as_array().unwrap();
        assert!(accounts.iter().all(|a| a["accountID"].is_string() && a["type"].is_string()));
        let r1 = get_api(&sim, "/payroll.xro/1.0/Settings", &access, Some(&t(o)), true).await;
        assert_eq!(r1.status(), StatusCode::METHOD_NOT_ALLOWED);
    }
    for path in ["/payroll.xro/1.0/Settings", "/payroll.xro/2.0/Settings"] {
        let r = get_api(&sim, path, &access, Some(&t(&us)), true).await;
        assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED, "US has no Xero payroll API");
    }
    let r = get_api(&sim, "/payroll.xro/1.0/Settings", &access, Some(&t(&au_no_payroll)), true).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["Detail"], "AuthorizationUnsuccessful");

    // 7. assets
    let r = get_api(&sim, "/assets.xro/1.0/Settings", &access, Some(&t(&au_payroll)), true).await;
    assert_eq!(r.status(), StatusCode::OK);
    let raw = r.text().await.unwrap();
    keys_in_order(&raw, &["assetNumberPrefix", "assetNumberSequence", "assetStartDate", "optInForTax"]);
    let v: Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(v.as_object().unwrap().len(), 4);
    assert!(v["assetStartDate"].as_str().unwrap().ends_with("T00:00:00"));
    let r = get_api(&sim, "/assets.xro/1.0/Settings", &access, Some(&t(&no_assets)), true).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // 8. Users
    let r = get_api(&sim, "/api.xro/2.0/Users", &access, Some(&t(&us)), true).await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    let users = v["Users"].as_array().unwrap();
    assert!(users.len() > us.users.len(), "the client's users plus practice staff");
    let xml = get_api(&sim, "/api.xro/2.0/Users", &access, Some(&t(&us)), false).await.text().await.unwrap();
    assert_eq!(xml.matches("<User>").count(), users.len());
    assert!(xml.contains(&format!("<EmailAddress>{}</EmailAddress>", us.users[0].email)));
    for u in users {
        assert!(uuid_like(u["UserID"].as_str().unwrap()));
        assert!(u["EmailAddress"].as_str().unwrap().contains('@'));
        assert!(u["UpdatedDateUTC"].as_str().unwrap().ends_with("+0000)/"));
        assert!(u["IsSubscriber"].is_boolean() && u["OrganisationRole"].is_string());
    }
}

#[tokio::test]
async fn cancel_redirects_access_denied_and_login_hint_picks_user() {
    let sim = sim(SimConfig::default().orgs(30).staff_users(3)).await;
    let staff = sim.staff();
    let p = pkce();
    // the page offers the other staff users as links back to authorize with a login_hint
    let first = http().get(authorize_url(&sim, ALL_SCOPES, "s-9", &p)).send().await.unwrap().text().await.unwrap();
    let links = extract_all(&first, "<a href=\"authorize?", "\"");
    assert_eq!(links.len(), 2);
    let link = links.iter().find(|l| l.contains("login_hint=")).unwrap().replace("&amp;", "&");
    let url = format!("{}?{}", sim.authorize_url(), link);
    let html = http().get(url).send().await.unwrap().text().await.unwrap();
    let chosen = staff.iter().find(|u| html.contains(&format!("({})</p>", u.email))).expect("someone signed in");
    assert_ne!(chosen.user_id, staff[0].user_id, "switched user");
    let url = format!("{}&login_hint={}", authorize_url(&sim, ALL_SCOPES, "s-9", &p), staff[2].email);
    let html = http().get(url).send().await.unwrap().text().await.unwrap();
    assert!(html.contains(&staff[2].email));
    assert_eq!(extract_all(&html, "name=\"tenant\" value=\"", "\"").len(), staff[2].orgs.len());
    let request_id = extract_all(&html, "name=\"request\" value=\"", "\"")[0].to_string();
    // Allow with nothing ticked re-shows the page with an error
    let resp = submit_consent(&sim, &[("request", request_id.as_str()), ("action", "allow")]).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.text().await.unwrap().contains("Select at least one organisation"));
    let resp = submit_consent(&sim, &[("request", request_id.as_str()), ("action", "cancel")]).await;
    let params = location_params(&resp);
    assert_eq!(param(&params, "error"), Some("access_denied"));
    assert_eq!(param(&params, "state"), Some("s-9"));
    assert_eq!(param(&params, "code"), None);
}

#[tokio::test]
async fn allow_all_connects_every_visible_org_for_that_user() {
    let sim = sim(SimConfig::default().orgs(20).staff_users(2)).await;
    let staff = sim.staff();
    let p = pkce();
    let url = format!("{}&login_hint={}", authorize_url(&sim, ALL_SCOPES, "s", &p), staff[1].email);
    let html = http().get(url).send().await.unwrap().text().await.unwrap();
    let request_id = extract_all(&html, "name=\"request\" value=\"", "\"")[0].to_string();
    let resp = submit_consent(&sim, &[("request", request_id.as_str()), ("action", "allow_all")]).await;
    let code = param(&location_params(&resp), "code").unwrap().to_string();
    let tokens: Value = exchange(&sim, &code, &p.verifier).await.json().await.unwrap();
    let conns = connections(&sim, &s(&tokens, "access_token")).await;
    assert_eq!(conns.len(), staff[1].orgs.len());
    assert_eq!(jwt_claims(&s(&tokens, "access_token"))["xero_userid"], staff[1].user_id.to_string());
}

// ------------------------------------------------------------------------------------------
// authorize / token errors

#[tokio::test]
async fn wrong_redirect_uri_and_unknown_client_show_xero_error_page() {
    let sim = sim(SimConfig::default().orgs(3)).await;
    let p = pkce();
    for bad in ["http://localhost:9999/callback", "http://localhost:53682/callback/", "http://127.0.0.1:53682/callback"]
    {
        let url = authorize_url(&sim, ALL_SCOPES, "s", &p).replace(
            &serde_urlencoded::to_string([("redirect_uri", REDIRECT)]).unwrap(),
            &serde_urlencoded::to_string([("redirect_uri", bad)]).unwrap(),
        );
        let resp = http().get(url).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR, "{bad}");
        assert!(resp.text().await.unwrap().contains("unauthorized_client : Invalid redirect_uri"));
    }
    let url = authorize_url(&sim, ALL_SCOPES, "s", &p).replace(DEFAULT_CLIENT_ID, "NOPE");
    let resp = http().get(url).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(resp.text().await.unwrap().contains("unauthorized_client"));
    // unknown scope
    let resp = http().get(authorize_url(&sim, "openid accounting.everything", "s", &p)).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
    // a PKCE client must send a challenge
    let url = format!(
        "{}?response_type=code&client_id={}&redirect_uri={}&scope=openid&state=q",
        sim.authorize_url(),
        DEFAULT_CLIENT_ID,
        REDIRECT
    );
    let params = location_params(&http().get(url).send().await.unwrap());
    assert_eq!(param(&params, "error"), Some("invalid_request"));
    assert_eq!(param(&params, "state"), Some("q"));
}

#[tokio::test]
async fn pkce_mismatch_and_missing_verifier_are_invalid_grant() {
    let sim = sim(SimConfig::default().orgs(3).auto_consent(AutoConsent::all())).await;
    let (code, _verifier) = auto_code(&sim, ALL_SCOPES).await;
    let other = pkce();
    assert_invalid_grant(exchange(&sim, &code, &other.verifier).await).await;
    let (code, verifier) = auto_code(&sim, ALL_SCOPES).await;
    let resp = http()
        .post(sim.token_url())
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", DEFAULT_CLIENT_ID),
            ("code", code.as_str()),
            ("redirect_uri", REDIRECT),
        ])
        .send()
        .await
        .unwrap();
    assert_invalid_grant(resp).await;
    // the failed attempt consumed the code
    assert_invalid_grant(exchange(&sim, &code, &verifier).await).await;
    assert_eq!(sim.stats().authorization_code_grants, 0);
}

#[tokio::test]
async fn code_is_single_use_bound_to_redirect_uri_and_short_lived() {
    let sim = sim(SimConfig::default().orgs(3).auto_consent(AutoConsent::all()).frozen_clock(NOW)).await;
    let (code, verifier) = auto_code(&sim, ALL_SCOPES).await;
    assert_eq!(exchange(&sim, &code, &verifier).await.status(), StatusCode::OK);
    assert_invalid_grant(exchange(&sim, &code, &verifier).await).await;

    let (code, verifier) = auto_code(&sim, ALL_SCOPES).await;
    let resp = http()
        .post(sim.token_url())
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", DEFAULT_CLIENT_ID),
            ("code", code.as_str()),
            ("redirect_uri", "http://localhost:53683/callback"),
            ("code_verifier", verifier.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_invalid_grant(resp).await;

    let (code, verifier) = auto_code(&sim, ALL_SCOPES).await;
    sim.advance(Duration::from_secs(301));
    assert_invalid_grant(exchange(&sim, &code, &verifier).await).await;
}

#[tokio::test]
async fn token_endpoint_client_authentication_and_grant_types() {
    let web = SimClient::confidential("WEBAPPCLIENT", "s3cret", vec![REDIRECT.to_string()]);
    let sim = sim(SimConfig::default().orgs(3).client(web).auto_consent(AutoConsent::all())).await;
    let err = |r: reqwest::Response| async move {
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        r.json::<Value>().await.unwrap()["error"].as_str().unwrap().to_string()
    };
    // unsupported grant type
    let r = http()
        .post(sim.token_url())
        .form(&[("grant_type", "password"), ("client_id", DEFAULT_CLIENT_ID)])
        .send()
        .await
        .unwrap();
    assert_eq!(err(r).await, "unsupported_grant_type");
    let r = http().post(sim.token_url()).form(&[("client_id", DEFAULT_CLIENT_ID)]).send().await.unwrap();
    assert_eq!(err(r).await, "unsupported_grant_type");
    // unknown client
    let r = http()
        .post(sim.token_url())
        .form(&[("grant_type", "refresh_token"), ("client_id", "NOPE"), ("refresh_token", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(err(r).await, "invalid_client");

    // the web app: a code without PKCE, then the secret is required
    let url = format!(
        "{}?response_type=code&client_id=WEBAPPCLIENT&redirect_uri={}&scope={}&state=w",
        sim.authorize_url(),
        REDIRECT,
        "offline_access%20accounting.settings"
    );
    let code = param(&location_params(&http().get(url).send().await.unwrap()), "code").unwrap().to_string();
    let form = [("grant_type", "authorization_code"), ("code", code.as_str()), ("redirect_uri", REDIRECT)];
    let r = http()
        .post(sim.token_url())
        .form(&[form[0], form[1], form[2], ("client_id", "WEBAPPCLIENT")])
        .send()
        .await
        .unwrap();
    assert_eq!(err(r).await, "invalid_client", "web app without its secret");
    let r = http().post(sim.token_url()).basic_auth("WEBAPPCLIENT", Some("wrong")).form(&form).send().await.unwrap();
    assert_eq!(err(r).await, "invalid_client");
    let r = http()
        .post(sim.token_url())
        .basic_auth("WEBAPPCLIENT", Some("s3cret"))
        .form(&[form[0], form[1], form[2], ("client_secret", "s3cret")])
        .send()
        .await
        .unwrap();
    assert_eq!(err(r).await, "invalid_client", "two authentication methods at once");
    let r = http().post(sim.token_url()).basic_auth("WEBAPPCLIENT", Some("s3cret")).form(&form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let tokens: Value = r.json().await.unwrap();
    assert!(tokens.get("id_token").is_none(), "no id_token without openid");
    let rt = s(&tokens, "refresh_token");
    // refreshing needs the secret too, and another client can't use this token
    let r = http()
        .post(sim.token_url())
        .form(&[("grant_type", "refresh_token"), ("client_id", "WEBAPPCLIENT"), ("refresh_token", rt.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(err(r).await, "invalid_client");
    assert_invalid_grant(refresh(&sim, &rt).await).await;
    let r = http()
        .post(sim.token_url())
        .basic_auth("WEBAPPCLIENT", Some("s3cret"))
        .form(&[("grant_type", "refresh_token"), ("refresh_token", rt.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let rt = s(&r.json::<Value>().await.unwrap(), "refresh_token");
    // client_secret_post works as well
    let r = http()
        .post(sim.token_url())
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", rt.as_str()),
            ("client_id", "WEBAPPCLIENT"),
            ("client_secret", "s3cret"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn basic_credentials_are_form_urlencoded_per_rfc_6749() {
    let odd = SimClient::confidential("ODD CLIENT", "se:cr%et~", vec![REDIRECT.to_string()]);
    let sim = sim(SimConfig::default().orgs(1).clients(vec![odd]).auto_consent(AutoConsent::all())).await;
    let url = format!(
        "{}?response_type=code&client_id=ODD%20CLIENT&redirect_uri={}&scope=offline_access%20accounting.settings",
        sim.authorize_url(),
        REDIRECT
    );
    let code = param(&location_params(&http().get(url).send().await.unwrap()), "code").unwrap().to_string();
    let r = http()
        .post(sim.token_url())
        .basic_auth("ODD+CLIENT", Some("se%3Acr%25et%7E"))
        .form(&[("grant_type", "authorization_code"), ("code", code.as_str()), ("redirect_uri", REDIRECT)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn no_offline_access_no_refresh_token() {
    let sim = sim(SimConfig::default().orgs(2).auto_consent(AutoConsent::all())).await;
    let tokens = connect(&sim, "openid accounting.settings").await;
    assert!(tokens.get("refresh_token").is_none());
}

// ------------------------------------------------------------------------------------------
// several organisations, one consent

#[tokio::test]
async fn organisations_of_one_consent_share_an_auth_event_id() {
    let sim = sim(SimConfig::default().orgs(12).auto_consent(AutoConsent::first(3))).await;
    let t1 = connect(&sim, ALL_SCOPES).await;
    let a1 = s(&t1, "access_token");
    let first = connections(&sim, &a1).await;
    assert_eq!(first.len(), 3);
    let event1 = first[0]["authEventId"].as_str().unwrap().to_string();
    assert!(first.iter().all(|c| c["authEventId"] == event1.as_str()));
    assert_eq!(jwt_claims(&a1)["authentication_event_id"], event1.as_str());

    // a second consent adds two more and re-authorises the first three
    sim.set_auto_consent(Some(AutoConsent::first(5)));
    let t2 = connect(&sim, ALL_SCOPES).await;
    let a2 = s(&t2, "access_token");
    let event2 = jwt_claims(&a2)["authentication_event_id"].as_str().unwrap().to_string();
    assert_ne!(event1, event2);
    let second = connections(&sim, &a2).await;
    assert_eq!(second.len(), 5, "no duplicates for re-consented organisations");
    assert!(second.iter().all(|c| c["authEventId"] == event2.as_str()));
    for c in &first {
        let same = second.iter().find(|x| x["tenantId"] == c["tenantId"]).unwrap();
        assert_eq!(same["id"], c["id"], "a re-consented organisation keeps its connection id");
        assert_eq!(same["createdDateUtc"], c["createdDateUtc"]);
    }
    let old: Vec<Value> = http()
        .get(format!("{}?authEventId={event1}", sim.connections_url()))
        .bearer_auth(&a2)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(old.is_empty());
}

#[tokio::test]
async fn delete_connection_then_tenant_is_forbidden() {
    let sim = sim(SimConfig::default().orgs(5).auto_consent(AutoConsent::first(2))).await;
    let t = connect(&sim, ALL_SCOPES).await;
    let access = s(&t, "access_token");
    let conns = connections(&sim, &access).await;
    let id = s(&conns[0], "id");
    let tenant = s(&conns[0], "tenantId");
    let del = |id: String| {
        let access = access.clone();
        let url = format!("{}/{}", sim.connections_url(), id);
        async move { http().delete(url).bearer_auth(access).send().await.unwrap().status() }
    };
    assert_eq!(del(tenant.clone()).await, StatusCode::NOT_FOUND, "DELETE takes the connection id, not the tenant id");
    assert_eq!(del(id.clone()).await, StatusCode::NO_CONTENT);
    assert_eq!(del(id).await, StatusCode::NOT_FOUND);
    assert_eq!(connections(&sim, &access).await.len(), 1);
    let r = get_api(&sim, "/api.xro/2.0/Organisation", &access, Some(&tenant), true).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

// ------------------------------------------------------------------------------------------
// refresh: rotation, grace, idle expiry, revocation

#[tokio::test]
async fn refresh_rotates_and_the_previous_token_has_a_30_minute_grace() {
    let sim = sim(SimConfig::default().orgs(3).auto_consent(AutoConsent::all()).frozen_clock(NOW)).await;
    let t0 = connect(&sim, ALL_SCOPES).await;
    let rt0 = s(&t0, "refresh_token");

    let r = refresh(&sim, &rt0).await;
    assert_eq!(r.status(), StatusCode::OK);
    let t1: Value = r.json().await.unwrap();
    let rt1 = s(&t1, "refresh_token");
    assert_ne!(rt0, rt1, "rotation on every refresh");
    assert_ne!(s(&t0, "access_token"), s(&t1, "access_token"));
    assert_eq!(t1["expires_in"], 1800);
    assert_eq!(s(&t1, "scope"), ALL_SCOPES);
    // the new access token works
    assert_eq!(connections(&sim, &s(&t1, "access_token")).await.len(), 3);

    // a lost response: retry with the old token inside the grace → the same new refresh token
    sim.advance(Duration::from_secs(29 * 60));
    let r = refresh(&sim, &rt0).await;
    assert_eq!(r.status(), StatusCode::OK);
    let retry: Value = r.json().await.unwrap();
    assert_eq!(s(&retry, "refresh_token"), rt1);
    assert_eq!(sim.stats().refresh_grace_grants, 1);

    // after the grace the old token is dead; the current one still works
    sim.advance(Duration::from_secs(2 * 60));
    assert_invalid_grant(refresh(&sim, &rt0).await).await;
    let t2: Value = refresh(&sim, &rt1).await.json().await.unwrap();
    let rt2 = s(&t2, "refresh_token");
    assert_ne!(rt2, rt1);
    // once the chain moved on, a token two rotations back is dead even inside 30 minutes
    let t3: Value = refresh(&sim, &rt2).await.json().await.unwrap();
    let rt3 = s(&t3, "refresh_token");
    assert_invalid_grant(refresh(&sim, &rt1).await).await;
    assert_eq!(s(&refresh(&sim, &rt2).await.json::<Value>().await.unwrap(), "refresh_token"), rt3);
    assert_eq!(sim.stats().refresh_grants, 5);
    assert!(sim.stats().invalid_grants >= 2);
}

#[tokio::test]
async fn refresh_token_expires_after_60_idle_days() {
    let sim = sim(SimConfig::default().orgs(2).auto_consent(AutoConsent::all()).frozen_clock(NOW)).await;
    let t0 = connect(&sim, ALL_SCOPES).await;
    sim.advance(Duration::from_secs(59 * 86_400));
    let r = refresh(&sim, &s(&t0, "refresh_token")).await;
    assert_eq!(r.status(), StatusCode::OK, "59 idle days is fine");
    let rt1 = s(&r.json::<Value>().await.unwrap(), "refresh_token");
    sim.advance(Duration::from_secs(60 * 86_400 + 60));
    assert_invalid_grant(refresh(&sim, &rt1).await).await;
}

#[tokio::test]
async fn access_token_expires_after_30_minutes() {
    let sim = sim(SimConfig::default().orgs(2).auto_consent(AutoConsent::all()).frozen_clock(NOW)).await;
    let t = connect(&sim, ALL_SCOPES).await;
    let access = s(&t, "access_token");
    sim.advance(Duration::from_secs(29 * 60));
    assert_eq!(connections(&sim, &access).await.len(), 2);
    sim.advance(Duration::from_secs(2 * 60));
    let r = http().get(sim.connections_url()).bearer_auth(&access).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(header(&r, "www-authenticate").unwrap().contains("invalid_token"));
    let v: Value = r.json().await.unwrap();
    assert!(v["Detail"].as_str().unwrap().starts_with("TokenExpired: token expired at "));
    // no token at all
    let r = http().get(sim.connections_url()).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = http().get(sim.connections_url()).bearer_auth("forged.token.here").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn revocation_endpoint_kills_refresh_and_connections() {
    let sim = sim(SimConfig::default().orgs(4).auto_consent(AutoConsent::all())).await;
    let t = connect(&sim, ALL_SCOPES).await;
    let (access, rt) = (s(&t, "access_token"), s(&t, "refresh_token"));
    let tenant = s(&connections(&sim, &access).await[0], "tenantId");
    let r = http()
        .post(sim.revocation_url())
        .form(&[("token", rt.as_str()), ("client_id", DEFAULT_CLIENT_ID)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(sim.stats().revocations, 1);
    assert_invalid_grant(refresh(&sim, &rt).await).await;
    assert!(connections(&sim, &access).await.is_empty());
    let r = get_api(&sim, "/api.xro/2.0/Organisation", &access, Some(&tenant), true).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // revoking an unknown token is not an error
    let r = http()
        .post(sim.revocation_url())
        .form(&[("token", "nonsense"), ("client_id", DEFAULT_CLIENT_ID)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn revoked_consent_gives_invalid_grant_and_no_connections() {
    let sim = sim(SimConfig::default().orgs(4).staff_users(2).auto_consent(AutoConsent::all())).await;
    let staff = sim.staff();
    let mine = connect(&sim, ALL_SCOPES).await;
    sim.set_auto_consent(Some(AutoConsent::all().as_user(staff[1].email.clone())));
    let theirs = connect(&sim, ALL_SCOPES).await;
    assert!(sim.revoke_consent(&staff[0].email));
    assert!(!sim.revoke_consent("nobody@nowhere.example"));
    assert_invalid_grant(refresh(&sim, &s(&mine, "refresh_token")).await).await;
    assert!(connections(&sim, &s(&mine, "access_token")).await.is_empty());
    // the other staff member's token set is untouched
    assert_eq!(refresh(&sim, &s(&theirs, "refresh_token")).await.status(), StatusCode::OK);
}

// ------------------------------------------------------------------------------------------
// tenant checks, scopes, formats

#[tokio::test]
async fn tenant_not_connected_missing_or_deleted_is_403_authentication_unsuccessful() {
    let sim = sim(SimConfig::default().orgs(6).auto_consent(AutoConsent::first(2))).await;
    let orgs = sim.orgs();
    let t = connect(&sim, ALL_SCOPES).await;
    let access = s(&t, "access_token");
    let not_connected = orgs[5].organisation_id.to_string();
    for tenant in [Some(not_connected.as_str()), None, Some("not-a-uuid")] {
        let r = get_api(&sim, "/api.xro/2.0/Organisation", &access, tenant, true).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert!(header(&r, "x-minlimit-remaining").is_none(), "refused before the rate limiter");
        let raw = r.text().await.unwrap();
        let v: Value = serde_json::from_str(&raw).unwrap();
        assert_eq!(v.as_object().unwrap().len(), 6);
        assert!(raw.starts_with("{\"Type\":null,\"Title\":\"Forbidden\",\"Status\":403,\"Detail\":\"AuthenticationUnsuccessful\",\"Instance\":\""));
        assert!(raw.ends_with("\",\"Extensions\":{}}"));
        assert!(uuid_like(v["Instance"].as_str().unwrap()));
    }
    // deleted at Xero: gone from /connections and 403 everywhere
    let victim = orgs[0].organisation_id;
    assert_eq!(
        get_api(&sim, "/api.xro/2.0/Organisation", &access, Some(&victim.to_string()), true).await.status(),
        StatusCode::OK
    );
    assert!(sim.delete_tenant(victim));
    let conns = connections(&sim, &access).await;
    assert_eq!(conns.len(), 1);
    assert!(conns.iter().all(|c| c["tenantId"] != victim.to_string().as_str()));
    for path in ["/api.xro/2.0/Organisation", "/payroll.xro/1.0/Settings", "/assets.xro/1.0/Settings"] {
        let r = get_api(&sim, path, &access, Some(&victim.to_string()), true).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path}");
        assert_eq!(r.json::<Value>().await.unwrap()["Detail"], "AuthenticationUnsuccessful");
    }
    // the other tenant is fine
    let other = orgs[1].organisation_id.to_string();
    assert_eq!(get_api(&sim, "/api.xro/2.0/Organisation", &access, Some(&other), true).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn missing_scope_is_401_authorization_unsuccessful() {
    let sim = sim(SimConfig::default().orgs(40).seed(5).auto_consent(AutoConsent::all())).await;
    let orgs = sim.orgs();
    let au = orgs.iter().find(|o| o.country == Country::AU && o.has_payroll && o.has_assets).unwrap();
    let t = au.organisation_id.to_string();
    let only_accounting = connect(&sim, "openid offline_access accounting.settings").await;
    let a = s(&only_accounting, "access_token");
    assert_eq!(get_api(&sim, "/api.xro/2.0/Organisation", &a, Some(&t), true).await.status(), StatusCode::OK);
    for path in ["/payroll.xro/1.0/Settings", "/assets.xro/1.0/Settings"] {
        let r = get_api(&sim, path, &a, Some(&t), true).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{path}");
        assert!(header(&r, "x-minlimit-remaining").is_some(), "scope failures still count and carry limits");
        let raw = r.text().await.unwrap();
        assert!(raw.starts_with(
            "{\"Type\":null,\"Title\":\"Unauthorized\",\"Status\":401,\"Detail\":\"AuthorizationUnsuccessful\""
        ));
    }
    let only_payroll = connect(&sim, "offline_access payroll.settings").await;
    let p = s(&only_payroll, "access_token");
    assert_eq!(get_api(&sim, "/api.xro/2.0/Organisation", &p, Some(&t), true).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(get_api(&sim, "/payroll.xro/1.0/Settings", &p, Some(&t), true).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn unavailable_response_is_configurable() {
    for (u, status) in
        [(Unavailable::Unauthorized, StatusCode::UNAUTHORIZED), (Unavailable::NotFound, StatusCode::NOT_FOUND)]
    {
        let sim = sim(SimConfig::default().orgs(40).seed(5).auto_consent(AutoConsent::all()).unavailable(u)).await;
        let orgs = sim.orgs();
        let no = orgs.iter().find(|o| !o.has_assets).unwrap().organisation_id.to_string();
        let a = s(&connect(&sim, ALL_SCOPES).await, "access_token");
        assert_eq!(get_api(&sim, "/assets.xro/1.0/Settings", &a, Some(&no), true).await.status(), status);
    }
}

#[tokio::test]
async fn organisation_is_xml_unless_json_is_accepted() {
    let sim = sim(SimConfig::default().orgs(8).seed(2).auto_consent(AutoConsent::all())).await;
    let a = s(&connect(&sim, ALL_SCOPES).await, "access_token");
    for o in sim.orgs() {
        let t = o.organisation_id.to_string();
        let r = get_api(&sim, "/api.xro/2.0/Organisation", &a, Some(&t), false).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert!(header(&r, "content-type").unwrap().starts_with("text/xml"));
        let xml = r.text().await.unwrap();
        assert!(xml.starts_with("<Response "), "{xml}");
        assert!(xml.contains("<Status>OK</Status>"));
        assert!(xml.contains(&format!("<OrganisationID>{t}</OrganisationID>")));
        assert!(xml.contains(&format!("<ShortCode>{}</ShortCode>", o.short_code)));
        let escaped = o.name.replace('&', "&amp;").replace('\'', "&apos;");
        assert!(xml.contains(&format!("<Name>{escaped}</Name>")), "{} in {xml}", o.name);
        assert!(xml.contains(&format!("<IsDemoCompany>{}</IsDemoCompany>", o.is_demo)));
        assert!(!xml.contains("/Date("), "XML dates are ISO");
        // JSON when asked
        let r = http()
            .get(format!("{}/Organisation", sim.accounting_url()))
            .bearer_auth(&a)
            .header("xero-tenant-id", &t)
            .header("Accept", "application/json, text/plain")
            .send()
            .await
            .unwrap();
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["Organisations"][0]["ShortCode"], o.short_code.as_str());
    }
}

// ------------------------------------------------------------------------------------------
// rate limits

#[tokio::test]
async fn minute_limit_headers_429_retry_after_and_window_roll() {
    let sim = sim(SimConfig::default().orgs(3).auto_consent(AutoConsent::all()).frozen_clock(NOW)).await;
    let a = s(&connect(&sim, ALL_SCOPES).await, "access_token");
    let orgs = sim.orgs();
    let t0 = orgs[0].organisation_id.to_string();
    let t1 = orgs[1].organisation_id.to_string();
    for i in 1..=60u32 {
        let r = get_api(&sim, "/api.xro/2.0/Organisation", &a, Some(&t0), true).await;
        assert_eq!(r.status(), StatusCode::OK, "call {i}");
        assert_eq!(header(&r, "x-minlimit-remaining").unwrap(), (60 - i).to_string());
        assert_eq!(header(&r, "x-daylimit-remaining").unwrap(), (5000 - i).to_string());
        assert_eq!(header(&r, "x-applimit-remaining"), None);
        assert_eq!(header(&r, "x-appminlimit-remaining").unwrap(), (10_000 - i).to_string());
        if i % 20 == 0 {
            sim.advance(Duration::from_secs(10)); // all 60 inside one minute
        }
    }
    let r = get_api(&sim, "/api.xro/2.0/Organisation", &a, Some(&t0), true).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(&r, "x-rate-limit-problem").unwrap(), "minute");
    assert_eq!(header(&r, "retry-after").unwrap(), "30", "the oldest call leaves the window in 30 s");
    assert_eq!(header(&r, "x-minlimit-remaining").unwrap(), "0");
    assert!(sim.stats().rate_limited >= 1);
    // another tenant has its own window; the app-wide count goes on
    let r = get_api(&sim, "/api.xro/2.0/Organisation", &a, Some(&t1), true).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(header(&r, "x-minlimit-remaining").unwrap(), "59");
    assert_eq!(header(&r, "x-appminlimit-remaining").unwrap(), (10_000 - 61).to_string());
    // the refused call didn't use quota; after the window rolls, calls pass again
    sim.advance(Duration::from_secs(29));
    assert_eq!(
        get_api(&sim, "/api.xro/2.0/Organisation", &a, Some(&t0), true).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    sim.advance(Duration::from_secs(1));
    let r = get_api(&sim, "/api.xro/2.0/Organisation", &a, Some(&t0), true).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(header(&r, "x-minlimit-remaining").unwrap(), "19", "the first 20 left the window");
}

#[tokio::test]
async fn day_and_app_minute_limits() {
    let limits = RateLimits { concurrent: 5, per_minute: 60, per_day: 4, app_per_minute: 6 };
    let sim =
        sim(SimConfig::default().orgs(3).auto_consent(AutoConsent::all()).frozen_clock(NOW).rate_limits(limits)).await;
    let tokens = connect(&sim, ALL_SCOPES).await;
    let (a, rt) = (s(&tokens, "access_token"), s(&tokens, "refresh_token"));
    let orgs = sim.orgs();
    let t = |i: usize| orgs[i].organisation_id.to_string();
    for _ in 0..4 {
        assert_eq!(get_api(&sim, "/api.xro/2.0/Organisation", &a, Some(&t(0)), true).await.status(), StatusCode::OK);
    }
    let r = get_api(&sim, "/api.xro/2.0/Organisation", &a, Some(&t(0)), true).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(&r, "x-rate-limit-problem").unwrap(), "day");
    let retry: u64 = header(&r, "retry-after").unwrap().parse().unwrap();
    assert!(retry > 86_000 && retry <= 86_400, "a daily 429 says come back tomorrow: {retry}");
    assert_eq!(header(&r, "x-daylimit-remaining").unwrap(), "0");
    // app-wide: 4 used, 2 more on another tenant, then appminute
    for _ in 0..2 {
        assert_eq!(get_api(&sim, "/api.xro/2.0/Organisation", &a, Some(&t(1)), true).await.status(), StatusCode::OK);
    }
    let r = get_api(&sim, "/api.xro/2.0/Organisation", &a, Some(&t(2)), true).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(&r, "x-rate-limit-problem").unwrap(), "appminute");
    assert_eq!(header(&r, "x-appminlimit-remaining").unwrap(), "0");
    // a day later the daily window is free again (with a fresh access token)
    sim.advance(Duration::from_secs(86_400));
    let a = s(&refresh(&sim, &rt).await.json::<Value>().await.unwrap(), "access_token");
    assert_eq!(get_api(&sim, "/api.xro/2.0/Organisation", &a, Some(&t(0)), true).await.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn at_most_five_concurrent_calls_per_tenant() {
    let sim = sim(SimConfig::default().orgs(2).auto_consent(AutoConsent::all())).await;
    let a = s(&connect(&sim, ALL_SCOPES).await, "access_token");
    // each call holds its slot for 1.5 s
    sim.faults().set_latency(xero_sim::Latency { fixed: Duration::from_millis(1500), jitter: Duration::ZERO });
    let orgs = sim.orgs();
    let t0 = orgs[0].organisation_id.to_string();
    let t1 = orgs[1].organisation_id.to_string();
    let client = http();
    let url = format!("{}/Organisation", sim.accounting_url());
    let mut tasks = Vec::new();
    for i in 0..9 {
        let (client, url, a) = (client.clone(), url.clone(), a.clone());
        let tenant = if i < 8 { t0.clone() } else { t1.clone() };
        tasks.push(tokio::spawn(async move {
            let r = client
                .get(url)
                .bearer_auth(a)
                .header("xero-tenant-id", &tenant)
                .header("Accept", "application/json")
                .send()
                .await
                .unwrap();
            (i, r.status(), header(&r, "x-rate-limit-problem"), header(&r, "retry-after"))
        }));
    }
    let mut ok = 0;
    let mut refused = 0;
    for t in tasks {
        let (i, status, problem, retry) = t.await.unwrap();
        if i == 8 {
            assert_eq!(status, StatusCode::OK, "another tenant is not affected");
            continue;
        }
        match status {
            StatusCode::OK => ok += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                refused += 1;
                assert_eq!(problem.as_deref(), Some("concurrent"));
                assert_eq!(retry.as_deref(), Some("1"));
            }
            s => panic!("unexpected {s}"),
        }
    }
    assert_eq!((ok, refused), (5, 3));
    // once they finished, slots are free again
    sim.faults().set_latency(xero_sim::Latency::default());
    assert_eq!(get_api(&sim, "/api.xro/2.0/Organisation", &a, Some(&t0), true).await.status(), StatusCode::OK);
}

// ------------------------------------------------------------------------------------------
// faults

#[tokio::test]
async fn fault_429_storm_5xx_slow_malformed() {
    let sim = sim(SimConfig::default().orgs(3).auto_consent(AutoConsent::all())).await;
    let a = s(&connect(&sim, ALL_SCOPES).await, "access_token");
    let orgs = sim.orgs();
    let t0 = orgs[0].organisation_id.to_string();
    let t1 = orgs[1].organisation_id.to_string();
    let org = |t: String| {
        let a = a.clone();
        let sim = &sim;
        async move { get_api(sim, "/api.xro/2.0/Organisation", &a, Some(&t), true).await }
    };

    // 429 storm, twice, then normal
    sim.faults().set(FaultRule::new(FaultKind::RateLimitStorm { retry_after_secs: 7 }).times(2));
    for _ in 0..2 {
        let r = org(t0.clone()).await;
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(header(&r, "x-rate-limit-problem").unwrap(), "minute");
        assert_eq!(header(&r, "retry-after").unwrap(), "7");
    }
    assert_eq!(org(t0.clone()).await.status(), StatusCode::OK);
    assert!(sim.faults().rules().is_empty(), "a counted rule removes itself");

    // 5xx
    for status in [500u16, 503] {
        sim.faults().set(FaultRule::new(FaultKind::ServerError { status }));
        let r = org(t0.clone()).await;
        assert_eq!(r.status().as_u16(), status);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["Status"], status);
    }
    // only one tenant
    sim.faults().set(FaultRule::new(FaultKind::ServerError { status: 503 }).tenant(orgs[0].organisation_id));
    assert_eq!(org(t0.clone()).await.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(org(t1.clone()).await.status(), StatusCode::OK);
    // a fraction
    sim.faults().set(FaultRule::new(FaultKind::ServerError { status: 500 }).probability(0.5));
    let mut failures = 0;
    for _ in 0..40 {
        if org(t1.clone()).await.status() == StatusCode::INTERNAL_SERVER_ERROR {
            failures += 1;
        }
    }
    assert!((8..=32).contains(&failures), "about half of 40 fail: {failures}");

    // slow
    sim.faults().set(FaultRule::new(FaultKind::Slow { delay_ms: 300 }));
    let start = Instant::now();
    assert_eq!(org(t0.clone()).await.status(), StatusCode::OK);
    assert!(start.elapsed() >= Duration::from_millis(300));

    // malformed: 200 with a truncated body
    sim.faults().set(FaultRule::new(FaultKind::Malformed));
    let r = org(t0.clone()).await;
    assert_eq!(r.status(), StatusCode::OK);
    let raw = r.text().await.unwrap();
    assert!(raw.starts_with("{\"Id\""));
    assert!(serde_json::from_str::<Value>(&raw).is_err(), "truncated JSON");

    sim.faults().clear();
    let r = org(t0.clone()).await;
    assert!(serde_json::from_str::<Value>(&r.text().await.unwrap()).is_ok());
    assert!(sim.faults().injected() >= 8);
}

#[tokio::test]
async fn fault_reset_closes_the_connection_without_a_response() {
    let sim = sim(SimConfig::default().orgs(2).auto_consent(AutoConsent::all())).await;
    let a = s(&connect(&sim, ALL_SCOPES).await, "access_token");
    let t = sim.orgs()[0].organisation_id.to_string();
    sim.faults().set(FaultRule::new(FaultKind::Reset).path_prefix("/api/api.xro/"));
    let err = http()
        .get(format!("{}/Organisation", sim.accounting_url()))
        .bearer_auth(&a)
        .header("xero-tenant-id", &t)
        .send()
        .await
        .expect_err("no response");
    assert!(!err.is_status() && !err.is_timeout(), "{err:?}");
    // other paths are not affected
    assert_eq!(connections(&sim, &a).await.len(), 2);
    sim.faults().clear();
    assert_eq!(get_api(&sim, "/api.xro/2.0/Organisation", &a, Some(&t), true).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn lost_refresh_response_then_retry_inside_grace() {
    let sim = sim(SimConfig::default().orgs(2).auto_consent(AutoConsent::all())).await;
    let t0 = connect(&sim, ALL_SCOPES).await;
    let rt0 = s(&t0, "refresh_token");
    sim.faults().set(FaultRule::new(FaultKind::Reset).path_prefix("/identity/connect/token").times(1));
    let lost = http()
        .post(sim.token_url())
        .form(&[("grant_type", "refresh_token"), ("client_id", DEFAULT_CLIENT_ID), ("refresh_token", rt0.as_str())])
        .send()
        .await;
    assert!(lost.is_err(), "the response was lost");
    // the reset happened before the server handled it, so the old token is still current
    let r = refresh(&sim, &rt0).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(sim.stats().refresh_grants, 1);

    // now lose the response *after* the server rotated: a malformed answer
    let rt1 = s(&r.json::<Value>().await.unwrap(), "refresh_token");
    sim.faults().set(FaultRule::new(FaultKind::Malformed).path_prefix("/identity/connect/token").times(1));
    let garbled = refresh(&sim, &rt1).await.text().await.unwrap();
    assert!(serde_json::from_str::<Value>(&garbled).is_err());
    let retry = refresh(&sim, &rt1).await;
    assert_eq!(retry.status(), StatusCode::OK, "retry with the old token inside the grace");
    let rt2 = s(&retry.json::<Value>().await.unwrap(), "refresh_token");
    assert_ne!(rt2, rt1);
    assert_eq!(sim.stats().refresh_grace_grants, 1);
    // and rt2 is the live one
    let r = refresh(&sim, &rt2).await;
    assert_eq!(r.status(), StatusCode::OK);
    let rt3 = s(&r.json::<Value>().await.unwrap(), "refresh_token");

    // the classic lost response: the server rotates, the connection drops before the answer
    sim.faults().set(FaultRule::new(FaultKind::LoseResponse).path_prefix("/identity/connect/token").times(1));
    let grants = sim.stats().refresh_grants;
    let lost = http()
        .post(sim.token_url())
        .form(&[("grant_type", "refresh_token"), ("client_id", DEFAULT_CLIENT_ID), ("refresh_token", rt3.as_str())])
        .send()
        .await;
    assert!(lost.is_err(), "no answer");
    assert_eq!(sim.stats().refresh_grants, grants + 1, "the server did rotate");
    let retry = refresh(&sim, &rt3).await;
    assert_eq!(retry.status(), StatusCode::OK);
    assert_eq!(sim.stats().refresh_grace_grants, 2);
    let rt4 = s(&retry.json::<Value>().await.unwrap(), "refresh_token");
    assert_ne!(rt4, rt3);
    assert_eq!(refresh(&sim, &rt4).await.status(), StatusCode::OK, "the retried pair is the live one");
}

#[tokio::test]
async fn latency_applies_to_every_request() {
    let sim = sim(SimConfig::default().orgs(2).auto_consent(AutoConsent::all())).await;
    let a = s(&connect(&sim, ALL_SCOPES).await, "access_token");
    sim.faults()
        .set_latency(xero_sim::Latency { fixed: Duration::from_millis(150), jitter: Duration::from_millis(50) });
    let t = sim.orgs()[0].organisation_id.to_string();
    let start = Instant::now();
    assert_eq!(get_api(&sim, "/api.xro/2.0/Organisation", &a, Some(&t), true).await.status(), StatusCode::OK);
    let e = start.elapsed();
    assert!(e >= Duration::from_millis(150), "{e:?}");
    let start = Instant::now();
    connections(&sim, &a).await;
    assert!(start.elapsed() >= Duration::from_millis(150));
}

// ------------------------------------------------------------------------------------------
// control routes and the binary

#[tokio::test]
async fn control_routes_drive_a_simulator_in_another_process() {
    let sim = sim(SimConfig::default().orgs(5)).await;
    let base = sim.base_url();
    let c = http();
    let orgs: Vec<Value> = c.get(format!("{base}/_sim/orgs")).send().await.unwrap().json().await.unwrap();
    assert_eq!(orgs.len(), 5);
    let r = c
        .post(format!("{base}/_sim/auto-consent"))
        .json(&serde_json::json!({"user": null, "tenants": {"first": 2}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let t = connect(&sim, ALL_SCOPES).await;
    let a = s(&t, "access_token");
    assert_eq!(connections(&sim, &a).await.len(), 2);
    let r = c
        .post(format!("{base}/_sim/faults"))
        .json(&serde_json::json!({"kind": "server_error", "status": 503}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let tenant = orgs[0]["tenantId"].as_str().unwrap();
    assert_eq!(
        get_api(&sim, "/api.xro/2.0/Organisation", &a, Some(tenant), true).await.status(),
        StatusCode::SERVICE_UNAVAILABLE
    );
    c.delete(format!("{base}/_sim/faults")).send().await.unwrap();
    assert_eq!(get_api(&sim, "/api.xro/2.0/Organisation", &a, Some(tenant), true).await.status(), StatusCode::OK);
    let r = c.post(format!("{base}/_sim/tenants/{tenant}/delete")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(connections(&sim, &a).await.len(), 1);
    let r = c.post(format!("{base}/_sim/clock/advance?seconds=3600")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        http().get(sim.connections_url()).bearer_auth(&a).send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    let email = sim.staff()[0].email.clone();
    let r = c.post(format!("{base}/_sim/revoke?user={email}")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_invalid_grant(refresh(&sim, &s(&t, "refresh_token")).await).await;
    let state: Value = c.get(format!("{base}/_sim/state")).send().await.unwrap().json().await.unwrap();
    assert_eq!(state["orgs"], 5);
    assert_eq!(state["stats"]["authorization_code_grants"], 1);
    // discovery document
    let d: Value = c
        .get(format!("{}/.well-known/openid-configuration", sim.identity_base()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(d["token_endpoint"], sim.token_url());
    assert_eq!(d["authorization_endpoint"], sim.authorize_url());
}

/// Runs `switchboard-sim` with `args` until it prints `SIM_BASE_URL=`: the child, the base URL
/// and everything printed up to it.
async fn run_binary(args: &[&str]) -> (tokio::process::Child, String, String) {
    use tokio::io::{AsyncBufReadExt, BufReader};
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_switchboard-sim"))
        .args(args)
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn switchboard-sim");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut printed = String::new();
    while let Ok(Some(line)) = tokio::time::timeout(Duration::from_secs(10), lines.next_line()).await.unwrap() {
        printed.push_str(&line);
        printed.push('\n');
        if let Some(base) = line.strip_prefix("SIM_BASE_URL=") {
            return (child, base.to_string(), printed);
        }
    }
    panic!("no SIM_BASE_URL line in:\n{printed}");
}

#[tokio::test]
async fn binary_prints_where_it_listens_and_serves() {
    let (mut child, base, printed) = run_binary(&["--orgs", "7", "--port", "0", "--seed", "3", "--auto-consent"]).await;
    assert!(printed.contains("/identity/connect/token"));
    assert!(printed.contains(DEFAULT_CLIENT_ID));
    let state: Value = http().get(format!("{base}/_sim/state")).send().await.unwrap().json().await.unwrap();
    assert_eq!(state["orgs"], 7);
    child.kill().await.unwrap();
}

#[tokio::test]
async fn binary_serves_https_with_the_certificate_it_is_given() {
    let authority = TestAuthority::new(&["127.0.0.1"]);
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert, &authority.server.cert_chain_pem).unwrap();
    std::fs::write(&key, &authority.server.key_pem).unwrap();
    let (mut child, base, printed) =
        run_binary(&["--orgs", "2", "--tls-cert", cert.to_str().unwrap(), "--tls-key", key.to_str().unwrap()]).await;
    assert!(base.starts_with("https://127.0.0.1:"), "{base}");
    assert!(printed.contains(&format!("token:       {base}/identity/connect/token")), "{printed}");
    let trusting = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(authority.ca_pem.as_bytes()).unwrap())
        .no_proxy()
        .build()
        .unwrap();
    let state: Value = trusting.get(format!("{base}/_sim/state")).send().await.unwrap().json().await.unwrap();
    assert_eq!(state["orgs"], 2);
    assert!(http().get(format!("{base}/_sim/state")).send().await.is_err(), "the authority is not a public one");
    child.kill().await.unwrap();

    let unusable = SimTls { cert_chain_pem: "not PEM".into(), key_pem: authority.server.key_pem };
    assert!(matches!(Simulator::start(SimConfig::default().tls(unusable)).await, Err(SimError::Tls(_))));
}

#[tokio::test]
async fn shutdown_stops_serving() {
    let sim = sim(SimConfig::default().orgs(1)).await;
    let base = sim.base_url();
    assert!(http().get(format!("{base}/_sim/state")).send().await.is_ok());
    sim.shutdown().await;
    assert!(http().get(format!("{base}/_sim/state")).send().await.is_err());
}
