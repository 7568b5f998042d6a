//! Signed updates through Tauri's updater plugin: check, then (on a person's click) download,
//! verify and install, then restart into the new version.
//!
//! The update server and the public key are the plugin's config (`plugins.updater.endpoints`
//! and `.pubkey`). tauri.conf.json carries both empty, so a local or development build never
//! checks; the release workflow fills them in with `--config`, which the bundler already needs
//! to make the signed update bundles. One place for both, rather than a compile-time variable
//! beside the config, so a build cannot end up with a server and no key or the other way round.
//!
//! The plugin checks every bundle's minisign signature against that key before it installs
//! anything (`Update::download` fails otherwise); it refuses plain-HTTP servers unless its
//! `dangerousInsecureTransportProtocol` is set, which only the tests do.
//!
//! This file is also compiled into `tests/updater.rs`, so it uses nothing else of the shell; the
//! commands that use it are in `commands/updates.rs`.

use std::sync::Mutex;

use switchboard_core::updates::{self, UpdateFailure, UpdateInfo, UpdateStatus};
use switchboard_core::{Error, ErrorPayload};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_updater::{Update, UpdaterExt};

/// The update found by the last check, kept for `install_update`.
#[derive(Default)]
pub struct PendingUpdate(pub Mutex<Option<Update>>);

/// Whether this build has an update server and a public key (see the module's comment).
pub fn built_in<R: Runtime>(app: &AppHandle<R>) -> bool {
    let Some(config) = app.config().plugins.0.get("updater") else { return false };
    let has_key = config.get("pubkey").and_then(|k| k.as_str()).is_some_and(|k| !k.trim().is_empty());
    let has_endpoint = config.get("endpoints").and_then(|e| e.as_array()).is_some_and(|e| !e.is_empty());
    has_key && has_endpoint
}

pub fn status_of<R: Runtime>(app: &AppHandle<R>) -> UpdateStatus {
    updates::status(app.package_info().version.to_string(), built_in(app), updates::policy())
}

/// Looks for an update: `None` when the server says there is none (HTTP 204, or a version not
/// newer than this one). Refused before any request when the build has no server or IT turned
/// checks off.
pub async fn check<R: Runtime>(app: &AppHandle<R>) -> Result<Option<Update>, UpdateFailure> {
    match status_of(app) {
        UpdateStatus::NotBuiltIn { .. } => return Err(UpdateFailure::NotBuiltIn),
        UpdateStatus::OffByPolicy { how, .. } => return Err(UpdateFailure::OffByPolicy { how }),
        UpdateStatus::Enabled { .. } => {}
    }
    let updater = app
        .updater_builder()
        // The operating system's trust store and proxy settings, as for Xero: a practice whose
        // proxy inspects TLS with its own root still gets updates.
        .configure_client(switchboard_core::xero::http::with_system_tls_and_proxy)
        .timeout(std::time::Duration::from_secs(120))
        .build()
        .map_err(failure)?;
    updater.check().await.map_err(failure)
}

/// Downloads the bundle and checks its signature; the bytes are only returned when it matches.
pub async fn download(update: &Update) -> Result<Vec<u8>, UpdateFailure> {
    update.download(|_, _| {}, || {}).await.map_err(failure)
}

/// What the window shows of an update. The date is the manifest's own text (RFC 3339).
pub fn info(update: &Update) -> UpdateInfo {
    UpdateInfo {
        version: update.version.clone(),
        notes: update.body.clone().filter(|n| !n.trim().is_empty()),
        date: update.raw_json.get("pub_date").and_then(|d| d.as_str()).map(str::to_owned),
    }
}

/// The plugin's error as one of the failures a person can act on.
pub fn failure(error: tauri_plugin_updater::Error) -> UpdateFailure {
    use tauri_plugin_updater::Error as E;
    match error {
        E::EmptyEndpoints => UpdateFailure::NotBuiltIn,
        // An answer whose body is not JSON at all.
        E::Reqwest(e) if e.is_decode() => UpdateFailure::Malformed(e.to_string()),
        E::Reqwest(e) => UpdateFailure::Unreachable(reqwest_detail(&e)),
        E::Network(detail) => UpdateFailure::Unreachable(detail),
        E::ReleaseNotFound => UpdateFailure::NoManifest,
        E::Serialization(e) => UpdateFailure::Malformed(e.to_string()),
        E::Semver(e) => UpdateFailure::Malformed(format!("version: {e}")),
        E::UrlParse(e) => UpdateFailure::Malformed(format!("address: {e}")),
        E::TargetNotFound(platform) => UpdateFailure::NotForThisComputer(platform),
        E::Minisign(_) | E::Base64(_) | E::SignatureUtf8(_) => UpdateFailure::BadSignature,
        // On Linux the plugin installs a .deb through pkexec, else sudo; with neither it is left
        // with the OS's bare "No such file or directory".
        E::Io(e) if cfg!(target_os = "linux") && e.kind() == std::io::ErrorKind::NotFound => UpdateFailure::Install(
            "neither pkexec nor sudo was found to run the package installer; install the downloaded package with your package manager".to_owned(),
        ),
        other => UpdateFailure::Install(other.to_string()),
    }
}

/// reqwest's top-level message ("error sending request for url …") with its cause, which says
/// what actually happened (connection refused, DNS, certificate).
fn reqwest_detail(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

pub fn payload(failure: UpdateFailure) -> ErrorPayload {
    Error::from(failure).into()
}

/// Registers the plugin and the state the commands use.
pub fn plugin<R: Runtime>() -> tauri::plugin::TauriPlugin<R, tauri_plugin_updater::Config> {
    tauri_plugin_updater::Builder::new().build()
}

pub fn manage<R: Runtime>(app: &AppHandle<R>) {
    app.manage(PendingUpdate::default());
}
