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

mod support;
use support::switchboard_on_sim;

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
    let xero =
        |tenant: &str| XeroIds { tenant_id: tenant.into(), connection_id: None, short_code: Some("!abc".into()) };
    let ids = cache
        .upsert_files(&[
            ClientFileDraft {
                software: AccountingSoftware::Xero,
                xero: Some(xero("t-1")),
                ..ClientFileDraft::named("Harbour Bakery")
            },
            ClientFileDraft {
                software: AccountingSoftware::Xero,
                xero: Some(xero("t-2")),
                ..ClientFileDraft::named("Harbour Dental")
            },
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
        (
            &["report", "Harbour Bakery", "cash-flow"],
            "There is no report called \"cash-flow\". Choose one of: profit-and-loss,",
        ),
        (&["report", "Nobody Ltd", "balance-sheet"], "No client is named \"Nobody Ltd\" or has it in its name"),
        (
            &["report", "harbour", "balance-sheet"],
            "\"harbour\" matches 2 clients: Harbour Bakery (id 1), Harbour Dental (id 2)",
        ),
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

/// `--refresh` against the simulator: a connection without the report scopes says so clearly (and
/// nothing is fetched); the report scopes granted, the printed figure is Xero's.
#[test]
fn refresh_fetches_from_xero_only_what_the_connection_may_read() {
    use std::process::Stdio;
    use xero_sim::config::{AutoConsent, DEFAULT_CLIENT_ID, DEFAULT_REDIRECT_PORTS, SimConfig};

    let sim =
        xero_sim::Simulator::start_blocking(SimConfig::default().orgs(2).seed(5).auto_consent(AutoConsent::all()))
            .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache.sqlite3");
    let service = format!("app.switchboard.test.report.{}", std::process::id());
    let _cleanup = OsCredentialStoreCleanup(service.clone(), cache.clone());
    let command = |args: &[&str]| {
        let mut c = switchboard_on_sim(&cache, &service, &sim);
        c.args(args);
        c
    };
    let ports: Vec<_> = DEFAULT_REDIRECT_PORTS.iter().map(u16::to_string).collect();
    assert!(
        command(&["xero-app", "--client-id", DEFAULT_CLIENT_ID, "--ports", &ports.join(",")])
            .output()
            .unwrap()
            .status
            .success()
    );

    // `switchboard connect`, this test playing the browser.
    let mut child =
        command(&["connect", "--timeout-secs", "30"]).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let url = loop {
        let mut line = String::new();
        assert!(std::io::BufRead::read_line(&mut out, &mut line).unwrap() > 0, "connect printed no address");
        if line.starts_with("http") {
            break line.trim().to_owned();
        }
    };
    let browser = reqwest::blocking::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let back = browser.get(&url).send().unwrap().headers()["location"].to_str().unwrap().to_owned();
    assert!(browser.get(&back).send().unwrap().status().is_success());
    assert!(child.wait().unwrap().success());

    let org = &sim.orgs()[0];
    let refused = command(&["report", &org.name, "profit-and-loss", "--refresh"]).output().unwrap();
    assert!(!refused.status.success());
    let err = text(&refused.stderr);
    assert!(err.contains("not allowed to read reports yet; use Allow reports"), "{err}");
    assert!(err.contains("No Profit and Loss by month is cached for"), "{err}");

    // The cache claiming the report scopes while the token lacks them: the CLI still asks Xero,
    // and says clearly that Xero refused (the simulator checks the token's granted scopes).
    {
        let mut c = Cache::open(&cache).unwrap();
        let set = c.token_set_of(FileId(1)).unwrap().unwrap();
        let mut scopes = set.scopes.clone();
        assert!(!scopes.iter().any(|s| s.starts_with("accounting.reports")));
        scopes.extend(switchboard_core::reports::model::REPORT_SCOPES.iter().map(|s| s.to_string()));
        c.record_token_refresh(set.id, set.access_expires_at, &scopes).unwrap();
    }
    let asked = command(&["report", &org.name, "profit-and-loss", "--refresh"]).output().unwrap();
    let err = text(&asked.stderr);
    assert!(err.contains("not allowed to read this report; use Allow reports"), "{err}");

    // The nightly `switchboard sync` refreshes every client's reports too, and names the clients
    // whose reports Xero refused (exit 3: something needs attention).
    let nightly = command(&["sync"]).output().unwrap();
    let out = text(&nightly.stdout);
    assert_eq!(nightly.status.code(), Some(3), "{out}");
    assert!(out.contains("Reports: refreshed 0 of 2 clients (0 reports)."), "{out}");
    for org in sim.orgs() {
        assert!(
            out.contains(&format!("  {}: Xero says this connection is not allowed to read this report", org.name)),
            "{out}"
        );
    }
}

/// Removes the test's token sets from the OS credential store.
struct OsCredentialStoreCleanup(String, std::path::PathBuf);

impl Drop for OsCredentialStoreCleanup {
    fn drop(&mut self) {
        support::forget_token_sets(&self.0, &self.1, 3);
    }
}

/// `--save` writes the report as a file named after the client, in the Downloads folder (here
/// `SWITCHBOARD_EXPORT_DIR`, a folder whose path has spaces and non-ASCII letters), also when the
/// client's name is one Windows refuses or reads as a device; a second save never overwrites the
/// first. The Windows lane runs this under Windows' own file-name rules, where a file named `CON`
/// or `aux.txt` would vanish into a device.
#[test]
fn a_saved_report_is_a_file_named_after_the_client_whatever_the_name() {
    let dir = tempfile::tempdir().unwrap();
    let cache_path = dir.path().join("cache.sqlite3");
    let downloads = dir.path().join("Zoë Ñandú-O'Brien").join("Downloads");
    let names = [
        ("CON", "_CON"),
        ("aux.txt", "_aux.txt"),
        ("a/b:c*?\"<>|", "a_b_c______"),
        ("Trailing dot.", "Trailing dot"),
        ("Trailing space ", "Trailing space"),
    ];
    let org = &xero_sim::generate(4, 3, 1).orgs[2];
    let day = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let body = serde_json::json!({"Status": "OK", "Reports": [balance_sheet_report(org, day, day, 1_764_000_000_000)]});
    let report = parse_report(body.to_string().as_bytes()).unwrap();
    let ids = {
        let mut cache = Cache::open(&cache_path).unwrap();
        let drafts: Vec<_> = names.iter().map(|(name, _)| ClientFileDraft::named(*name)).collect();
        let ids = cache.upsert_files(&drafts).unwrap();
        for id in &ids {
            cache.store_report(*id, ReportKind::BalanceSheet, &report, Some("NZD")).unwrap();
        }
        ids
    };
    let net_assets = amount(Figures::new(org).balance_sheet(day).net_assets());

    for (id, (name, stem)) in ids.iter().zip(names) {
        for _ in 0..2 {
            let out = Command::new(env!("CARGO_BIN_EXE_switchboard"))
                .arg("--cache")
                .arg(&cache_path)
                .args(["report", &id.0.to_string(), "balance-sheet", "--save"])
                .env("SWITCHBOARD_EXPORT_DIR", &downloads)
                .output()
                .unwrap();
            assert!(out.status.success(), "{name:?}: {}", text(&out.stderr));
            assert!(text(&out.stdout).starts_with("Saved "), "{name:?}: {}", text(&out.stdout));
        }
        let prefix = format!("{stem} - Balance Sheet ");
        let saved: Vec<_> = std::fs::read_dir(&downloads)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(&prefix))
            .collect();
        assert_eq!(saved.len(), 2, "{name:?}: two saves, two files starting {prefix:?}");
        for path in saved {
            let bytes = std::fs::read(&path).unwrap();
            let body = bytes.strip_prefix("\u{feff}".as_bytes()).expect("a byte-order mark for spreadsheets");
            let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(body).records().map(Result::unwrap).collect();
            let net = rows.iter().find(|r| &r[1] == "Net Assets").expect("a Net Assets line");
            assert_eq!(&net[2], net_assets.as_str(), "{}", path.display());
        }
    }
    let cache = Cache::open(&cache_path).unwrap();
    for id in &ids {
        let saves = cache.audit_entries(*id).unwrap().into_iter().filter(|e| e.action == "export_report").count();
        assert_eq!(saves, 2, "each saved report is in the file's audit log");
    }
}
