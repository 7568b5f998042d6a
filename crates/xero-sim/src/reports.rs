//! Accounting `Reports/*`: Profit and Loss, Balance Sheet, Bank Summary and aged receivables /
//! payables, in Xero's report shape (`Reports[].Rows[]` of `Header`, `Section`, `Row` and
//! `SummaryRow`, each with `Cells[].Value` and `Attributes`), from figures generated per
//! organisation that agree with each other:
//!
//! * a month's Profit and Loss is seeded by (organisation, year, month), so any range is the sum
//!   of its months, and a year-to-date report is the sum of the months since the organisation's
//!   financial year started;
//! * the Balance Sheet's bank rows are the Bank Summary's closing balances, its Accounts
//!   Receivable / Payable are the aged reports' totals, its Current Year Earnings the
//!   year-to-date net profit, and it balances (Net Assets = Total Equity);
//! * amounts are in the organisation's base currency (reports carry no currency, as at Xero).
//!
//! Scopes: each report accepts the broad `accounting.reports.read` (apps created before March
//! 2026) or its granular scope (`accounting.reports.profitandloss.read`, `…balancesheet.read`,
//! `…aged.read`, `…banksummary.read`), and nothing else; 401 `AuthorizationUnsuccessful` otherwise.
//!
//! Xero documents `AgedReceivablesByContact` / `AgedPayablesByContact` per contact: `contactId`
//! is required, and without it the simulator refuses with Xero's validation error. With one it
//! answers that contact's line (current, < 1 month, 1, 2, 3 months, older, total). A practice-wide
//! aged summary comes from the outstanding invoices (`invoices.rs`), which are these same lines.
//! JSON only (as Switchboard asks).

// Handlers refuse with the finished response as the error, as the other API modules do.
#![allow(clippy::result_large_err)]

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, Months, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::api::{ExtraDelay, JSON, tenant_call};
use crate::data::{Country, Organisation};
use crate::render::ms_date;
use crate::state::Shared;

pub const PROFIT_AND_LOSS_SCOPES: &[&str] = &["accounting.reports.read", "accounting.reports.profitandloss.read"];
pub const BALANCE_SHEET_SCOPES: &[&str] = &["accounting.reports.read", "accounting.reports.balancesheet.read"];
pub const AGED_SCOPES: &[&str] = &["accounting.reports.read", "accounting.reports.aged.read"];
pub const BANK_SUMMARY_SCOPES: &[&str] = &["accounting.reports.read", "accounting.reports.banksummary.read"];

// ---------------------------------------------------------------------------------------------
// The figures (amounts in cents of the organisation's base currency)

/// A named amount: one account's line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub name: String,
    pub cents: i64,
}

/// A period's Profit and Loss.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProfitAndLoss {
    pub income: Vec<Line>,
    pub cost_of_sales: Vec<Line>,
    pub expenses: Vec<Line>,
}

fn total(lines: &[Line]) -> i64 {
    lines.iter().map(|l| l.cents).sum()
}

impl ProfitAndLoss {
    pub fn total_income(&self) -> i64 {
        total(&self.income)
    }
    pub fn total_cost_of_sales(&self) -> i64 {
        total(&self.cost_of_sales)
    }
    pub fn gross_profit(&self) -> i64 {
        self.total_income() - self.total_cost_of_sales()
    }
    pub fn total_expenses(&self) -> i64 {
        total(&self.expenses)
    }
    pub fn net_profit(&self) -> i64 {
        self.gross_profit() - self.total_expenses()
    }

    /// Adds another period's lines, account by account.
    fn add(&mut self, other: &ProfitAndLoss) {
        for (mine, theirs) in [
            (&mut self.income, &other.income),
            (&mut self.cost_of_sales, &other.cost_of_sales),
            (&mut self.expenses, &other.expenses),
        ] {
            for line in theirs {
                match mine.iter_mut().find(|l| l.name == line.name) {
                    Some(l) => l.cents += line.cents,
                    None => mine.push(line.clone()),
                }
            }
        }
    }
}

/// One bank account over a period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BankLine {
    pub name: String,
    pub opening: i64,
    pub received: i64,
    pub spent: i64,
    pub closing: i64,
}

