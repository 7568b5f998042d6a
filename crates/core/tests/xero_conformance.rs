//! Is the simulator Xero-shaped? Every answer it gives the app's real flows (consent and sync of
//! organisations of every country and state, users, reports with paged invoices, deleting a
//! client, and every error the fault switches and Xero-side events produce) is checked against
//! Xero's published OpenAPI specs (`xero-openapi/`): the operation is found by method and path
//! template, and the body must validate against the schema documented for its status, strictly
//! (see `conformance/schema.rs`). The operations seen must cover every endpoint the app calls.

mod conformance;
mod support;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use chrono::NaiveDate;
use serde_json::{Value, json};
use switchboard_core::clients::deletion::delete_client;
use switchboard_core::credential_store::MemoryCredentialStore;
use switchboard_core::model::FileId;
use switchboard_core::reports::aged::PAGE_SIZE;
use switchboard_core::reports::fetch::{outstanding_invoices_path, report_path};
use switchboard_core::reports::model::{REPORT_SCOPES, ReportKind};
use switchboard_core::xero::config::CONNECT_SCOPES;
use switchboard_core::xero::context::XeroContext;
use switchboard_core::xero::rate_limit::Limits;
use switchboard_core::xpm::XPM_SCOPES;
use xero_sim::config::{AutoConsent, SimConfig, Unavailable};
use xero_sim::faults::{FaultKind, FaultRule};
use xero_sim::reports::Figures;
use xero_sim::{Country, RecordedResponse, SimHandle, Simulator};

use conformance::schema::{self, problems};
use conformance::spec::{FILES, Spec};
use support::{consent, sim_context};

/// Each invoice awaiting payment is served as this many: enough for a second page.
const INVOICE_PARTS: usize = 60;

/// Noon UTC on 25 November 2026, the simulator's frozen "now".
const NOON_25_NOVEMBER_2026: i64 = 1_795_608_000_000;

/// The shape of the `401`/`403`/`404`/`5xx` bodies of Xero's API host, which no spec describes:
/// Xero's published example (`{"Type":null,"Title":"Forbidden","Status":403,"Detail":
/// "AuthenticationUnsuccessful","Instance":"…","Extensions":{}}`), held as strictly as the specs.
fn xero_problem_schema() -> Value {
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["Type", "Title", "Status", "Detail", "Instance", "Extensions"],
        "properties": {
            "Type": { "type": ["string", "null"] },
            "Title": { "type": "string" },
            "Status": { "type": "integer" },
            "Detail": { "type": "string" },
            "Instance": { "type": "string", "format": "xero-uuid" },
            "Extensions": { "type": "object", "maxProperties": 0 },
        },
    })
}

/// What the checked answers add up to.
#[derive(Default)]
struct Findings {
    /// (spec file, operation) → statuses answered (and checked).
    seen: BTreeMap<(&'static str, String), BTreeSet<u16>>,
    /// Answers the specs say nothing of (token endpoint, XPM): path → count.
    outside_specs: BTreeMap<String, usize>,
    /// Every way an answer departs from the spec.
    problems: Vec<String>,
}

struct Checker {
    specs: Vec<Spec>,
    validators: HashMap<String, jsonschema::Validator>,
    /// Tenant id → country, to tell Payroll NZ from Payroll UK (same path).
    countries: HashMap<String, Country>,
    findings: Findings,
}

impl Checker {
    fn new() -> Self {
        let specs = FILES.map(Spec::load).into();
        Checker { specs, validators: HashMap::new(), countries: HashMap::new(), findings: Findings::default() }
    }

    fn learn(&mut self, sim: &SimHandle) {
        self.countries.extend(sim.orgs().into_iter().map(|o| (o.organisation_id.to_string(), o.country)));
    }

    fn check_all(&mut self, sim: &SimHandle) {
        self.learn(sim);
        for answer in sim.take_responses() {
            self.check(&answer);
        }
    }

