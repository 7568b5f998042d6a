//! Client packs sent, or tried, per console user: what the cadence counts from, what the next
//! sync retries, and what the Console settings dialog shows. Each attempt is audited in the
//! transaction that records it.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use super::Cache;
use super::console::file_name;
use crate::client_packs::delivery::{PackDelivery, PackTrigger};
use crate::error::Result;
use crate::model::{FileId, UnixMillis};
use crate::settings::console::{ConsoleSettings, ConsoleUser};

/// The outcome of one attempt, as recorded.
pub struct PackAttempt<'a> {
    pub user: &'a ConsoleUser,
    pub at: UnixMillis,
    pub on: NaiveDate,
    pub trigger: PackTrigger,
    /// `Err(why)` when the mail server did not take it.
    pub outcome: std::result::Result<(), &'a str>,
    /// What the pack held, for the audit log.
    pub summary: &'a str,
}

impl Cache {
    /// Records one attempt and its audit entry. A user removed meanwhile gets no row (nothing is
    /// left to retry for them); the attempt is still audited.
    pub fn record_pack_attempt(&mut self, file: FileId, attempt: &PackAttempt<'_>) -> Result<()> {
        let tx = super::write_transaction(&mut self.conn)?;
        let client = file_name(&tx, file)?;
        tx.execute(
            "INSERT INTO pack_deliveries (file_id, user_id, email, attempted_at, attempted_on, sent, failure, reason)
             SELECT ?1, id, email, ?3, ?4, ?5, ?6, ?7 FROM console_users WHERE id = ?2 AND file_id = ?1",
            params![
                file.0,
                attempt.user.id,
                attempt.at.0,
                attempt.on.to_string(),
                attempt.outcome.is_ok(),
                attempt.outcome.err(),
                attempt.trigger.code()
            ],
        )?;
        let to = attempt.user.mailbox();
        let (action, detail) = match attempt.outcome {
            Ok(()) => ("client_pack_sent", format!("to {to} ({}): {}", attempt.trigger.code(), attempt.summary)),
            Err(why) => ("client_pack_failed", format!("to {to} ({}): {why}", attempt.trigger.code())),
        };
        super::audit::record(&tx, &self.actor, file, &client, action, None, Some(&detail))?;
        tx.commit()?;
        Ok(())
    }

    /// The local date of the last pack that reached the user, if any.
    pub fn last_pack_sent_on(&self, user_id: i64) -> Result<Option<NaiveDate>> {
        let on: Option<String> = self
            .conn
            .prepare_cached("SELECT MAX(attempted_on) FROM pack_deliveries WHERE user_id = ?1 AND sent = 1")?
            .query_row([user_id], |row| row.get(0))
            .optional()?
            .flatten();
        Ok(on.and_then(|text| NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok()))
    }

    /// Each console user's latest attempt, by name (users never sent to are left out).
    pub fn latest_pack_deliveries(&self, file: FileId) -> Result<Vec<PackDelivery>> {
        file_name(&self.conn, file)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.user_id, u.name, d.email, d.attempted_at, d.sent, d.failure, d.reason
             FROM pack_deliveries d JOIN console_users u ON u.id = d.user_id
             WHERE d.file_id = ?1
               AND d.id = (SELECT MAX(id) FROM pack_deliveries WHERE user_id = d.user_id)
             ORDER BY u.name COLLATE NOCASE, u.id",
        )?;
        let rows = stmt.query_map([file.0], |row| {
            Ok(PackDelivery {
                user_id: row.get(0)?,
                name: row.get(1)?,
                email: row.get(2)?,
                at: UnixMillis(row.get(3)?),
                sent: row.get(4)?,
                failure: row.get(5)?,
                trigger: PackTrigger::from_code(&row.get::<_, String>(6)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Files whose console is on and sends on a cadence, with their settings.
    pub fn files_with_pack_cadence(&self) -> Result<Vec<(FileId, ConsoleSettings)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT file_id FROM console_settings WHERE enabled = 1 AND cadence <> 'never' ORDER BY file_id",
        )?;
        let files: Vec<FileId> =
            stmt.query_map([], |row| Ok(FileId(row.get(0)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
        files.into_iter().map(|f| Ok((f, self.console_settings(f)?))).collect()
    }
}