/// One contact's outstanding amounts by age: current, < 1 month, 1, 2, 3 months, older.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgedLine {
    pub contact: String,
    pub contact_id: Uuid,
    pub buckets: [i64; 6],
}

impl AgedLine {
    pub fn total(&self) -> i64 {
        self.buckets.iter().sum()
    }
    /// Outstanding for more than 90 days (the "3 Months" and "Older" columns).
    pub fn over_90_days(&self) -> i64 {
        self.buckets[4] + self.buckets[5]
    }
}

pub const AGED_COLUMNS: [&str; 6] = ["Current", "< 1 Month", "1 Month", "2 Months", "3 Months", "Older"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aged {
    Receivables,
    Payables,
}

/// The Balance Sheet at a date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BalanceSheet {
    pub bank: Vec<Line>,
    pub current_assets: Vec<Line>,
    pub fixed_assets: Vec<Line>,
    pub current_liabilities: Vec<Line>,
    pub equity: Vec<Line>,
}

impl BalanceSheet {
    pub fn total_assets(&self) -> i64 {
        total(&self.bank) + total(&self.current_assets) + total(&self.fixed_assets)
    }
    pub fn total_liabilities(&self) -> i64 {
        total(&self.current_liabilities)
    }
    pub fn net_assets(&self) -> i64 {
        self.total_assets() - self.total_liabilities()
    }
    pub fn total_equity(&self) -> i64 {
        total(&self.equity)
    }
}

/// The figures of one organisation. Deterministic: the same organisation and dates give the
/// same amounts, whatever else the simulator did.
pub struct Figures<'a> {
    org: &'a Organisation,
}

const INCOME: &[&str] = &["Sales", "Other Revenue"];
const COST_OF_SALES: &[&str] = &["Purchases", "Freight & Courier"];
const EXPENSES: &[&str] = &[
    "Advertising",
    "Bank Fees",
    "Consulting & Accounting",
    "Rent",
    "Wages and Salaries",
    "Motor Vehicle Expenses",
    "Subscriptions",
    "Telephone & Internet",
];
const CUSTOMERS: &[&str] = &[
    "Bayside Club",
    "Ridgeway University",
    "City Limousines",
    "Marine Systems",
    "Hamilton Smith Ltd",
    "Boom FM",
    "Port & Philip Freight",
    "Young Bros Transport",
    "Petrie McLoud Watson & Associates",
    "Basket Case",
    "DIISR - Small Business Services",
    "Rex Media Group",
];
const SUPPLIERS: &[&str] = &[
    "PowerDirect",
    "Capital Cab Co",
    "Office Supplies Co",
    "Swanston Security",
    "ABC Furniture",
    "Central Copiers",
    "Melrose Parking",
    "SMART Agency",
    "Truxton Property Management",
    "Net Connect",
];

pub(crate) fn seed(org: &Organisation, tag: &str, n: i64) -> ChaCha8Rng {
    let bytes = org.organisation_id.as_bytes();
    let mut s =
        u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes")) ^ (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    for b in tag.bytes() {
        s = s.rotate_left(7) ^ u64::from(b);
    }
    ChaCha8Rng::seed_from_u64(s)
}

fn month_index(date: NaiveDate) -> i64 {
    i64::from(date.year()) * 12 + i64::from(date.month0())
}

fn first_of_month(index: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt((index.div_euclid(12)) as i32, (index.rem_euclid(12) + 1) as u32, 1).expect("valid month")
}

/// The last day of the month `date` is in.
pub fn month_end(date: NaiveDate) -> NaiveDate {
    first_of_month(month_index(date) + 1).pred_opt().expect("not the first day ever")
}

impl<'a> Figures<'a> {
    pub fn new(org: &'a Organisation) -> Self {
        Figures { org }
    }

