//! Aged Receivables and Aged Payables summaries, built from the organisation's outstanding
//! invoices and bills.
//!
//! Xero's `Reports/AgedReceivablesByContact` and `AgedPayablesByContact` answer for one contact
//! at a time (`contactId` is required), so a summary of every contact from them would cost a call
//! per contact against a limit of 60 a minute. `GET Invoices?Statuses=AUTHORISED` lists every
//! invoice and bill still awaiting payment, 1,000 a page: one or two calls for most clients.
//!
//! Ageing is by due date, in calendar months before the report date, in Xero's columns: Current
//! (not yet due), < 1 Month, 1 Month, 2 Months, 3 Months, Older. Amounts are converted to the
//! organisation's base currency with each invoice's `CurrencyRate` (foreign units per base unit).
//!
//! The body is untrusted: an answer that is not a list of invoices gives a sentence saying so
//! (the caller keeps its cached report); names are kept as text, bounded in size.

use std::collections::HashMap;

use chrono::{Months, NaiveDate};
use serde_json::Value;

use super::model::{Cell, Report, ReportKind, ReportRow};
use super::parse::{ParseError, bad, parse_amount, read_answer, text};
use crate::model::UnixMillis;

/// Invoices asked for per page: Xero's largest page.
pub const PAGE_SIZE: usize = 1000;
/// Past this many pages (50,000 outstanding invoices) the summary is refused, not truncated.
pub const MAX_PAGES: usize = 50;
/// A page of 1,000 summary invoices is about 1 MB.
const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;
/// The largest amount believed after conversion to the base currency: the largest `parse_amount`
/// reads (fifteen digits of units). A tiny `CurrencyRate` would otherwise make any amount huge
/// or infinite, and `as i64` would quietly turn that into i64::MAX.
const MAX_CENTS: f64 = 1e17;

pub const AGE_COLUMNS: [&str; 6] = ["Current", "< 1 Month", "1 Month", "2 Months", "3 Months", "Older"];

/// Which side of the ledger an invoice is on (Xero's `Type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// `ACCREC`: a sales invoice, owed to the client.
    Receivable,
    /// `ACCPAY`: a bill, owed by the client.
    Payable,
}

impl Side {
    pub fn of(kind: ReportKind) -> Option<Side> {
        match kind {
            ReportKind::AgedReceivables => Some(Side::Receivable),
            ReportKind::AgedPayables => Some(Side::Payable),
            _ => None,
        }
    }
}

/// One invoice or bill still awaiting payment, in the organisation's base currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outstanding {
    pub side: Side,
    /// `ContactID`, or the name when Xero sent no id.
    pub contact_key: String,
    pub contact_name: String,
    /// `None` when Xero sent no due date (aged as current).
    pub due: Option<NaiveDate>,
    pub cents: i64,
}

/// One page of `GET Invoices`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoicePage {
    /// How many invoices the page held (of any type and status).
    pub received: usize,
    /// The outstanding ones among them.
    pub outstanding: Vec<Outstanding>,
}

/// Reads one page of `GET Invoices`, keeping the authorised invoices with an amount due.
/// Types and statuses Switchboard does not know are skipped, not errors.
pub fn parse_invoice_page(body: &[u8]) -> Result<InvoicePage, ParseError> {
    let value = read_answer(body, MAX_BODY_BYTES, "a page of invoices")?;
    let list = value.get("Invoices").and_then(Value::as_array).ok_or_else(|| bad("the answer has no Invoices"))?;
    let outstanding = list.iter().map(read_invoice).filter_map(Result::transpose).collect::<Result<_, _>>()?;
    Ok(InvoicePage { received: list.len(), outstanding })
}

