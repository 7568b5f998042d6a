//! The simulated Xero Practice Manager over real HTTP: tenant, scopes, XML shapes, paging,
//! `modifiedsince`, rate limits and faults; and the generated practice with its ground truth.

mod common;

use common::*;
use reqwest::StatusCode;
use std::collections::{HashMap, HashSet};
use std::time::Duration;
use xero_sim::xpm::{XpmEdit, generate_practice};
use xero_sim::{AutoConsent, FaultKind, FaultRule, SimConfig, SimHandle, Simulator, generate};

const NOW: i64 = 1_764_000_000_000;
const XPM_SCOPES: &str = "openid profile email offline_access practicemanager";

async fn sim(config: SimConfig) -> SimHandle {
    Simulator::start(config).await.expect("simulator starts")
}

async fn xpm_get(sim: &SimHandle, path: &str, access: &str, tenant: &str) -> reqwest::Response {
    http()
        .get(format!("{}/{}", sim.xpm_url(), path))
        .bearer_auth(access)
        .header("xero-tenant-id", tenant)
        .header("Accept", "application/xml")
        .send()
        .await
        .unwrap()
}

fn count(body: &str, needle: &str) -> usize {
    body.matches(needle).count()
}

#[tokio::test]
async fn xpm_consent_lists_a_practicemanager_tenant_with_a_null_name() {
    let sim = sim(SimConfig::default().orgs(3).auto_consent(AutoConsent::all())).await;
    // An accounting consent does not reach the practice.
    let accounting = connect(&sim, ALL_SCOPES).await;
    let orgs = connections(&sim, &s(&accounting, "access_token")).await;
    assert_eq!(orgs.len(), 3);
    assert!(orgs.iter().all(|c| c["tenantType"] == "ORGANISATION"));
    let resp =
        xpm_get(&sim, "client.api/list", &s(&accounting, "access_token"), &sim.xpm_tenant_id().to_string()).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);

    let sim2 = Simulator::start(SimConfig::default().orgs(3).auto_consent(AutoConsent::all())).await.unwrap();
    let token = connect(&sim2, XPM_SCOPES).await;
    let list = connections(&sim2, &s(&token, "access_token")).await;
    assert_eq!(list.len(), 1, "an XPM-only consent connects only the practice: {list:?}");
    assert_eq!(list[0]["tenantType"], "PRACTICEMANAGER");
    assert!(list[0]["tenantName"].is_null());
    assert_eq!(list[0]["tenantId"], sim2.xpm_tenant_id().to_string());
}

