//! Client reports against the Xero simulator over real HTTP: the report scopes asked only when a
//! person allows them, every report fetched into the SQLite cache with its figures and currency,
//! a hostile answer or a lost Xero keeping the cached copy, and the practice-wide insights.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use switchboard_core::credential_store::MemoryCredentialStore;
use switchboard_core::model::FileId;
use switchboard_core::reports::model::{InsightKind, REPORT_SCOPES, ReportAccess, ReportKind};
use switchboard_core::reports::{client_reports, insights};
use switchboard_core::xero::config::CONNECT_SCOPES;
use switchboard_core::xero::context::XeroContext;
use switchboard_core::xero::rate_limit::Limits;
use xero_sim::config::{AutoConsent, SimConfig};
use xero_sim::faults::{FaultKind, FaultRule};
use xero_sim::reports::{Aged, AgedLine, Figures};
use xero_sim::{Organisation, SimHandle, Simulator};

mod support;
use support::{consent, sim_context};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Noon UTC on 25 November 2026: the simulator's today (its invoices are aged from its today).
const NOON_25_NOVEMBER_2026: i64 = 1_795_608_000_000;

async fn start(orgs: usize) -> (SimHandle, XeroContext, tempfile::TempDir) {
    start_with(SimConfig::default().orgs(orgs)).await
}

async fn start_with(config: SimConfig) -> (SimHandle, XeroContext, tempfile::TempDir) {
    let config = config.seed(21).auto_consent(AutoConsent::all()).frozen_clock(NOON_25_NOVEMBER_2026);
    let sim = Simulator::start(config).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ctx = sim_context(&sim, dir.path(), Arc::new(MemoryCredentialStore::default()), Limits::default());
    (sim, ctx, dir)
}

async fn connect(ctx: &XeroContext, scopes: &[&str]) -> Vec<FileId> {
    let grant = consent(ctx, scopes).await;
    ctx.connect_from_grant(grant, |_| {}).await.unwrap().0
}

fn with_reports() -> Vec<&'static str> {
    CONNECT_SCOPES.iter().chain(REPORT_SCOPES).copied().collect()
}

fn file_of(ctx: &XeroContext, org: &Organisation) -> FileId {
    let files = ctx.cache.lock().unwrap().list_files().unwrap();
    files.into_iter().find(|f| f.xero.as_ref().unwrap().tenant_id == org.organisation_id.to_string()).unwrap().id
}

#[tokio::test]
async fn reports_are_asked_for_only_when_allowed_then_fetched_with_the_organisations_figures() {
    let (sim, ctx, _dir) = start(3).await;
    connect(&ctx, CONNECT_SCOPES).await;
    let org = &sim.orgs()[1];
    let file = file_of(&ctx, org);
    let today = d("2026-11-25");

    // Connected without the report scopes: the page says so, and a refresh asks Xero nothing.
    let page = client_reports(&ctx.cache.lock().unwrap(), file).unwrap();
    assert_eq!(page.access, ReportAccess::NotGranted { missing: ReportKind::ALL.to_vec() });
    let calls = sim.stats().api_requests;
    let refresh = ctx.refresh_reports(file, today).await.unwrap();
    assert_eq!(refresh.not_allowed, ReportKind::ALL.to_vec());
    assert_eq!(refresh.fetched, 0);
    assert_eq!(sim.stats().api_requests, calls, "no report call without the scopes");

    // "Allow reports": the same consent with the report scopes; the file is matched, not duplicated.
    connect(&ctx, &with_reports()).await;
    assert_eq!(ctx.cache.lock().unwrap().list_files().unwrap().len(), 3);
    let page = client_reports(&ctx.cache.lock().unwrap(), file).unwrap();
    assert_eq!(page.access, ReportAccess::Granted);
    assert!(page.can_open_in_xero);

    let refresh = ctx.refresh_reports(file, today).await.unwrap();
    assert_eq!(refresh.fetched, 6, "{refresh:?}");
    assert!(refresh.failed.is_empty() && refresh.not_allowed.is_empty());

    let page = client_reports(&ctx.cache.lock().unwrap(), file).unwrap();
    let figures = Figures::new(org);
    let report = |kind: ReportKind| page.reports.iter().find(|r| r.kind == kind).unwrap();
    for cached in &page.reports {
        assert!(
            cached.report.is_some() && cached.fetched_at.is_some() && cached.last_error.is_none(),
            "{:?}",
            cached.kind
        );
        assert_eq!(cached.currency.as_deref(), Some(org.country.currency()));
    }
    let months = report(ReportKind::ProfitAndLossMonths).report.as_ref().unwrap();
    assert_eq!(months.columns.len(), 13);
    assert_eq!(months.amount("Net Profit", 0), Some(figures.month(2026, 11).net_profit()));
    assert_eq!(months.amount("Net Profit", 1), Some(figures.month(2026, 10).net_profit()));
    // Year to date from the organisation's own financial year start.
    let ytd = report(ReportKind::ProfitAndLossYearToDate).report.as_ref().unwrap();
    let start = figures.financial_year_start(today);
    assert_eq!(ytd.amount("Net Profit", 0), Some(figures.profit_and_loss(start, today).net_profit()));
    let sheet = report(ReportKind::BalanceSheet).report.as_ref().unwrap();
    assert_eq!(sheet.amount("Net Assets", 0), Some(figures.balance_sheet(today).net_assets()));
    let ar = report(ReportKind::AgedReceivables).report.as_ref().unwrap();
    let expected: i64 = figures.aged(Aged::Receivables, today).iter().map(AgedLine::total).sum();
    assert_eq!(ar.amount("Total", ar.column("Total").unwrap()), Some(expected));
    let over90: i64 = figures.aged(Aged::Receivables, today).iter().map(AgedLine::over_90_days).sum();
    assert_eq!(switchboard_core::reports::receivables_over_90_days(ar), Some(over90));
    let ap = report(ReportKind::AgedPayables).report.as_ref().unwrap();
    let owed: i64 = figures.aged(Aged::Payables, today).iter().map(AgedLine::total).sum();
    assert_eq!(ap.amount("Total", ap.column("Total").unwrap()), Some(owed));
    assert_eq!(
        ap.amount("Total", ap.column("Total").unwrap()),
        sheet.amount("Accounts Payable", 0),
        "bills = balance sheet"
    );
    let bank = report(ReportKind::BankSummary).report.as_ref().unwrap();
    assert_eq!(bank.amount("Total", 3), sheet.amount("Total Bank", 0), "closing balances = balance sheet");
}

