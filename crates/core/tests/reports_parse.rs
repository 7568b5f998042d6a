//! Reading Xero report answers: every shape the simulator serves, Xero's documented variations
//! (empty sections, tracking columns, negatives as `-` or in brackets, missing fields), and
//! hostile bodies, which give a clear error.

use chrono::NaiveDate;
use serde_json::{Value, json};
use switchboard_core::model::UnixMillis;
use switchboard_core::reports::aged::{aged_summary, parse_invoice_page};
use switchboard_core::reports::model::ReportKind;
use switchboard_core::reports::model::ReportRow;
use switchboard_core::reports::parse::{MAX_BODY_BYTES, parse_report};
use switchboard_core::reports::receivables_over_90_days;
use xero_sim::invoices::invoices_body;
use xero_sim::reports::{self as sim, Aged, AgedLine, Figures};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn envelope(report: Value) -> Vec<u8> {
    json!({"Id": "x", "Status": "OK", "ProviderName": "Switchboard", "DateTimeUTC": "\\/Date(1764000000000)\\/", "Reports": [report]})
        .to_string()
        .into_bytes()
}

const NOW: i64 = 1_764_000_000_000;

#[test]
fn every_report_the_simulator_serves_reads_with_its_figures() {
    let data = xero_sim::generate(5, 12, 1);
    let today = d("2025-11-24");
    for org in &data.orgs {
        let f = Figures::new(org);
        let pl = parse_report(&envelope(sim::profit_and_loss_report(
            org,
            d("2025-11-01"),
            d("2025-11-30"),
            11,
            1,
            today,
            NOW,
        )))
        .unwrap();
        assert_eq!(pl.report_id, "ProfitAndLoss");
        assert_eq!(pl.titles[1], org.name);
        assert_eq!(pl.columns.len(), 13);
        assert_eq!(pl.updated_at.unwrap().0, NOW);
        let net = pl.amounts_of("Net Profit").unwrap();
        assert_eq!(net[0], Some(f.month(2025, 11).net_profit()));
        assert_eq!(net[1], Some(f.month(2025, 10).net_profit()));
        assert_eq!(pl.amount("Total Income", 0), Some(f.month(2025, 11).total_income()));
        // Account rows keep their account id.
        let sales = pl.lines().into_iter().find(|(_, r)| r.cells()[0].text == "Sales").unwrap();
        assert_eq!(sales.0, "Income");
        assert!(sales.1.cells()[1].link_id.is_some());

        let bs = parse_report(&envelope(sim::balance_sheet_report(org, today, today, NOW))).unwrap();
        let sheet = f.balance_sheet(today);
        assert_eq!(bs.amount("Net Assets", 0), Some(sheet.net_assets()));
        assert_eq!(bs.amount("Total Equity", 0), Some(sheet.total_equity()));
        // The empty "Assets" heading section is kept, empty.
        assert!(matches!(&bs.rows[0], ReportRow::Section { title, rows } if title == "Assets" && rows.is_empty()));

        // Xero's aged report answers for one contact.
        let line = &f.aged(Aged::Receivables, today)[0];
        let one = parse_report(&envelope(sim::aged_report(org, Aged::Receivables, today, line.contact_id, today, NOW)))
            .unwrap();
        assert_eq!(one.amount(&line.contact, one.column("Total").unwrap()), Some(line.total()));

        let bank = parse_report(&envelope(sim::bank_summary_report(org, d("2025-11-01"), today, today, NOW))).unwrap();
        assert_eq!(bank.columns[0], "Bank Accounts");
        let closing = bank.column("Closing Balance").unwrap();
        assert_eq!(bank.amount("Total", closing), Some(sheet.bank.iter().map(|l| l.cents).sum()));
    }
}

