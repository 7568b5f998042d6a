//! Updates of Switchboard itself: what the window is told about an available update, why a check
//! or an install failed (one sentence for a person), and whether this computer's policy allows
//! update checks. Fetching the manifest, checking the bundle's signature and installing it are
//! the Tauri updater plugin's, in the shell; this is the plain data and the wording around it.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use serde::Serialize;
use ts_rs::TS;

use crate::error::Error;

/// `SWITCHBOARD_UPDATES=off` turns update checks off for whoever runs the app with it (a machine-wide
/// variable set by Group Policy on Windows, a session on Linux, a test).
pub const POLICY_VAR: &str = "SWITCHBOARD_UPDATES";

/// A file of this name in the per-machine folder (see [`machine_policy_dir`]) turns update checks
/// off for every user of the computer. A file rather than only the variable: IT can put a file in
/// place on both Windows and macOS with the tools they already use (an MSI or Intune/Group Policy
/// file item, a Jamf or MDM script), and a standard user cannot remove it; a machine-wide
/// environment variable, by contrast, is not something a macOS app started from the Dock sees.
pub const POLICY_FILE: &str = "updates-off";

/// An update the server offers, as the window shows it before a person chooses to install it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct UpdateInfo {
    /// The version offered, e.g. `1.2.0`.
    pub version: String,
    /// The release notes from the manifest, shown as plain text.
    pub notes: Option<String>,
    /// When the release was published (RFC 3339), when the manifest says.
    pub date: Option<String>,
}

/// Whether this build and this computer look for updates at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum UpdateStatus {
    /// Update checks are on: the window checks at start and on request.
    Enabled { current_version: String },
    /// This build has no update server or no public key (a local or development build).
    NotBuiltIn { current_version: String },
    /// IT turned update checks off; `how` names the setting, for the Settings page.
    OffByPolicy { current_version: String, how: String },
}

/// Why a check, a download or an install did not succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpdateFailure {
    NotBuiltIn,
    OffByPolicy {
        how: String,
    },
    /// No answer (network, DNS, proxy, TLS, timeout); the detail is the HTTP client's.
    Unreachable(String),
    /// The server answered with an error status instead of a manifest.
    NoManifest,
    /// The answer is not a valid update manifest.
    Malformed(String),
    /// The manifest has no bundle for this operating system and processor.
    NotForThisComputer(String),
    /// The downloaded bundle's signature does not match the public key built into the app.
    BadSignature,
    /// The version a person chose is no longer the one on offer.
    Changed {
        chosen: String,
        offered: Option<String>,
    },
    /// Downloaded and verified, but the installer failed.
    Install(String),
}

impl From<UpdateFailure> for Error {
    fn from(failure: UpdateFailure) -> Self {
        Error::Update(match failure {
            UpdateFailure::NotBuiltIn => {
                "This build of Switchboard has no update server built in, so it does not check for updates. Install new versions by hand.".to_owned()
            }
            UpdateFailure::OffByPolicy { how } => {
                format!("Update checks are turned off on this computer ({how}). Your IT team installs new versions of Switchboard.")
            }
            UpdateFailure::Unreachable(detail) => format!(
                "Switchboard could not reach its update server ({detail}). Check the internet connection, or ask IT whether the update server is allowed through the firewall or proxy, then try again. Nothing was changed."
            ),
            UpdateFailure::NoManifest => {
                "The update server did not return any update information. Try again later; nothing was changed.".to_owned()
            }
            UpdateFailure::Malformed(detail) => format!(
                "The update server's answer is not a valid update manifest ({detail}). Nothing was downloaded; try again later, and tell IT if it keeps happening."
            ),
            UpdateFailure::NotForThisComputer(platform) => format!(
                "The new version has no installer for this computer ({platform}). Nothing was downloaded."
            ),
            UpdateFailure::BadSignature => {
                "The downloaded update is not signed by Switchboard's publisher, so it was refused and nothing was installed. Tell IT: the download may have been altered on the way. Switchboard keeps running as it is.".to_owned()
            }
            UpdateFailure::Changed { chosen, offered: Some(offered) } => format!(
                "Version {chosen} is no longer the update on offer (it is now {offered}). Nothing was installed; look at the new version's notes and choose Install again."
            ),
            UpdateFailure::Changed { chosen, offered: None } => format!(
                "Version {chosen} is no longer on offer. Nothing was installed."
            ),
            UpdateFailure::Install(detail) => format!(
                "The update was downloaded and its signature checked, but it could not be installed ({detail}). Switchboard keeps running as it is; install the new version by hand."
            ),
        })
    }
}

