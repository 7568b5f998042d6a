//! Property tests: extreme numbers in remote answers (amounts near the limits of i64 and f64,
//! currency rates of 0 and 1e-300, `expires_in` of u64::MAX, dates far from now, huge
//! Retry-After) never panic, and give either a right figure or a sentence for a person.
//! Few cases: these also run under Wine in CI.

use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;
use serde_json::{Value, json};

use crate::model::UnixMillis;
use crate::reports::aged::{Side, age_column, aged_summary, parse_invoice_page};
use crate::reports::model::{ReportKind, ReportRow};
use crate::reports::parse::{ms_date, parse_amount, parse_report};

/// The largest amount in cents the parsers believe (fifteen digits of units).
const MAX_CENTS: i64 = 100_000_000_000_000_000;

fn config() -> ProptestConfig {
    ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() }
}

/// Amounts as Xero or a hostile server might write them: numbers and text, ordinary and extreme.
fn amount() -> impl Strategy<Value = Value> {
    prop_oneof![
        (-1_000_000_000i64..1_000_000_000).prop_map(|c| json!(c as f64 / 100.0)),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        prop_oneof![Just(f64::MAX), Just(-f64::MAX), Just(f64::MIN_POSITIVE), Just(9.223372036854776e18)]
            .prop_map(|f| json!(f)),
        "-?[0-9]{1,25}(\\.[0-9]{0,6})?".prop_map(Value::from),
        "\\(?[0-9]{1,3}(,[0-9]{3}){0,7}\\.[0-9]{2}\\)?".prop_map(Value::from),
    ]
}

fn currency_rate() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!(0.0)),
        Just(json!(1e-300)),
        Just(json!(f64::MIN_POSITIVE)),
        Just(json!(1e300)),
        Just(json!(-1.0)),
        Just(Value::Null),
        any::<f64>().prop_map(|f| json!(f)),
        (0.0001f64..10_000.0).prop_map(|f| json!(f)),
    ]
}

/// Milliseconds since 1970 (any i64) as Xero's `/Date(…)/`.
fn ms_text(ms: i64) -> String {
    format!("/Date({ms}+0000)/")
}

fn invoice(amount: &Value, rate: &Value, due_ms: i64, contact: usize) -> Value {
    json!({
        "Type": if contact < 2 { "ACCREC" } else { "ACCPAY" },
        "Status": "AUTHORISED",
        "AmountDue": amount,
        "CurrencyRate": rate,
        "DueDate": ms_text(due_ms),
        "Contact": { "ContactID": format!("c{contact}"), "Name": format!("Contact {contact}") },
    })
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    let (min, max) = (NaiveDate::MIN.num_days_from_ce(), NaiveDate::MAX.num_days_from_ce());
    prop_oneof![
        Just(NaiveDate::MIN),
        Just(NaiveDate::MAX),
        (min..=max).prop_map(|d| NaiveDate::from_num_days_from_ce_opt(d).unwrap())
    ]
}

