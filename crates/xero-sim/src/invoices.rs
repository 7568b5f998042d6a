//! Accounting `GET Invoices`: each organisation's sales invoices (`ACCREC`) and bills (`ACCPAY`),
//! paged as Xero pages them (`page` from 1, `pageSize` 1–1000, default 100, and a `pagination`
//! object with `page`, `pageSize`, `pageCount`, `itemCount`), filtered by `Statuses`.
//!
//! The outstanding ones (`AUTHORISED`, `AmountDue` above zero) are exactly the aged reports'
//! lines: each non-zero amount in a contact's age column is one or two invoices due inside that
//! column's range of the simulator's today, so ageing them by due date gives back
//! [`Figures::aged`]. Paid and draft invoices are there too, for a status filter to leave out.
//! `summaryOnly` is accepted; the answer is always the summary shape (no line items).
//!
//! Scopes: `accounting.transactions(.read)` (apps created before March 2026) or the granular
//! `accounting.invoices(.read)`; 401 `AuthorizationUnsuccessful` otherwise.

#![allow(clippy::result_large_err)]

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{Days, Months, NaiveDate};
use rand::Rng;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::api::{ExtraDelay, JSON, tenant_call};
use crate::data::Organisation;
use crate::render::{ms_date, ms_date_offset};
use crate::reports::{Aged, Figures, ReportQuery, seed, today_of, validation};
use crate::state::Shared;

pub const INVOICE_SCOPES: &[&str] =
    &["accounting.transactions", "accounting.transactions.read", "accounting.invoices", "accounting.invoices.read"];

const DEFAULT_PAGE_SIZE: usize = 100;
const MAX_PAGE_SIZE: usize = 1000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invoice {
    pub id: Uuid,
    pub number: String,
    pub kind: Aged,
    pub contact: String,
    pub contact_id: Uuid,
    pub date: NaiveDate,
    pub due: NaiveDate,
    pub status: &'static str,
    pub total: i64,
    pub amount_due: i64,
}

/// The day `months` calendar months before `date` (the 31st of a shorter month is its last day).
fn months_before(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_sub_months(Months::new(months)).expect("a date far from the start of time")
}

/// A due date inside age column `column` (0 Current … 5 Older) as of `date`. Consecutive
/// month boundaries are at least 28 days apart, so 1–27 days before one stays after the next.
fn due_in(column: usize, date: NaiveDate, rng: &mut impl Rng) -> NaiveDate {
    match column {
        0 => date + Days::new(rng.random_range(0..=30)),
        1..=4 => months_before(date, column as u32 - 1) - Days::new(rng.random_range(1..=27)),
        _ => months_before(date, 4) - Days::new(rng.random_range(1..=200)),
    }
}

impl Figures<'_> {
    /// Every invoice and bill of the organisation as of `date`.
    pub fn invoices(&self, date: NaiveDate) -> Vec<Invoice> {
        self.invoices_in_parts(date, 1)
    }

    /// [`Self::invoices`] with each outstanding invoice served as `parts` smaller ones.
    pub fn invoices_in_parts(&self, date: NaiveDate, parts: usize) -> Vec<Invoice> {
        let parts = parts.max(1) as i64;
        let org = self.org();
        let mut out = Vec::new();
        for which in [Aged::Receivables, Aged::Payables] {
            let prefix = if which == Aged::Receivables { "INV" } else { "BILL" };
            let first_of_kind = out.len();
            let push =
                |out: &mut Vec<Invoice>, line: &crate::reports::AgedLine, due: NaiveDate, status, total, due_cents| {
                    let n = out.len() - first_of_kind + 1;
                    let mut id_rng = seed(org, prefix, n as i64);
                    let mut bytes = [0u8; 16];
                    id_rng.fill(&mut bytes);
                    out.push(Invoice {
                        id: uuid::Builder::from_random_bytes(bytes).into_uuid(),
                        number: format!("{prefix}-{n:04}"),
                        kind: which,
                        contact: line.contact.clone(),
                        contact_id: line.contact_id,
                        date: due - Days::new(30),
                        due,
                        status,
                        total,
                        amount_due: due_cents,
                    });
                };
            for line in self.aged(which, date) {
                let mut rng = seed(org, &line.contact, 7);
                for (column, cents) in line.buckets.iter().copied().enumerate().filter(|(_, c)| *c > 0) {
                    // Some amounts are two invoices, some invoices part paid.
                    let first = if cents >= 200 && rng.random_bool(0.4) { cents / 2 } else { cents };
                    let pieces = [first, cents - first]
                        .into_iter()
                        .flat_map(|c| (0..parts).map(move |j| c / parts + i64::from(j < c % parts)));
                    for piece in pieces.filter(|c| *c > 0) {
                        let paid = if rng.random_bool(0.2) { piece / 3 } else { 0 };
                        push(&mut out, &line, due_in(column, date, &mut rng), "AUTHORISED", piece + paid, piece);
                    }
                }
                let paid_due = months_before(date, 2);
                push(&mut out, &line, paid_due, "PAID", rng.random_range(100..100_000), 0);
                push(&mut out, &line, date + Days::new(14), "DRAFT", rng.random_range(100..100_000), 0);
            }
        }
        out
    }
}

