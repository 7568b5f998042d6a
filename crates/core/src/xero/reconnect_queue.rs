//! "Reconnect all that need it" below the Advanced tier (`TierUsage::one_organisation_per_consent`
//! says when): there each consent reaches one
//! organisation, so reconnecting sixteen files takes sixteen consents, one after the other. The
//! queue is the list of files that needed reconnecting when it started, kept in the cache, so it
//! can be cancelled (between consents or while one waits for the browser) and resumed, also after
//! a restart. A file counts as done once it no longer needs reconnecting, whichever consent did it.

use std::future::Future;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::config::CONNECT_SCOPES;
use super::context::{Cancel, XeroContext};
use super::sign_in::TokenGrant;
use super::token_vault::lock;
use crate::Cache;
use crate::error::{Error, Result};
use crate::model::{ConnectionState, FileId};

const QUEUE_KEY: &str = "xero.reconnect_queue";

/// Where a queue stands: shown as "3 of 16 reconnected; next: Acme Ltd".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ReconnectQueue {
    pub done: u32,
    pub total: u32,
    /// The file the next consent is for; `None` when every file is done.
    pub next: Option<String>,
}

/// The queue's files (their ids), as kept in the cache.
#[derive(Deserialize)]
struct Kept {
    files: Vec<i64>,
}

/// A queue paused by Cancel or by closing the app, if any.
pub fn paused(cache: &Cache) -> Result<Option<ReconnectQueue>> {
    kept(cache)?.map(|files| standing(cache, &files)).transpose()
}

/// Forgets a paused queue; the files keep needing a reconnect.
pub fn discard(cache: &mut Cache) -> Result<()> {
    cache.set_setting(QUEUE_KEY, None)
}

fn kept(cache: &Cache) -> Result<Option<Vec<FileId>>> {
    let Some(text) = cache.setting(QUEUE_KEY)? else { return Ok(None) };
    // A queue this version cannot read is dropped: "Reconnect all" starts a new one.
    Ok(serde_json::from_str::<Kept>(&text).ok().map(|k| k.files.into_iter().map(FileId).collect()))
}

fn standing(cache: &Cache, files: &[FileId]) -> Result<ReconnectQueue> {
    let mut done = 0;
    let mut next = None;
    for &id in files {
        match cache.file(id) {
            Ok(file) if matches!(file.connection, ConnectionState::NeedsReconnect { .. }) => {
                next.get_or_insert(file.display_name);
            }
            // Reconnected, or deleted meanwhile: nothing left to do for it.
            Ok(_) | Err(Error::NotFound { .. }) => done += 1,
            Err(e) => return Err(e),
        }
    }
    Ok(ReconnectQueue { done, total: files.len() as u32, next })
}

impl XeroContext {
    /// [`XeroContext::reconnect_in_queue`] with each consent in the system browser; Cancel
    /// pauses the queue.
    pub async fn reconnect_in_queue_in_browser(
        &self,
        cancel: &Cancel,
        progress: impl Fn(&ReconnectQueue) + Send + Sync,
    ) -> Result<ReconnectQueue> {
        self.reconnect_in_queue(|| self.sign_in_in_browser(CONNECT_SCOPES, cancel), progress).await
    }

    /// Runs (or resumes) the queue: one consent (`consent`) per file until every file is done,
    /// reporting where it stands before each. A consent cancelled by the person pauses the queue,
    /// which is kept for later; any other failure stops it, kept as well.
    pub async fn reconnect_in_queue<F, Fut>(
        &self,
        consent: F,
        progress: impl Fn(&ReconnectQueue) + Send + Sync,
    ) -> Result<ReconnectQueue>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<TokenGrant>>,
    {
        let files = {
            let mut cache = lock(&self.cache);
            match kept(&cache)? {
                Some(files) => files,
                None => {
                    let files: Vec<FileId> = cache.files_needing_reconnect()?.into_iter().map(|(id, _)| id).collect();
                    let kept = serde_json::json!({ "files": files.iter().map(|f| f.0).collect::<Vec<_>>() });
                    cache.set_setting(QUEUE_KEY, Some(&kept.to_string()))?;
                    files
                }
            }
        };
        loop {
            let queue = standing(&lock(&self.cache), &files)?;
            progress(&queue);
            if queue.next.is_none() {
                discard(&mut lock(&self.cache))?;
                return Ok(queue);
            }
            // The person picks the organisation in Xero; whichever file it reconnects counts.
            match consent().await {
                Ok(grant) => {
                    self.connect_from_grant(grant, |_| {}).await?;
                }
                Err(Error::SignInCancelled) => return standing(&lock(&self.cache), &files),
                Err(e) => return Err(e),
            }
        }
    }
}