proptest! {
    #![proptest_config(config())]

    /// One invoice: read into cents within the believed range, converted by its rate, or refused.
    #[test]
    fn an_invoice_with_extreme_numbers_is_read_or_refused(amount in amount(), rate in currency_rate(), due_ms in any::<i64>()) {
        let body = json!({ "Invoices": [invoice(&amount, &rate, due_ms, 0)] }).to_string();
        match parse_invoice_page(body.as_bytes()) {
            Ok(page) => {
                prop_assert_eq!(page.received, 1);
                let text = match &amount { Value::String(s) => s.clone(), other => other.to_string() };
                let due = parse_amount(&text).expect("an amount that was read") as f64;
                let rate = rate.as_f64().unwrap_or(1.0);
                for o in &page.outstanding {
                    prop_assert!(o.cents.abs() <= MAX_CENTS, "{} cents", o.cents);
                    let expected = due / rate;
                    prop_assert!((o.cents as f64 - expected).abs() <= 0.5 + expected.abs() * 1e-12, "{} cents for {expected}", o.cents);
                }
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    /// Many invoices near the limit: the summary's totals are the exact sums, or it is refused
    /// with a sentence (never a wrapped or saturated figure).
    #[test]
    fn summaries_of_extreme_invoices_add_up_or_are_refused(
        invoices in proptest::collection::vec((amount(), currency_rate(), any::<i64>(), 0usize..4), 1..40),
        copies in 1usize..2000,
        today in any_date(),
    ) {
        // Each invoice on a page of its own, so that one refused invoice leaves the others.
        let read: Vec<_> = invoices
            .iter()
            .filter_map(|(a, r, due, c)| parse_invoice_page(json!({ "Invoices": [invoice(a, r, *due, *c)] }).to_string().as_bytes()).ok())
            .flat_map(|page| page.outstanding)
            .collect();
        // Repeating them reaches sums past i64, as 50 pages of large invoices would.
        let outstanding: Vec<_> = read.iter().cycle().take(read.len() * copies).cloned().collect();
        for (kind, side) in [(ReportKind::AgedReceivables, Side::Receivable), (ReportKind::AgedPayables, Side::Payable)] {
            let exact: i128 = outstanding.iter().filter(|o| o.side == side).map(|o| i128::from(o.cents)).sum();
            match aged_summary(kind, &outstanding, today, "Org", UnixMillis(0)) {
                Ok(report) => {
                    let total = report.amounts_of("Total").expect("a Total row");
                    prop_assert_eq!(total.last().copied().flatten().map(i128::from), Some(exact));
                }
                Err(e) => prop_assert!(e.to_string().contains("too large to add up"), "{}", e),
            }
        }
    }

    /// Report cells with extreme amounts and dates: read (amounts within range) or refused.
    #[test]
    fn reports_with_extreme_amounts_are_read(amounts in proptest::collection::vec(amount(), 1..12), updated in any::<i64>()) {
        let cells: Vec<Value> = std::iter::once(json!({ "Value": "Sales" })).chain(amounts.iter().map(|a| json!({ "Value": a }))).collect();
        let body = json!({ "Status": "OK", "Reports": [{
            "ReportID": "ProfitAndLoss",
            "UpdatedDateUTC": ms_text(updated),
            "Rows": [{ "RowType": "Section", "Title": "Income", "Rows": [{ "RowType": "Row", "Cells": cells }] }],
        }]});
        let report = parse_report(body.to_string().as_bytes()).expect("a report whatever its numbers");
        let Some(ReportRow::Section { rows, .. }) = report.rows.first() else { panic!("a section") };
        for cell in rows[0].cells() {
            prop_assert!(cell.cents.is_none_or(|c| c.abs() < MAX_CENTS), "{:?}", cell);
        }
    }

    /// Amounts as text: exact cents up to fifteen digits of units, nothing past them.
    #[test]
    fn amounts_are_exact_or_not_amounts(whole in "[0-9]{1,22}", fraction in "[0-9]{0,4}", negative in any::<bool>()) {
        let text = format!("{}{whole}.{fraction}", if negative { "-" } else { "" });
        let digits = |s: &str, n: usize| s.bytes().take(n).fold(0i128, |a, b| a * 10 + i128::from(b - b'0'));
        let cents = digits(&whole, 22) * 100 + digits(&format!("{fraction:0<2}"), 2) + i128::from(fraction.as_bytes().get(2).is_some_and(|d| *d >= b'5'));
        let expected = if negative { -cents } else { cents };
        match parse_amount(&text) {
            Some(c) => prop_assert_eq!(i128::from(c), expected),
            None => prop_assert!(whole.len() > 15),
        }
    }

    /// `/Date(ms)/` for any i64, and ageing against any date: no panic.
    #[test]
    fn dates_far_from_now_are_read_and_aged(ms in any::<i64>(), due in any_date(), today in any_date()) {
        prop_assert_eq!(ms_date(&ms_text(ms)), (ms != i64::MIN).then_some(UnixMillis(ms)));
        prop_assert!(age_column(Some(due), today) <= 5);
    }

    /// A token lifetime of any u64 seconds: the access token expires within a day of now.
    #[test]
    fn token_lifetimes_are_clamped(expires_in in prop_oneof![Just(u64::MAX), Just(0u64), any::<u64>()], now in any::<i64>()) {
        let at = crate::xero::sign_in::expires_at(UnixMillis(now), std::time::Duration::from_secs(expires_in));
        prop_assert!(at.0 >= now && i128::from(at.0) - i128::from(now) <= 86_400_000);
        let response: oauth2::basic::BasicTokenResponse = serde_json::from_value(json!({
            "access_token": "a", "token_type": "Bearer", "refresh_token": "r", "expires_in": expires_in,
        })).unwrap();
        let before = UnixMillis::now().0;
        let grant = crate::xero::sign_in::grant(&response).unwrap();
        prop_assert!(grant.access_expires_at.0 >= before && grant.access_expires_at.0 <= UnixMillis::now().0 + 86_400_000);
    }

    /// Retry-After of any size: at most a day.
    #[test]
    fn retry_after_is_bounded(header in prop_oneof![any::<u64>().prop_map(|s| s.to_string()), "[0-9]{1,40}", ".{0,12}"]) {
        if let Some(wait) = crate::xero::api::retry_after(&header) {
            prop_assert!(wait.as_secs() <= 86_400);
        }
    }
}