    pub(crate) fn org(&self) -> &'a Organisation {
        self.org
    }

    /// Typical monthly sales, in cents: the size of the business.
    fn scale(&self) -> i64 {
        seed(self.org, "scale", 0).random_range(8_000..400_000) * 100
    }

    /// The first day of the financial year that contains `date`.
    pub fn financial_year_start(&self, date: NaiveDate) -> NaiveDate {
        let end_month = self.org.financial_year_end_month.clamp(1, 12) as i64;
        // The year starts the month after the year-end month.
        let start_month0 = end_month % 12;
        let this_year = i64::from(date.year()) * 12 + start_month0;
        let start = if this_year <= month_index(date) { this_year } else { this_year - 12 };
        first_of_month(start)
    }

    /// The Profit and Loss of one calendar month.
    pub fn month(&self, year: i32, month: u32) -> ProfitAndLoss {
        let index = i64::from(year) * 12 + i64::from(month) - 1;
        let mut rng = seed(self.org, "pl", index);
        let scale = self.scale();
        // A seasonal swing, and now and then a poor month that makes a loss.
        let season = 85 + ((index % 12) * 37 % 30);
        let sales = scale * season / 100 + rng.random_range(0..scale / 5);
        let poor = rng.random_bool(0.15);
        let lines = |names: &[&str], rng: &mut ChaCha8Rng, share_pct: (i64, i64)| -> Vec<Line> {
            names
                .iter()
                .map(|n| Line {
                    name: (*n).to_owned(),
                    cents: sales * rng.random_range(share_pct.0..share_pct.1) / 1000,
                })
                .collect()
        };
        let income = vec![
            Line { name: INCOME[0].to_owned(), cents: sales },
            Line { name: INCOME[1].to_owned(), cents: sales * rng.random_range(0..40) / 1000 },
        ];
        let cost_of_sales = lines(COST_OF_SALES, &mut rng, (40, 220));
        let expenses = lines(EXPENSES, &mut rng, if poor { (70, 160) } else { (10, 75) });
        let mut pl = ProfitAndLoss { income, cost_of_sales, expenses };
        // Wages dominate; keep rent constant month to month as a real lease would be.
        let rent = seed(self.org, "rent", 0).random_range(20..90) * scale / 1000;
        if let Some(l) = pl.expenses.iter_mut().find(|l| l.name == "Rent") {
            l.cents = rent;
        }
        pl
    }

    /// The Profit and Loss from `from` to `to`, whole months (a range ending mid-month covers
    /// that month as recorded so far: the whole month, in the simulator).
    pub fn profit_and_loss(&self, from: NaiveDate, to: NaiveDate) -> ProfitAndLoss {
        let mut sum = ProfitAndLoss::default();
        for index in month_index(from)..=month_index(to) {
            let m = first_of_month(index);
            sum.add(&self.month(m.year(), m.month()));
        }
        sum
    }

    fn bank_accounts(&self) -> Vec<&'static str> {
        let n = seed(self.org, "banks", 0).random_range(1..=3);
        ["Business Bank Account", "Business Savings Account", "Business Credit Card"][..n].to_vec()
    }

    /// Each bank account's balance at the end of `date` (a credit card is negative).
    pub fn bank_balances(&self, date: NaiveDate) -> Vec<Line> {
        let day = date.num_days_from_ce() as i64;
        let scale = self.scale();
        self.bank_accounts()
            .into_iter()
            .enumerate()
            .map(|(i, name)| {
                let mut base_rng = seed(self.org, name, 0);
                let base = base_rng.random_range(5..300) * scale / 100;
                // The balance wanders week by week.
                let mut week_rng = seed(self.org, name, day / 7);
                let wander = week_rng.random_range(-40..40) * scale / 100 + (day % 7) * scale / 200;
                let cents = match i {
                    2 => -(base / 20 + wander.abs() / 10),
                    _ => base + wander,
                };
                Line { name: name.to_owned(), cents }
            })
            .collect()
    }

    /// Bank Summary: movements between `from` and `to` (both inclusive).
    pub fn bank_summary(&self, from: NaiveDate, to: NaiveDate) -> Vec<BankLine> {
        let opening = self.bank_balances(from.pred_opt().unwrap_or(from));
        let closing = self.bank_balances(to);
        opening
            .into_iter()
            .zip(closing)
            .map(|(o, c)| {
                let days = (to - from).num_days().max(0) + 1;
                let mut rng = seed(self.org, &o.name, month_index(to) * 1000 + days);
                let turnover = rng.random_range(10..60) * self.scale() * days / 3000;
                let delta = c.cents - o.cents;
                let received = turnover + delta.max(0);
                let spent = turnover + (-delta).max(0);
                BankLine { name: o.name, opening: o.cents, received, spent, closing: c.cents }
            })
            .collect()
    }

    /// Who owes (receivables) or is owed (payables) how much at the end of `date`, by age.
    pub fn aged(&self, which: Aged, date: NaiveDate) -> Vec<AgedLine> {
        let (names, tag) = match which {
            Aged::Receivables => (CUSTOMERS, "ar"),
            Aged::Payables => (SUPPLIERS, "ap"),
        };
        let week = date.num_days_from_ce() as i64 / 7;
        let scale = self.scale();
        let count = seed(self.org, tag, 0).random_range(3..=6);
        (0..count)
            .map(|i| {
                let contact = names[(seed(self.org, tag, i).random_range(0..names.len() as i64)) as usize];
                let mut rng = seed(self.org, contact, week);
                let mut buckets = [0i64; 6];
                for (b, slot) in buckets.iter_mut().enumerate() {
                    // Older buckets are rarer and smaller.
                    if rng.random_bool(0.75 - b as f64 * 0.1) {
                        *slot = rng.random_range(0..(scale / 8 / (b as i64 + 1)).max(100));
                    }
                }
                let contact_id = {
                    let mut id_rng = seed(self.org, contact, -1);
                    let mut bytes = [0u8; 16];
                    id_rng.fill(&mut bytes);
                    uuid::Builder::from_random_bytes(bytes).into_uuid()
                };
                AgedLine {
                    contact: format!("{contact}{}", if i >= names.len() as i64 { " (2)" } else { "" }),
                    contact_id,
                    buckets,
                }
            })
            .fold(Vec::new(), |mut acc: Vec<AgedLine>, line| {
                // One line per contact.
                match acc.iter_mut().find(|l| l.contact == line.contact) {
                    Some(l) => l.buckets.iter_mut().zip(line.buckets).for_each(|(a, b)| *a += b),
                    None => acc.push(line),
                }
                acc
            })
    }

    fn tax_account(&self) -> &'static str {
        match self.org.country {
            Country::AU | Country::NZ => "GST",
            Country::UK => "VAT",
            Country::US => "Sales Tax",
        }
    }

    /// The Balance Sheet at the end of `date`; it balances by construction.
    pub fn balance_sheet(&self, date: NaiveDate) -> BalanceSheet {
        let scale = self.scale();
        let receivable = self.aged(Aged::Receivables, date).iter().map(AgedLine::total).sum();
        let payable = self.aged(Aged::Payables, date).iter().map(AgedLine::total).sum();
        let equipment = seed(self.org, "equipment", 0).random_range(20..200) * scale / 100;
        let years = (date.year() - 2012).max(1) as i64;
        let depreciation = -(equipment * years.min(8) / 10);
        let tax = seed(self.org, self.tax_account(), month_index(date)).random_range(5..25) * scale / 100;
        let bank = self.bank_balances(date);
        let current_assets = vec![Line { name: "Accounts Receivable".to_owned(), cents: receivable }];
        let fixed_assets = vec![
            Line { name: "Office Equipment".to_owned(), cents: equipment },
            Line { name: "Less Accumulated Depreciation on Office Equipment".to_owned(), cents: depreciation },
        ];
        let current_liabilities = vec![
            Line { name: "Accounts Payable".to_owned(), cents: payable },
            Line { name: self.tax_account().to_owned(), cents: tax },
        ];
        let earnings = self.profit_and_loss(self.financial_year_start(date), date).net_profit();
        let mut sheet = BalanceSheet {
            bank,
            current_assets,
            fixed_assets,
            current_liabilities,
            equity: vec![Line { name: "Current Year Earnings".to_owned(), cents: earnings }],
        };
        let retained = sheet.net_assets() - earnings;
        sheet.equity.insert(0, Line { name: "Retained Earnings".to_owned(), cents: retained });
        sheet
    }
}

