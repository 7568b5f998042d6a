//! The Connect icon of a file that exists before it is connected (added by hand or imported):
//! one consent, and the organisation the person picks becomes *that* file. Since Xero's 2026
//! tiers a consent adds one organisation below Advanced, so one consent per file is the rule.
//!
//! Nothing about the file changes unless the consent reached exactly one organisation that is not
//! already another file. Otherwise the consent's new token set is retired at once (forgotten here
//! and in the credential store, revoked at Xero only when that disconnects nothing in use): no
//! token set is ever left waiting for a decision, so a person who closes the app while the merge
//! question is open leaves nothing half-attached. A merge then needs no token set of its own: the
//! other file already is the organisation, connected through its own.

use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;
use ts_rs::TS;

use super::config::CONNECT_SCOPES;
use super::context::{Cancel, XeroContext};
use super::sign_in::TokenGrant;
use super::sync::{SyncProgress, SyncReport};
use super::token_vault::lock;
use crate::cache::Attached;
use crate::error::{Error, Result};
use crate::model::FileId;

/// What connecting one file came to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum FileConnectOutcome {
    /// The organisation picked is now this file, and it was synced.
    Connected { file: FileId, sync: SyncReport },
    /// The organisation picked already is another file (`other`); neither file was changed. The
    /// two can be merged (`Cache::merge_files(other, file)`).
    AlreadyAnotherFile {
        file: FileId,
        file_name: String,
        other: FileId,
        other_name: String,
        /// Xero's name for the organisation (remote text, control characters removed).
        organisation_name: Option<String>,
    },
    /// The consent reached no organisation (the person ticked none): the file is as it was.
    NothingPicked { file: FileId },
}

impl XeroContext {
    /// The Connect icon of a not-connected Xero file: a consent in the system browser for that
    /// file. [`Cancel::request`] ends the wait with [`Error::SignInCancelled`], the file as it was.
    pub async fn connect_file_in_browser(
        &self,
        file: FileId,
        cancel: &Cancel,
        progress: impl Fn(SyncProgress) + Send + Sync,
    ) -> Result<FileConnectOutcome> {
        {
            let cache = lock(&self.cache);
            cache.connectable_file(file)?;
            super::tier_usage::check_room_for_a_connection(&cache)?;
        }
        let grant = self.sign_in_in_browser(CONNECT_SCOPES, cancel).await?;
        cancel.sync.store(false, Ordering::Relaxed);
        self.connect_file_grant(file, grant, &cancel.sync, progress).await
    }

    /// After a consent given for `file` (the CLI and tests get the grant themselves).
    pub async fn connect_file_from_grant(
        &self,
        file: FileId,
        grant: TokenGrant,
        progress: impl Fn(SyncProgress) + Send + Sync,
    ) -> Result<FileConnectOutcome> {
        self.connect_file_grant(file, grant, &AtomicBool::new(false), progress).await
    }

    async fn connect_file_grant(
        &self,
        file: FileId,
        grant: TokenGrant,
        cancel: &AtomicBool,
        progress: impl Fn(SyncProgress) + Send + Sync,
    ) -> Result<FileConnectOutcome> {
        let token_set = self.vault.save_new(&self.cache, &grant)?;
        let picked = self.attach_from_grant(file, &grant, token_set).await;
        if !matches!(picked, Ok(Picked::Attached)) {
            // Nothing uses the new set: picked nothing, another file, several, or a failure.
            self.retire_unused([token_set]).await;
        }
        match picked? {
            Picked::Attached => {
                let sync = self.sync(Some(&[file]), cancel, progress).await?;
                Ok(FileConnectOutcome::Connected { file, sync })
            }
            Picked::AnotherFile(outcome) => Ok(outcome),
            Picked::Nothing => Ok(FileConnectOutcome::NothingPicked { file }),
        }
    }

    /// Attaches the one organisation the consent reached to `file`, when it is not already
    /// another file.
    async fn attach_from_grant(
        &self,
        file: FileId,
        grant: &TokenGrant,
        token_set: crate::cache::TokenSetId,
    ) -> Result<Picked> {
        let connections = self
            .api
            .connections(&grant.access_token, grant.auth_event_id.as_deref())
            .await
            .map_err(|e| e.unreachable())?;
        let organisations: Vec<_> = connections.iter().filter(|c| c.is_organisation()).collect();
        let organisation = match organisations.as_slice() {
            [] => return Ok(Picked::Nothing),
            [one] => *one,
            several => {
                return Err(Error::InvalidInput(format!(
                    "This consent allowed {} organisations, and a client file is one organisation. Nothing changed: \
                     click Connect again and tick only this client's organisation (\"Add client files from Xero\" adds several).",
                    several.len()
                )));
            }
        };
        let organisation_name = organisation.tenant_name.as_deref().map(|n| super::printable(n, 200));
        let mut cache = lock(&self.cache);
        let attached = cache.attach_organisation(
            file,
            &organisation.tenant_id,
            &organisation.id,
            organisation_name.as_deref(),
            token_set,
        )?;
        Ok(match attached {
            Attached::Connected => Picked::Attached,
            Attached::AlreadyAnotherFile { other, other_name } => {
                let file_name = cache.file(file)?.display_name;
                Picked::AnotherFile(FileConnectOutcome::AlreadyAnotherFile {
                    file,
                    file_name,
                    other,
                    other_name,
                    organisation_name,
                })
            }
        })
    }
}

/// What the consent's organisation came to for the file.
enum Picked {
    /// The consent reached no organisation.
    Nothing,
    /// The organisation is now the file, connected through the consent's token set.
    Attached,
    /// The organisation already is another file (the outcome says which); nothing changed.
    AnotherFile(FileConnectOutcome),
}