/// The aged summaries built from the simulator's outstanding invoices are the simulator's aged
/// lines: every contact's amount in every age column, the totals, and the over-90-days figure.
#[test]
fn aged_summaries_from_the_simulators_invoices_match_its_aged_lines() {
    let data = xero_sim::generate(5, 12, 1);
    for org in &data.orgs {
        let f = Figures::new(org);
        for today in [d("2025-11-24"), d("2026-03-31"), d("2028-02-29")] {
            let body = invoices_body(org, &f.invoices(today), Value::Null, "test", NOW);
            let outstanding = parse_invoice_page(body.as_bytes()).unwrap().outstanding;
            for (kind, which) in
                [(ReportKind::AgedReceivables, Aged::Receivables), (ReportKind::AgedPayables, Aged::Payables)]
            {
                let summary = aged_summary(kind, &outstanding, today, &org.name, UnixMillis(NOW)).unwrap();
                // Contacts owing nothing have no invoice awaiting payment, so no row.
                let lines: Vec<AgedLine> = f.aged(which, today).into_iter().filter(|l| l.total() != 0).collect();
                for line in &lines {
                    let expected: Vec<Option<i64>> =
                        line.buckets.iter().chain([line.total()].iter()).map(|c| Some(*c)).collect();
                    assert_eq!(summary.amounts_of(&line.contact), Some(expected), "{} {}", org.name, line.contact);
                }
                assert_eq!(summary.lines().len(), lines.len() + 1, "a row per contact and the total");
                assert_eq!(summary.amount("Total", 6), Some(lines.iter().map(AgedLine::total).sum()));
                if which == Aged::Receivables {
                    assert_eq!(
                        receivables_over_90_days(&summary),
                        Some(lines.iter().map(AgedLine::over_90_days).sum())
                    );
                }
            }
        }
    }
}

#[test]
fn negatives_with_a_minus_or_in_brackets_and_blanks() {
    let body = envelope(json!({
        "ReportID": "ProfitAndLoss", "ReportName": "Profit and Loss",
        "Rows": [
            {"RowType": "Header", "Cells": [{"Value": ""}, {"Value": "30 Nov 25"}, {"Value": "31 Oct 25"}]},
            {"RowType": "Section", "Title": "Income", "Rows": [
                {"RowType": "Row", "Cells": [{"Value": "Sales"}, {"Value": "1,234.50"}, {"Value": "(20.00)"}]},
                {"RowType": "Row", "Cells": [{"Value": "Refunds"}, {"Value": "-5.25"}, {"Value": "-"}]},
                {"RowType": "Row", "Cells": [{"Value": "Interest"}, {"Value": 12.5}, {"Value": null}]},
                {"RowType": "SummaryRow", "Cells": [{"Value": "Total Income"}, {"Value": "1241.75"}, {"Value": "(20.00)"}]}
            ]}
        ]
    }));
    let r = parse_report(&body).unwrap();
    assert_eq!(r.amounts_of("Sales").unwrap(), vec![Some(123_450), Some(-2_000)]);
    assert_eq!(r.amounts_of("Refunds").unwrap(), vec![Some(-525), None], "a lone '-' is no amount");
    assert_eq!(r.amounts_of("Interest").unwrap(), vec![Some(1_250), None]);
    assert_eq!(r.amount("Total Income", 1), Some(-2_000));
    assert_eq!(r.lines()[1].1.cells()[2].text, "-");
}

#[test]
fn tracking_columns_empty_sections_and_missing_fields() {
    // A Profit and Loss by tracking category: one column per option plus Total; an empty
    // section; a section with no Rows at all; a null Title; a row type from a newer Xero.
    let body = envelope(json!({
        "ReportID": "ProfitAndLoss", "ReportName": "Profit and Loss", "ReportTitles": ["Profit & Loss", "Demo", "November"],
        "ReportDate": "24 November 2025", "UpdatedDateUTC": "/Date(1764000000000+0000)/",
        "Rows": [
            {"RowType": "Header", "Cells": [{"Value": ""}, {"Value": "North"}, {"Value": "South"}, {"Value": "Unassigned"}, {"Value": "Total"}]},
            {"RowType": "Section", "Title": "Income", "Rows": [
                {"RowType": "Row", "Cells": [
                    {"Value": "Sales", "Attributes": [{"Value": "acc-1", "Id": "account"}]},
                    {"Value": "100.00", "Attributes": [{"Value": "acc-1", "Id": "account"}]},
                    {"Value": "50.00"}, {"Value": "0.00"}, {"Value": "150.00"}]},
                {"RowType": "SummaryRow", "Cells": [{"Value": "Total Income"}, {"Value": "100.00"}, {"Value": "50.00"}, {"Value": "0.00"}, {"Value": "150.00"}]}
            ]},
            {"RowType": "Section", "Title": "Other Income", "Rows": []},
            {"RowType": "Section", "Title": null},
            {"RowType": "Section"},
            {"RowType": "Spacer", "Cells": [{"Value": "…"}]},
            {"RowType": "Section", "Title": "", "Rows": [{"RowType": "Row", "Cells": [{"Value": "Net Profit"}, {"Value": "100.00"}, {"Value": "50.00"}, {"Value": "0.00"}, {"Value": "150.00"}]}]}
        ]
    }));
    let r = parse_report(&body).unwrap();
    assert_eq!(r.columns, vec!["", "North", "South", "Unassigned", "Total"]);
    assert_eq!(r.column("Total"), Some(3));
    assert_eq!(r.amount("Net Profit", r.column("South").unwrap()), Some(5_000));
    assert_eq!(r.report_date.as_deref(), Some("24 November 2025"));
    assert_eq!(r.updated_at.unwrap().0, 1_764_000_000_000);
    assert!(matches!(&r.rows[1], ReportRow::Section { title, rows } if title == "Other Income" && rows.is_empty()));
    assert!(matches!(&r.rows[2], ReportRow::Section { title, rows } if title.is_empty() && rows.is_empty()));
    assert!(matches!(&r.rows[4], ReportRow::Other { row_type, .. } if row_type == "Spacer"));
    assert_eq!(r.lines()[0].1.cells()[0].link_id.as_deref(), Some("acc-1"));

    // A report with no rows at all (an organisation with nothing posted) is a report.
    let empty = parse_report(&envelope(json!({"ReportID": "BankSummary", "Rows": []}))).unwrap();
    assert!(empty.rows.is_empty() && empty.columns.is_empty());
    let no_rows = parse_report(&envelope(json!({"ReportID": "BankSummary"}))).unwrap();
    assert!(no_rows.rows.is_empty());
}