    fn check(&mut self, r: &RecordedResponse) {
        let Checker { specs, validators, countries, findings } = self;
        let what = format!("{} {} → {}", r.method, r.path, r.status);
        let Some(api_path) = r.path.strip_prefix("/api").filter(|p| !p.starts_with("/practicemanager/")) else {
            *findings.outside_specs.entry(r.path.clone()).or_default() += 1;
            return;
        };
        let Some(spec) = spec_for(specs, countries, api_path, r.tenant.as_deref()) else {
            return findings.problems.push(format!("{what}: no spec serves this path"));
        };
        let rest = &api_path[spec.base.len()..];
        let Some(op) = spec.operation(&r.method, rest) else {
            return findings.problems.push(format!("{what}: {} has no such operation", spec.file));
        };
        let id = op.id();
        findings.seen.entry((spec.file, id.clone())).or_default().insert(r.status);
        // What the spec says of this status: a JSON schema, no body, or nothing at all.
        let (key, schema) = match (op.response(r.status), op.json_schema(r.status)) {
            (_, Some(schema)) => (format!("{} {id} {}", spec.file, r.status), spec.document_for(schema)),
            (Some(_), None) => return findings.expect_no_body(r, &what),
            (None, None) => match r.status {
                // Not documented for this operation: the schema the spec gives 400 elsewhere.
                400 => match spec.usual_schema_for(400) {
                    Some(s) => (format!("{} 400", spec.file), spec.document_for(&s)),
                    None => return findings.problems.push(format!("{what}: {} documents no 400 body", spec.file)),
                },
                401 | 403 | 404 | 500..=599 => ("xero problem".to_owned(), xero_problem_schema()),
                // 429 (and 405 for a region without that API) come with no body at Xero.
                _ => return findings.expect_no_body(r, &what),
            },
        };
        if !r.content_type.as_deref().is_some_and(|c| c.starts_with("application/json")) {
            return findings.problems.push(format!("{what}: Content-Type {:?}, not JSON", r.content_type));
        }
        let body: Value = match serde_json::from_slice(&r.body) {
            Ok(body) => body,
            Err(e) => return findings.problems.push(format!("{what}: not JSON: {e}")),
        };
        let validator = validators.entry(key).or_insert_with(|| schema::validator(&schema));
        findings.problems.extend(problems(validator, &body).into_iter().map(|p| format!("{what}: {p}")));
    }
}

impl Findings {
    fn expect_no_body(&mut self, r: &RecordedResponse, what: &str) {
        if !r.body.is_empty() {
            self.problems.push(format!("{what}: a body where Xero sends none: {}", String::from_utf8_lossy(&r.body)));
        }
    }
}

/// The spec serving `path` on the API host: the longest matching base, and for Payroll 2.0 the
/// tenant's country's.
fn spec_for<'a>(
    specs: &'a [Spec],
    countries: &HashMap<String, Country>,
    path: &str,
    tenant: Option<&str>,
) -> Option<&'a Spec> {
    let payroll_v2 = match tenant.and_then(|t| countries.get(t)) {
        Some(Country::NZ) => "xero-payroll-nz.yaml",
        _ => "xero-payroll-uk.yaml",
    };
    specs
        .iter()
        .filter(|s| path.starts_with(&format!("{}/", s.base)))
        .filter(|s| s.base != "/payroll.xro/2.0" || s.file == payroll_v2)
        .max_by_key(|s| s.base.len())
}

async fn start(config: SimConfig) -> SimHandle {
    let config = SimConfig {
        record_responses: true,
        ..config.auto_consent(AutoConsent::all()).frozen_clock(NOON_25_NOVEMBER_2026)
    };
    Simulator::start(config).await.unwrap()
}

fn context(sim: &SimHandle, dir: &tempfile::TempDir) -> XeroContext {
    sim_context(sim, dir.path(), Arc::new(MemoryCredentialStore::default()), Limits::default())
}

async fn connect(ctx: &XeroContext) -> Vec<FileId> {
    let scopes: Vec<&str> = CONNECT_SCOPES.iter().chain(REPORT_SCOPES).copied().collect();
    let grant = consent(ctx, &scopes).await;
    ctx.connect_from_grant(grant, |_| {}).await.unwrap().0
}

async fn sync(ctx: &XeroContext) {
    ctx.sync(None, &AtomicBool::new(false), |_| {}).await.unwrap();
}