fn money(cents: i64) -> Value {
    json!(cents as f64 / 100.0)
}

fn invoice_json(org: &Organisation, i: &Invoice, now_ms: i64) -> Value {
    let midnight = |d: NaiveDate| d.and_hms_opt(0, 0, 0).expect("midnight").and_utc().timestamp_millis();
    let type_code = if i.kind == Aged::Receivables { "ACCREC" } else { "ACCPAY" };
    json!({
        "Type": type_code,
        "InvoiceID": i.id,
        "InvoiceNumber": i.number,
        "Reference": "",
        "AmountDue": money(i.amount_due),
        "AmountPaid": money(i.total - i.amount_due),
        "AmountCredited": 0.0,
        "CurrencyRate": 1.0,
        "IsDiscounted": false,
        "HasAttachments": false,
        "HasErrors": false,
        "Contact": { "ContactID": i.contact_id, "Name": i.contact },
        "DateString": format!("{}T00:00:00", i.date),
        "Date": ms_date_offset(midnight(i.date)),
        "DueDateString": format!("{}T00:00:00", i.due),
        "DueDate": ms_date_offset(midnight(i.due)),
        "Status": i.status,
        "LineAmountTypes": "Exclusive",
        "SubTotal": money(i.total),
        "TotalTax": 0.0,
        "Total": money(i.total),
        "UpdatedDateUTC": ms_date_offset(now_ms),
        "CurrencyCode": org.country.currency(),
    })
}

/// A `GET Invoices` answer holding `invoices` (also for tests that read one without HTTP).
pub fn invoices_body(
    org: &Organisation,
    invoices: &[Invoice],
    pagination: Value,
    provider: &str,
    now_ms: i64,
) -> String {
    let body = json!({
        "Id": Uuid::new_v4(),
        "Status": "OK",
        "ProviderName": provider,
        "DateTimeUTC": ms_date(now_ms),
        "pagination": pagination,
        "Invoices": invoices.iter().map(|i| invoice_json(org, i, now_ms)).collect::<Vec<_>>(),
    });
    crate::render::ms_json(&body)
}

type S = State<Arc<Shared>>;

/// `GET Invoices?Statuses=…&page=…&pageSize=…[&summaryOnly=true]`
pub(crate) async fn invoices(
    State(s): S,
    headers: HeaderMap,
    extra: Option<axum::Extension<ExtraDelay>>,
    Query(q): Query<ReportQuery>,
) -> Response {
    let parts = s.invoice_parts;
    tenant_call(s, headers, extra.map(|e| e.0), INVOICE_SCOPES, |ctx| {
        let number = |name: &str, default: usize| match q.get(name) {
            None => Ok(default),
            Some(v) => v
                .parse::<usize>()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| validation(&format!("{name} must be a whole number from 1"))),
        };
        let (page, size) = match (number("page", 1), number("pageSize", DEFAULT_PAGE_SIZE)) {
            (Ok(p), Ok(s)) => (p, s.min(MAX_PAGE_SIZE)),
            (Err(r), _) | (_, Err(r)) => return r,
        };
        let statuses: Option<Vec<String>> =
            q.get("Statuses").map(|s| s.split(',').map(|s| s.trim().to_ascii_uppercase()).collect());
        let all: Vec<Invoice> = Figures::new(ctx.org)
            .invoices_in_parts(today_of(ctx.now), parts)
            .into_iter()
            .filter(|i| statuses.as_ref().is_none_or(|s| s.iter().any(|s| s == i.status)))
            .collect();
        let shown: Vec<Invoice> = all.iter().skip((page - 1) * size).take(size).cloned().collect();
        let pagination =
            json!({ "page": page, "pageSize": size, "pageCount": all.len().div_ceil(size), "itemCount": all.len() });
        (
            StatusCode::OK,
            [(header::CONTENT_TYPE, JSON)],
            invoices_body(ctx.org, &shown, pagination, &ctx.provider, ctx.now),
        )
            .into_response()
    })
    .await
}
