//! Client reports: the page reads the cache; refreshing and "Allow reports" take the Xero
//! context from the session and run without holding it.

use switchboard_core::ErrorPayload;
use switchboard_core::model::FileId;
use switchboard_core::reports::model::{AllReportsRefresh, ClientReports, ReportInsight, ReportsRefresh};
use switchboard_core::xero::sync::ConnectSummary;
use tauri::{AppHandle, State};

use super::xero::progress;
use crate::ipc::Shared;

/// The client's cached reports and whether its connection may read them (cache only).
#[tauri::command]
pub async fn client_reports(state: State<'_, Shared>, id: FileId) -> Result<ClientReports, ErrorPayload> {
    state.run("client_reports", move |s| s.client_reports(id)).await
}

/// Practice-wide observations from the cached reports.
#[tauri::command]
pub async fn report_insights(state: State<'_, Shared>) -> Result<Vec<ReportInsight>, ErrorPayload> {
    state.run("report_insights", |s| s.report_insights()).await
}

/// Fetches the client's reports from Xero into the cache; failures keep the cached copies.
#[tauri::command]
pub async fn refresh_reports(state: State<'_, Shared>, id: FileId) -> Result<ReportsRefresh, ErrorPayload> {
    let (xero, _) = state.run("refresh_reports", |s| s.xero()).await?;
    Ok(xero.refresh_reports_today(id).await?)
}

/// Refreshes the reports of every connected client that allows them; one failing never stops
/// the others.
#[tauri::command]
pub async fn refresh_all_reports(state: State<'_, Shared>) -> Result<AllReportsRefresh, ErrorPayload> {
    let (xero, _) = state.run("refresh_all_reports", |s| s.xero()).await?;
    Ok(xero.refresh_all_reports_today().await?)
}

/// "Allow reports": Xero's consent in the browser, asking for the report scopes too.
#[tauri::command]
pub async fn allow_reports(app: AppHandle, state: State<'_, Shared>) -> Result<ConnectSummary, ErrorPayload> {
    let (xero, cancel) = state.run("allow_reports", |s| s.xero()).await?;
    Ok(xero.allow_reports_in_browser(&cancel, progress(app)).await?)
}

/// Opens the client's reports in Xero in the system browser (the core checks the URL).
#[tauri::command]
pub async fn open_reports_in_xero(state: State<'_, Shared>, id: FileId) -> Result<(), ErrorPayload> {
    state.run("open_reports_in_xero", move |s| s.open_reports_in_xero(id)).await
}