fn file_of(ctx: &XeroContext, org: &xero_sim::Organisation) -> FileId {
    let tenant = org.organisation_id.to_string();
    let files = ctx.cache.lock().unwrap().list_files().unwrap();
    files.into_iter().find(|f| f.xero.as_ref().is_some_and(|x| x.tenant_id == tenant)).unwrap().id
}

/// The organisations cover every country, payroll in each payroll region, and payroll and
/// assets unavailable.
fn assert_every_state(sim: &SimHandle) {
    let orgs = sim.orgs();
    assert!(orgs.iter().any(|o| o.country == Country::US), "no US organisation");
    for country in [Country::AU, Country::NZ, Country::UK] {
        assert!(orgs.iter().any(|o| o.country == country && o.has_payroll), "no {country:?} organisation with payroll");
    }
    assert!(orgs.iter().any(|o| o.country != Country::US && !o.has_payroll), "payroll is available everywhere");
    assert!(orgs.iter().any(|o| o.has_assets) && orgs.iter().any(|o| !o.has_assets), "assets the same everywhere");
}

/// Runs every flow of the app that talks to Xero's API, against simulators that record what they
/// answer, and checks each answer.
async fn run_the_apps_flows(checker: &mut Checker) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();

    // Organisations of every country and state, with invoices awaiting payment over two pages.
    let sim = start(SimConfig::default().orgs(8).seed(1).invoice_parts(INVOICE_PARTS)).await;
    assert_every_state(&sim);
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&sim, &dir);
    let files = connect(&ctx).await;
    // Connecting Practice Manager lists its tenant in `/connections`, with no name.
    ctx.connect_xpm_from_grant(consent(&ctx, XPM_SCOPES).await).await.unwrap();
    sync(&ctx).await;
    ctx.refresh_all_user_access().await.unwrap();
    let orgs = sim.orgs();
    let mut most_outstanding = 0;
    for country in [Country::AU, Country::NZ, Country::UK, Country::US] {
        let org = orgs.iter().find(|o| o.country == country).unwrap();
        let refresh = ctx.refresh_reports(file_of(&ctx, org), today).await.unwrap();
        assert!(refresh.failed.is_empty(), "{refresh:?}");
        let invoices = Figures::new(org).invoices_in_parts(today, INVOICE_PARTS);
        most_outstanding = most_outstanding.max(invoices.iter().filter(|i| i.status == "AUTHORISED").count());
    }
    assert!(most_outstanding > PAGE_SIZE, "no organisation's invoices took two pages");

    // Error bodies the app meets: a 429 (waited out), a 5xx (retried), Xero's validation error.
    let org = &orgs[0];
    let file = file_of(&ctx, org);
    sim.faults().add(FaultRule::new(FaultKind::RateLimitStorm { retry_after_secs: 0 }).times(1));
    sim.faults()
        .add(FaultRule::new(FaultKind::ServerError { status: 503 }).path_prefix("/api/api.xro/2.0/Reports").times(1));
    sim.faults()
        .add(FaultRule::new(FaultKind::ServerError { status: 400 }).path_prefix("/api/api.xro/2.0/Invoices").times(1));
    ctx.refresh_reports(file, today).await.unwrap();
    // An expired access token (401, then refreshed); a deleted organisation: gone from
    // `/connections`, and its reports refused (403).
    sim.advance(Duration::from_secs(31 * 60));
    assert!(sim.delete_tenant(orgs[1].organisation_id));
    sync(&ctx).await;
    let refused = ctx.refresh_reports(file_of(&ctx, &orgs[1]), today).await.unwrap();
    assert!(!refused.failed.is_empty(), "{refused:?}");
    // Deleting a client disconnects it (204); disconnecting it again finds nothing (404).
    let connection = ctx.cache.lock().unwrap().file(files[2]).unwrap().xero.unwrap();
    let token_set = ctx.cache.lock().unwrap().token_set_of(files[2]).unwrap().unwrap().id;
    let name = ctx.cache.lock().unwrap().file(files[2]).unwrap().display_name;
    delete_client(&ctx.cache, Some(&ctx), files[2], &name).await.unwrap();
    ctx.disconnect_organisation(token_set, connection.connection_id.as_deref(), &connection.tenant_id).await.unwrap();
    // The user revokes the app: `/connections` is empty, and the files need reconnecting.
    assert!(sim.revoke_consent(&sim.staff()[0].email));
    sync(&ctx).await;
    assert!(ctx.refresh_user_access(files[3]).await.is_err());
    checker.check_all(&sim);

    // Payroll and assets not available answered as 401 and as 404 instead of 403.
    for unavailable in [Unavailable::Unauthorized, Unavailable::NotFound] {
        let sim = start(SimConfig::default().orgs(6).seed(4).unavailable(unavailable)).await;
        let dir = tempfile::tempdir().unwrap();
        connect(&context(&sim, &dir)).await;
        checker.check_all(&sim);
    }
}

