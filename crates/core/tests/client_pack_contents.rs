//! What a client pack holds and how its email reads, from the cache alone: per console setting,
//! per console user's role, with names full of HTML, and only allowlisted links.

use chrono::NaiveDate;
use serde_json::json;
use switchboard_core::client_packs::contents::build_pack;
use switchboard_core::client_packs::render::render_pack;
use switchboard_core::model::{
    AccountingSoftware, ClientFileDraft, ConnectionState, FileId, ServiceState, UnavailableReason, UnixMillis, XeroIds,
};
use switchboard_core::reports::model::ReportKind;
use switchboard_core::reports::parse::parse_report;
use switchboard_core::settings::console::{ConsoleRole, ConsoleSettings, ConsoleUser, PackCadence};
use switchboard_core::{Cache, ErrorKind};

const HOSTILE: &str = "<script>alert(1)</script> & \"Sons\" <b>Ltd</b>";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 8).unwrap()
}

fn report(id: &str, head: &[&str], rows: serde_json::Value) -> switchboard_core::reports::model::Report {
    let header = json!({"RowType": "Header", "Cells": head.iter().map(|h| json!({"Value": h})).collect::<Vec<_>>()});
    let mut all = vec![header];
    all.extend(rows.as_array().unwrap().iter().cloned());
    let body =
        json!({"Status": "OK", "Reports": [{"ReportID": id, "ReportName": id, "ReportTitles": [id], "Rows": all}]});
    parse_report(body.to_string().as_bytes()).unwrap()
}

/// A file that needs reconnecting, whose payroll cannot be reached, with this month's loss, its
/// net assets, old receivables and cash in the cache.
fn file_with_reports(cache: &mut Cache, name: &str, short_code: &str) -> FileId {
    let draft = ClientFileDraft {
        software: AccountingSoftware::Xero,
        connection: ConnectionState::NeedsReconnect { reason: "token expired".to_owned() },
        payroll: ServiceState::Unavailable { reason: UnavailableReason::NotSetUp },
        xero: Some(XeroIds {
            tenant_id: format!("t-{name}"),
            connection_id: None,
            short_code: Some(short_code.to_owned()),
        }),
        ..ClientFileDraft::named(name)
    };
    let id = cache.upsert_files(&[draft]).unwrap()[0];
    let untitled = |label: &str, value: &str| json!({"RowType": "Section", "Title": "", "Rows": [{"RowType": "SummaryRow", "Cells": [{"Value": label}, {"Value": value}]}]});
    let pnl = report("ProfitAndLoss", &["", "Dec 26"], json!([untitled("Net Profit", "-1234.50")]));
    let bs = report("BalanceSheet", &["", "8 Dec 2026"], json!([untitled("Net Assets", "1234567.89")]));
    let aged = report(
        "AgedReceivables",
        &["Contact", "Current", "3 Months", "Older", "Total"],
        json!([{"RowType": "Section", "Title": "", "Rows": [
            {"RowType": "SummaryRow", "Cells": [{"Value": "Total"}, {"Value": "10.00"}, {"Value": "200.00"}, {"Value": "50.25"}, {"Value": "260.25"}]}
        ]}]),
    );
    let bank = report(
        "BankSummary",
        &["Bank Accounts", "Opening Balance", "Cash Received", "Cash Spent", "Closing Balance"],
        json!([{"RowType": "Section", "Title": "", "Rows": [
            {"RowType": "SummaryRow", "Cells": [{"Value": "Total"}, {"Value": "1.00"}, {"Value": "2.00"}, {"Value": "3.00"}, {"Value": "9876.00"}]}
        ]}]),
    );
    for (kind, r) in [
        (ReportKind::ProfitAndLossMonths, pnl),
        (ReportKind::BalanceSheet, bs),
        (ReportKind::AgedReceivables, aged),
        (ReportKind::BankSummary, bank),
    ] {
        cache.store_report(id, kind, &r, Some("NZD")).unwrap();
    }
    id
}

fn person(file: FileId, name: &str, role: ConsoleRole) -> ConsoleUser {
    ConsoleUser {
        id: 1,
        file_id: file,
        name: name.to_owned(),
        email: "ann@client.example".to_owned(),
        role,
        updated_at: UnixMillis(0),
    }
}

fn settings(key_reports: bool, action_items: bool) -> ConsoleSettings {
    ConsoleSettings { enabled: true, key_reports, action_items, cadence: PackCadence::Monthly }
}

