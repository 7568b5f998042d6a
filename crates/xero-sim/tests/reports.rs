//! Reports: figures that agree with each other per organisation, Xero's report shape over real
//! HTTP, and the granular report scopes.

mod common;

use chrono::{Datelike, NaiveDate};
use common::*;
use reqwest::StatusCode;
use serde_json::Value;
use xero_sim::invoices::Invoice;
use xero_sim::reports::{Aged, AgedLine, Figures, amount, month_end};
use xero_sim::{AutoConsent, Country, SimConfig, SimHandle, Simulator, generate};

const NOW: i64 = 1_764_000_000_000; // 2025-11-24
const CONNECT: &str = "openid profile email offline_access accounting.settings.read";
const GRANULAR: &str = "accounting.reports.profitandloss.read accounting.reports.balancesheet.read \
                        accounting.reports.aged.read accounting.reports.banksummary.read accounting.invoices.read";

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn figures_agree_across_reports_for_every_organisation() {
    let data = generate(7, 40, 1);
    for org in &data.orgs {
        let f = Figures::new(org);
        for day in ["2025-11-24", "2026-02-28", "2026-07-01"] {
            let d = date(day);
            let sheet = f.balance_sheet(d);
            assert_eq!(sheet.net_assets(), sheet.total_equity(), "{} balances on {day}", org.name);
            let bank = f.bank_summary(NaiveDate::from_ymd_opt(d.year(), d.month(), 1).unwrap(), d);
            let closing: Vec<i64> = bank.iter().map(|l| l.closing).collect();
            assert_eq!(closing, sheet.bank.iter().map(|l| l.cents).collect::<Vec<_>>(), "bank rows = closing balances");
            for l in &bank {
                assert_eq!(l.opening + l.received - l.spent, l.closing, "{} moves add up", l.name);
            }
            let receivable: i64 = f.aged(Aged::Receivables, d).iter().map(AgedLine::total).sum();
            assert_eq!(sheet.current_assets[0].cents, receivable, "Accounts Receivable = aged total");
            let payable: i64 = f.aged(Aged::Payables, d).iter().map(AgedLine::total).sum();
            assert_eq!(sheet.current_liabilities[0].cents, payable, "Accounts Payable = aged total");
            // Year to date is the sum of the months since the financial year started.
            let start = f.financial_year_start(d);
            let mut months = 0;
            let mut m = start;
            while m <= d {
                months += f.month(m.year(), m.month()).net_profit();
                m = month_end(m).succ_opt().unwrap();
            }
            assert_eq!(f.profit_and_loss(start, d).net_profit(), months);
            let earnings = sheet.equity.iter().find(|l| l.name == "Current Year Earnings").unwrap().cents;
            assert_eq!(earnings, months, "Current Year Earnings = year-to-date net profit");
        }
    }
}

#[test]
fn the_financial_year_follows_the_organisation() {
    let data = generate(7, 60, 1);
    let d = date("2025-11-24");
    for org in &data.orgs {
        let start = Figures::new(org).financial_year_start(d);
        let expected_month = org.financial_year_end_month % 12 + 1;
        assert_eq!(
            start.month(),
            expected_month,
            "{:?} year ends in month {}",
            org.country,
            org.financial_year_end_month
        );
        assert_eq!(start.day(), 1);
        assert!(start <= d && (d - start).num_days() < 366);
        match org.country {
            Country::AU => assert_eq!(start, date("2025-07-01")),
            Country::US => assert_eq!(start, date("2025-01-01")),
            Country::NZ => assert_eq!(start, date("2025-04-01")),
            Country::UK => {}
        }
    }
}

#[test]
fn amounts_are_written_as_xero_writes_them() {
    assert_eq!(amount(123_450), "1234.50");
    assert_eq!(amount(-7), "-0.07");
    assert_eq!(amount(0), "0.00");
    // Some months make a loss somewhere in the practice: negatives are served.
    let data = generate(7, 40, 1);
    let any_loss = data.orgs.iter().any(|o| (1..=12).any(|m| Figures::new(o).month(2025, m).net_profit() < 0));
    assert!(any_loss, "some organisation has a loss-making month");
}

async fn sim() -> SimHandle {
    Simulator::start(SimConfig::default().orgs(6).seed(3).frozen_clock(NOW).auto_consent(AutoConsent::all()))
        .await
        .expect("simulator starts")
}