/// Every Xero API endpoint the app calls, as written in its source (paths under `api.xero.com`,
/// queries dropped), plus each report the app fetches: what the answers seen must cover.
fn endpoints_the_app_calls() -> BTreeSet<String> {
    let sources = [
        include_str!("../src/xero/api.rs"),
        include_str!("../src/access/fetch.rs"),
        include_str!("../src/reports/fetch.rs"),
        include_str!("../src/clients/deletion.rs"),
    ];
    let mut paths = BTreeSet::new();
    for text in sources {
        // Every string literal that is an API path.
        for literal in text.split('"').skip(1).step_by(2) {
            let path = literal.split('?').next().unwrap();
            let is_api = path.contains(".xro/") || path == "connections" || path.starts_with("connections/");
            if is_api && !path.contains(' ') {
                paths.insert(format!("/{path}"));
            }
        }
    }
    // The reports' paths are built from a base; the app names each one it fetches.
    let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    paths.retain(|p| !p.ends_with("/Reports"));
    for kind in ReportKind::ALL {
        if let Some(path) = report_path(kind, today, today) {
            paths.insert(format!("/{}", path.split('?').next().unwrap()));
        }
    }
    paths.insert(format!("/{}", outstanding_invoices_path(1).split('?').next().unwrap()));
    paths
}

#[tokio::test]
async fn every_answer_the_app_gets_from_the_simulator_conforms_to_xeros_specs() {
    let mut checker = Checker::new();
    run_the_apps_flows(&mut checker).await;
    let findings = &checker.findings;
    for ((file, op), statuses) in &findings.seen {
        println!("{file}: {op}: {statuses:?}");
    }
    println!("outside the specs (not checked): {:?}", findings.outside_specs);
    let shown: Vec<&str> = findings.problems.iter().take(40).map(String::as_str).collect();
    assert!(
        findings.problems.is_empty(),
        "{} departures from Xero's specs, first {}:\n{}",
        findings.problems.len(),
        shown.len(),
        shown.join("\n")
    );

    // Coverage: every endpoint the app calls was answered successfully at least once…
    let expected = endpoints_the_app_calls();
    assert!(expected.len() >= 11, "the app's endpoints were not found in its source: {expected:?}");
    for path in &expected {
        let answered = findings.seen.iter().any(|((_, op), statuses)| {
            let template = op.split_once(' ').unwrap().1;
            same_endpoint(template, path) && statuses.iter().any(|s| (200..300).contains(s))
        });
        assert!(answered, "the app calls {path}, but no successful answer to it was checked");
    }
    // …in every spec (Payroll NZ and UK share a path)…
    let specs: BTreeSet<&str> = findings.seen.keys().map(|(file, _)| *file).collect();
    assert_eq!(specs, BTreeSet::from(FILES), "answers were checked against these specs only");
    // …and every error the app handles was checked.
    let statuses: BTreeSet<u16> = findings.seen.values().flatten().copied().collect();
    for status in [200, 204, 400, 401, 403, 404, 429, 503] {
        assert!(statuses.contains(&status), "no {status} answer was checked: {statuses:?}");
    }
}

/// Whether a spec template (`/Connections/{id}`) names the same endpoint as an app path
/// (`/connections/{id}`), case aside.
fn same_endpoint(template: &str, path: &str) -> bool {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len()
        && t.iter().zip(&p).all(|(t, p)| (t.starts_with('{') && p.starts_with('{')) || t.eq_ignore_ascii_case(p))
}

