//! Client reports (issue 6): each connected client's key Xero reports, fetched with the granular
//! report scopes (asked for only when a person chooses "Allow reports"), cached in SQLite with the
//! time they were fetched, readable offline, and a practice-wide insight strip built from them.

pub mod csv;
pub mod fetch;
pub mod model;
pub mod open;
pub mod parse;

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
    let totals = report.amounts_of("Total")?;
    let column = |name: &str| report.column(name).and_then(|c| totals.get(c).copied().flatten());
    match (column("3 Months"), column("Older")) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
    }
}

/// Practice-wide observations from the cached reports: clients whose receivables over 90 days
/// grew since the refresh before the last, and clients making a loss this month.
pub fn insights(cache: &Cache) -> Result<Vec<ReportInsight>> {
    let mut out = Vec::new();
    for h in cache.report_history(ReportKind::AgedReceivables)? {
        let Some((before, before_at)) = &h.before else { continue };
        if let (Some(was), Some(now)) = (receivables_over_90_days(before), receivables_over_90_days(&h.now.0))
            && now > was
        {
            out.push(ReportInsight {
                file: h.file,
                display_name: h.display_name.clone(),
                kind: InsightKind::ReceivablesOver90Grew,
                currency: h.currency.clone(),
                before_cents: was,
                now_cents: now,
                before_at: *before_at,
                now_at: h.now.1,
            });
        }
    }
    for h in cache.report_history(ReportKind::ProfitAndLossMonths)? {
        if let Some(net) = h.now.0.amount("Net Profit", 0).filter(|n| *n < 0) {
            let (before_cents, before_at) = match &h.before {
                Some((r, at)) => (r.amount("Net Profit", 0).unwrap_or(0), *at),
                None => (0, h.now.1),
            };
            out.push(ReportInsight {
                file: h.file,
                display_name: h.display_name,
                kind: InsightKind::LossThisMonth,
                currency: h.currency,
                before_cents,
                now_cents: net,
                before_at,
                now_at: h.now.1,
            });
        }
    }
    Ok(out)
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
