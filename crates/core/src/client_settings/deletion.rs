//! Deleting a client file: the person types its name; the Xero connection is disconnected
//! first; only then is the file removed from the cache with everything that belongs to it, and
//! its sign-in retired (forgotten, and revoked when that disconnects nothing still in use; see
//! `xero::retire`) when no other file uses it. If Xero refuses or cannot be reached, nothing is
//! deleted.

use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::model::FileId;
use crate::xero::sync::XeroContext;
use crate::xero::token_vault::{SharedCache, lock};

/// What a deletion did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DeletedClient {
    pub file_id: FileId,
    pub name: String,
    /// The organisation was disconnected from Switchboard at Xero.
    pub disconnected_from_xero: bool,
    /// The Xero sign-in's tokens were removed (no other file used them).
    pub forgot_sign_in: bool,
}

/// Deletes a file. `xero` is needed when the file has a Xero sign-in.
pub async fn delete_client(
    cache: &SharedCache,
    xero: Option<&XeroContext>,
    file: FileId,
    typed_name: &str,
) -> Result<DeletedClient> {
    let target = lock(cache).deletion_target(file, typed_name)?;
    let usable_sign_in = target.token_set.as_ref().filter(|set| !set.needs_reconnect);
    let disconnected_from_xero = match (usable_sign_in, &target.tenant_id) {
        (Some(set), Some(tenant)) => {
            let xero = xero.ok_or_else(|| {
                Error::InvalidInput("Set up the Xero app in Settings first: the organisation must be disconnected at Xero before its file is deleted.".to_owned())
            })?;
            xero.disconnect_organisation(set.id, target.connection_id.as_deref(), tenant).await.map_err(
                |e| match e {
                    Error::XeroUnreachable(reason) => Error::XeroUnreachable(format!(
                        "{reason} The organisation could not be disconnected, so nothing was deleted"
                    )),
                    Error::XeroRefused(message) => Error::XeroRefused(format!("{message} Nothing was deleted.")),
                    Error::CertificateNotTrusted(sentence) => {
                        Error::CertificateNotTrusted(format!("{sentence} Nothing was deleted."))
                    }
                    other => other,
                },
            )?;
            true
        }
        // A sign-in Xero already refused can no longer disconnect anything; the connection is
        // unusable to Switchboard either way.
        _ => false,
    };
    let note = match (disconnected_from_xero, &target.token_set) {
        (true, _) => "Deleted; disconnected from Xero",
        (false, Some(_)) => "Deleted; not disconnected at Xero (its sign-in needed reconnecting)",
        (false, None) => "Deleted; it had no Xero connection",
    };
    let retired = lock(cache).delete_client_file(&target, note)?;
    let mut forgot_sign_in = false;
    if let (Some(retired), Some(xero)) = (retired, xero) {
        // The file is gone either way; a token left in the store reaches nothing we keep.
        forgot_sign_in = xero.dispose(&retired).await.forgotten;
    }
    Ok(DeletedClient { file_id: file, name: target.name, disconnected_from_xero, forgot_sign_in })
}