/// `Some` for an authorised invoice with an amount due; `None` for anything else Xero may list.
fn read_invoice(invoice: &Value) -> Result<Option<Outstanding>, ParseError> {
    let field = |key: &str| invoice.get(key).and_then(Value::as_str);
    let side = match field("Type") {
        Some("ACCREC") => Side::Receivable,
        Some("ACCPAY") => Side::Payable,
        _ => return Ok(None),
    };
    if field("Status") != Some("AUTHORISED") {
        return Ok(None);
    }
    let due_cents = match invoice.get("AmountDue") {
        Some(Value::Number(n)) => parse_amount(&n.to_string()),
        Some(Value::String(s)) => parse_amount(s),
        _ => None,
    }
    .ok_or_else(|| bad("an invoice has no amount due that reads as an amount"))?;
    if due_cents == 0 {
        return Ok(None);
    }
    let rate = match invoice.get("CurrencyRate") {
        None | Some(Value::Null) => 1.0,
        Some(v) => v
            .as_f64()
            .filter(|r| r.is_finite() && *r > 0.0)
            .ok_or_else(|| bad("an invoice's CurrencyRate is not a positive number"))?,
    };
    let cents = (due_cents as f64 / rate).round();
    if !cents.is_finite() || cents.abs() > MAX_CENTS {
        return Err(bad(
            "an invoice's amount in the base currency is too large to be real (is its CurrencyRate right?)",
        ));
    }
    let contact = invoice.get("Contact");
    let contact_name = contact.and_then(|c| c.get("Name")).and_then(Value::as_str).map(text).unwrap_or_default();
    let contact_key = contact
        .and_then(|c| c.get("ContactID"))
        .and_then(Value::as_str)
        .map(text)
        .unwrap_or_else(|| contact_name.clone());
    Ok(Some(Outstanding {
        side,
        contact_key,
        contact_name,
        due: field("DueDateString").and_then(date_of_string).or_else(|| field("DueDate").and_then(date_of_ms)),
        cents: cents as i64,
    }))
}

