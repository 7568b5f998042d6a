//! Access requests: a staff member asks for a client file they cannot see (by its id, from
//! [`PracticeDb::file_names`]); an admin approves, which grants the file, or declines.

use chrono::{DateTime, Utc};

use crate::connect::PracticeDb;
use crate::error::{Error, Result, from_db};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestState {
    Pending,
    Approved,
    Declined,
}

impl RequestState {
    fn parse(text: &str) -> Result<Self> {
        match text {
            "pending" => Ok(RequestState::Pending),
            "approved" => Ok(RequestState::Approved),
            "declined" => Ok(RequestState::Declined),
            other => Err(Error::Database(format!("unknown request state {other}"))),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessRequest {
    pub id: i64,
    pub file_id: i64,
    pub role: String,
    pub reason: String,
    pub state: RequestState,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
}

impl PracticeDb {
    /// Asks for access to a client file, for the signed-in staff member (the database fills in
    /// who). Returns the request's id.
    pub async fn request_access(&self, file_id: i64, reason: &str) -> Result<i64> {
        if reason.trim().is_empty() {
            return Err(Error::Invalid("say why you need the file".into()));
        }
        let client = self.client().await?;
        let row = client
            .query_one(
                "INSERT INTO access_requests (file_id, reason) VALUES ($1, $2) RETURNING id",
                &[&file_id, &reason.trim()],
            )
            .await
            .map_err(from_db)?;
        Ok(row.get(0))
    }

    /// The requests this role may see: its own, or everyone's for an admin; oldest first.
    pub async fn access_requests(&self) -> Result<Vec<AccessRequest>> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT id, file_id, staff_role, reason, state, decided_by, decided_at FROM access_requests ORDER BY id",
                &[],
            )
            .await
            .map_err(from_db)?;
        rows.iter()
            .map(|row| {
                Ok(AccessRequest {
                    id: row.get(0),
                    file_id: row.get(1),
                    role: row.get(2),
                    reason: row.get(3),
                    state: RequestState::parse(row.get(4))?,
                    decided_by: row.get(5),
                    decided_at: row.get(6),
                })
            })
            .collect()
    }

    /// Approves (granting the file for good) or declines a pending request. Admins only.
    pub async fn decide_request(&self, id: i64, approve: bool) -> Result<()> {
        let client = self.client().await?;
        client.execute("SELECT practice_decide_request($1, $2)", &[&id, &approve]).await.map_err(from_db)?;
        Ok(())
    }
}