async fn report(sim: &SimHandle, access: &str, tenant: &str, path: &str) -> (StatusCode, Value) {
    let resp = get_api(sim, &format!("/api.xro/2.0/Reports/{path}"), access, Some(tenant), true).await;
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// Every row of a report, sections flattened, as (RowType, first cell, last cell).
fn rows(report: &Value) -> Vec<(String, String, String)> {
    fn walk(rows: &Value, out: &mut Vec<(String, String, String)>) {
        for r in rows.as_array().unwrap() {
            let kind = r["RowType"].as_str().unwrap().to_owned();
            if kind == "Section" {
                walk(&r["Rows"], out);
                continue;
            }
            let cells = r["Cells"].as_array().unwrap();
            let text = |c: &Value| c["Value"].as_str().unwrap().to_owned();
            out.push((kind, text(&cells[0]), text(cells.last().unwrap())));
        }
    }
    let mut out = Vec::new();
    walk(&report["Rows"], &mut out);
    out
}

fn find<'a>(rows: &'a [(String, String, String)], label: &str) -> &'a str {
    &rows.iter().find(|r| r.1 == label).unwrap_or_else(|| panic!("{label} in {rows:?}")).2
}

#[tokio::test]
async fn reports_are_served_in_xeros_shape_with_the_organisations_figures() {
    let sim = sim().await;
    let token = connect(&sim, &format!("{CONNECT} {GRANULAR}")).await;
    let access = s(&token, "access_token");
    let org = &sim.orgs()[1];
    let tenant = org.organisation_id.to_string();
    let figures = Figures::new(org);
    let today = date("2025-11-24");

    let (status, body) = report(
        &sim,
        &access,
        &tenant,
        "ProfitAndLoss?fromDate=2025-11-01&toDate=2025-11-30&periods=11&timeframe=MONTH",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["Status"], "OK");
    let r = &body["Reports"][0];
    assert_eq!(r["ReportID"], "ProfitAndLoss");
    assert_eq!(r["ReportTitles"][1], org.name.as_str());
    assert!(r["UpdatedDateUTC"].as_str().unwrap().starts_with("/Date("));
    let header = &r["Rows"][0];
    assert_eq!(header["RowType"], "Header");
    assert_eq!(header["Cells"].as_array().unwrap().len(), 13, "a label column and 12 months");
    assert_eq!(header["Cells"][1]["Value"], "30 Nov 25");
    assert_eq!(header["Cells"][2]["Value"], "31 Oct 25");
    let income = &r["Rows"][1];
    assert_eq!(income["RowType"], "Section");
    assert_eq!(income["Title"], "Income");
    let sales = &income["Rows"][0]["Cells"][0];
    assert_eq!(sales["Value"], "Sales");
    assert_eq!(sales["Attributes"][0]["Id"], "account");
    // The Net Profit row's cells, month by month, are the generator's.
    let net = r["Rows"].as_array().unwrap().last().unwrap()["Rows"][0]["Cells"].as_array().unwrap().clone();
    assert_eq!(net[0]["Value"], "Net Profit");
    assert_eq!(net[1]["Value"], amount(figures.month(2025, 11).net_profit()));
    assert_eq!(net[2]["Value"], amount(figures.month(2025, 10).net_profit()));
    assert_eq!(net[12]["Value"], amount(figures.month(2024, 12).net_profit()));

    let (_, body) = report(&sim, &access, &tenant, "BalanceSheet?date=2025-11-24").await;
    let bs = rows(&body["Reports"][0]);
    let sheet = figures.balance_sheet(today);
    assert_eq!(find(&bs, "Net Assets"), amount(sheet.net_assets()));
    assert_eq!(find(&bs, "Total Equity"), amount(sheet.total_equity()));
    assert_eq!(find(&bs, "Accounts Receivable"), find(&bs, "Total Current Assets"));

    // The outstanding invoices add up to the balance sheet's receivables.
    let outstanding = invoices(&sim, &access, &tenant, "Statuses=AUTHORISED&pageSize=1000").await;
    let receivable: i64 = outstanding.iter().filter(|i| i["Type"] == "ACCREC").map(|i| cents(&i["AmountDue"])).sum();
    assert_eq!(amount(receivable), find(&bs, "Accounts Receivable"), "outstanding invoices = balance sheet");

    // The aged report answers for one contact: that contact's line.
    let line = &figures.aged(Aged::Receivables, today)[0];
    let (_, body) = report(
        &sim,
        &access,
        &tenant,
        &format!("AgedReceivablesByContact?date=2025-11-24&contactId={}", line.contact_id),
    )
    .await;
    let aged = rows(&body["Reports"][0]);
    assert_eq!(aged[0].0, "Header");
    assert_eq!(aged[0].2, "Total");
    assert_eq!(find(&aged, &line.contact), amount(line.total()));

    let (_, body) = report(&sim, &access, &tenant, "BankSummary?fromDate=2025-11-01&toDate=2025-11-24").await;
    let bank = rows(&body["Reports"][0]);
    assert_eq!(find(&bank, "Total"), find(&bs, "Total Bank"), "closing balances = balance sheet bank");

    let supplier = figures.aged(Aged::Payables, today)[0].contact_id;
    let (status, _) = report(&sim, &access, &tenant, &format!("AgedPayablesByContact?contactId={supplier}")).await;
    assert_eq!(status, StatusCode::OK);

    // The control route gives the same figures to a test in another process.
    let figures_url = format!("{}/_sim/orgs/{tenant}/report-figures?date=2025-11-24", sim.base_url());
    let key: Value = http().get(figures_url).send().await.unwrap().json().await.unwrap();
    assert_eq!(key["net_profit_this_month"], amount(figures.month(2025, 11).net_profit()));
    assert_eq!(key["net_assets"], find(&bs, "Net Assets"));
    assert_eq!(key["currency"], org.country.currency());
}