/// An organisation with thousands of invoices awaiting payment: every page of 1,000 is read,
/// and the summaries still add up to the simulator's aged figures.
#[tokio::test]
async fn aged_summaries_read_every_page_of_invoices() {
    let (sim, ctx, _dir) = start_with(SimConfig::default().orgs(1).invoice_parts(150)).await;
    connect(&ctx, &with_reports()).await;
    let org = &sim.orgs()[0];
    let today = d("2026-11-25");
    let figures = Figures::new(org);
    let outstanding = figures.invoices_in_parts(today, 150).iter().filter(|i| i.status == "AUTHORISED").count();
    assert!(outstanding > 2_000, "{outstanding} invoices: at least three pages");

    let file = file_of(&ctx, org);
    let calls = sim.stats().api_requests;
    let refresh = ctx.refresh_reports(file, today).await.unwrap();
    assert_eq!(refresh.fetched, 6, "{refresh:?}");
    // Organisation, four reports, and the pages of invoices (one for both aged summaries).
    assert_eq!(sim.stats().api_requests - calls, 1 + 4 + outstanding.div_ceil(1000) as u64);
    let page = client_reports(&ctx.cache.lock().unwrap(), file).unwrap();
    for (kind, which) in [(ReportKind::AgedReceivables, Aged::Receivables), (ReportKind::AgedPayables, Aged::Payables)]
    {
        let report = page.reports.iter().find(|r| r.kind == kind).unwrap().report.clone().unwrap();
        let lines = figures.aged(which, today);
        for (column, name) in ["Current", "< 1 Month", "1 Month", "2 Months", "3 Months", "Older"].iter().enumerate() {
            let expected: i64 = lines.iter().map(|l| l.buckets[column]).sum();
            assert_eq!(report.amount("Total", report.column(name).unwrap()), Some(expected), "{kind:?} {name}");
        }
    }
}

/// "Refresh every client": every connected client allowed to read reports is refreshed, one
/// client's failures are reported by name and never stop the others.
#[tokio::test]
async fn every_clients_reports_refresh_together_and_failures_are_named() {
    let (sim, ctx, _dir) = start(4).await;
    connect(&ctx, &with_reports()).await;
    ctx.cache.lock().unwrap().upsert_files(&[switchboard_core::model::ClientFileDraft::named("Paper only")]).unwrap();
    let today = d("2026-11-25");

    let all = ctx.refresh_all_reports(today).await.unwrap();
    assert_eq!((all.clients, all.fetched), (4, 24), "{all:?}");
    assert!(all.failed.is_empty(), "{all:?}");
    for org in sim.orgs() {
        let file = file_of(&ctx, &org);
        let page = client_reports(&ctx.cache.lock().unwrap(), file).unwrap();
        assert!(page.reports.iter().all(|r| r.report.is_some()), "{} has every report", org.name);
    }

    // One organisation's Bank Summary comes back cut off: that client is named, the rest refresh.
    let broken = &sim.orgs()[2];
    sim.faults().add(
        FaultRule::new(FaultKind::Malformed)
            .path_prefix("/api/api.xro/2.0/Reports/BankSummary")
            .tenant(broken.organisation_id),
    );
    let all = ctx.refresh_all_reports(today).await.unwrap();
    assert_eq!((all.clients, all.fetched), (4, 23), "{all:?}");
    assert_eq!(all.failed.len(), 1, "{all:?}");
    assert_eq!(all.failed[0].display_name, broken.name);
    assert!(all.failed[0].reason.contains("cut off"), "{}", all.failed[0].reason);
}

