//! The Client Connections table and its files: load, details, export, add, import from XPM or a
//! CSV file, rename, merge, payroll, delete, and each row's one-click dashboards.
//!
//! A CSV file is picked with a file input in the web view, which reads its bytes; they arrive
//! here as the raw body of the request (no JSON array of numbers), so a bad encoding is seen by
//! the core as it is in the file.

use std::collections::BTreeMap;

use switchboard_core::browser::OpenedLink;
use switchboard_core::clients::add::{AddClientOutcome, NewClient};
use switchboard_core::clients::csv_import::CsvImportPreview;
use switchboard_core::clients::deletion::DeletedClient;
use switchboard_core::clients::session::ClientDetails;
use switchboard_core::clients::table::ClientTablePayload;
use switchboard_core::clients::xpm_import::{ImportOutcome, XpmImportPreview};
use switchboard_core::exports::CsvExport;
use switchboard_core::model::{ClientFile, FileId};
use switchboard_core::{ErrorKind, ErrorPayload};
use tauri::ipc::{InvokeBody, Request};
use tauri::{AppHandle, State};

use crate::ipc::{Json, Shared};

/// Set to `1` by the start-up benchmark: print a line when the first rows are painted, and
/// another, then quit, when all of them are.
const EXIT_AFTER_PAINT_VAR: &str = "SWITCHBOARD_EXIT_AFTER_PAINT";

/// Every file of the table, with the summary; the window decodes it (`decodeClientTable`).
#[tauri::command]
pub async fn load_client_table(state: State<'_, Shared>) -> Result<Json<ClientTablePayload<'static>>, ErrorPayload> {
    state.run("load_client_table", |s| s.client_table_json()).await.map(Json::new)
}

/// The first rows in the order the screen first shows them (by name), with the summary of all
/// the files: what start-up paints while `load_client_table` brings the rest.
#[tauri::command]
pub async fn load_client_table_head(
    state: State<'_, Shared>,
) -> Result<Json<ClientTablePayload<'static>>, ErrorPayload> {
    state.run("load_client_table_head", |s| s.client_table_head_json()).await.map(Json::new)
}

/// The window calls this when the first rows are painted while the rest load (`complete:
/// false`), and when the table with all its rows is painted (`complete: true`).
#[tauri::command]
pub fn table_painted(app: AppHandle, milestones: BTreeMap<String, f64>, complete: bool) {
    tracing::debug!(?milestones, complete, "table painted");
    if std::env::var(EXIT_AFTER_PAINT_VAR).is_ok_and(|v| v == "1") {
        // The start-up benchmark reads the times of these lines, and the page's milestones (ms
        // since navigation) from them.
        let milestones = serde_json::to_string(&milestones).unwrap_or_default();
        if complete {
            println!("switchboard: all rows painted {milestones}");
            app.exit(0);
        } else {
            println!("switchboard: first rows painted {milestones}");
        }
    }
}

#[tauri::command]
pub async fn client_details(state: State<'_, Shared>, id: FileId) -> Result<ClientDetails, ErrorPayload> {
    state.run("client_details", move |s| s.client_details(id)).await
}

/// Writes the given rows, in this order, to a CSV file in the Downloads folder.
#[tauri::command]
pub async fn export_csv(state: State<'_, Shared>, ids: Vec<FileId>) -> Result<CsvExport, ErrorPayload> {
    state.run("export_csv", move |s| s.export_csv(&ids)).await
}

/// Adds a not-connected client file. A name the list already has answers `needs_confirmation`
/// and writes nothing; ask the person, then call again with `confirmed`.
#[tauri::command]
pub async fn add_client(
    state: State<'_, Shared>,
    client: NewClient,
    confirmed: bool,
) -> Result<AddClientOutcome, ErrorPayload> {
    state.run("add_client", move |s| s.add_client(&client, confirmed)).await
}

/// What importing the cached XPM clients would add and skip; writes nothing.
#[tauri::command]
pub async fn preview_xpm_import(state: State<'_, Shared>) -> Result<XpmImportPreview, ErrorPayload> {
    state.run("preview_xpm_import", |s| s.preview_xpm_import()).await
}

#[tauri::command]
pub async fn import_from_xpm(state: State<'_, Shared>) -> Result<ImportOutcome, ErrorPayload> {
    state.run("import_from_xpm", |s| s.import_from_xpm()).await
}

/// Checks a CSV file's bytes, line by line; writes nothing.
#[tauri::command]
pub async fn preview_csv_import(
    state: State<'_, Shared>,
    request: Request<'_>,
) -> Result<CsvImportPreview, ErrorPayload> {
    let bytes = file_bytes(&request)?;
    state.run("preview_csv_import", move |s| s.preview_csv_import(&bytes)).await
}

/// Imports the CSV file if every line is fine (all or nothing).
#[tauri::command]
pub async fn import_csv(state: State<'_, Shared>, request: Request<'_>) -> Result<ImportOutcome, ErrorPayload> {
    let bytes = file_bytes(&request)?;
    state.run("import_csv", move |s| s.import_csv(&bytes)).await
}

fn file_bytes(request: &Request<'_>) -> Result<Vec<u8>, ErrorPayload> {
    match request.body() {
        InvokeBody::Raw(bytes) => Ok(bytes.clone()),
        InvokeBody::Json(_) => Err(ErrorPayload {
            kind: ErrorKind::InvalidInput,
            message: "The file's contents did not reach Switchboard. Pick the file again.".to_owned(),
        }),
    }
}

#[tauri::command]
pub async fn rename_client(state: State<'_, Shared>, id: FileId, name: String) -> Result<ClientFile, ErrorPayload> {
    state.run("rename_client", move |s| s.rename_client(id, &name)).await
}

/// Folds `absorbed` (never connected) into `kept` (already its organisation); answers `kept`.
#[tauri::command]
pub async fn merge_client_files(
    state: State<'_, Shared>,
    kept: FileId,
    absorbed: FileId,
) -> Result<ClientFile, ErrorPayload> {
    state.run("merge_client_files", move |s| s.merge_client_files(kept, absorbed)).await
}

/// `disconnect`: payroll off ("disconnected by staff"); false: back on.
#[tauri::command]
pub async fn set_payroll_disconnected(
    state: State<'_, Shared>,
    id: FileId,
    disconnect: bool,
) -> Result<ClientFile, ErrorPayload> {
    state.run("set_payroll_disconnected", move |s| s.set_payroll_disconnected(id, disconnect)).await
}

/// Disconnects the organisation at Xero, then deletes the file; `typed_name` must be its name.
#[tauri::command]
pub async fn delete_client(
    state: State<'_, Shared>,
    id: FileId,
    typed_name: String,
) -> Result<DeletedClient, ErrorPayload> {
    let deletion = state.run("delete_client", move |s| s.delete_client(id, typed_name)).await?;
    Ok(deletion.run().await?)
}

/// Opens the file's Xero dashboard in the system browser; answers the link opened. The window
/// names a file, never a URL: the core builds and checks every link it opens.
#[tauri::command]
pub async fn open_xero_dashboard(state: State<'_, Shared>, id: FileId) -> Result<OpenedLink, ErrorPayload> {
    state.run("open_xero_dashboard", move |s| s.open_xero_dashboard(id)).await
}

/// Opens the linked XPM client's page (its `WebUrl`) in the system browser.
#[tauri::command]
pub async fn open_xpm_dashboard(state: State<'_, Shared>, id: FileId) -> Result<OpenedLink, ErrorPayload> {
    state.run("open_xpm_dashboard", move |s| s.open_xpm_dashboard(id)).await
}
