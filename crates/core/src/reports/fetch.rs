//! Fetching a client's key reports from Xero into the cache, through the same token vault, rate
//! limiter and API client as a sync. Each report is stored on its own as it arrives; a report
//! that fails (unreachable, refused, unreadable) keeps its cached copy and records why. The aged
//! summaries come from one paged read of the outstanding invoices (see `aged.rs`).

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use super::aged::{MAX_PAGES, Outstanding, PAGE_SIZE, Side, aged_summary, parse_invoice_page};
use super::model::{AllReportsRefresh, ClientReportFailure, ReportFailure, ReportKind, ReportsRefresh};
use super::parse::parse_report;
use crate::cache::TokenSetId;
use crate::error::{Error, Result};
use crate::model::FileId;
use crate::secret::Secret;
use crate::xero::api::CallError;
use crate::xero::body_cap::BodyCap;
use crate::xero::config::CONNECT_SCOPES;
use crate::xero::context::{Cancel, XeroContext};
use crate::xero::sync::{ConnectSummary, SyncProgress};
use crate::xero::token_vault::lock;

/// What the reports need to know about the organisation (from `GET Organisation`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ReportOrganisation {
    name: Option<String>,
    base_currency: Option<String>,
    financial_year_end_day: Option<u32>,
    financial_year_end_month: Option<u32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct OrganisationResponse {
    organisations: Vec<ReportOrganisation>,
}

/// The first day of the financial year containing `today`, for a year ending on `end_day` of
/// `end_month` (Xero's `FinancialYearEndDay/Month`; 30 June in Australia, 31 March in NZ).
pub fn financial_year_start(today: NaiveDate, end_month: u32, end_day: u32) -> NaiveDate {
    let end_in = |year: i32| {
        let month = end_month.clamp(1, 12);
        (1..=end_day.clamp(1, 31))
            .rev()
            .find_map(|d| NaiveDate::from_ymd_opt(year, month, d))
            .expect("every month has a first day")
    };
    let start = end_in(today.year()).succ_opt().expect("not the last day ever");
    if start <= today { start } else { end_in(today.year() - 1).succ_opt().expect("a day after a real date") }
}

fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).expect("every month has a first day")
}

fn month_end(d: NaiveDate) -> NaiveDate {
    let next = d.checked_add_months(chrono::Months::new(1)).expect("a date far from the end of time");
    month_start(next).pred_opt().expect("a day before a real date")
}

/// The Accounting API path (with query) that fetches `kind` as of `today`; `None` for the aged
/// summaries, which are built from the outstanding invoices.
pub fn report_path(kind: ReportKind, today: NaiveDate, year_start: NaiveDate) -> Option<String> {
    let base = "api.xro/2.0/Reports";
    Some(match kind {
        ReportKind::ProfitAndLossMonths => format!(
            "{base}/ProfitAndLoss?fromDate={}&toDate={}&periods=11&timeframe=MONTH",
            month_start(today),
            month_end(today)
        ),
        ReportKind::ProfitAndLossYearToDate => format!("{base}/ProfitAndLoss?fromDate={year_start}&toDate={today}"),
        ReportKind::BalanceSheet => format!("{base}/BalanceSheet?date={today}"),
        ReportKind::BankSummary => format!("{base}/BankSummary?fromDate={}&toDate={today}", month_start(today)),
        ReportKind::AgedReceivables | ReportKind::AgedPayables => return None,
    })
}

/// The path of one page of the invoices still awaiting payment.
pub fn outstanding_invoices_path(page: usize) -> String {
    format!("api.xro/2.0/Invoices?Statuses=AUTHORISED&summaryOnly=true&page={page}&pageSize={PAGE_SIZE}")
}

/// Why one report could not be refreshed, as a person reads it.
fn failure_reason(error: &CallError) -> String {
    match error {
        CallError::Status { status: 401, .. } if error.scope_missing() => {
            "Xero says this connection is not allowed to read this report; use Allow reports.".to_owned()
        }
        other => other.reason(),
    }
}

