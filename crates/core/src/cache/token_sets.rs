//! What the cache knows about Xero token sets: their owner, scopes and lifetimes. Never a token.

use rusqlite::{Connection, params};
use serde::Serialize;
use ts_rs::TS;

use super::{Cache, now};
use crate::error::{Error, Result};
use crate::model::{ConnectionState, UnixMillis};

/// Unused refresh tokens expire after 60 days
/// (<https://developer.xero.com/documentation/guides/oauth2/auth-flow/>).
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

/// A token set nothing uses any more, already removed from the cache; its tokens are still in the
/// credential store for the caller to read (to revoke it) and remove.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetiredTokenSet {
    pub id: TokenSetId,
    pub xero_user_id: Option<String>,
    /// Its tokens are still in the single entry every set had before migration 008.
    pub legacy_entry: bool,
    /// Revoking it at Xero disconnects nothing Switchboard still uses: its Xero user is known, and
    /// no token set still in use belongs to that user (see `xero::retire`).
    pub revoke: bool,
}

/// Removes the token set from the cache when no client file and not the practice's XPM connection
/// uses it (inside the caller's transaction, so nothing can start using it meanwhile).
pub(super) fn retire_if_unused(conn: &Connection, id: TokenSetId) -> Result<Option<RetiredTokenSet>> {
    let xpm_key = crate::xpm::refresh::TOKEN_SET_KEY;
    let in_use = |set: &str| {
        format!(
            "(EXISTS (SELECT 1 FROM client_files WHERE token_set_id = {set})
              OR EXISTS (SELECT 1 FROM settings WHERE key = ?2 AND value = CAST({set} AS TEXT)))"
        )
    };
    let row: Option<(Option<String>, bool, bool, bool)> = super::client_files::optional(conn.query_row(
        &format!(
            "SELECT s.xero_user_id, s.legacy_entry, {used},
                    EXISTS (SELECT 1 FROM token_sets o WHERE o.id != s.id AND o.xero_user_id = s.xero_user_id AND {other_used})
             FROM token_sets s WHERE s.id = ?1",
            used = in_use("s.id"),
            other_used = in_use("o.id"),
        ),
        params![id.0, xpm_key],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
    ))?;
    let Some((xero_user_id, legacy_entry, used, user_still_connected)) = row else { return Ok(None) };
    if used {
        return Ok(None);
    }
    conn.execute("DELETE FROM token_sets WHERE id = ?1", [id.0])?;
    let revoke = xero_user_id.is_some() && !user_still_connected;
    Ok(Some(RetiredTokenSet { id, xero_user_id, legacy_entry, revoke }))
}

impl Cache {
    /// Retires the token set if nothing uses it any more (see [`RetiredTokenSet`]); `None`: it is
    /// still used, or already gone.
    pub fn retire_token_set_if_unused(&mut self, id: TokenSetId) -> Result<Option<RetiredTokenSet>> {
        let tx = super::write_transaction(&mut self.conn)?;
        let retired = retire_if_unused(&tx, id)?;
        tx.commit()?;
        Ok(retired)
    }

    /// Whether the set's tokens are still in the entry every set had before migration 008.
    pub fn token_set_in_legacy_entry(&self, id: TokenSetId) -> Result<bool> {
        let legacy: Option<bool> = super::client_files::optional(self.conn.query_row(
            "SELECT legacy_entry FROM token_sets WHERE id = ?1",
            [id.0],
            |row| row.get(0),
        ))?;
        Ok(legacy.unwrap_or(false))
    }

    /// The set's tokens have moved out of the legacy entry.
    pub fn token_set_left_legacy_entry(&mut self, id: TokenSetId) -> Result<()> {
        self.conn.execute("UPDATE token_sets SET legacy_entry = 0 WHERE id = ?1", [id.0])?;
        Ok(())
    }

    /// How many token sets the cache holds.
    pub fn token_set_count(&self) -> Result<u32> {
        Ok(self.conn.query_row("SELECT count(*) FROM token_sets", [], |row| row.get(0))?)
    }

    /// The token set assigned to the file connected to `tenant_id`, if any.
    pub fn token_set_of_tenant(&self, tenant_id: &str) -> Result<Option<TokenSetId>> {
        let id: Option<Option<i64>> = super::client_files::optional(self.conn.query_row(
            "SELECT token_set_id FROM client_files WHERE xero_tenant_id = ?1",
            [tenant_id],
            |row| row.get(0),
        ))?;
        Ok(id.flatten().map(TokenSetId))
    }

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
                rusqlite::Error::QueryReturnedNoRows => Error::NotFound { what: format!("Xero connection {}", id.0) },
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
        let tx = super::write_transaction(&mut self.conn)?;
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