// ---------------------------------------------------------------------------------------------
// Xero's report shape

/// `1234.5` → `"1234.50"`, `-7` → `"-0.07"`: how Xero writes amounts in report cells.
pub fn amount(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", cents.unsigned_abs() / 100, cents.unsigned_abs() % 100)
}

fn account_id(org: &Organisation, name: &str) -> String {
    let mut rng = seed(org, name, -2);
    let mut bytes = [0u8; 16];
    rng.fill(&mut bytes);
    uuid::Builder::from_random_bytes(bytes).into_uuid().to_string()
}

fn cell(value: &str) -> Value {
    json!({ "Value": value })
}

fn header(values: &[String]) -> Value {
    json!({ "RowType": "Header", "Cells": values.iter().map(|v| cell(v)).collect::<Vec<_>>() })
}

/// A row of an account: every cell carries the account id, as Xero's do.
fn account_row(org: &Organisation, name: &str, amounts: &[i64]) -> Value {
    let id = account_id(org, name);
    let attrs = json!([{ "Value": id, "Id": "account" }]);
    let mut cells = vec![json!({ "Value": name, "Attributes": attrs })];
    cells.extend(amounts.iter().map(|c| json!({ "Value": amount(*c), "Attributes": attrs })));
    json!({ "RowType": "Row", "Cells": cells })
}