#[tokio::test]
async fn a_hostile_answer_or_a_lost_xero_keeps_the_cached_report() {
    let (sim, ctx, _dir) = start(2).await;
    connect(&ctx, &with_reports()).await;
    let org = &sim.orgs()[0];
    let file = file_of(&ctx, org);
    let first = ctx.refresh_reports(file, d("2026-11-25")).await.unwrap();
    assert_eq!(first.fetched, 6);
    let before = client_reports(&ctx.cache.lock().unwrap(), file).unwrap();

    // The Balance Sheet comes back cut in half: that report fails clearly and keeps its copy.
    sim.faults().add(FaultRule::new(FaultKind::Malformed).path_prefix("/api/api.xro/2.0/Reports/BalanceSheet"));
    let refresh = ctx.refresh_reports(file, d("2026-12-02")).await.unwrap();
    assert_eq!(refresh.fetched, 5);
    assert_eq!(refresh.failed.len(), 1);
    assert_eq!(refresh.failed[0].kind, ReportKind::BalanceSheet);
    assert!(refresh.failed[0].reason.contains("cut off"), "{}", refresh.failed[0].reason);
    let after = client_reports(&ctx.cache.lock().unwrap(), file).unwrap();
    let sheet = |p: &switchboard_core::reports::model::ClientReports| {
        p.reports.iter().find(|r| r.kind == ReportKind::BalanceSheet).unwrap().clone()
    };
    assert_eq!(sheet(&after).report, sheet(&before).report, "the cached Balance Sheet is kept");
    assert_eq!(sheet(&after).fetched_at, sheet(&before).fetched_at, "its 'as of' too");
    assert!(sheet(&after).last_error.as_deref().unwrap().contains("cut off"));
    let bank_before = before.reports.iter().find(|r| r.kind == ReportKind::BankSummary).unwrap();
    let bank_after = after.reports.iter().find(|r| r.kind == ReportKind::BankSummary).unwrap();
    assert!(bank_after.fetched_at >= bank_before.fetched_at && bank_after.last_error.is_none());

    // Xero gone altogether: every report says why, and every cached copy stays readable.
    sim.shutdown().await;
    let offline = ctx.refresh_reports(file, d("2026-12-03")).await.unwrap();
    assert_eq!(offline.fetched, 0);
    assert_eq!(offline.failed.len(), 6);
    assert!(offline.failed.iter().all(|f| f.reason.contains("could not be reached")), "{offline:?}");
    let cached = client_reports(&ctx.cache.lock().unwrap(), file).unwrap();
    assert!(cached.reports.iter().all(|r| r.report.is_some() && r.last_error.is_some()));
    assert_eq!(sheet(&cached).report, sheet(&before).report);
}

#[tokio::test]
async fn the_insight_strip_names_clients_whose_receivables_over_90_days_grew() {
    let (sim, ctx, _dir) = start(4).await;
    connect(&ctx, &with_reports()).await;
    let first = d("2026-11-25");
    // Find a later week where some organisation's over-90 receivables grew, and one where not
    // (within eight weeks, so the sign-in does not lapse for 60 days idle).
    let over90 = |org: &Organisation, day: NaiveDate| -> i64 {
        Figures::new(org).aged(Aged::Receivables, day).iter().map(AgedLine::over_90_days).sum()
    };
    let orgs = sim.orgs();
    let weeks = (1..=8)
        .find(|w| {
            let day = first + chrono::Days::new(7 * w);
            orgs.iter().any(|o| over90(o, day) > over90(o, first))
                && orgs.iter().any(|o| over90(o, day) <= over90(o, first))
        })
        .expect("the generator moves figures week by week");
    let second = first + chrono::Days::new(7 * weeks);
    for org in &orgs {
        ctx.refresh_reports(file_of(&ctx, org), first).await.unwrap();
    }
    assert!(insights(&ctx.cache.lock().unwrap()).unwrap().iter().all(|i| i.kind != InsightKind::ReceivablesOver90Grew));
    sim.clock().advance(std::time::Duration::from_secs(7 * weeks * 24 * 3600));
    for org in &orgs {
        ctx.refresh_reports(file_of(&ctx, org), second).await.unwrap();
    }
    let found = insights(&ctx.cache.lock().unwrap()).unwrap();
    for org in &orgs {
        let file = file_of(&ctx, org);
        let grew = over90(org, second) > over90(org, first);
        let insight = found.iter().find(|i| i.file == file && i.kind == InsightKind::ReceivablesOver90Grew);
        assert_eq!(insight.is_some(), grew, "{} ({second})", org.name);
        if let Some(i) = insight {
            assert_eq!((i.before_cents, i.now_cents), (over90(org, first), over90(org, second)));
            assert_eq!(i.currency.as_deref(), Some(org.country.currency()));
        }
        let loss = Figures::new(org).month(second.year(), second.month()).net_profit() < 0;
        assert_eq!(found.iter().any(|i| i.file == file && i.kind == InsightKind::LossThisMonth), loss);
    }
}