#[tokio::test]
async fn client_calls_need_a_client_scope_and_the_practice_tenant() {
    let sim = sim(SimConfig::default().orgs(3).auto_consent(AutoConsent::all())).await;
    let jobs_only = connect(&sim, "openid offline_access practicemanager.job.read").await;
    let tenant = sim.xpm_tenant_id().to_string();
    let resp = xpm_get(&sim, "client.api/list", &s(&jobs_only, "access_token"), &tenant).await;
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert!(resp.text().await.unwrap().contains("AuthorizationUnsuccessful"));

    let token = connect(&sim, XPM_SCOPES).await;
    let org_tenant = sim.orgs()[0].organisation_id.to_string();
    let resp = xpm_get(&sim, "client.api/list", &s(&token, "access_token"), &org_tenant).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN, "an organisation is not the practice");
    let resp = xpm_get(&sim, "client.api/list", "not-a-token", &tenant).await;
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn list_get_and_search_answer_xpm_xml() {
    let sim = sim(SimConfig::default().orgs(20).xpm_clients(40).auto_consent(AutoConsent::all())).await;
    let token = connect(&sim, XPM_SCOPES).await;
    let access = s(&token, "access_token");
    let tenant = sim.xpm_tenant_id().to_string();

    let resp = xpm_get(&sim, "client.api/list", &access, &tenant).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(header(&resp, "content-type").unwrap().starts_with("text/xml"));
    assert!(header(&resp, "x-minlimit-remaining").is_some());
    let body = resp.text().await.unwrap();
    assert!(body.starts_with("<Response api-method=\"List\">\n  <Status>OK</Status>\n  <Clients>"), "{body:.200}");
    assert_eq!(count(&body, "<Client>"), 40, "list includes archived and deleted clients");
    assert!(body.contains("<Fax />") && body.contains("<IsArchived>No</IsArchived>"));
    assert!(body.contains("<WebUrl>https://practicemanager.xero.com/Client/"));
    assert!(!body.contains("<Notes"), "not detailed");
    let clients = sim.xpm_clients();
    for c in &clients {
        assert!(body.contains(&format!("<UUID>{}</UUID>", c.uuid)));
    }
    let masked = clients.iter().find_map(|c| c.masked_tax_number()).expect("some tax numbers");
    assert!(masked.starts_with("***") && body.contains(&format!("<TaxNumber>{masked}</TaxNumber>")));

    let detailed = xpm_get(&sim, "client.api/list?detailed=true", &access, &tenant).await.text().await.unwrap();
    assert!(detailed.contains("<Notes />") && detailed.contains("<Relationships />"));

    let one = &clients[3];
    let got = xpm_get(&sim, &format!("client.api/get/{}", one.uuid), &access, &tenant).await;
    assert_eq!(got.status(), StatusCode::OK);
    let got = got.text().await.unwrap();
    assert!(got.starts_with(&format!(
        "<Response api-method=\"Get\">\n  <Status>OK</Status>\n  <WebUrl>{}</WebUrl>",
        one.web_url()
    )));
    let missing = xpm_get(&sim, "client.api/get/00000000-0000-4000-8000-000000000000", &access, &tenant).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert!(missing.text().await.unwrap().contains("<Status>ERROR</Status>"));

    let word = one.name.split_whitespace().next().unwrap().to_lowercase();
    let found = xpm_get(&sim, &format!("client.api/search?query={word}"), &access, &tenant).await.text().await.unwrap();
    let expected = clients.iter().filter(|c| !c.is_deleted && c.name.to_lowercase().contains(&word)).count();
    assert_eq!(count(&found, "<Client>"), expected);
}

