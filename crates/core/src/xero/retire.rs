//! Retiring token sets nothing uses any more: after a reconnect or "Allow reports" (the files move
//! to the new set), a consent that reached no organisation (the new set itself), a new XPM
//! connection (the old one's set), or a deleted file (its set, when no other file uses it).
//!
//! A retired set is removed from the cache and the credential store, and revoked at Xero only
//! when that disconnects nothing still in use. Xero's revocation of a refresh token removes *all*
//! of that user's connections to the app, not only the token set's: revoking the replaced set of
//! the very user who just reconnected would disconnect the organisations they just connected. So
//! a set is revoked only when its Xero user is known and no set still in use (by a file or the
//! XPM connection) belongs to the same user; otherwise it is only forgotten here, and lapses at
//! Xero after 60 days unused. (Another cache on this computer using the same Xero app and user
//! is not known here; its sets would be disconnected too.)
//!
//! Retiring never fails the consent or deletion that caused it: a set that cannot be revoked
//! (Xero unreachable) is forgotten anyway, with a warning that names no secret.

use std::collections::BTreeSet;

use super::context::XeroContext;
use super::sign_in::revoke;
use super::token_vault::lock;
use crate::cache::{RetiredTokenSet, TokenSetId};

/// What happened to a retired set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Disposal {
    /// Its tokens were removed from the credential store.
    pub forgotten: bool,
    /// Xero confirmed the revocation.
    pub revoked: bool,
}

impl XeroContext {
    /// Retires each of `candidates` that no file and not the XPM connection uses any more.
    pub(crate) async fn retire_unused(&self, candidates: impl IntoIterator<Item = TokenSetId>) {
        for id in candidates.into_iter().collect::<BTreeSet<_>>() {
            let retired = lock(&self.cache).retire_token_set_if_unused(id);
            match retired {
                Ok(Some(retired)) => {
                    self.dispose(&retired).await;
                }
                Ok(None) => {}
                Err(e) => tracing::warn!(kind = ?e.kind(), token_set = id.0, "could not retire a token set"),
            }
        }
    }

    /// Forgets a set already removed from the cache, and revokes it when [`RetiredTokenSet::revoke`]
    /// says that disconnects nothing still in use.
    pub(crate) async fn dispose(&self, retired: &RetiredTokenSet) -> Disposal {
        let refresh = match self.vault.take_retired(&self.cache, retired).await {
            Ok(refresh) => refresh,
            Err(e) => {
                tracing::warn!(kind = ?e.kind(), token_set = retired.id.0, "could not remove a retired token set from the credential store");
                return Disposal { forgotten: false, revoked: false };
            }
        };
        let revoked = match (retired.revoke, refresh) {
            (true, Some(token)) => {
                match revoke(&self.http, &self.app, &self.endpoints, self.client_secret.as_ref(), &token).await {
                    Ok(()) => true,
                    Err(e) => {
                        tracing::warn!(kind = ?e.kind(), token_set = retired.id.0, "could not revoke a retired token set at Xero; it lapses after 60 days unused");
                        false
                    }
                }
            }
            _ => false,
        };
        Disposal { forgotten: true, revoked }
    }
}