#[tokio::test]
async fn each_report_needs_its_granular_scope_or_the_broad_one() {
    let sim = sim().await;
    let tenant = sim.orgs()[0].organisation_id.to_string();

    let settings_only = s(&connect(&sim, CONNECT).await, "access_token");
    let (status, body) = report(&sim, &settings_only, &tenant, "ProfitAndLoss").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["Detail"], "AuthorizationUnsuccessful");

    let pl_only = s(&connect(&sim, &format!("{CONNECT} accounting.reports.profitandloss.read")).await, "access_token");
    assert_eq!(report(&sim, &pl_only, &tenant, "ProfitAndLoss").await.0, StatusCode::OK);
    let contact = Figures::new(&sim.orgs()[0]).aged(Aged::Receivables, date("2025-11-24"))[0].contact_id;
    let aged = format!("AgedReceivablesByContact?contactId={contact}");
    for other in ["BalanceSheet", "BankSummary", aged.as_str()] {
        assert_eq!(report(&sim, &pl_only, &tenant, other).await.0, StatusCode::UNAUTHORIZED, "{other}");
    }
    assert_eq!(
        invoices_status(&sim, &pl_only, &tenant).await,
        StatusCode::UNAUTHORIZED,
        "a report scope does not read invoices"
    );

    let broad = s(&connect(&sim, &format!("{CONNECT} accounting.reports.read")).await, "access_token");
    for any in ["ProfitAndLoss", "BalanceSheet", "BankSummary", aged.as_str()] {
        assert_eq!(report(&sim, &broad, &tenant, any).await.0, StatusCode::OK, "{any}");
    }

    for invoice_scope in ["accounting.invoices.read", "accounting.transactions.read"] {
        let token = s(&connect(&sim, &format!("{CONNECT} {invoice_scope}")).await, "access_token");
        assert_eq!(invoices_status(&sim, &token, &tenant).await, StatusCode::OK, "{invoice_scope}");
    }
}

async fn invoices_status(sim: &SimHandle, access: &str, tenant: &str) -> StatusCode {
    get_api(sim, "/api.xro/2.0/Invoices", access, Some(tenant), true).await.status()
}

/// Every invoice the query's pages hold, page after page.
async fn invoices(sim: &SimHandle, access: &str, tenant: &str, query: &str) -> Vec<Value> {
    let mut all = Vec::new();
    for page in 1.. {
        let resp =
            get_api(sim, &format!("/api.xro/2.0/Invoices?{query}&page={page}"), access, Some(tenant), true).await;
        assert_eq!(resp.status(), StatusCode::OK);
        let body: Value = resp.json().await.unwrap();
        let list = body["Invoices"].as_array().unwrap().clone();
        if list.is_empty() {
            assert_eq!(body["pagination"]["pageCount"].as_u64().unwrap(), page - 1, "pages end where pageCount says");
            return all;
        }
        all.extend(list);
    }
    unreachable!()
}