/// Whether update checks are off by policy and, if so, which setting says so.
pub fn policy() -> Option<String> {
    policy_from(std::env::var_os(POLICY_VAR), machine_policy_dir().as_deref())
}

/// [`policy`] for a given variable value and per-machine folder.
pub fn policy_from(var: Option<OsString>, machine_dir: Option<&Path>) -> Option<String> {
    if let Some(value) = var {
        let value = value.to_string_lossy().trim().to_ascii_lowercase();
        if matches!(value.as_str(), "off" | "0" | "false" | "no") {
            return Some(format!("{POLICY_VAR}={value}"));
        }
    }
    let file = machine_dir?.join(POLICY_FILE);
    file.exists().then(|| format!("the file {}", file.display()))
}

/// The per-machine settings folder, writable by administrators only: `%ProgramData%\Switchboard`
/// on Windows, `/Library/Application Support/Switchboard` on macOS, `/etc/switchboard` elsewhere.
pub fn machine_policy_dir() -> Option<PathBuf> {
    if cfg!(target_os = "windows") {
        let base = std::env::var_os("ProgramData").filter(|v| !v.is_empty())?;
        Some(PathBuf::from(base).join("Switchboard"))
    } else if cfg!(target_os = "macos") {
        Some(PathBuf::from("/Library/Application Support/Switchboard"))
    } else {
        Some(PathBuf::from("/etc/switchboard"))
    }
}

/// What Settings shows: on, not built in, or off by policy (which wins over "not built in" only
/// when the build has an update server, so a development build never blames IT).
pub fn status(current_version: String, built_in: bool, policy: Option<String>) -> UpdateStatus {
    match (built_in, policy) {
        (false, _) => UpdateStatus::NotBuiltIn { current_version },
        (true, Some(how)) => UpdateStatus::OffByPolicy { current_version, how },
        (true, None) => UpdateStatus::Enabled { current_version },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_variable_or_the_machine_file_turns_checks_off() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(policy_from(None, Some(dir.path())), None);
        assert_eq!(policy_from(Some("on".into()), Some(dir.path())), None);
        assert_eq!(policy_from(Some(" OFF ".into()), None).as_deref(), Some("SWITCHBOARD_UPDATES=off"));
        std::fs::write(dir.path().join(POLICY_FILE), "").unwrap();
        let how = policy_from(None, Some(dir.path())).unwrap();
        assert!(how.contains("updates-off"), "{how}");
    }

    #[test]
    fn a_build_without_an_update_server_never_reports_a_policy() {
        assert_eq!(
            status("1.0.0".into(), false, Some("x".into())),
            UpdateStatus::NotBuiltIn { current_version: "1.0.0".into() }
        );
        assert!(matches!(status("1.0.0".into(), true, Some("x".into())), UpdateStatus::OffByPolicy { .. }));
        assert!(matches!(status("1.0.0".into(), true, None), UpdateStatus::Enabled { .. }));
    }

    #[test]
    fn every_failure_is_one_sentence_of_kind_update() {
        let e: Error = UpdateFailure::BadSignature.into();
        assert_eq!(e.kind(), crate::ErrorKind::Update);
        assert!(e.to_string().contains("refused"), "{e}");
    }
}
