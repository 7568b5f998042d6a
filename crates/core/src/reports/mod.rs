//! Client reports: each connected client's key Xero reports, fetched with the granular
//! report scopes (asked for only when a person chooses "Allow reports"), cached in SQLite with the
//! time they were fetched, readable offline, and a practice-wide insight strip built from them.

pub mod aged;
pub mod csv;
pub mod fetch;
pub mod model;
pub mod open;
pub mod parse;
mod session;
pub mod totals;

use crate::cache::Cache;
use crate::error::Result;
use crate::model::FileId;
use model::{ClientReports, InsightKind, Report, ReportAccess, ReportInsight, ReportKind};

/// What the client's Reports page shows, from the cache alone (works offline).
pub fn client_reports(cache: &Cache, file: FileId) -> Result<ClientReports> {
    let f = cache.file(file)?;
    let token_set = cache.token_set_of(file)?;
    let access = match (&f.xero, token_set) {
        (Some(_), Some(set)) => {
            let missing: Vec<ReportKind> = ReportKind::ALL.into_iter().filter(|k| !k.allowed_by(&set.scopes)).collect();
            if missing.is_empty() { ReportAccess::Granted } else { ReportAccess::NotGranted { missing } }
        }
        _ => ReportAccess::NotConnected,
    };
    Ok(ClientReports {
        file,
        can_open_in_xero: f.xero.as_ref().and_then(|x| x.short_code.as_deref()).is_some_and(|s| !s.is_empty()),
        display_name: f.display_name,
        access,
        reports: cache.cached_reports(file)?,
    })
}

/// Receivables outstanding for more than 90 days: the aged report's total in the "3 Months"
/// and "Older" columns.
pub fn receivables_over_90_days(report: &Report) -> Option<i64> {
    let totals = totals::grand_total(report)?;
    let column = |name: &str| report.column(name).and_then(|c| totals.get(c).copied().flatten());
    match (column("3 Months"), column("Older")) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
    }
}

/// The figure the insights compare between refreshes: receivables over 90 days for the aged
/// receivables, this month's net profit for the Profit and Loss by month.
pub fn key_figure(kind: ReportKind, report: &Report) -> Option<i64> {
    match kind {
        ReportKind::AgedReceivables => receivables_over_90_days(report),
        ReportKind::ProfitAndLossMonths => totals::bottom_line(report)?.first().copied().flatten(),
        _ => None,
    }
}

/// Practice-wide observations from the cached reports: clients whose receivables over 90 days
/// grew since the refresh before the last (largest growth first), and clients making a loss
/// this month (largest loss first).
pub fn insights(cache: &Cache) -> Result<Vec<ReportInsight>> {
    let insight = |f: &crate::cache::ReportFigures, kind, before: (i64, crate::model::UnixMillis)| ReportInsight {
        file: f.file,
        display_name: f.display_name.clone(),
        kind,
        currency: f.currency.clone(),
        before_cents: before.0,
        now_cents: f.now.0,
        before_at: before.1,
        now_at: f.now.1,
    };
    let mut grew: Vec<ReportInsight> = cache
        .report_figures(ReportKind::AgedReceivables)?
        .iter()
        .filter_map(|f| f.before.filter(|b| f.now.0 > b.0).map(|b| insight(f, InsightKind::ReceivablesOver90Grew, b)))
        .collect();
    grew.sort_by_key(|i| std::cmp::Reverse(i.now_cents.saturating_sub(i.before_cents)));
    let mut losses: Vec<ReportInsight> = cache
        .report_figures(ReportKind::ProfitAndLossMonths)?
        .iter()
        .filter(|f| f.now.0 < 0)
        .map(|f| insight(f, InsightKind::LossThisMonth, f.before.unwrap_or(f.now)))
        .collect();
    losses.sort_by_key(|i| i.now_cents);
    grew.extend(losses);
    Ok(grew)
}

/// The client file a person means by `query`: its id, its exact name (any case), or the one
/// file whose name contains it. Several matches or none give a message that says what to type.
pub fn find_client(cache: &Cache, query: &str) -> Result<crate::model::ClientFile> {
    use crate::error::Error;
    let query = query.trim();
    if query.is_empty() {
        return Err(Error::InvalidInput("Name the client (its name or id).".to_owned()));
    }
    let files = cache.list_files()?;
    if let Ok(id) = query.parse::<i64>()
        && let Some(f) = files.iter().find(|f| f.id.0 == id)
    {
        return Ok(f.clone());
    }
    let lower = query.to_lowercase();
    let exact: Vec<_> = files.iter().filter(|f| f.display_name.to_lowercase() == lower).collect();
    let candidates = if exact.is_empty() {
        files.iter().filter(|f| f.display_name.to_lowercase().contains(&lower)).collect()
    } else {
        exact
    };
    match candidates.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(Error::InvalidInput(format!(
            "No client is named \"{}\" or has it in its name; `switchboard list` shows every client.",
            crate::xero::printable(query, 80)
        ))),
        many => Err(Error::InvalidInput(format!(
            "\"{}\" matches {} clients: {}. Give the full name or the id.",
            crate::xero::printable(query, 80),
            many.len(),
            many.iter().take(8).map(|f| format!("{} (id {})", f.display_name, f.id.0)).collect::<Vec<_>>().join(", ")
        ))),
    }
}
