//! Client files staff bring in themselves: add one by hand, import from XPM or a CSV file. One
//! call into the core each (`switchboard_core::clients`).
//!
//! The CSV file is picked with a file input in the web view, which reads its bytes; they arrive
//! here as the raw body of the request (no JSON array of numbers), so a bad encoding is seen by
//! the core as it is in the file.

use switchboard_core::ErrorKind;
use switchboard_core::ErrorPayload;
use switchboard_core::clients::add::{AddClientOutcome, NewClient};
use switchboard_core::clients::csv_import::CsvImportPreview;
use switchboard_core::clients::xpm_import::{ImportOutcome, XpmImportPreview};
use tauri::State;
use tauri::ipc::{InvokeBody, Request};

use crate::Shared;

#[tauri::command]
pub async fn add_client(
    state: State<'_, Shared>,
    client: NewClient,
    confirmed: bool,
) -> Result<AddClientOutcome, ErrorPayload> {
    state.run("add_client", move |s| s.add_client(&client, confirmed)).await
}

#[tauri::command]
pub async fn preview_xpm_import(state: State<'_, Shared>) -> Result<XpmImportPreview, ErrorPayload> {
    state.run("preview_xpm_import", |s| s.preview_xpm_import()).await
}

#[tauri::command]
pub async fn import_from_xpm(state: State<'_, Shared>) -> Result<ImportOutcome, ErrorPayload> {
    state.run("import_from_xpm", |s| s.import_from_xpm()).await
}

#[tauri::command]
pub async fn preview_csv_import(
    state: State<'_, Shared>,
    request: Request<'_>,
) -> Result<CsvImportPreview, ErrorPayload> {
    let bytes = file_bytes(&request)?;
    state.run("preview_csv_import", move |s| s.preview_csv_import(&bytes)).await
}

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
