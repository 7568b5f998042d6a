//! What a client pack holds, read from the cache alone: the client's key figures from the cached
//! reports (each with when it was fetched) and what the client can act on, as the file's console
//! settings allow.

use chrono::NaiveDate;
use url::Url;

use crate::browser::link_allowlist::xero_dashboard_url;
use crate::cache::Cache;
use crate::error::{Error, Result};
use crate::model::{ConnectionState, FileId, ServiceState, UnixMillis};
use crate::reports::model::{CachedReport, ReportAccess, ReportKind};
use crate::reports::{client_reports, receivables_over_90_days, totals};
use crate::settings::console::ConsoleSettings;

/// One client's pack, before it is addressed to a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientPack {
    pub file: FileId,
    pub practice_name: String,
    pub client_name: String,
    pub made_on: NaiveDate,
    /// `None` when the settings leave the key reports out.
    pub key_figures: Option<Vec<KeyFigure>>,
    /// `None` when the settings leave them out; empty when there is nothing to act on.
    pub action_items: Option<Vec<ActionItem>>,
}

/// One of the client's key figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyFigure {
    pub label: &'static str,
    /// `None` when the report was never fetched or does not have the figure.
    pub amount: Option<Amount>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amount {
    pub cents: i64,
    pub currency: Option<String>,
    pub fetched_at: UnixMillis,
}

/// Something the client can do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionItem {
    pub title: String,
    pub detail: String,
    /// A Xero page, always one the link allowlist accepts.
    pub link: Option<Url>,
}

/// The pack of `file` as `settings` shape it. A console that is off has no pack.
pub fn build_pack(
    cache: &Cache,
    file: FileId,
    settings: &ConsoleSettings,
    practice_name: &str,
    today: NaiveDate,
) -> Result<ClientPack> {
    settings.validate()?;
    let reports = client_reports(cache, file)?;
    if !settings.enabled {
        return Err(Error::InvalidInput(format!(
            "The Client Console of {} is off, so no pack goes to its people. Switch it on to send one.",
            reports.display_name
        )));
    }
    let key_figures = settings.key_reports.then(|| key_figures(&reports.reports));
    let action_items = if settings.action_items { Some(action_items(cache, file, &reports.access)?) } else { None };
    Ok(ClientPack {
        file,
        practice_name: practice_name.to_owned(),
        client_name: reports.display_name,
        made_on: today,
        key_figures,
        action_items,
    })
}

/// This month's profit or loss, net assets, receivables over 90 days and cash, in that order.
fn key_figures(reports: &[CachedReport]) -> Vec<KeyFigure> {
    let figure = |label, kind: ReportKind, read: fn(&crate::reports::model::Report) -> Option<i64>| {
        let cached = reports.iter().find(|r| r.kind == kind);
        let amount = cached.and_then(|c| {
            let cents = read(c.report.as_ref()?)?;
            Some(Amount { cents, currency: c.currency.clone(), fetched_at: c.fetched_at? })
        });
        KeyFigure { label, amount }
    };
    vec![
        figure("Profit or loss this month", ReportKind::ProfitAndLossMonths, |r| {
            totals::bottom_line(r)?.first().copied().flatten()
        }),
        figure("Net assets", ReportKind::BalanceSheet, |r| totals::bottom_line(r)?.first().copied().flatten()),
        figure("Owed to you for more than 90 days", ReportKind::AgedReceivables, receivables_over_90_days),
        figure("Cash in the bank", ReportKind::BankSummary, |r| {
            let column = r.column("Closing Balance")?;
            totals::grand_total(r)?.get(column).copied().flatten()
        }),
    ]
}

fn action_items(cache: &Cache, file: FileId, access: &ReportAccess) -> Result<Vec<ActionItem>> {
    let f = cache.file(file)?;
    // Only a link the allowlist accepts; a short code that does not look right gives none.
    let dashboard = f.xero.as_ref().and_then(|x| x.short_code.as_deref()).and_then(|c| xero_dashboard_url(c).ok());
    let mut items = Vec::new();
    if let ConnectionState::NeedsReconnect { .. } | ConnectionState::Disconnected { .. } = f.connection {
        items.push(ActionItem {
            title: "Xero asks to be reconnected".to_owned(),
            detail: "Your accountant's connection to your organisation in Xero has lapsed. Sign in to Xero \
                     and approve the connection again when your accountant asks, so your figures stay current."
                .to_owned(),
            link: dashboard.clone(),
        });
    }
    if let ServiceState::Unavailable { reason } = &f.payroll {
        items.push(ActionItem {
            title: "Payroll is not reachable".to_owned(),
            detail: format!("Your accountant cannot reach your payroll in Xero: {}.", reason.explanation()),
            link: None,
        });
    }
    if let ReportAccess::NotGranted { .. } = access {
        items.push(ActionItem {
            title: "Reports are not allowed yet".to_owned(),
            detail: "Your accountant cannot read your reports in Xero yet. When they ask, sign in to Xero \
                     and allow access to reports."
                .to_owned(),
            link: dashboard,
        });
    }
    Ok(items)
}