fn plain_row(kind: &str, label: &str, amounts: &[i64]) -> Value {
    let mut cells = vec![cell(label)];
    cells.extend(amounts.iter().map(|c| cell(&amount(*c))));
    json!({ "RowType": kind, "Cells": cells })
}

fn section(title: &str, rows: Vec<Value>) -> Value {
    json!({ "RowType": "Section", "Title": title, "Rows": rows })
}

/// A section of account lines over several columns, with its total.
fn lines_section(org: &Organisation, title: &str, total_label: &str, columns: &[Vec<Line>]) -> Value {
    let names: Vec<&str> = columns.first().map(|c| c.iter().map(|l| l.name.as_str()).collect()).unwrap_or_default();
    let mut rows: Vec<Value> = names
        .iter()
        .map(|n| {
            let amounts: Vec<i64> =
                columns.iter().map(|c| c.iter().find(|l| l.name == *n).map(|l| l.cents).unwrap_or(0)).collect();
            account_row(org, n, &amounts)
        })
        .collect();
    let totals: Vec<i64> = columns.iter().map(|c| total(c)).collect();
    rows.push(plain_row("SummaryRow", total_label, &totals));
    section(title, rows)
}

fn long_date(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

fn short_date(d: NaiveDate) -> String {
    d.format("%-d %b %y").to_string()
}

fn envelope(provider: &str, now_ms: i64, report: Value) -> Response {
    let body = json!({
        "Id": Uuid::new_v4(),
        "Status": "OK",
        "ProviderName": provider,
        "DateTimeUTC": ms_date(now_ms),
        "Reports": [report],
    });
    let text = crate::render::ms_json(&body);
    (StatusCode::OK, [(header::CONTENT_TYPE, JSON)], text).into_response()
}

fn report(id: &str, name: &str, titles: Vec<String>, today: NaiveDate, now_ms: i64, rows: Vec<Value>) -> Value {
    json!({
        "ReportID": id,
        "ReportName": name,
        "ReportType": id,
        "ReportTitles": titles,
        "ReportDate": long_date(today),
        "UpdatedDateUTC": ms_date(now_ms),
        "Fields": [],
        "Rows": rows,
    })
}

/// Profit and Loss from `from` to `to`, with `periods` earlier comparison periods (most recent
/// first, as Xero orders them) each `step` months before the previous one.
pub fn profit_and_loss_report(
    org: &Organisation,
    from: NaiveDate,
    to: NaiveDate,
    periods: u32,
    step: u32,
    today: NaiveDate,
    now_ms: i64,
) -> Value {
    let figures = Figures::new(org);
    let ranges: Vec<(NaiveDate, NaiveDate)> = (0..=periods)
        .map(|i| {
            let back = Months::new(i * step);
            let start = from.checked_sub_months(back).unwrap_or(from);
            let end = month_end(to.checked_sub_months(back).unwrap_or(to));
            (start, if i == 0 { to } else { end })
        })
        .collect();
    let pls: Vec<ProfitAndLoss> = ranges.iter().map(|(f, t)| figures.profit_and_loss(*f, *t)).collect();
    let mut head = vec![String::new()];
    head.extend(ranges.iter().map(|(_, t)| short_date(*t)));
    let col = |f: fn(&ProfitAndLoss) -> &Vec<Line>| pls.iter().map(|p| f(p).clone()).collect::<Vec<_>>();
    let each = |f: fn(&ProfitAndLoss) -> i64| pls.iter().map(f).collect::<Vec<_>>();
    let rows = vec![
        header(&head),
        lines_section(org, "Income", "Total Income", &col(|p| &p.income)),
        lines_section(org, "Less Cost of Sales", "Total Cost of Sales", &col(|p| &p.cost_of_sales)),
        section("", vec![plain_row("Row", "Gross Profit", &each(ProfitAndLoss::gross_profit))]),
        lines_section(org, "Less Operating Expenses", "Total Operating Expenses", &col(|p| &p.expenses)),
        section("", vec![plain_row("Row", "Net Profit", &each(ProfitAndLoss::net_profit))]),
    ];
    let titles =
        vec!["Profit and Loss".to_owned(), org.name.clone(), format!("{} to {}", long_date(from), long_date(to))];
    report("ProfitAndLoss", "Profit and Loss", titles, today, now_ms, rows)
}

pub fn balance_sheet_report(org: &Organisation, date: NaiveDate, today: NaiveDate, now_ms: i64) -> Value {
    let s = Figures::new(org).balance_sheet(date);
    let one = |lines: &Vec<Line>| vec![lines.clone()];
    let rows = vec![
        header(&[String::new(), date.format("%-d %b %Y").to_string()]),
        section("Assets", vec![]),
        lines_section(org, "Bank", "Total Bank", &one(&s.bank)),
        lines_section(org, "Current Assets", "Total Current Assets", &one(&s.current_assets)),
        lines_section(org, "Fixed Assets", "Total Fixed Assets", &one(&s.fixed_assets)),
        section("", vec![plain_row("SummaryRow", "Total Assets", &[s.total_assets()])]),
        section("Liabilities", vec![]),
        lines_section(org, "Current Liabilities", "Total Current Liabilities", &one(&s.current_liabilities)),
        section("", vec![plain_row("SummaryRow", "Total Liabilities", &[s.total_liabilities()])]),
        section("", vec![plain_row("SummaryRow", "Net Assets", &[s.net_assets()])]),
        lines_section(org, "Equity", "Total Equity", &one(&s.equity)),
    ];
    let titles = vec!["Balance Sheet".to_owned(), org.name.clone(), format!("As at {}", long_date(date))];
    report("BalanceSheet", "Balance Sheet", titles, today, now_ms, rows)
}

pub fn bank_summary_report(org: &Organisation, from: NaiveDate, to: NaiveDate, today: NaiveDate, now_ms: i64) -> Value {
    let lines = Figures::new(org).bank_summary(from, to);
    let head: Vec<String> = ["Bank Accounts", "Opening Balance", "Cash Received", "Cash Spent", "Closing Balance"]
        .map(String::from)
        .to_vec();
    let mut rows: Vec<Value> =
        lines.iter().map(|l| account_row(org, &l.name, &[l.opening, l.received, l.spent, l.closing])).collect();
    let sum = |f: fn(&BankLine) -> i64| lines.iter().map(f).sum::<i64>();
    rows.push(plain_row(
        "SummaryRow",
        "Total",
        &[sum(|l| l.opening), sum(|l| l.received), sum(|l| l.spent), sum(|l| l.closing)],
    ));
    let titles =
        vec!["Bank Summary".to_owned(), org.name.clone(), format!("From {} to {}", long_date(from), long_date(to))];
    report("BankSummary", "Bank Summary", titles, today, now_ms, vec![header(&head), section("", rows)])
}

/// One contact's line of the aged receivables or payables (Xero's report is per contact).
pub fn aged_report(
    org: &Organisation,
    which: Aged,
    date: NaiveDate,
    contact: Uuid,
    today: NaiveDate,
    now_ms: i64,
) -> Value {
    let lines: Vec<AgedLine> =
        Figures::new(org).aged(which, date).into_iter().filter(|l| l.contact_id == contact).collect();
    let (id, name) = match which {
        Aged::Receivables => ("AgedReceivablesByContact", "Aged Receivables By Contact"),
        Aged::Payables => ("AgedPayablesByContact", "Aged Payables By Contact"),
    };
    let mut head = vec!["Contact".to_owned()];
    head.extend(AGED_COLUMNS.iter().map(|c| (*c).to_owned()));
    head.push("Total".to_owned());
    let mut rows: Vec<Value> = lines
        .iter()
        .map(|l| {
            let attrs = json!([{ "Value": l.contact_id.to_string(), "Id": "contact" }]);
            let mut cells = vec![json!({ "Value": l.contact, "Attributes": attrs })];
            cells.extend(
                l.buckets.iter().chain([l.total()].iter()).map(|c| json!({ "Value": amount(*c), "Attributes": attrs })),
            );
            json!({ "RowType": "Row", "Cells": cells })
        })
        .collect();
    let mut totals: Vec<i64> = (0..6).map(|b| lines.iter().map(|l| l.buckets[b]).sum()).collect();
    totals.push(lines.iter().map(AgedLine::total).sum());
    rows.push(plain_row("SummaryRow", "Total", &totals));
    let titles = vec![name.to_owned(), org.name.clone(), format!("As at {}", long_date(date))];
    report(id, name, titles, today, now_ms, vec![header(&head), section("", rows)])
}

// ---------------------------------------------------------------------------------------------
// Handlers

type S = State<Arc<Shared>>;

/// Query parameters, named as Xero names them (case-insensitive here, as at Xero).
#[derive(Debug, Default, Deserialize)]
#[serde(transparent)]
pub(crate) struct ReportQuery(std::collections::HashMap<String, String>);

impl ReportQuery {
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty())
    }

    fn date(&self, name: &str) -> Result<Option<NaiveDate>, Response> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| validation(&format!("{name} is not a valid date"))),
        }
    }
}