impl XeroContext {
    /// Fetches every report the file's Xero connection may read, as of `today` (the caller's
    /// local date), storing each one that arrives and reads as a report.
    pub async fn refresh_reports(&self, file: FileId, today: NaiveDate) -> Result<ReportsRefresh> {
        let (name, tenant, token_set) = {
            let cache = lock(&self.cache);
            let f = cache.file(file)?;
            let token_set = cache.token_set_of(file)?;
            match (f.xero, token_set) {
                (Some(ids), Some(set)) => (f.display_name, ids.tenant_id, set),
                _ => {
                    return Err(Error::InvalidInput(format!(
                        "{} is not connected to Xero, so its reports cannot be refreshed; the cached reports are still shown.",
                        f.display_name
                    )));
                }
            }
        };
        let (allowed, not_allowed): (Vec<ReportKind>, Vec<ReportKind>) =
            ReportKind::ALL.into_iter().partition(|k| k.allowed_by(&token_set.scopes));
        let mut refresh = ReportsRefresh { not_allowed, ..ReportsRefresh::default() };
        if allowed.is_empty() {
            return Ok(refresh);
        }
        let fail_all = |refresh: &mut ReportsRefresh, reason: &str| -> Result<()> {
            let mut cache = lock(&self.cache);
            for kind in &allowed {
                cache.record_report_failure(file, *kind, reason)?;
                refresh.failed.push(ReportFailure { kind: *kind, reason: reason.to_owned() });
            }
            Ok(())
        };

        let mut access = match self.access_token(token_set.id, None).await {
            Ok(access) => access,
            Err(Error::NeedsReconnect(reason)) => return Err(Error::NeedsReconnect(reason)),
            Err(e) => {
                fail_all(&mut refresh, &e.to_string())?;
                return Ok(refresh);
            }
        };
        let organisation = "api.xro/2.0/Organisation";
        let mut answer = self.api.get_path(&access, &tenant, organisation, BodyCap::ORGANISATION).await;
        if answer.as_ref().is_err_and(CallError::token_rejected) {
            access = self.access_token(token_set.id, Some(&access)).await?;
            answer = self.api.get_path(&access, &tenant, organisation, BodyCap::ORGANISATION).await;
        }
        let org = match answer.map(|body| serde_json::from_slice::<OrganisationResponse>(&body)) {
            Ok(Ok(response)) => response.organisations.into_iter().next(),
            Ok(Err(_)) => None,
            Err(e) if e.tenant_unreachable() => {
                fail_all(&mut refresh, &format!("Xero no longer lets this sign-in reach {name}."))?;
                return Ok(refresh);
            }
            Err(e) => {
                fail_all(&mut refresh, &e.reason())?;
                return Ok(refresh);
            }
        };
        let Some(org) = org else {
            fail_all(&mut refresh, "Xero's answer about the organisation could not be read.")?;
            return Ok(refresh);
        };
        let year_start = financial_year_start(
            today,
            org.financial_year_end_month.unwrap_or(12),
            org.financial_year_end_day.unwrap_or(31),
        );

        let statements = allowed.iter().filter_map(|kind| Some((*kind, report_path(*kind, today, year_start)?))).map(
            |(kind, path)| {
                let (access, tenant) = (&access, &tenant);
                async move {
                    let outcome = match self.api.get_path(access, tenant, &path, BodyCap::REPORT).await {
                        Ok(body) => parse_report(&body).map_err(|e| {
                            format!("Xero's answer could not be read as a report: {e}. The cached copy is kept.")
                        }),
                        Err(e) => Err(failure_reason(&e)),
                    };
                    (kind, outcome)
                }
            },
        );
        let aged_kinds: Vec<ReportKind> = allowed.iter().copied().filter(|k| Side::of(*k).is_some()).collect();
        let invoices = async {
            if aged_kinds.is_empty() { Ok(Vec::new()) } else { self.outstanding_invoices(&access, &tenant).await }
        };
        let (mut outcomes, invoices) = futures::future::join(futures::future::join_all(statements), invoices).await;
        let organisation_name = org.name.as_deref().unwrap_or(&name);
        let now = crate::model::UnixMillis::now();
        outcomes.extend(aged_kinds.iter().map(|kind| {
            let summary = invoices.as_ref().map_err(Clone::clone).and_then(|list| {
                aged_summary(*kind, list, today, organisation_name, now).map_err(|e| {
                    format!("Xero's outstanding invoices could not be summarised: {e}. The cached copy is kept.")
                })
            });
            (*kind, summary)
        }));
        for (kind, outcome) in outcomes {
            let mut cache = lock(&self.cache);
            match outcome {
                Ok(report) => {
                    cache.store_report(file, kind, &report, org.base_currency.as_deref())?;
                    refresh.fetched += 1;
                }
                Err(reason) => {
                    cache.record_report_failure(file, kind, &reason)?;
                    refresh.failed.push(ReportFailure { kind, reason });
                }
            }
        }
        Ok(refresh)
    }

    /// Every invoice and bill the organisation has awaiting payment, page after page.
    async fn outstanding_invoices(
        &self,
        access: &Secret,
        tenant: &str,
    ) -> std::result::Result<Vec<Outstanding>, String> {
        let mut all = Vec::new();
        for page in 1..=MAX_PAGES {
            let body = self
                .api
                .get_path(access, tenant, &outstanding_invoices_path(page), BodyCap::REPORT)
                .await
                .map_err(|e| failure_reason(&e))?;
            let page = parse_invoice_page(&body).map_err(|e| {
                format!("Xero's list of outstanding invoices could not be read: {e}. The cached copy is kept.")
            })?;
            all.extend(page.outstanding);
            if page.received < PAGE_SIZE {
                return Ok(all);
            }
        }
        Err(format!(
            "This organisation has more than {} invoices awaiting payment; Switchboard stops there rather than show a partial summary.",
            MAX_PAGES * PAGE_SIZE
        ))
    }