/// `2026-10-31T00:00:00` → 31 October 2026.
fn date_of_string(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

/// `/Date(1793404800000+0000)/` → the UTC date.
fn date_of_ms(s: &str) -> Option<NaiveDate> {
    let ms = super::parse::ms_date(s)?;
    chrono::DateTime::from_timestamp_millis(ms.0).map(|t| t.date_naive())
}

/// The age column (0 Current … 5 Older) of an invoice due on `due`, as of `date`.
pub fn age_column(due: Option<NaiveDate>, date: NaiveDate) -> usize {
    let Some(due) = due.filter(|d| *d < date) else { return 0 };
    (1..=4u32)
        .find(|&months| date.checked_sub_months(Months::new(months)).is_none_or(|boundary| due > boundary))
        .map_or(5, |months| months as usize)
}

fn amount_cell(cents: i64, link_id: Option<&str>) -> Cell {
    let sign = if cents < 0 { "-" } else { "" };
    let text = format!("{sign}{}.{:02}", cents.unsigned_abs() / 100, cents.unsigned_abs() % 100);
    Cell { text, cents: Some(cents), link_id: link_id.map(str::to_owned) }
}

fn label_cell(text: &str, link_id: Option<&str>) -> Cell {
    Cell { text: text.to_owned(), cents: None, link_id: link_id.map(str::to_owned) }
}

/// Adds up amounts, refusing a sum past i64 (tens of thousands of invoices near the largest
/// amount believed get there) rather than wrapping or panicking.
fn sum(amounts: impl IntoIterator<Item = i64>) -> Result<i64, ParseError> {
    amounts.into_iter().try_fold(0i64, i64::checked_add).ok_or_else(|| bad("the amounts due are too large to add up"))
}

/// The summary by contact as of `date`: one row per contact (by name), then the totals.
pub fn aged_summary(
    kind: ReportKind,
    invoices: &[Outstanding],
    date: NaiveDate,
    organisation: &str,
    now: UnixMillis,
) -> Result<Report, ParseError> {
    let side = Side::of(kind);
    let mut contacts: Vec<(&str, &str, [i64; 6])> = Vec::new();
    // Where each contact's row is: an organisation may have thousands of contacts and invoices.
    let mut row_of: HashMap<&str, usize> = HashMap::new();
    for invoice in invoices.iter().filter(|i| Some(i.side) == side) {
        let at = *row_of.entry(&invoice.contact_key).or_insert_with(|| {
            contacts.push((&invoice.contact_key, &invoice.contact_name, [0; 6]));
            contacts.len() - 1
        });
        let cell = &mut contacts[at].2[age_column(invoice.due, date)];
        *cell = sum([*cell, invoice.cents])?;
    }
    contacts.sort_by_cached_key(|c| c.1.to_lowercase());

    let row = |label: Cell, columns: &[i64; 6], link: Option<&str>| -> Result<Vec<Cell>, ParseError> {
        let total = sum(columns.iter().copied())?;
        let mut cells = vec![label];
        cells.extend(columns.iter().chain([total].iter()).map(|c| amount_cell(*c, link)));
        Ok(cells)
    };
    let mut rows: Vec<ReportRow> = contacts
        .iter()
        .map(|(key, name, columns)| Ok(ReportRow::Row { cells: row(label_cell(name, Some(key)), columns, Some(key))? }))
        .collect::<Result<_, ParseError>>()?;
    let mut totals = [0i64; 6];
    for (c, total) in totals.iter_mut().enumerate() {
        *total = sum(contacts.iter().map(|x| x.2[c]))?;
    }
    rows.push(ReportRow::Summary { cells: row(label_cell("Total", None), &totals, None)? });

    let as_at = date.format("%-d %B %Y").to_string();
    let mut columns = vec!["Contact".to_owned()];
    columns.extend(AGE_COLUMNS.iter().map(|c| (*c).to_owned()));
    columns.push("Total".to_owned());
    Ok(Report {
        report_id: kind.code().to_owned(),
        name: kind.title().to_owned(),
        titles: vec![
            kind.title().to_owned(),
            text(organisation),
            format!("As at {as_at}"),
            "Ageing by due date".to_owned(),
        ],
        report_date: Some(as_at),
        updated_at: Some(now),
        columns,
        rows: vec![ReportRow::Section { title: String::new(), rows }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn ages_by_calendar_months_before_the_report_date() {
        let date = d("2026-03-31");
        let age = |due: &str| age_column(Some(d(due)), date);
        assert_eq!(age("2026-04-15"), 0, "not yet due");
        assert_eq!(age("2026-03-31"), 0, "due today is not overdue");
        assert_eq!(age("2026-03-30"), 1);
        assert_eq!(age("2026-03-01"), 1, "after 28 February, a month back");
        assert_eq!(age("2026-02-28"), 2, "exactly a month back is a month old");
        assert_eq!(age("2026-02-01"), 2);
        assert_eq!(age("2026-01-31"), 3);
        assert_eq!(age("2025-12-31"), 4);
        assert_eq!(age("2025-11-30"), 5);
        assert_eq!(age_column(None, date), 0, "no due date: current");
    }

    #[test]
    fn a_page_keeps_authorised_invoices_with_an_amount_due_in_base_currency() {
        let body = br#"{"Status":"OK","pagination":{"page":1,"pageSize":1000,"pageCount":1,"itemCount":6},"Invoices":[
            {"Type":"ACCREC","Status":"AUTHORISED","AmountDue":1234.5,"CurrencyRate":1.0,
             "Contact":{"ContactID":"c1","Name":"Bayside Club"},"DueDateString":"2026-10-31T00:00:00","DueDate":"/Date(1)/"},
            {"Type":"ACCREC","Status":"AUTHORISED","AmountDue":100.00,"CurrencyRate":0.5,
             "Contact":{"ContactID":"c2","Name":"Overseas Ltd"},"DueDate":"/Date(1793404800000+0000)/"},
            {"Type":"ACCPAY","Status":"AUTHORISED","AmountDue":"20.00","Contact":{"Name":"No Id Supplies"}},
            {"Type":"ACCREC","Status":"PAID","AmountDue":0,"Contact":{"ContactID":"c1","Name":"Bayside Club"}},
            {"Type":"ACCREC","Status":"DRAFT","AmountDue":50,"Contact":{"ContactID":"c1","Name":"Bayside Club"}},
            {"Type":"ACCRECCREDIT","Status":"AUTHORISED","AmountDue":9,"Contact":{"ContactID":"c1"}}
        ]}"#;
        let page = parse_invoice_page(body).unwrap();
        assert_eq!(page.received, 6);
        assert_eq!(
            page.outstanding,
            vec![
                Outstanding {
                    side: Side::Receivable,
                    contact_key: "c1".into(),
                    contact_name: "Bayside Club".into(),
                    due: Some(d("2026-10-31")),
                    cents: 123_450
                },
                Outstanding {
                    side: Side::Receivable,
                    contact_key: "c2".into(),
                    contact_name: "Overseas Ltd".into(),
                    due: Some(d("2026-10-31")),
                    cents: 20_000
                },
                Outstanding {
                    side: Side::Payable,
                    contact_key: "No Id Supplies".into(),
                    contact_name: "No Id Supplies".into(),
                    due: None,
                    cents: 2_000
                },
            ]
        );
    }

    #[test]
    fn hostile_pages_are_refused_with_a_sentence() {
        for (body, says) in [
            (&b"<html>Service unavailable</html>"[..], "not JSON"),
            (br#"{"Invoices":[{"Type":"ACCREC","Status":"AUTHORISED""#, "cut off"),
            (br#"{"Status":"ERROR"}"#, "status ERROR"),
            (br#"{"Status":"OK","Reports":[]}"#, "no Invoices"),
            (br#"{"Invoices":[{"Type":"ACCREC","Status":"AUTHORISED","AmountDue":"lots"}]}"#, "amount due"),
            (
                br#"{"Invoices":[{"Type":"ACCREC","Status":"AUTHORISED","AmountDue":5,"CurrencyRate":0}]}"#,
                "CurrencyRate",
            ),
            (
                br#"{"Invoices":[{"Type":"ACCREC","Status":"AUTHORISED","AmountDue":5,"CurrencyRate":1e-300}]}"#,
                "too large",
            ),
            (
                br#"{"Invoices":[{"Type":"ACCPAY","Status":"AUTHORISED","AmountDue":"-5","CurrencyRate":1e-16}]}"#,
                "too large",
            ),
        ] {
            let error = parse_invoice_page(body).unwrap_err().to_string();
            assert!(error.contains(says), "{error}");
        }
    }

    #[test]
    fn sums_past_i64_are_refused() {
        let owed = |key: &str, cents| Outstanding {
            side: Side::Receivable,
            contact_key: key.into(),
            contact_name: key.into(),
            due: None,
            cents,
        };
        let date = d("2026-11-26");
        let summary =
            |invoices: &[Outstanding]| aged_summary(ReportKind::AgedReceivables, invoices, date, "Org", UnixMillis(7));
        let error = summary(&[owed("a", i64::MAX), owed("a", 1)]).unwrap_err().to_string();
        assert!(error.contains("too large to add up"), "{error}");
        assert!(summary(&[owed("a", i64::MAX), owed("b", 1)]).is_err(), "the Total row overflows");
        assert!(summary(&[owed("a", i64::MAX), owed("b", -1)]).is_ok());
    }

    #[test]
    fn the_summary_has_a_row_per_contact_and_totals_by_age() {
        let owed = |key: &str, name: &str, due: &str, cents| Outstanding {
            side: Side::Receivable,
            contact_key: key.into(),
            contact_name: name.into(),
            due: Some(d(due)),
            cents,
        };
        let invoices = vec![
            owed("z", "Zebra Co", "2026-12-01", 1_000),
            owed("a", "apple & <Sons>", "2026-11-20", 500),
            owed("z", "Zebra Co", "2026-06-01", 250),
            Outstanding { side: Side::Payable, ..owed("s", "Supplier", "2026-11-01", 99) },
        ];
        let r =
            aged_summary(ReportKind::AgedReceivables, &invoices, d("2026-11-26"), "Demo Org", UnixMillis(7)).unwrap();
        assert_eq!(r.columns, ["Contact", "Current", "< 1 Month", "1 Month", "2 Months", "3 Months", "Older", "Total"]);
        assert_eq!(r.titles[1], "Demo Org");
        assert_eq!(r.report_date.as_deref(), Some("26 November 2026"));
        let labels: Vec<&str> = r.lines().iter().map(|(_, row)| row.cells()[0].text.as_str()).collect();
        assert_eq!(labels, ["apple & <Sons>", "Zebra Co", "Total"], "by name, any case, then the total");
        assert_eq!(
            r.amounts_of("Zebra Co").unwrap(),
            [Some(1_000), Some(0), Some(0), Some(0), Some(0), Some(250), Some(1_250)]
        );
        assert_eq!(r.amount("Total", r.column("< 1 Month").unwrap()), Some(500));
        assert_eq!(
            r.amount("Total", r.column("Total").unwrap()),
            Some(1_750),
            "the supplier's bill is not a receivable"
        );
        assert_eq!(super::super::receivables_over_90_days(&r), Some(250));
        assert_eq!(r.lines()[0].1.cells()[1].text, "0.00");
        assert_eq!(r.lines()[1].1.cells()[1].text, "10.00");
    }
}