/// Xero's 400 for a bad request to the Accounting API.
pub(crate) fn validation(message: &str) -> Response {
    let body = json!({
        "ErrorNumber": 10,
        "Type": "ValidationException",
        "Message": "A validation exception occurred",
        "Elements": [{ "ValidationErrors": [{ "Message": message }] }],
    });
    (StatusCode::BAD_REQUEST, [(header::CONTENT_TYPE, JSON)], body.to_string()).into_response()
}

pub(crate) fn today_of(now_ms: i64) -> NaiveDate {
    chrono::DateTime::from_timestamp_millis(now_ms).unwrap_or_default().date_naive()
}

async fn serve(
    s: Arc<Shared>,
    headers: HeaderMap,
    extra: Option<axum::Extension<ExtraDelay>>,
    scopes: &[&str],
    build: impl FnOnce(&Organisation, NaiveDate, i64) -> Result<Value, Response>,
) -> Response {
    tenant_call(s, headers, extra.map(|e| e.0), scopes, |ctx| match build(ctx.org, today_of(ctx.now), ctx.now) {
        Ok(report) => envelope(&ctx.provider, ctx.now, report),
        Err(r) => r,
    })
    .await
}

/// `GET Reports/ProfitAndLoss?fromDate&toDate&periods&timeframe` (defaults: this month).
pub(crate) async fn profit_and_loss(
    State(s): S,
    headers: HeaderMap,
    extra: Option<axum::Extension<ExtraDelay>>,
    Query(q): Query<ReportQuery>,
) -> Response {
    serve(s, headers, extra, PROFIT_AND_LOSS_SCOPES, |org, today, now| {
        let from = q.date("fromDate")?.unwrap_or_else(|| first_of_month(month_index(today)));
        let to = q.date("toDate")?.unwrap_or_else(|| month_end(today));
        if to < from {
            return Err(validation("toDate must not be before fromDate"));
        }
        let periods: u32 = match q.get("periods") {
            None => 0,
            Some(p) => {
                p.parse().ok().filter(|p| *p <= 11).ok_or_else(|| validation("periods must be between 1 and 11"))?
            }
        };
        let step = match q.get("timeframe").map(str::to_ascii_uppercase).as_deref() {
            None | Some("MONTH") => 1,
            Some("QUARTER") => 3,
            Some("YEAR") => 12,
            Some(_) => return Err(validation("timeframe must be MONTH, QUARTER or YEAR")),
        };
        Ok(profit_and_loss_report(org, from, to, periods, step, today, now))
    })
    .await
}

