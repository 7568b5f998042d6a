//! A report's totals, found by where the report puts them, never by their label: a contact named
//! "Total" or an account named "Net Profit" is an ordinary line.

use super::model::{Report, ReportRow};

/// The amounts (one per column after the label) of the report's grand total: its last
/// `SummaryRow`, as the aged summaries Switchboard builds end with one.
pub fn grand_total(report: &Report) -> Option<Vec<Option<i64>>> {
    report.lines().into_iter().rev().find_map(|(_, row)| matches!(row, ReportRow::Summary { .. }).then(|| amounts(row)))
}

/// The amounts of a Profit and Loss's bottom line (net profit): the one line of the last
/// untitled top-level section.
///
/// Xero marks a section's total with `SummaryRow`, but its Profit and Loss sends Gross Profit and
/// Net Profit as a plain `Row`, alone in a section with an empty title (its Budget Summary sends
/// the same line as a `SummaryRow`). Accounts always sit in a titled section ("Income", "Less
/// Operating Expenses"…), so the untitled one-line section at the end is the computed line
/// whichever type it has, and an account can never be taken for it.
pub fn bottom_line(report: &Report) -> Option<Vec<Option<i64>>> {
    report.rows.iter().rev().find_map(|row| match row {
        ReportRow::Section { title, rows } if title.trim().is_empty() => match rows.as_slice() {
            [line @ (ReportRow::Row { .. } | ReportRow::Summary { .. })] => Some(amounts(line)),
            _ => None,
        },
        _ => None,
    })
}

fn amounts(row: &ReportRow) -> Vec<Option<i64>> {
    row.cells().iter().skip(1).map(|c| c.cents).collect()
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use serde_json::json;

    use super::super::aged::{Outstanding, Side, aged_summary};
    use super::super::model::ReportKind;
    use super::super::parse::parse_report;
    use super::super::{key_figure, receivables_over_90_days};
    use crate::model::UnixMillis;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_contact_named_total_is_an_ordinary_contact() {
        let owed = |key: &str, name: &str, due: &str, cents| Outstanding {
            side: Side::Receivable,
            contact_key: key.into(),
            contact_name: name.into(),
            due: Some(d(due)),
            cents,
        };
        // "Total" sorts before "Zebra Co" and before the summary: a label search would find it.
        let invoices = [owed("t", "Total", "2026-11-20", 700), owed("z", "Zebra Co", "2026-06-01", 250)];
        let report =
            aged_summary(ReportKind::AgedReceivables, &invoices, d("2026-11-26"), "Org", UnixMillis(7)).unwrap();
        assert_eq!(receivables_over_90_days(&report), Some(250), "the contact's current 700 is not over 90 days");
        assert_eq!(key_figure(ReportKind::AgedReceivables, &report), Some(250));
        assert_eq!(super::grand_total(&report).unwrap().last(), Some(&Some(950)));
    }

    #[test]
    fn an_account_named_net_profit_is_an_ordinary_account() {
        let body = json!({"Status": "OK", "Reports": [{
            "ReportID": "ProfitAndLoss", "ReportName": "Profit and Loss", "ReportTitles": ["Profit and Loss", "Org", "November"],
            "Rows": [
                {"RowType": "Header", "Cells": [{"Value": ""}, {"Value": "30 Nov 26"}, {"Value": "31 Oct 26"}]},
                {"RowType": "Section", "Title": "Income", "Rows": [
                    {"RowType": "Row", "Cells": [{"Value": "Sales"}, {"Value": "1000.00"}, {"Value": "900.00"}]},
                    {"RowType": "SummaryRow", "Cells": [{"Value": "Total Income"}, {"Value": "1000.00"}, {"Value": "900.00"}]}
                ]},
                {"RowType": "Section", "Title": "", "Rows": [
                    {"RowType": "Row", "Cells": [{"Value": "Gross Profit"}, {"Value": "1000.00"}, {"Value": "900.00"}]}
                ]},
                {"RowType": "Section", "Title": "Less Operating Expenses", "Rows": [
                    {"RowType": "Row", "Cells": [{"Value": "Net Profit"}, {"Value": "1500.00"}, {"Value": "10.00"}]},
                    {"RowType": "SummaryRow", "Cells": [{"Value": "Total Operating Expenses"}, {"Value": "1500.00"}, {"Value": "10.00"}]}
                ]},
                {"RowType": "Section", "Title": "", "Rows": [
                    {"RowType": "Row", "Cells": [{"Value": "Net Profit"}, {"Value": "-500.00"}, {"Value": "890.00"}]}
                ]}
            ]
        }]});
        let report = parse_report(body.to_string().as_bytes()).unwrap();
        assert_eq!(key_figure(ReportKind::ProfitAndLossMonths, &report), Some(-50_000), "a loss this month");
        assert_eq!(super::bottom_line(&report).unwrap(), [Some(-50_000), Some(89_000)]);
    }

    #[test]
    fn a_bottom_line_sent_as_a_summary_row_is_read_too() {
        let body = json!({"Status": "OK", "Reports": [{
            "ReportID": "BudgetSummary", "ReportName": "Budget Summary",
            "Rows": [
                {"RowType": "Header", "Cells": [{"Value": "Account"}, {"Value": "Jan-20"}]},
                {"RowType": "Section", "Title": "", "Rows": [{"RowType": "SummaryRow", "Cells": [{"Value": "Gross Profit"}, {"Value": "5.00"}]}]},
                {"RowType": "Section", "Title": "", "Rows": [{"RowType": "SummaryRow", "Cells": [{"Value": "Net Profit"}, {"Value": "3.00"}]}]}
            ]
        }]});
        let report = parse_report(body.to_string().as_bytes()).unwrap();
        assert_eq!(super::bottom_line(&report).unwrap(), [Some(300)]);
    }
}