#[tokio::test]
async fn paged_list_walks_active_clients_and_modifiedsince_sees_edits() {
    let sim = sim(SimConfig::default().orgs(60).xpm_clients(230).auto_consent(AutoConsent::all())).await;
    let token = connect(&sim, XPM_SCOPES).await;
    let access = s(&token, "access_token");
    let tenant = sim.xpm_tenant_id().to_string();

    let mut seen = Vec::new();
    let mut path = "client.api/paged-list?pageSize=100".to_owned();
    let mut pages = 0;
    loop {
        pages += 1;
        let body = xpm_get(&sim, &path, &access, &tenant).await.text().await.unwrap();
        assert!(body.contains("<Pagination>") && body.contains("<First>"));
        for chunk in body.split("<UUID>").skip(1) {
            // the client's own UUID is the first one after <Client>
            seen.push(chunk[..36].to_owned());
        }
        let next = body.split("<Next>").nth(1).map(|rest| rest.split("</Next>").next().unwrap().replace("&amp;", "&"));
        match next {
            Some(url) => path = url.split("/3.1/").nth(1).unwrap().to_owned(),
            None => {
                assert!(body.contains("<Next />"));
                break;
            }
        }
    }
    let active: HashSet<String> =
        sim.xpm_clients().iter().filter(|c| !c.is_archived && !c.is_deleted).map(|c| c.uuid.to_string()).collect();
    let seen_clients: HashSet<String> = seen.into_iter().filter(|u| active.contains(u)).collect();
    assert_eq!(seen_clients, active);
    assert_eq!(pages, active.len().div_ceil(100));
    let bad = xpm_get(&sim, "client.api/paged-list?pageSize=501", &access, &tenant).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);

    // An edit is seen by modifiedsince (UTC, yyyy-MM-ddTHH:mm:ss), and nothing older is.
    let since = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S").to_string();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let victim = sim.xpm_clients()[5].uuid;
    assert!(sim.xpm_edit(victim, &XpmEdit { archived: Some(true), ..XpmEdit::default() }));
    let changed =
        xpm_get(&sim, &format!("client.api/list?modifiedsince={since}"), &access, &tenant).await.text().await.unwrap();
    assert_eq!(count(&changed, "<Client>"), 1);
    assert!(changed.contains(&victim.to_string()) && changed.contains("<IsArchived>Yes</IsArchived>"));
    let bad = xpm_get(&sim, "client.api/list?modifiedsince=yesterday", &access, &tenant).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn control_routes_expose_the_ground_truth_and_edit_clients() {
    let sim = sim(SimConfig::default().orgs(10).xpm_clients(30)).await;
    let truth: Vec<serde_json::Value> =
        http().get(format!("{}/_sim/xpm/clients", sim.base_url())).send().await.unwrap().json().await.unwrap();
    assert_eq!(truth.len(), 30);
    let orgs: HashSet<String> = sim.orgs().iter().map(|o| o.organisation_id.to_string()).collect();
    assert!(
        truth.iter().any(|c| c["org"].as_str().is_some_and(|o| orgs.contains(o))),
        "some clients are organisations"
    );
    assert!(truth.iter().any(|c| c["org"].is_null()), "some have no Xero file");
    let uuid = truth[0]["uuid"].as_str().unwrap();
    let edited = http()
        .post(format!("{}/_sim/xpm/clients/{uuid}", sim.base_url()))
        .json(&serde_json::json!({"deleted": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(edited.status(), StatusCode::NO_CONTENT);
    assert!(sim.xpm_clients()[0].is_deleted);
    let unknown = http()
        .post(format!("{}/_sim/xpm/clients/00000000-0000-4000-8000-000000000000", sim.base_url()))
        .json(&serde_json::json!({"archived": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn xpm_calls_share_the_rate_limits_and_faults() {
    let sim = sim(SimConfig::default().orgs(3).xpm_clients(5).auto_consent(AutoConsent::all()).frozen_clock(NOW)).await;
    let token = connect(&sim, XPM_SCOPES).await;
    let access = s(&token, "access_token");
    let tenant = sim.xpm_tenant_id().to_string();
    for _ in 0..60 {
        assert_eq!(xpm_get(&sim, "client.api/list", &access, &tenant).await.status(), StatusCode::OK);
    }
    let refused = xpm_get(&sim, "client.api/list", &access, &tenant).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(&refused, "x-rate-limit-problem").as_deref(), Some("minute"));
    assert!(header(&refused, "retry-after").is_some());
    sim.advance(Duration::from_secs(61));

    sim.faults()
        .add(FaultRule::new(FaultKind::ServerError { status: 503 }).path_prefix("/api/practicemanager/").times(1));
    assert_eq!(xpm_get(&sim, "client.api/list", &access, &tenant).await.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(xpm_get(&sim, "client.api/list", &access, &tenant).await.status(), StatusCode::OK);
}

#[test]
fn a_15000_client_practice_overlaps_the_organisations_like_a_real_one() {
    let data = generate(7, 9000, 2);
    let practice = generate_practice(7, &data.orgs, 15_000, NOW);
    assert_eq!(practice.clients.len(), 15_000);
    let again = generate_practice(7, &data.orgs, 15_000, NOW);
    assert!(practice.clients.iter().zip(&again.clients).all(|(a, b)| a.uuid == b.uuid && a.name == b.name), "seeded");

    let orgs: HashMap<_, _> = data.orgs.iter().map(|o| (o.organisation_id, o)).collect();
    let with_file: Vec<_> = practice.clients.iter().filter(|c| c.org.is_some()).collect();
    let without: Vec<_> = practice.clients.iter().filter(|c| c.org.is_none()).collect();
    let n = |f: &dyn Fn(&&xero_sim::xpm::XpmClient) -> bool| practice.clients.iter().filter(|c| f(c)).count();
    assert!(with_file.len() > 6000 && without.len() > 5000, "{} with, {} without", with_file.len(), without.len());
    assert!(n(&|c| c.is_archived) > 100 && n(&|c| c.is_deleted) > 30 && n(&|c| c.is_prospect) > 300);
    let exact = with_file.iter().filter(|c| orgs[&c.org.unwrap()].name == c.name).count();
    assert!(exact > 1000 && exact < with_file.len() - 1000, "a mix of exact names and variants: {exact}");
    let mut per_org: HashMap<_, usize> = HashMap::new();
    for c in &with_file {
        *per_org.entry(c.org.unwrap()).or_default() += 1;
    }
    assert!(per_org.values().filter(|&&k| k == 2).count() > 50, "duplicates");
    let org_names: HashSet<String> = data.orgs.iter().map(|o| o.name.to_lowercase()).collect();
    assert!(without.iter().all(|c| !org_names.contains(&c.name.to_lowercase())));
}