/// `GET Reports/BalanceSheet?date` (default: today).
pub(crate) async fn balance_sheet(
    State(s): S,
    headers: HeaderMap,
    extra: Option<axum::Extension<ExtraDelay>>,
    Query(q): Query<ReportQuery>,
) -> Response {
    serve(s, headers, extra, BALANCE_SHEET_SCOPES, |org, today, now| {
        Ok(balance_sheet_report(org, q.date("date")?.unwrap_or(today), today, now))
    })
    .await
}

/// `GET Reports/BankSummary?fromDate&toDate` (default: this month to today).
pub(crate) async fn bank_summary(
    State(s): S,
    headers: HeaderMap,
    extra: Option<axum::Extension<ExtraDelay>>,
    Query(q): Query<ReportQuery>,
) -> Response {
    serve(s, headers, extra, BANK_SUMMARY_SCOPES, |org, today, now| {
        let from = q.date("fromDate")?.unwrap_or_else(|| first_of_month(month_index(today)));
        let to = q.date("toDate")?.unwrap_or(today);
        if to < from {
            return Err(validation("toDate must not be before fromDate"));
        }
        Ok(bank_summary_report(org, from, to, today, now))
    })
    .await
}

fn aged_handler(which: Aged, q: ReportQuery) -> impl FnOnce(&Organisation, NaiveDate, i64) -> Result<Value, Response> {
    move |org, today, now| {
        // Xero documents `contactId` as required: these reports answer for one contact.
        let contact = match q.get("contactId") {
            None => return Err(validation("contactId is required")),
            Some(c) => Uuid::parse_str(c).map_err(|_| validation("contactId is not a valid id"))?,
        };
        Ok(aged_report(org, which, q.date("date")?.unwrap_or(today), contact, today, now))
    }
}