/// The check can fail: a body that is right passes, and each kind of wrong one is refused.
#[test]
fn a_wrong_body_is_refused() {
    let accounting = Spec::load("xero_accounting.yaml");
    let op = accounting.operation("GET", "/Organisation").unwrap();
    let validator = schema::validator(&accounting.document_for(op.json_schema(200).unwrap()));
    let good = json!({
        "Id": "27b7a645-a3ee-43c8-b2c6-a2fa7b84c8c5",
        "Status": "OK",
        "ProviderName": "Switchboard",
        "DateTimeUTC": "/Date(1552404447003)/",
        "Organisations": [{
            "Name": "Maple Florist",
            "Version": "NZ",
            "OrganisationID": "b2c885a9-4bb9-4a00-9b6e-6c2bf60b1a2b",
            "PeriodLockDate": "/Date(1546214400000+0000)/",
        }],
    });
    assert_eq!(problems(&validator, &good), Vec::<String>::new());
    let wrong = |key: &str, value: Value| {
        let mut body = good.clone();
        body["Organisations"][0][key] = value;
        problems(&validator, &body)
    };
    for (key, value, why) in [
        ("Nickname", json!("Maple"), "a key the spec does not define"),
        ("Version", json!("MARS"), "a value outside a closed enum"),
        ("Name", Value::Null, "null where the spec does not allow it"),
        ("PeriodLockDate", json!("2019-01-01"), "not an MS date"),
        ("PeriodLockDate", json!("/Date(12a4)/"), "not an MS date"),
        ("OrganisationID", json!("b2c885a9"), "not a uuid"),
        ("PaysTax", json!("true"), "a string for a boolean"),
        ("FinancialYearEndDay", json!(31.5), "a fraction for an integer"),
    ] {
        let found = wrong(key, value);
        assert!(found.iter().any(|p| p.contains("/Organisations/0")), "{why} ({key}) passed: {found:?}");
    }

    // Xero's date-times without a zone pass; anything else does not.
    let identity = Spec::load("xero-identity.yaml");
    let op = identity.operation("GET", "/connections").unwrap();
    let validator = schema::validator(&identity.document_for(op.json_schema(200).unwrap()));
    let connection =
        |created: &str| json!([{ "id": "e1eede29-f875-4a5d-8470-17f6a29a88b1", "createdDateUtc": created }]);
    assert!(problems(&validator, &connection("2019-07-09T23:40:30.1833130")).is_empty());
    assert!(!problems(&validator, &connection("09/07/2019 23:40")).is_empty());
}

/// The conversion itself: `required` kept, `nullable` honoured, combined schemas left open.
#[test]
fn openapi_schemas_convert_to_strict_json_schema() {
    let converted = schema::convert(&json!({
        "type": "object",
        "required": ["a"],
        "properties": {
            "a": { "type": "string", "nullable": true, "description": "dropped" },
            "b": { "type": "string", "enum": ["X"], "nullable": true },
            "c": { "allOf": [{ "type": "object", "properties": { "d": { "type": "integer" } } }] },
            "e": { "type": "string", "x-is-msdate": true },
        },
    }));
    assert_eq!(converted["additionalProperties"], json!(false));
    assert_eq!(converted["properties"]["a"], json!({ "type": ["string", "null"] }));
    assert_eq!(converted["properties"]["b"]["enum"], json!(["X", null]));
    assert!(converted["properties"]["c"].get("additionalProperties").is_none(), "allOf is left open");
    assert_eq!(converted["properties"]["c"]["allOf"][0]["additionalProperties"], json!(false));
    assert_eq!(converted["properties"]["e"], json!({ "type": "string", "format": "xero-ms-date" }));
    let validator = schema::validator(&converted);
    assert!(!problems(&validator, &json!({ "b": "X" })).is_empty(), "a is required");
    assert!(problems(&validator, &json!({ "a": null, "b": null })).is_empty());
    assert!(schema::is_ms_date("/Date(-1000+1300)/") && !schema::is_ms_date("/Date(1000+13)/"));
    assert!(
        schema::is_date("2016-01-01")
            && schema::is_date("2016-01-01T00:00:00")
            && !schema::is_date("2016-01-01T10:00:00")
    );
}
