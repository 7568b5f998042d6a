//! Client reports benchmark (run: `cargo bench -p switchboard-core --bench reports`). No bar
//! covers reports; these figures say what opening and refreshing them costs.
//!
//! - parse one Profit and Loss by month (13 columns) as the simulator serves it
//! - open a client's Reports page from the cache: load its 6 reports + serialise (the IPC payload)
//! - the practice insight strip over 1,000 clients with two refreshes cached each
//! - refresh one organisation's 6 reports against the simulator at 50 ms latency (Organisation,
//!   then the reports concurrently: about 2 × the latency is the floor)

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use switchboard_core::Cache;
use switchboard_core::credential_store::MemoryCredentialStore;
use switchboard_core::model::{ClientFileDraft, FileId, UnixMillis};
use switchboard_core::reports::aged::{aged_summary, parse_invoice_page};
use switchboard_core::reports::model::{REPORT_SCOPES, ReportKind};
use switchboard_core::reports::parse::parse_report;
use switchboard_core::reports::{client_reports, insights};
use switchboard_core::xero::config::CONNECT_SCOPES;
use switchboard_core::xero::rate_limit::Limits;
use xero_sim::config::{AutoConsent, SimConfig};
use xero_sim::invoices::invoices_body;
use xero_sim::reports as sim;

#[path = "../tests/support/mod.rs"]
mod support;
use support::{consent, sim_context};

const NOW: i64 = 1_764_000_000_000;

fn runs() -> usize {
    std::env::var("BENCH_RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(15)
}

fn body(report: serde_json::Value) -> Vec<u8> {
    serde_json::json!({"Status": "OK", "Reports": [report]}).to_string().into_bytes()
}

fn main() {
    let day = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let orgs = xero_sim::generate(3, 1_000, 1).orgs;
    let first = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    let last = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    let pl = body(sim::profit_and_loss_report(&orgs[0], first, last, 11, 1, day, NOW));

    let parses = time(|| {
        parse_report(&pl).unwrap();
    });

    // A practice of 1,000 clients, each with all six reports refreshed twice.
    let dir = tempfile::tempdir().unwrap();
    let mut cache = Cache::open(&dir.path().join("cache.sqlite3")).unwrap();
    let drafts: Vec<ClientFileDraft> = orgs.iter().map(|o| ClientFileDraft::named(o.name.clone())).collect();
    let ids = cache.upsert_files(&drafts).unwrap();
    for (org, id) in orgs.iter().zip(&ids) {
        for refresh_day in [day - chrono::Days::new(14), day] {
            let statements = [
                (
                    ReportKind::ProfitAndLossMonths,
                    sim::profit_and_loss_report(org, first, last, 11, 1, refresh_day, NOW),
                ),
                (
                    ReportKind::ProfitAndLossYearToDate,
                    sim::profit_and_loss_report(org, first, refresh_day, 0, 1, refresh_day, NOW),
                ),
                (ReportKind::BalanceSheet, sim::balance_sheet_report(org, refresh_day, refresh_day, NOW)),
                (ReportKind::BankSummary, sim::bank_summary_report(org, first, refresh_day, refresh_day, NOW)),
            ];
            let invoices = invoices_body(
                org,
                &sim::Figures::new(org).invoices(refresh_day),
                serde_json::Value::Null,
                "bench",
                NOW,
            );
            let outstanding = parse_invoice_page(invoices.as_bytes()).unwrap().outstanding;
            let aged = [ReportKind::AgedReceivables, ReportKind::AgedPayables]
                .map(|kind| (kind, aged_summary(kind, &outstanding, refresh_day, &org.name, UnixMillis(NOW)).unwrap()));
            for (kind, parsed) in
                statements.map(|(kind, report)| (kind, parse_report(&body(report)).unwrap())).into_iter().chain(aged)
            {
                cache.store_report(*id, kind, &parsed, Some(org.country.currency())).unwrap();
            }
        }
    }
    let mut payload = 0;
    let pages = time(|| {
        let page = client_reports(&cache, ids[500]).unwrap();
        payload = serde_json::to_vec(&page).unwrap().len();
    });
    let mut found = 0;
    let strips = time(|| found = insights(&cache).unwrap().len());

    let refreshes = refresh_against_simulator(day);

    println!("reports benchmark, median of {} runs", runs());
    report("parse a Profit and Loss by month (13 columns)", parses);
    report("open a client's Reports page (load 6 reports + JSON)", pages);
    println!("  Reports page payload: {:.1} KiB of JSON", payload as f64 / 1024.0);
    report(&format!("insight strip over {} clients ({found} insights)", ids.len()), strips);
    report("refresh 6 reports of one organisation, simulator at 50 ms latency", refreshes);
}

fn refresh_against_simulator(day: NaiveDate) -> Vec<Duration> {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let sim = xero_sim::Simulator::start(
            SimConfig::default().orgs(2).auto_consent(AutoConsent::all()).latency(Duration::from_millis(50)),
        )
        .await
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let ctx = sim_context(&sim, dir.path(), Arc::new(MemoryCredentialStore::default()), Limits::default());
        let scopes: Vec<&str> = CONNECT_SCOPES.iter().chain(REPORT_SCOPES).copied().collect();
        let grant = consent(&ctx, &scopes).await;
        ctx.connect_from_grant(grant, |_| {}).await.unwrap();
        let mut times = Vec::new();
        for _ in 0..runs().min(10) {
            let start = Instant::now();
            let done = ctx.refresh_reports(FileId(1), day).await.unwrap();
            times.push(start.elapsed());
            assert_eq!(done.fetched, 6);
        }
        times
    })
}

fn time(mut f: impl FnMut()) -> Vec<Duration> {
    (0..runs())
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect()
}

fn report(what: &str, mut times: Vec<Duration>) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("  {what}: median {:.2} ms (min {:.2} ms)", ms(times[times.len() / 2]), ms(times[0]));
}