/// `GET Reports/AgedReceivablesByContact?date[&contactId]`
pub(crate) async fn aged_receivables(
    State(s): S,
    headers: HeaderMap,
    extra: Option<axum::Extension<ExtraDelay>>,
    Query(q): Query<ReportQuery>,
) -> Response {
    serve(s, headers, extra, AGED_SCOPES, aged_handler(Aged::Receivables, q)).await
}

/// `GET Reports/AgedPayablesByContact?date[&contactId]`
pub(crate) async fn aged_payables(
    State(s): S,
    headers: HeaderMap,
    extra: Option<axum::Extension<ExtraDelay>>,
    Query(q): Query<ReportQuery>,
) -> Response {
    serve(s, headers, extra, AGED_SCOPES, aged_handler(Aged::Payables, q)).await
}

/// `GET /_sim/orgs/{id}/report-figures?date=YYYY-MM-DD`: the key figures behind the reports, for
/// tests in another process to compare with what Switchboard shows.
pub(crate) async fn key_figures(
    State(s): S,
    axum::extract::Path(id): axum::extract::Path<Uuid>,
    Query(q): Query<ReportQuery>,
) -> Response {
    let world = s.world();
    let Some(org) = world.org(&id) else { return StatusCode::NOT_FOUND.into_response() };
    let date = match q.date("date") {
        Ok(d) => d.unwrap_or_else(|| today_of(s.clock.now_ms())),
        Err(r) => return r,
    };
    axum::Json(key_figures_json(org, date)).into_response()
}

/// What [`key_figures`] answers: amounts as Xero writes them.
pub fn key_figures_json(org: &Organisation, date: NaiveDate) -> Value {
    let f = Figures::new(org);
    let month = f.month(date.year(), date.month());
    let ytd = f.profit_and_loss(f.financial_year_start(date), date);
    let sheet = f.balance_sheet(date);
    let receivables = f.aged(Aged::Receivables, date);
    json!({
        "currency": org.country.currency(),
        "financial_year_start": f.financial_year_start(date).to_string(),
        "net_profit_this_month": amount(month.net_profit()),
        "total_income_this_month": amount(month.total_income()),
        "net_profit_year_to_date": amount(ytd.net_profit()),
        "net_assets": amount(sheet.net_assets()),
        "total_bank": amount(total(&sheet.bank)),
        "receivables_total": amount(receivables.iter().map(AgedLine::total).sum()),
        "receivables_over_90_days": amount(receivables.iter().map(AgedLine::over_90_days).sum()),
    })
}
