//! Who can reach each organisation in Xero, as last fetched, and the reverse view by email.

use rusqlite::params;

use super::client_files::optional;
use super::console::file_name;
use super::{Cache, now};
use crate::access::email::email_key;
use crate::access::users::{StaffAccess, StaffAccessRow, UserAccess, XeroUser};
use crate::error::{Error, Result};
use crate::model::{FileId, UnixMillis};

/// What a users fetch was; `newest_update`: the latest `UpdatedDateUTC` among the users it brought.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsersFetch {
    Full { newest_update: Option<UnixMillis> },
    Changes { newest_update: Option<UnixMillis> },
}

impl Cache {
    /// Replaces a file's cached users with a fresh list from Xero, in one transaction.
    pub fn replace_xero_users(&mut self, file: FileId, users: &[XeroUser]) -> Result<()> {
        self.store_xero_users(file, users, UsersFetch::Full { newest_update: None })
    }

    /// Stores what a users fetch brought: a full list replaces the cached one; changes (users
    /// created or modified since the newest cached change) are merged into it. In one transaction.
    pub fn store_xero_users(&mut self, file: FileId, users: &[XeroUser], fetch: UsersFetch) -> Result<()> {
        let tx = super::write_transaction(&mut self.conn)?;
        file_name(&tx, file)?;
        let at = now();
        match fetch {
            UsersFetch::Full { newest_update } => {
                tx.execute("DELETE FROM xero_users WHERE file_id = ?1", [file.0])?;
                tx.execute(
                    "INSERT INTO xero_users_fetched (file_id, fetched_at, newest_update_at, full_at) VALUES (?1, ?2, ?3, ?2)
                     ON CONFLICT (file_id) DO UPDATE SET fetched_at = ?2, newest_update_at = ?3, full_at = ?2",
                    params![file.0, at, newest_update.map(|t| t.0)],
                )?;
            }
            UsersFetch::Changes { newest_update } => {
                // The newest change known stays the newest when Xero reports none.
                tx.execute(
                    "UPDATE xero_users_fetched SET fetched_at = ?2, newest_update_at = MAX(COALESCE(newest_update_at, ?3), COALESCE(?3, newest_update_at))
                     WHERE file_id = ?1",
                    params![file.0, at, newest_update.map(|t| t.0)],
                )?;
            }
        }
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR REPLACE INTO xero_users (file_id, user_id, first_name, last_name, email, email_key, role, is_subscriber)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            for u in users {
                insert.execute(params![
                    file.0,
                    u.user_id,
                    u.first_name,
                    u.last_name,
                    u.email,
                    email_key(&u.email),
                    u.role,
                    u.is_subscriber
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// What the next users refresh of a file may ask Xero for: changes since the newest cached
    /// change, or (`None`) the full list, when there is no full list since `full_after`.
    pub fn users_changed_since(&self, file: FileId, full_after: UnixMillis) -> Result<Option<UnixMillis>> {
        let row: Option<(Option<i64>, Option<i64>)> = optional(self.conn.query_row(
            "SELECT newest_update_at, full_at FROM xero_users_fetched WHERE file_id = ?1",
            [file.0],
            |row| Ok((row.get(0)?, row.get(1)?)),
        ))?;
        Ok(match row {
            Some((Some(newest), Some(full_at))) if full_at >= full_after.0 => Some(UnixMillis(newest)),
            _ => None,
        })
    }

    /// A file's users as last fetched (subscriber first, then by name), readable offline.
    pub fn user_access(&self, file: FileId) -> Result<UserAccess> {
        file_name(&self.conn, file)?;
        let short_code: Option<String> =
            self.conn
                .query_row("SELECT xero_short_code FROM client_files WHERE id = ?1", [file.0], |row| row.get(0))?;
        let fetched_at: Option<i64> = optional(self.conn.query_row(
            "SELECT fetched_at FROM xero_users_fetched WHERE file_id = ?1",
            [file.0],
            |row| row.get(0),
        ))?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT user_id, first_name, last_name, email, role, is_subscriber FROM xero_users WHERE file_id = ?1
             ORDER BY is_subscriber DESC, first_name COLLATE NOCASE, last_name COLLATE NOCASE, email_key",
        )?;
        let users = stmt
            .query_map([file.0], |row| {
                Ok(XeroUser {
                    user_id: row.get(0)?,
                    first_name: row.get(1)?,
                    last_name: row.get(2)?,
                    email: row.get(3)?,
                    role: row.get(4)?,
                    is_subscriber: row.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let manage_url = short_code
            .as_deref()
            .and_then(|code| crate::browser::link_allowlist::xero_users_url(code).ok())
            .map(|url| url.to_string());
        Ok(UserAccess { file_id: file, users, fetched_at: fetched_at.map(UnixMillis), manage_url })
    }

    /// Every client file `email` can reach in Xero, by client name, as of each file's last fetch.
    pub fn staff_access(&self, email: &str) -> Result<StaffAccess> {
        let email = email.trim();
        if email.is_empty() {
            return Err(Error::InvalidInput("Type the email address of the person to look up.".to_owned()));
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT f.id, f.display_name, u.first_name, u.last_name, u.role, u.is_subscriber, d.fetched_at
             FROM xero_users u JOIN client_files f ON f.id = u.file_id JOIN xero_users_fetched d ON d.file_id = u.file_id
             WHERE u.email_key = ?1 ORDER BY f.display_name COLLATE NOCASE, f.id",
        )?;
        let files = stmt
            .query_map([email_key(email)], |row| {
                let first: String = row.get(2)?;
                let last: String = row.get(3)?;
                Ok(StaffAccessRow {
                    file_id: FileId(row.get(0)?),
                    display_name: row.get(1)?,
                    user_name: format!("{first} {last}").trim().to_owned(),
                    role: row.get(4)?,
                    is_subscriber: row.get(5)?,
                    fetched_at: UnixMillis(row.get(6)?),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let never: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM client_files f WHERE f.software = 'xero'
               AND NOT EXISTS (SELECT 1 FROM xero_users_fetched d WHERE d.file_id = f.id)",
            [],
            |row| row.get(0),
        )?;
        Ok(StaffAccess { email: email.to_owned(), files, files_never_checked: never as u32 })
    }
}
