//! Client files and the rows that belong to one (XPM link, Client Console settings and users,
//! Xero users), and the audit log. Plain SQL as the signed-in role: row-level security decides
//! what each statement reaches, so a file the role may not see reads as absent and changes to it
//! affect nothing.

use chrono::{DateTime, Utc};
use tokio_postgres::Row;

use crate::connect::PracticeDb;
use crate::error::{Error, Result, from_db};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientFile {
    pub id: i64,
    pub display_name: String,
    pub software: String,
    pub xero_tenant_id: Option<String>,
    /// Changes on every write to the row (the practice's change counter).
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

/// A client file's id and name: all a staff member learns of a file they may not see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileName {
    pub id: i64,
    pub display_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XpmLink {
    pub file_id: i64,
    pub xpm_client_uuid: String,
    pub xpm_client_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleSettings {
    pub enabled: bool,
    /// The client pack holds the client's key figures.
    pub key_reports: bool,
    /// The client pack holds what the client can act on.
    pub action_items: bool,
    /// never, weekly, fortnightly or monthly.
    pub cadence: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleUser {
    pub id: i64,
    pub file_id: i64,
    pub name: String,
    pub email: String,
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    /// The role that made the change, as the database saw it.
    pub actor: String,
    pub file_id: Option<i64>,
    pub file_name: Option<String>,
    pub action: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

const FILE_COLUMNS: &str = "id, display_name, software, xero_tenant_id, version, updated_at";

fn file_of(row: &Row) -> ClientFile {
    ClientFile {
        id: row.get(0),
        display_name: row.get(1),
        software: row.get(2),
        xero_tenant_id: row.get(3),
        version: row.get(4),
        updated_at: row.get(5),
    }
}

fn no_file(id: i64) -> Error {
    Error::NotFound(format!("no client file {id} (or no access to it)"))
}

impl PracticeDb {
    /// The client files this role may see, by name.
    pub async fn list_files(&self) -> Result<Vec<ClientFile>> {
        let client = self.client().await?;
        let sql = format!("SELECT {FILE_COLUMNS} FROM client_files ORDER BY lower(display_name), id");
        Ok(client.query(&sql, &[]).await.map_err(from_db)?.iter().map(file_of).collect())
    }

    /// One client file, if this role may see it.
    pub async fn file(&self, id: i64) -> Result<Option<ClientFile>> {
        let client = self.client().await?;
        let sql = format!("SELECT {FILE_COLUMNS} FROM client_files WHERE id = $1");
        Ok(client.query_opt(&sql, &[&id]).await.map_err(from_db)?.as_ref().map(file_of))
    }

    /// The id and name of every client file of the practice, seen or not (to ask for access).
    pub async fn file_names(&self) -> Result<Vec<FileName>> {
        let client = self.client().await?;
        let rows = client.query("SELECT id, display_name FROM practice_file_names()", &[]).await.map_err(from_db)?;
        Ok(rows.iter().map(|row| FileName { id: row.get(0), display_name: row.get(1) }).collect())
    }

    /// Adds a client file (refused to staff who cannot see every file: nobody has been granted
    /// it yet).
    pub async fn add_file(&self, name: &str, software: &str, xero_tenant_id: Option<&str>) -> Result<ClientFile> {
        let client = self.client().await?;
        let sql = format!(
            "INSERT INTO client_files (display_name, software, xero_tenant_id) VALUES ($1, $2, $3) RETURNING {FILE_COLUMNS}"
        );
        let row = client.query_one(&sql, &[&name.trim(), &software, &xero_tenant_id]).await.map_err(from_db)?;
        Ok(file_of(&row))
    }

    /// Renames a client file if it is still at `version` (the version the edit started from);
    /// a change by someone else meanwhile is reported, never overwritten.
    pub async fn rename_file(&self, id: i64, version: i64, name: &str) -> Result<ClientFile> {
        let client = self.client().await?;
        let sql = format!(
            "UPDATE client_files SET display_name = $3 WHERE id = $1 AND version = $2 RETURNING {FILE_COLUMNS}"
        );
        if let Some(row) = client.query_opt(&sql, &[&id, &version, &name.trim()]).await.map_err(from_db)? {
            return Ok(file_of(&row));
        }
        match self.file(id).await? {
            Some(current) => Err(Error::Conflict { file: id, current: current.version }),
            None => Err(no_file(id)),
        }
    }

    /// Deletes a client file and everything that belongs to it.
    pub async fn delete_file(&self, id: i64) -> Result<()> {
        let client = self.client().await?;
        match client.execute("DELETE FROM client_files WHERE id = $1", &[&id]).await.map_err(from_db)? {
            0 => Err(no_file(id)),
            _ => Ok(()),
        }
    }

    /// Links a client file to an XPM client (replacing any link).
    pub async fn set_xpm_link(&self, link: &XpmLink) -> Result<()> {
        let client = self.client().await?;
        client
            .execute(
                "INSERT INTO xpm_links (file_id, xpm_client_uuid, xpm_client_name) VALUES ($1, $2, $3)
                 ON CONFLICT (file_id) DO UPDATE SET xpm_client_uuid = excluded.xpm_client_uuid,
                                                     xpm_client_name = excluded.xpm_client_name",
                &[&link.file_id, &link.xpm_client_uuid, &link.xpm_client_name],
            )
            .await
            .map_err(from_db)?;
        Ok(())
    }

    /// The XPM links of the files this role may see.
    pub async fn xpm_links(&self) -> Result<Vec<XpmLink>> {
        let client = self.client().await?;
        let rows = client
            .query("SELECT file_id, xpm_client_uuid, xpm_client_name FROM xpm_links ORDER BY file_id", &[])
            .await
            .map_err(from_db)?;
        Ok(rows
            .iter()
            .map(|row| XpmLink { file_id: row.get(0), xpm_client_uuid: row.get(1), xpm_client_name: row.get(2) })
            .collect())
    }

    /// Sets a client file's Client Console settings.
    pub async fn set_console_settings(&self, file_id: i64, settings: &ConsoleSettings) -> Result<()> {
        let client = self.client().await?;
        client
            .execute(
                "INSERT INTO console_settings (file_id, enabled, key_reports, action_items, cadence)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (file_id) DO UPDATE SET enabled = excluded.enabled, key_reports = excluded.key_reports,
                     action_items = excluded.action_items, cadence = excluded.cadence",
                &[&file_id, &settings.enabled, &settings.key_reports, &settings.action_items, &settings.cadence],
            )
            .await
            .map_err(from_db)?;
        Ok(())
    }

    /// A client file's Client Console settings, if set and visible.
    pub async fn console_settings(&self, file_id: i64) -> Result<Option<ConsoleSettings>> {
        let client = self.client().await?;
        let row = client
            .query_opt(
                "SELECT enabled, key_reports, action_items, cadence FROM console_settings WHERE file_id = $1",
                &[&file_id],
            )
            .await
            .map_err(from_db)?;
        Ok(row.map(|row| ConsoleSettings {
            enabled: row.get(0),
            key_reports: row.get(1),
            action_items: row.get(2),
            cadence: row.get(3),
        }))
    }

    /// Adds a Client Console user to a file. Returns their id.
    pub async fn add_console_user(&self, file_id: i64, name: &str, email: &str, role: &str) -> Result<i64> {
        let client = self.client().await?;
        let row = client
            .query_one(
                "INSERT INTO console_users (file_id, name, email, role) VALUES ($1, $2, $3, $4) RETURNING id",
                &[&file_id, &name.trim(), &email.trim(), &role],
            )
            .await
            .map_err(from_db)?;
        Ok(row.get(0))
    }

    /// The Client Console users of the files this role may see.
    pub async fn console_users(&self) -> Result<Vec<ConsoleUser>> {
        let client = self.client().await?;
        let rows = client
            .query("SELECT id, file_id, name, email, role FROM console_users ORDER BY file_id, id", &[])
            .await
            .map_err(from_db)?;
        Ok(rows
            .iter()
            .map(|row| ConsoleUser {
                id: row.get(0),
                file_id: row.get(1),
                name: row.get(2),
                email: row.get(3),
                role: row.get(4),
            })
            .collect())
    }

    /// Replaces the Xero users (by email) of a file's organisation, as fetched from Xero.
    pub async fn set_xero_users(&self, file_id: i64, emails: &[&str]) -> Result<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(from_db)?;
        tx.execute("DELETE FROM xero_users WHERE file_id = $1", &[&file_id]).await.map_err(from_db)?;
        for email in emails {
            tx.execute("INSERT INTO xero_users (file_id, email) VALUES ($1, $2)", &[&file_id, &email.trim()])
                .await
                .map_err(from_db)?;
        }
        tx.commit().await.map_err(from_db)
    }

    /// The Xero users (file id, email) of the files this role may see.
    pub async fn xero_users(&self) -> Result<Vec<(i64, String)>> {
        let client = self.client().await?;
        let rows = client
            .query("SELECT file_id, email FROM xero_users ORDER BY file_id, email", &[])
            .await
            .map_err(from_db)?;
        Ok(rows.iter().map(|row| (row.get(0), row.get(1))).collect())
    }

    /// The most recent audit entries this role may see (the files it may see; everything for an
    /// admin), newest first.
    pub async fn audit_log(&self, limit: i64) -> Result<Vec<AuditEntry>> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT at, actor, file_id, file_name, action, old_value, new_value FROM audit_log ORDER BY id DESC LIMIT $1",
                &[&limit],
            )
            .await
            .map_err(from_db)?;
        Ok(rows
            .iter()
            .map(|row| AuditEntry {
                at: row.get(0),
                actor: row.get(1),
                file_id: row.get(2),
                file_name: row.get(3),
                action: row.get(4),
                old_value: row.get(5),
                new_value: row.get(6),
            })
            .collect())
    }
}
