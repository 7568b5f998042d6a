//! Client packs by email: the practice's mail server, and a test message to check it.
//!
//! The password crosses only on its way in; answers say whether one is saved. A test message is
//! sent without holding the session, so the table stays usable while a slow server answers.

use switchboard_core::client_packs::mail::{MailSettings, MailStatus};
use switchboard_core::{ErrorKind, ErrorPayload};
use tauri::State;

use crate::ipc::Shared;

/// The mail server settings (`settings` is `null` until set up) and whether a password is saved.
#[tauri::command]
pub async fn mail_settings(state: State<'_, Shared>) -> Result<MailStatus, ErrorPayload> {
    state.run("mail_settings", |s| s.mail_settings()).await
}

/// Saves the mail server settings. `password`: `null` keeps the saved one, `""` forgets it,
/// anything else replaces it. A validation failure is an `invalid_input` error; nothing is saved.
#[tauri::command]
pub async fn save_mail_settings(
    state: State<'_, Shared>,
    settings: MailSettings,
    password: Option<String>,
) -> Result<MailStatus, ErrorPayload> {
    state.run("save_mail_settings", move |s| s.save_mail_settings(&settings, password)).await
}

/// Sends a short test message to `to` through the saved mail server; a failure is a `mail` error
/// saying why (not set up, refused, not trusted, no answer).
#[tauri::command]
pub async fn send_test_mail(state: State<'_, Shared>, to: String) -> Result<(), ErrorPayload> {
    let sender = state.run("send_test_mail", |s| Ok(s.mail_sender()?)).await?;
    let sent = tauri::async_runtime::spawn_blocking(move || sender.send_test(&to)).await;
    let sent = sent.map_err(|_| ErrorPayload {
        kind: ErrorKind::Mail,
        message: "Switchboard hit an internal error while sending the test message. Try again.".to_owned(),
    })?;
    Ok(sent?)
}