/// `1234.5` (a JSON number) → 123450.
fn cents(v: &Value) -> i64 {
    (v.as_f64().unwrap() * 100.0).round() as i64
}

/// The age column (0 Current … 5 Older) of a due date as of `date`, by calendar months.
fn column_of(due: NaiveDate, date: NaiveDate) -> usize {
    if due >= date {
        return 0;
    }
    (1..=4).find(|&k| due > date.checked_sub_months(chrono::Months::new(k)).unwrap()).map_or(5, |k| k as usize)
}

#[test]
fn outstanding_invoices_aged_by_due_date_are_the_aged_lines() {
    let data = generate(7, 40, 1);
    for org in &data.orgs {
        let f = Figures::new(org);
        for day in ["2025-11-24", "2026-03-31", "2026-05-31", "2028-02-29"] {
            let d = date(day);
            let all: Vec<Invoice> = f.invoices(d);
            for which in [Aged::Receivables, Aged::Payables] {
                for line in f.aged(which, d) {
                    let mut buckets = [0i64; 6];
                    for i in all
                        .iter()
                        .filter(|i| i.kind == which && i.contact_id == line.contact_id && i.status == "AUTHORISED")
                    {
                        buckets[column_of(i.due, d)] += i.amount_due;
                    }
                    assert_eq!(buckets, line.buckets, "{} {:?} {} on {day}", org.name, which, line.contact);
                }
            }
            assert!(all.iter().any(|i| i.status == "PAID") && all.iter().any(|i| i.status == "DRAFT"));
            assert!(all.iter().filter(|i| i.status != "AUTHORISED").all(|i| i.amount_due == 0));
        }
    }
}

#[tokio::test]
async fn invoices_are_paged_and_filtered_by_status() {
    let sim = sim().await;
    let access = s(&connect(&sim, &format!("{CONNECT} accounting.invoices.read")).await, "access_token");
    let org = &sim.orgs()[2];
    let tenant = org.organisation_id.to_string();
    let everything = Figures::new(org).invoices(date("2025-11-24"));

    let small_pages = invoices(&sim, &access, &tenant, "pageSize=7").await;
    assert_eq!(small_pages.len(), everything.len(), "every invoice once across the pages");
    let ids: std::collections::HashSet<&str> = small_pages.iter().map(|i| i["InvoiceID"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), everything.len(), "no invoice on two pages");

    let outstanding = invoices(&sim, &access, &tenant, "Statuses=AUTHORISED&summaryOnly=true").await;
    assert_eq!(outstanding.len(), everything.iter().filter(|i| i.status == "AUTHORISED").count());
    let first = &outstanding[0];
    assert_eq!(first["Status"], "AUTHORISED");
    assert!(first["DueDate"].as_str().unwrap().starts_with("/Date("));
    assert_eq!(first["CurrencyCode"], org.country.currency());
    assert!(first["Contact"]["ContactID"].is_string() && first["Contact"]["Name"].is_string());

    let resp = get_api(&sim, "/api.xro/2.0/Invoices?pageSize=5000", &access, Some(&tenant), true).await;
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["pagination"]["pageSize"], 1000, "Xero pages at most 1,000 invoices");
    let resp = get_api(&sim, "/api.xro/2.0/Invoices?page=0", &access, Some(&tenant), true).await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn bad_report_parameters_get_xeros_validation_error() {
    let sim = sim().await;
    let access = s(&connect(&sim, &format!("{CONNECT} {GRANULAR}")).await, "access_token");
    let tenant = sim.orgs()[0].organisation_id.to_string();
    for bad in [
        "ProfitAndLoss?fromDate=2025-13-01",
        "ProfitAndLoss?fromDate=2025-11-30&toDate=2025-11-01",
        "ProfitAndLoss?periods=40",
        "ProfitAndLoss?timeframe=WEEK",
        "BalanceSheet?date=yesterday",
        "AgedReceivablesByContact?contactId=nobody",
        "AgedReceivablesByContact?date=2025-11-24",
    ] {
        let (status, body) = report(&sim, &access, &tenant, bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(body["Type"], "ValidationException", "{bad}");
    }
}