#[test]
fn remote_text_is_kept_as_text_without_control_characters() {
    let body = envelope(json!({
        "ReportID": "<script>alert(1)</script>",
        "Rows": [{"RowType": "Section", "Title": "<img src=x onerror=alert(1)>\u{0007}", "Rows": [
            {"RowType": "Row", "Cells": [{"Value": "=HYPERLINK(\"http://evil\")"}, {"Value": "x".repeat(10_000)}]}
        ]}]
    }));
    let r = parse_report(&body).unwrap();
    assert_eq!(r.report_id, "<script>alert(1)</script>");
    let ReportRow::Section { title, rows } = &r.rows[0] else { panic!() };
    assert_eq!(title, "<img src=x onerror=alert(1)>");
    assert!(rows[0].cells()[1].text.len() <= 300);
}

#[test]
fn hostile_bodies_give_a_clear_error() {
    let deep = {
        let mut v = json!({"RowType": "Row", "Cells": []});
        for _ in 0..20 {
            v = json!({"RowType": "Section", "Title": "x", "Rows": [v]});
        }
        envelope(json!({"ReportID": "ProfitAndLoss", "Rows": [v]}))
    };
    let many_cells = envelope(json!({"Rows": [{"RowType": "Row", "Cells": vec![json!({"Value": "1"}); 500]}]}));
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (b"<html><body>Service Unavailable</body></html>".to_vec(), "not JSON"),
        (b"{\"Status\":\"OK\",\"Reports\":[{\"Rows\":[".to_vec(), "cut off"),
        (b"".to_vec(), "cut off"),
        (br#"{"Status":"ERROR","Reports":[]}"#.to_vec(), "status ERROR"),
        (br#"{"Status":"OK"}"#.to_vec(), "no Reports"),
        (br#"{"Status":"OK","Reports":[]}"#.to_vec(), "list is empty"),
        (br#"{"Status":"OK","Reports":"ProfitAndLoss"}"#.to_vec(), "no Reports"),
        (envelope(json!({"Rows": {"RowType": "Row"}})), "Rows is not a list"),
        (envelope(json!({"Rows": [{"Cells": []}]})), "no RowType"),
        (envelope(json!({"Rows": [{"RowType": "Row", "Cells": "1.00"}]})), "Cells is not a list"),
        (envelope(json!({"Rows": [{"RowType": "Row", "Cells": [{"Value": {"a": 1}}]}]})), "neither text nor a number"),
        (deep, "nest too deeply"),
        (many_cells, "too many columns"),
        (vec![b' '; MAX_BODY_BYTES + 1], "far larger than a report"),
        (b"[1,2,3]".to_vec(), "no Reports"),
    ];
    for (body, expected) in cases {
        let error = parse_report(&body).expect_err(expected).to_string();
        assert!(error.contains(expected), "{expected:?} not in {error:?}");
    }
}
