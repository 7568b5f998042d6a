//! Sync requests: a desktop asks the sync host for a sync (of one client file or the whole
//! practice) by writing a row; the sync host claims it (`FOR UPDATE SKIP LOCKED`), reports
//! progress and finishes it. Everyone reads every request; each new request and each change is
//! announced on the channel [`SYNC_CHANNEL`] (`LISTEN switchboard_sync`) so desktops can follow.

use chrono::{DateTime, Utc};

use crate::connect::PracticeDb;
use crate::error::{Error, Result, from_db};
use crate::sync_host::WorkOutcome;

/// The `LISTEN` channel of sync requests; each notification's payload is JSON
/// `{"request": id, "state": …, "done": n, "failed": n, "total": n|null}`.
pub const SYNC_CHANNEL: &str = "switchboard_sync";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncState {
    Requested,
    Running,
    Done,
    Failed,
}

impl SyncState {
    pub fn code(self) -> &'static str {
        match self {
            SyncState::Requested => "requested",
            SyncState::Running => "running",
            SyncState::Done => "done",
            SyncState::Failed => "failed",
        }
    }

    fn parse(text: &str) -> Result<Self> {
        match text {
            "requested" => Ok(SyncState::Requested),
            "running" => Ok(SyncState::Running),
            "done" => Ok(SyncState::Done),
            "failed" => Ok(SyncState::Failed),
            other => Err(Error::Database(format!("unknown sync request state {other}"))),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncRequest {
    pub id: i64,
    /// `None`: the whole practice.
    pub file_id: Option<i64>,
    pub requested_by: String,
    pub requested_at: DateTime<Utc>,
    pub state: SyncState,
    pub total: Option<i32>,
    pub done: i32,
    pub failed: i32,
    pub message: Option<String>,
}

const COLUMNS: &str = "id, file_id, requested_by, requested_at, state, total, done, failed, message";

fn request(row: &tokio_postgres::Row) -> Result<SyncRequest> {
    Ok(SyncRequest {
        id: row.get(0),
        file_id: row.get(1),
        requested_by: row.get(2),
        requested_at: row.get(3),
        state: SyncState::parse(row.get(4))?,
        total: row.get(5),
        done: row.get(6),
        failed: row.get(7),
        message: row.get(8),
    })
}

impl PracticeDb {
    /// Asks the sync host for a sync of one client file (one this staff member may see) or, with
    /// `None`, of the whole practice. Returns the request's id.
    pub async fn request_sync(&self, file_id: Option<i64>) -> Result<i64> {
        let client = self.client().await?;
        let row = client
            .query_one("INSERT INTO sync_requests (file_id) VALUES ($1) RETURNING id", &[&file_id])
            .await
            .map_err(from_db)?;
        Ok(row.get(0))
    }

    /// Every sync request, newest first, at most `limit`.
    pub async fn sync_requests(&self, limit: i64) -> Result<Vec<SyncRequest>> {
        let client = self.client().await?;
        let rows = client
            .query(&format!("SELECT {COLUMNS} FROM sync_requests ORDER BY id DESC LIMIT $1"), &[&limit])
            .await
            .map_err(from_db)?;
        rows.iter().map(request).collect()
    }
}

/// Progress of the request being worked on, written to its row (and so announced to listeners).
pub struct Progress<'a> {
    db: &'a PracticeDb,
    request: i64,
}

impl<'a> Progress<'a> {
    pub(crate) fn new(db: &'a PracticeDb, request: i64) -> Self {
        Progress { db, request }
    }

    pub async fn report(&self, done: i32, failed: i32, total: Option<i32>) -> Result<()> {
        let client = self.db.client().await?;
        client
            .execute(
                "UPDATE sync_requests SET done = $2, failed = $3, total = $4 WHERE id = $1",
                &[&self.request, &done, &failed, &total],
            )
            .await
            .map_err(from_db)?;
        Ok(())
    }
}

/// Claims the oldest waiting request (skipping any another claimer holds), marking it running.
pub(crate) async fn claim_next(db: &PracticeDb) -> Result<Option<SyncRequest>> {
    let client = db.client().await?;
    let row = client
        .query_opt(
            &format!(
                "UPDATE sync_requests SET state = 'running', started_at = now() WHERE id = \
                 (SELECT id FROM sync_requests WHERE state = 'requested' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) \
                 RETURNING {COLUMNS}"
            ),
            &[],
        )
        .await
        .map_err(from_db)?;
    row.as_ref().map(request).transpose()
}

/// Puts back requests a killed sync host left running (called with the lock held, so no live
/// sync host is working on them).
pub(crate) async fn requeue_abandoned(db: &PracticeDb) -> Result<u64> {
    let client = db.client().await?;
    client
        .execute(
            "UPDATE sync_requests SET state = 'requested', started_at = NULL, \
             message = 'the sync host stopped during this sync; it starts again' WHERE state = 'running'",
            &[],
        )
        .await
        .map_err(from_db)
}

pub(crate) async fn finish(db: &PracticeDb, id: i64, outcome: &WorkOutcome) -> Result<()> {
    let (state, message) = match outcome {
        WorkOutcome::Done { message } => ("done", message.as_deref()),
        WorkOutcome::Failed { message } => ("failed", Some(message.as_str())),
    };
    let client = db.client().await?;
    client
        .execute(
            "UPDATE sync_requests SET state = $2, message = $3, finished_at = now() WHERE id = $1",
            &[&id, &state, &message],
        )
        .await
        .map_err(from_db)?;
    Ok(())
}
