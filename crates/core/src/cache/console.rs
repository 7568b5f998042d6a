//! Client Console settings and users of each file. Every change is audited in the transaction
//! that makes it.

use rusqlite::{Row, Transaction, params};

use super::client_files::optional;
use super::{Cache, now};
use crate::access::email::email_key;
use crate::error::{Error, Result};
use crate::model::{FileId, UnixMillis};
use crate::settings::console::{ConsoleRole, ConsoleSettings, ConsoleUser, ConsoleUserDraft, PackCadence};

/// The file's display name, or "not found" (every change below needs the file to exist).
pub(super) fn file_name(tx: &rusqlite::Connection, file: FileId) -> Result<String> {
    optional(tx.query_row("SELECT display_name FROM client_files WHERE id = ?1", [file.0], |row| row.get(0)))?
        .ok_or_else(|| Error::NotFound { what: format!("Client file {}", file.0) })
}

fn read_settings(tx: &rusqlite::Connection, file: FileId) -> Result<ConsoleSettings> {
    let stored = optional(tx.query_row(
        "SELECT enabled, key_reports, action_items, cadence FROM console_settings WHERE file_id = ?1",
        [file.0],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get::<_, String>(3)?)),
    ))?;
    Ok(match stored {
        None => ConsoleSettings::default(),
        Some((enabled, key_reports, action_items, cadence)) => ConsoleSettings {
            enabled,
            key_reports,
            action_items,
            // A cadence this version does not know reads as "never" (the safer of the two).
            cadence: PackCadence::from_code(&cadence).unwrap_or(PackCadence::Never),
        },
    })
}

const SELECT_USERS: &str = "SELECT id, file_id, name, email, role, updated_at FROM console_users";

fn read_user(row: &Row<'_>) -> rusqlite::Result<ConsoleUser> {
    let role: String = row.get(4)?;
    Ok(ConsoleUser {
        id: row.get(0)?,
        file_id: FileId(row.get(1)?),
        name: row.get(2)?,
        email: row.get(3)?,
        role: ConsoleRole::from_code(&role).unwrap_or(ConsoleRole::Viewer),
        updated_at: UnixMillis(row.get(5)?),
    })
}

fn user_in(tx: &Transaction<'_>, file: FileId, user: i64) -> Result<ConsoleUser> {
    optional(tx.query_row(&format!("{SELECT_USERS} WHERE id = ?1 AND file_id = ?2"), params![user, file.0], read_user))?
        .ok_or_else(|| Error::NotFound { what: "That console user".to_owned() })
}

/// Refuses an email another console user of the same file already has.
fn refuse_duplicate(tx: &Transaction<'_>, file: FileId, client: &str, email: &str, except: Option<i64>) -> Result<()> {
    let other: Option<(String, String)> = optional(tx.query_row(
        "SELECT name, email FROM console_users WHERE file_id = ?1 AND email_key = ?2 AND id IS NOT ?3",
        params![file.0, email_key(email), except],
        |row| Ok((row.get(0)?, row.get(1)?)),
    ))?;
    match other {
        Some((name, existing)) => Err(Error::InvalidInput(format!(
            "{existing} is already a console user of {client} ({name}); each email can be added once."
        ))),
        None => Ok(()),
    }
}

fn describe(user: &ConsoleUserDraft) -> String {
    format!("{} <{}>, {}", user.name, user.email, user.role.code())
}

impl Cache {
    pub fn console_settings(&self, file: FileId) -> Result<ConsoleSettings> {
        file_name(&self.conn, file)?;
        read_settings(&self.conn, file)
    }

    /// Saves valid settings (audited with before and after); invalid ones change nothing.
    pub fn save_console_settings(&mut self, file: FileId, settings: &ConsoleSettings) -> Result<ConsoleSettings> {
        settings.validate()?;
        let tx = super::write_transaction(&mut self.conn)?;
        let name = file_name(&tx, file)?;
        let old = read_settings(&tx, file)?;
        tx.execute(
            "INSERT INTO console_settings (file_id, enabled, key_reports, action_items, cadence, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (file_id) DO UPDATE SET enabled = ?2, key_reports = ?3, action_items = ?4,
                 cadence = ?5, updated_at = ?6",
            params![
                file.0,
                settings.enabled,
                settings.key_reports,
                settings.action_items,
                settings.cadence.code(),
                now()
            ],
        )?;
        if old != *settings {
            super::audit::record(
                &tx,
                &self.actor,
                file,
                &name,
                "console_settings",
                Some(&old.summary()),
                Some(&settings.summary()),
            )?;
        }
        tx.commit()?;
        Ok(*settings)
    }

    /// The file's console users, by name.
    pub fn console_users(&self, file: FileId) -> Result<Vec<ConsoleUser>> {
        file_name(&self.conn, file)?;
        let mut stmt =
            self.conn.prepare_cached(&format!("{SELECT_USERS} WHERE file_id = ?1 ORDER BY name COLLATE NOCASE, id"))?;
        let rows = stmt.query_map([file.0], read_user)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    pub fn add_console_user(&mut self, file: FileId, draft: &ConsoleUserDraft) -> Result<ConsoleUser> {
        let user = draft.validated()?;
        let tx = super::write_transaction(&mut self.conn)?;
        let client = file_name(&tx, file)?;
        refuse_duplicate(&tx, file, &client, &user.email, None)?;
        let at = now();
        tx.execute(
            "INSERT INTO console_users (file_id, name, email, email_key, role, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            params![file.0, user.name, user.email, email_key(&user.email), user.role.code(), at],
        )?;
        let id = tx.last_insert_rowid();
        super::audit::record(&tx, &self.actor, file, &client, "console_user_add", None, Some(&describe(&user)))?;
        let added = user_in(&tx, file, id)?;
        tx.commit()?;
        Ok(added)
    }

    pub fn update_console_user(&mut self, file: FileId, user_id: i64, draft: &ConsoleUserDraft) -> Result<ConsoleUser> {
        let user = draft.validated()?;
        let tx = super::write_transaction(&mut self.conn)?;
        let client = file_name(&tx, file)?;
        let old = user_in(&tx, file, user_id)?;
        refuse_duplicate(&tx, file, &client, &user.email, Some(user_id))?;
        tx.execute(
            "UPDATE console_users SET name = ?3, email = ?4, email_key = ?5, role = ?6, updated_at = ?7
             WHERE id = ?1 AND file_id = ?2",
            params![user_id, file.0, user.name, user.email, email_key(&user.email), user.role.code(), now()],
        )?;
        let before = ConsoleUserDraft { name: old.name, email: old.email, role: old.role };
        if before != user {
            super::audit::record(
                &tx,
                &self.actor,
                file,
                &client,
                "console_user_edit",
                Some(&describe(&before)),
                Some(&describe(&user)),
            )?;
        }
        let updated = user_in(&tx, file, user_id)?;
        tx.commit()?;
        Ok(updated)
    }

    pub fn remove_console_user(&mut self, file: FileId, user_id: i64) -> Result<()> {
        let tx = super::write_transaction(&mut self.conn)?;
        let client = file_name(&tx, file)?;
        let old = user_in(&tx, file, user_id)?;
        tx.execute("DELETE FROM console_users WHERE id = ?1 AND file_id = ?2", params![user_id, file.0])?;
        let before = ConsoleUserDraft { name: old.name, email: old.email, role: old.role };
        super::audit::record(&tx, &self.actor, file, &client, "console_user_remove", Some(&describe(&before)), None)?;
        tx.commit()?;
        Ok(())
    }
}
