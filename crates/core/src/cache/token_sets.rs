//! What the cache knows about Xero token sets: their owner, scopes and lifetimes. Never a token.

use rusqlite::params;
use serde::Serialize;
use ts_rs::TS;

use super::{Cache, now};
use crate::error::{Error, Result};
use crate::model::{ConnectionState, UnixMillis};

/// Unused refresh tokens expire after 60 days (xero-api-facts.md §1).
pub const REFRESH_TOKEN_IDLE_LIFETIME_MS: i64 = 60 * 24 * 60 * 60 * 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, TS)]
#[serde(transparent)]
#[ts(type = "number")]
pub struct TokenSetId(pub i64);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TokenSetInfo {
    pub id: TokenSetId,
    /// The Xero user who consented; the token set reaches what that user connected.
    pub xero_user_id: Option<String>,
    pub scopes: Vec<String>,
    pub access_expires_at: UnixMillis,
    /// When the connection lapses if Switchboard does not use it before then.
    pub lapses_at: UnixMillis,
    pub needs_reconnect: bool,
}

impl Cache {
    pub fn insert_token_set(
        &mut self,
        xero_user_id: Option<&str>,
        scopes: &[String],
        access_expires_at: UnixMillis,
    ) -> Result<TokenSetId> {
        let at = now();
        self.conn.execute(
            "INSERT INTO token_sets (xero_user_id, scopes, access_expires_at, refreshed_at, created_at)
             VALUES (?1, ?2, ?3, ?4, ?4)",
            params![xero_user_id, scopes.join(" "), access_expires_at.0, at],
        )?;
        Ok(TokenSetId(self.conn.last_insert_rowid()))
    }

    pub fn token_set(&self, id: TokenSetId) -> Result<TokenSetInfo> {
        self.conn
            .query_row(
                "SELECT id, xero_user_id, scopes, access_expires_at, refreshed_at, needs_reconnect
                 FROM token_sets WHERE id = ?1",
                [id.0],
                |row| {
                    let scopes: String = row.get(2)?;
                    Ok(TokenSetInfo {
                        id: TokenSetId(row.get(0)?),
                        xero_user_id: row.get(1)?,
                        scopes: scopes.split_whitespace().map(str::to_owned).collect(),
                        access_expires_at: UnixMillis(row.get(3)?),
                        lapses_at: UnixMillis(row.get::<_, i64>(4)? + REFRESH_TOKEN_IDLE_LIFETIME_MS),
                        needs_reconnect: row.get(5)?,
                    })
                },
            )
            .map_err(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => {
                    Error::NotFound { what: format!("Xero connection {}", id.0) }
                }
                e => e.into(),
            })
    }

    /// A refresh succeeded: the refresh token is new again, and the set works.
    pub fn record_token_refresh(
        &mut self,
        id: TokenSetId,
        access_expires_at: UnixMillis,
        scopes: &[String],
    ) -> Result<()> {
        self.conn.execute(
            "UPDATE token_sets SET access_expires_at = ?2, refreshed_at = ?3, scopes = ?4, needs_reconnect = 0
             WHERE id = ?1",
            params![id.0, access_expires_at.0, now(), scopes.join(" ")],
        )?;
        Ok(())
    }

    /// Xero refused the token set (`invalid_grant`): it and every file it reaches need a person
    /// to connect again. Their cached data stays as it was.
    pub fn mark_token_set_needs_reconnect(&mut self, id: TokenSetId, reason: &str) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute("UPDATE token_sets SET needs_reconnect = 1 WHERE id = ?1", [id.0])?;
        let state = ConnectionState::NeedsReconnect { reason: reason.to_owned() };
        tx.execute(
            "UPDATE client_files SET connection_state = ?2, connection_reason = ?3, updated_at = ?4
             WHERE token_set_id = ?1",
            params![id.0, state.code(), state.reason(), now()],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The token set that reaches a file, if any.
    pub fn token_set_of(&self, file: crate::model::FileId) -> Result<Option<TokenSetInfo>> {
        let id: Option<i64> = self
            .conn
            .query_row("SELECT token_set_id FROM client_files WHERE id = ?1", [file.0], |row| row.get(0))
            .map_err(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Error::NotFound { what: format!("Client file {}", file.0) },
                e => e.into(),
            })?;
        id.map(|id| self.token_set(TokenSetId(id))).transpose()
    }

    /// Records which token set reaches a file (`None`: no longer reachable).
    pub fn assign_token_set(&mut self, file: crate::model::FileId, id: Option<TokenSetId>) -> Result<()> {
        self.conn.execute(
            "UPDATE client_files SET token_set_id = ?2, updated_at = ?3 WHERE id = ?1",
            params![file.0, id.map(|i| i.0), now()],
        )?;
        Ok(())
    }
}
