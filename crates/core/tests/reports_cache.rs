//! The client reports table in SQLite: the last good copy, the one before it, the last failure.

use chrono::NaiveDate;
use serde_json::Value;
use switchboard_core::model::UnixMillis;
use switchboard_core::reports::aged::{aged_summary, parse_invoice_page};
use switchboard_core::reports::model::ReportKind;
use xero_sim::invoices::invoices_body;
use xero_sim::reports::Figures;

const NOW: i64 = 1_764_000_000_000;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The cache keeps the last good copy, the one before it (for insights), and the last failure.
#[test]
fn the_cache_keeps_the_last_good_copy_and_the_one_before() {
    use switchboard_core::Cache;
    use switchboard_core::model::ClientFileDraft;

    let dir = tempfile::tempdir().unwrap();
    let mut cache = Cache::open(&dir.path().join("cache.sqlite3")).unwrap();
    let id = cache.upsert_files(&[ClientFileDraft::named("Kauri Dental")]).unwrap()[0];
    let org = &xero_sim::generate(5, 2, 1).orgs[0];
    let read = |day: &str| {
        let today = d(day);
        let body = invoices_body(org, &Figures::new(org).invoices(today), Value::Null, "test", NOW);
        aged_summary(
            ReportKind::AgedReceivables,
            &parse_invoice_page(body.as_bytes()).unwrap().outstanding,
            today,
            &org.name,
            UnixMillis(NOW),
        )
        .unwrap()
    };

    // Never fetched: every kind is listed, empty.
    let empty = cache.cached_reports(id).unwrap();
    assert_eq!(empty.len(), 6);
    assert!(empty.iter().all(|r| r.report.is_none() && r.fetched_at.is_none()));

    // A failure before any copy: the reason, nothing else.
    cache.record_report_failure(id, ReportKind::AgedReceivables, "Xero could not be reached.").unwrap();
    let failed = cache.cached_reports(id).unwrap();
    assert_eq!(failed[3].last_error.as_deref(), Some("Xero could not be reached."));
    assert!(failed[3].report.is_none());

    let first = read("2026-11-02");
    cache.store_report(id, ReportKind::AgedReceivables, &first, Some("NZD")).unwrap();
    let stored = cache.cached_reports(id).unwrap();
    assert_eq!(stored[3].report.as_ref(), Some(&first));
    assert!(stored[3].last_error.is_none(), "a good copy clears the failure");
    assert_eq!(stored[3].currency.as_deref(), Some("NZD"));

    // A later failure keeps the copy; a later success moves it to "before".
    cache.record_report_failure(id, ReportKind::AgedReceivables, "cut off").unwrap();
    assert_eq!(cache.cached_reports(id).unwrap()[3].report.as_ref(), Some(&first));
    let second = read("2026-11-23");
    cache.store_report(id, ReportKind::AgedReceivables, &second, Some("NZD")).unwrap();
    let figures = cache.report_figures(ReportKind::AgedReceivables).unwrap();
    assert_eq!(figures.len(), 1);
    let over90 =
        |r: &switchboard_core::reports::model::Report| switchboard_core::reports::receivables_over_90_days(r).unwrap();
    assert_eq!(figures[0].now.0, over90(&second));
    assert_eq!(figures[0].before.map(|b| b.0), Some(over90(&first)), "the figure of the refresh before");
    assert_eq!(figures[0].display_name, "Kauri Dental");
    assert_eq!(cache.cached_reports(id).unwrap()[3].report.as_ref(), Some(&second));
}
