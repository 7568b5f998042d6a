//! Deleting a client file: the person types its name; the Xero connection is disconnected
//! first; only then is the file removed from the cache with everything that belongs to it, and
//! its sign-in retired (forgotten, and revoked when that disconnects nothing still in use; see
//! `xero::retire`) when no other file uses it. If Xero refuses or cannot be reached, nothing is
//! deleted. Disconnecting is Xero's `DELETE /connections/{id}`
//! (<https://developer.xero.com/documentation/guides/oauth2/tenants#removing-connections>).

use serde::Serialize;
use ts_rs::TS;

use std::sync::Arc;

use crate::cache::TokenSetId;
use crate::error::{Error, ErrorPayload, Result};
use crate::model::FileId;
use crate::secret::Secret;
use crate::session::Session;
use crate::xero::api::{CallError, XeroApi};
use crate::xero::body_cap::BodyCap;
use crate::xero::context::{XeroContext, refused};
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

/// A delete that has been checked against the cache and is ready to run without the session
/// (it waits for Xero).
pub struct ClientDeletion {
    cache: SharedCache,
    xero: Option<Arc<XeroContext>>,
    file: FileId,
    typed_name: String,
}

impl ClientDeletion {
    pub async fn run(self) -> Result<DeletedClient> {
        delete_client(&self.cache, self.xero.as_deref(), self.file, &self.typed_name).await
    }
}

impl Session {
    /// Checks the typed name and gathers what the delete needs; [`ClientDeletion::run`] does it.
    pub fn delete_client(
        &mut self,
        id: FileId,
        typed_name: String,
    ) -> std::result::Result<ClientDeletion, ErrorPayload> {
        let target = self.cache()?.deletion_target(id, &typed_name)?;
        let xero = match target.token_set {
            Some(_) => Some(self.xero()?.0),
            None => None,
        };
        Ok(ClientDeletion { cache: self.shared_cache()?.clone(), xero, file: id, typed_name })
    }
}

impl XeroContext {
    /// Disconnects the organisation from Switchboard's Xero app. Without a known connection id,
    /// it is looked up in `/connections` by tenant (absent there: already disconnected). Any
    /// failure is an error that says why, and nothing else has been changed.
    pub async fn disconnect_organisation(
        &self,
        token_set: TokenSetId,
        connection_id: Option<&str>,
        tenant: &str,
    ) -> Result<()> {
        self.with_access(token_set, |access| async move {
            let id = match connection_id {
                Some(id) => id.to_owned(),
                None => match self.api.connections(&access, None).await?.into_iter().find(|c| c.tenant_id == tenant) {
                    Some(connection) => connection.id,
                    None => return Ok(()),
                },
            };
            self.api.delete_connection(&access, &id, tenant).await
        })
        .await?
        .map_err(|e| refused("disconnect the organisation", &e))
    }
}

impl XeroApi {
    /// `DELETE /connections/{id}`. A 404 means the connection is already gone, which is what
    /// was asked. Counted against the tenant's rate limits (no `xero-tenant-id` is sent).
    pub async fn delete_connection(
        &self,
        access: &Secret,
        connection_id: &str,
        tenant: &str,
    ) -> std::result::Result<(), CallError> {
        let id: String = url::form_urlencoded::byte_serialize(connection_id.as_bytes()).collect();
        let url = self.endpoints().api_url(&format!("connections/{id}"));
        match self
            .call(
                reqwest::Method::DELETE,
                url,
                access,
                None,
                Some(tenant),
                "application/json",
                BodyCap::ACKNOWLEDGEMENT,
            )
            .await
        {
            Ok(_) => Ok(()),
            Err(CallError::Status { status: 404, .. }) => Ok(()),
            Err(e) => Err(e),
        }
    }
}