#[test]
fn a_pack_holds_what_its_settings_allow() {
    let dir = tempfile::tempdir().unwrap();
    let mut cache = Cache::open(&dir.path().join("cache.sqlite3")).unwrap();
    let id = file_with_reports(&mut cache, "Kauri Dental", "!mBdtL");
    let owner = person(id, "Ann", ConsoleRole::Owner);

    let both =
        render_pack(&build_pack(&cache, id, &settings(true, true), "Totara & Co", today()).unwrap(), &owner).unwrap();
    for figure in ["NZD -1,234.50", "NZD 1,234,567.89", "NZD 250.25", "NZD 9,876.00"] {
        assert!(both.text.contains(figure), "{figure} in the text part:\n{}", both.text);
        assert!(both.html.contains(figure), "{figure} in the HTML part");
    }
    for item in ["Xero asks to be reconnected", "Payroll is not reachable", "it has not been set up in Xero"] {
        assert!(both.text.contains(item) && both.html.contains(item), "{item}");
    }
    assert!(both.html.contains(
        "href=\"https://go.xero.com/organisationlogin/default.aspx?shortcode=%21mBdtL&#38;redirecturl=/Dashboard/\""
    ));
    assert!(both.text.contains("Totara & Co") && both.html.contains("Totara &#38; Co"), "the practice's name");
    assert_eq!(both.subject, "Kauri Dental: your pack from Totara & Co, 8 December 2026");

    let reports_only =
        render_pack(&build_pack(&cache, id, &settings(true, false), "P", today()).unwrap(), &owner).unwrap();
    assert!(reports_only.text.contains("KEY FIGURES") && !reports_only.text.contains("FOR YOU TO ACT ON"));
    assert!(!reports_only.html.contains("go.xero.com"), "no link when nothing to act on is sent");

    let items_only =
        render_pack(&build_pack(&cache, id, &settings(false, true), "P", today()).unwrap(), &owner).unwrap();
    assert!(!items_only.text.contains("KEY FIGURES") && items_only.text.contains("FOR YOU TO ACT ON"));
    assert!(!items_only.text.contains("9,876.00"));

    let viewer = person(id, "Vic", ConsoleRole::Viewer);
    let for_viewer =
        render_pack(&build_pack(&cache, id, &settings(true, true), "P", today()).unwrap(), &viewer).unwrap();
    assert!(
        for_viewer.text.contains("KEY FIGURES") && !for_viewer.text.contains("FOR YOU TO ACT ON"),
        "viewers read only"
    );

    let off = ConsoleSettings::default();
    let error = build_pack(&cache, id, &off, "P", today()).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput);
    assert!(error.to_string().contains("is off, so no pack goes to its people"), "{error}");
}

#[test]
fn names_full_of_html_arrive_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut cache = Cache::open(&dir.path().join("cache.sqlite3")).unwrap();
    let id = file_with_reports(&mut cache, HOSTILE, "!mBdtL");
    let user = person(id, "<img src=x onerror=alert(2)>\nBcc: evil@example.com", ConsoleRole::Owner);
    let pack = render_pack(&build_pack(&cache, id, &settings(true, true), "<i>Practice</i>", today()).unwrap(), &user)
        .unwrap();

    assert!(!pack.html.contains("<script>") && !pack.html.contains("<b>Ltd") && !pack.html.contains("<img"));
    assert!(!pack.html.contains("<i>Practice"));
    assert!(pack.html.contains("&#60;script&#62;") || pack.html.contains("&lt;script&gt;"), "{}", pack.html);
    assert!(pack.text.contains(HOSTILE), "the text part reads as the name is");
    assert!(!pack.subject.contains('\n') && !pack.text.contains("\nBcc:"), "a name cannot start a line of its own");
}

#[test]
fn a_short_code_that_does_not_look_right_gives_no_link() {
    let dir = tempfile::tempdir().unwrap();
    let mut cache = Cache::open(&dir.path().join("cache.sqlite3")).unwrap();
    let id = file_with_reports(&mut cache, "Odd", "x\" onclick=\"alert(1)");
    let pack = render_pack(
        &build_pack(&cache, id, &settings(false, true), "P", today()).unwrap(),
        &person(id, "A", ConsoleRole::Owner),
    )
    .unwrap();
    assert!(pack.text.contains("Xero asks to be reconnected"));
    assert!(!pack.html.contains("href="), "no link at all:\n{}", pack.html);
}

/// The preview shows the email's own HTML in a frame of the app, whose content security policy
/// allows the pack's one style block by its hash and no other inline style.
#[test]
fn the_app_allows_the_pack_style_by_its_hash() {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let dir = tempfile::tempdir().unwrap();
    let mut cache = Cache::open(&dir.path().join("cache.sqlite3")).unwrap();
    let id = file_with_reports(&mut cache, "Kauri", "!k");
    let html = render_pack(
        &build_pack(&cache, id, &settings(true, true), "P", today()).unwrap(),
        &person(id, "A", ConsoleRole::Owner),
    )
    .unwrap()
    .html;
    let style = &html[html.find("<style>").unwrap() + "<style>".len()..html.find("</style>").unwrap()];
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(style.as_bytes()));
    let config = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tauri.conf.json")).unwrap();
    assert!(
        config.contains(&format!("'sha256-{hash}'")),
        "tauri.conf.json's style-src must hold 'sha256-{hash}' (the pack's <style> changed)"
    );
    assert_eq!(html.matches("<style>").count(), 1);
    assert!(!html.contains("style=\""), "no inline style attributes: the policy would drop them");
}