    /// Refreshes the reports of every connected client whose connection may read them, all at
    /// once under the rate limiter (as "Refresh all from Xero" does for users). One client failing
    /// never stops the others.
    pub async fn refresh_all_reports(&self, today: NaiveDate) -> Result<AllReportsRefresh> {
        let clients: Vec<FileId> = {
            let cache = lock(&self.cache);
            // Whether each sign-in may read any report, looked up once per sign-in.
            let mut may_read: HashMap<TokenSetId, bool> = HashMap::new();
            let mut clients = Vec::new();
            for target in cache.sync_targets()?.into_iter().filter(|t| t.connected) {
                let allowed = match may_read.get(&target.token_set) {
                    Some(allowed) => *allowed,
                    None => {
                        let scopes = cache.token_set(target.token_set)?.scopes;
                        let allowed = ReportKind::ALL.iter().any(|k| k.allowed_by(&scopes));
                        may_read.insert(target.token_set, allowed);
                        allowed
                    }
                };
                if allowed {
                    clients.push(target.file);
                }
            }
            clients
        };
        let outcomes = futures::future::join_all(clients.iter().map(|file| self.refresh_reports(*file, today))).await;
        let mut all = AllReportsRefresh::default();
        for (file, outcome) in clients.into_iter().zip(outcomes) {
            all.clients += 1;
            let reason = match outcome {
                Ok(refresh) => {
                    all.fetched += refresh.fetched;
                    refresh.failed.into_iter().next().map(|f| f.reason)
                }
                Err(e) => Some(e.to_string()),
            };
            if let Some(reason) = reason {
                let display_name = lock(&self.cache).file(file)?.display_name;
                all.failed.push(ClientReportFailure { file, display_name, reason });
            }
        }
        all.failed.sort_by_cached_key(|f| f.display_name.to_lowercase());
        Ok(all)
    }

    /// [`Self::refresh_all_reports`] as of this computer's local date.
    pub async fn refresh_all_reports_today(&self) -> Result<AllReportsRefresh> {
        self.refresh_all_reports(chrono::Local::now().date_naive()).await
    }

    /// [`Self::refresh_reports`] as of this computer's local date.
    pub async fn refresh_reports_today(&self, file: FileId) -> Result<ReportsRefresh> {
        self.refresh_reports(file, chrono::Local::now().date_naive()).await
    }

    /// "Allow reports": the same sign-in as Connect, asking Xero for the report scopes as well.
    /// Only ever run because a person chose it.
    pub async fn allow_reports_in_browser(
        &self,
        cancel: &Cancel,
        progress: impl Fn(SyncProgress) + Send + Sync,
    ) -> Result<ConnectSummary> {
        let scopes: Vec<&str> = CONNECT_SCOPES.iter().chain(super::model::REPORT_SCOPES).copied().collect();
        let summary = self.connect_in_browser_with_scopes(&scopes, cancel, progress).await?;
        let granted = format!(
            "report scopes ({}) granted for {} organisation(s)",
            super::model::REPORT_SCOPES.join(" "),
            summary.connected
        );
        lock(&self.cache).record_practice_change("allow_reports", None, Some(&granted))?;
        Ok(summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn financial_years_start_the_day_after_they_end() {
        assert_eq!(financial_year_start(d("2026-11-25"), 6, 30), d("2026-07-01"));
        assert_eq!(financial_year_start(d("2026-03-01"), 6, 30), d("2025-07-01"));
        assert_eq!(financial_year_start(d("2026-11-25"), 3, 31), d("2026-04-01"));
        assert_eq!(financial_year_start(d("2026-11-25"), 12, 31), d("2026-01-01"));
        assert_eq!(financial_year_start(d("2026-01-01"), 12, 31), d("2026-01-01"));
        assert_eq!(financial_year_start(d("2026-12-31"), 12, 31), d("2026-01-01"));
        // A year ending 29 February in a year without one ends on the 28th.
        assert_eq!(financial_year_start(d("2027-03-05"), 2, 29), d("2027-03-01"));
    }

    #[test]
    fn report_requests_name_the_periods() {
        let today = d("2026-11-25");
        let start = d("2026-07-01");
        let path = |kind| report_path(kind, today, start);
        assert_eq!(
            path(ReportKind::ProfitAndLossMonths).as_deref(),
            Some("api.xro/2.0/Reports/ProfitAndLoss?fromDate=2026-11-01&toDate=2026-11-30&periods=11&timeframe=MONTH")
        );
        assert_eq!(
            path(ReportKind::ProfitAndLossYearToDate).as_deref(),
            Some("api.xro/2.0/Reports/ProfitAndLoss?fromDate=2026-07-01&toDate=2026-11-25")
        );
        assert_eq!(path(ReportKind::BalanceSheet).as_deref(), Some("api.xro/2.0/Reports/BalanceSheet?date=2026-11-25"));
        assert_eq!(
            path(ReportKind::BankSummary).as_deref(),
            Some("api.xro/2.0/Reports/BankSummary?fromDate=2026-11-01&toDate=2026-11-25")
        );
        assert_eq!(path(ReportKind::AgedReceivables), None, "built from the invoices");
        assert_eq!(
            outstanding_invoices_path(2),
            "api.xro/2.0/Invoices?Statuses=AUTHORISED&summaryOnly=true&page=2&pageSize=1000"
        );
    }
}
