//! `switchboard report <client> <report> [--csv]` over a cache holding reports stored through the
//! core's API (the simulator's report bodies, read by the core's parser): offline, no Xero.

use std::path::Path;
use std::process::{Command, Output};

use chrono::NaiveDate;
use switchboard_core::Cache;
use switchboard_core::model::*;
use switchboard_core::reports::model::ReportKind;
use switchboard_core::reports::parse::parse_report;
use xero_sim::reports::{Figures, amount, balance_sheet_report};

fn switchboard(cache: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_switchboard")).arg("--cache").arg(cache).args(args).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A practice of three files; "Harbour Bakery" has a cached Balance Sheet.
fn practice() -> (tempfile::TempDir, std::path::PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite3");
    let mut cache = Cache::open(&path).unwrap();
    let xero = |tenant: &str| XeroIds { tenant_id: tenant.into(), connection_id: None, short_code: Some("!abc".into()) };
    let ids = cache
        .upsert_files(&[
            ClientFileDraft { software: AccountingSoftware::Xero, xero: Some(xero("t-1")), ..ClientFileDraft::named("Harbour Bakery") },
            ClientFileDraft { software: AccountingSoftware::Xero, xero: Some(xero("t-2")), ..ClientFileDraft::named("Harbour Dental") },
            ClientFileDraft::named("Smith & Jones"),
        ])
        .unwrap();
    let org = &xero_sim::generate(4, 3, 1).orgs[2];
    let day = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let body = serde_json::json!({"Status": "OK", "Reports": [balance_sheet_report(org, day, day, 1_764_000_000_000)]});
    let report = parse_report(body.to_string().as_bytes()).unwrap();
    cache.store_report(ids[0], ReportKind::BalanceSheet, &report, Some("NZD")).unwrap();
    (dir, path, amount(Figures::new(org).balance_sheet(day).net_assets()))
}

#[test]
fn a_cached_report_prints_as_csv_and_as_a_table() {
    let (_dir, cache, net_assets) = practice();
    let csv = switchboard(&cache, &["report", "harbour bakery", "balance-sheet", "--csv"]);
    assert!(csv.status.success(), "{}", text(&csv.stderr));
    let mut reader = csv::Reader::from_reader(csv.stdout.as_slice());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let net = rows.iter().find(|r| &r[1] == "Net Assets").expect("a Net Assets line");
    assert_eq!(&net[2], net_assets.as_str());
    assert!(rows.iter().any(|r| &r[0] == "Bank" && &r[1] == "Total Bank"), "section names are kept");

    // By id, as a table: the titles, "as of", the currency.
    let table = switchboard(&cache, &["report", "1", "balance-sheet"]);
    let out = text(&table.stdout);
    assert!(table.status.success(), "{}", text(&table.stderr));
    assert!(out.starts_with("Balance Sheet\n"), "{out}");
    assert!(out.contains("as of ") && out.contains("amounts in NZD"), "{out}");
    assert!(out.lines().any(|l| l.starts_with("Net Assets") && l.trim_end().ends_with(net_assets.as_str())), "{out}");
}

#[test]
fn unclear_requests_get_a_clear_error() {
    let (_dir, cache, _) = practice();
    let cases: [(&[&str], &str); 5] = [
        (&["report", "Harbour Bakery", "cash-flow"], "There is no report called \"cash-flow\". Choose one of: profit-and-loss,"),
        (&["report", "Nobody Ltd", "balance-sheet"], "No client is named \"Nobody Ltd\" or has it in its name"),
        (&["report", "harbour", "balance-sheet"], "\"harbour\" matches 2 clients: Harbour Bakery (id 1), Harbour Dental (id 2)"),
        (&["report", "Harbour Dental", "balance-sheet"], "No Balance Sheet is cached for Harbour Dental yet"),
        (&["report", " ", "balance-sheet"], "Name the client"),
    ];
    for (args, expected) in cases {
        let out = switchboard(&cache, args);
        assert!(!out.status.success(), "{args:?}");
        let err = text(&out.stderr);
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(out.stdout.is_empty());
    }
}
