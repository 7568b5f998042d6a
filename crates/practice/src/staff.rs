//! Staff and their access: adding and removing staff (login roles), each one's access mode and
//! selected files. Every change goes through an admin function of the schema, which refuses
//! anyone but an admin (or the owner) and writes the audit log; this module only calls them.

use chrono::{DateTime, Utc};

use crate::connect::PracticeDb;
use crate::error::{Error, Result, from_db};
use crate::password::Password;

/// Which client files a staff member may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessMode {
    /// Every file.
    All,
    /// The files granted one by one.
    Selected,
    /// The files whose Xero organisation lists the staff member's email as a user, plus the
    /// files granted one by one.
    MirrorXero,
}

impl AccessMode {
    pub fn code(self) -> &'static str {
        match self {
            AccessMode::All => "all",
            AccessMode::Selected => "selected",
            AccessMode::MirrorXero => "mirror_xero",
        }
    }

    pub fn parse(text: &str) -> Result<Self> {
        match text.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "all" => Ok(AccessMode::All),
            "selected" => Ok(AccessMode::Selected),
            "mirror_xero" | "mirror" => Ok(AccessMode::MirrorXero),
            _ => Err(Error::Invalid(format!("unknown access mode \"{text}\": use all, selected or mirror-xero"))),
        }
    }
}

/// A staff member as the practice database lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staff {
    pub role: String,
    pub display_name: String,
    pub email: String,
    pub is_admin: bool,
    pub access: AccessMode,
}

/// A staff member to add.
#[derive(Debug, Clone)]
pub struct NewStaff {
    /// Their login role; `None` derives it from the email ([`role_from_email`]).
    pub role: Option<String>,
    pub display_name: String,
    pub email: String,
    pub is_admin: bool,
}

/// One file granted to a staff member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileGrant {
    pub role: String,
    pub file_id: i64,
    pub expires_at: Option<DateTime<Utc>>,
}

/// A role name from an email's local part: lower case, every other character an underscore
/// ("Ann.O'Neil@practice.nz" is `ann_o_neil`). Checked again by the database.
pub fn role_from_email(email: &str) -> Result<String> {
    let local = email.split('@').next().unwrap_or_default();
    let mut role: String =
        local.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
    role = role.trim_matches('_').to_owned();
    if role.starts_with(|c: char| c.is_ascii_digit()) {
        role.insert_str(0, "staff_");
    }
    role.truncate(63);
    check_role(&role).map(|()| role)
}

/// The rule the database applies too (practice_check_role_name), checked here first for a
/// clear message before anything is sent.
fn check_role(role: &str) -> Result<()> {
    let mut chars = role.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && role.len() <= 63
        && !role.starts_with("pg_")
        && role != "switchboard_staff";
    if valid {
        Ok(())
    } else {
        Err(Error::Invalid(format!(
            "invalid staff role name \"{role}\": lower-case letters, digits and _, starting with a letter, at most 63"
        )))
    }
}

impl PracticeDb {
    /// Adds a staff member: a login role with this password (sent only as its SCRAM verifier),
    /// in the staff group, access `all` for an admin and `selected` (nothing yet) otherwise.
    /// Returns the role name.
    pub async fn add_staff(&self, staff: &NewStaff, password: &Password) -> Result<String> {
        let role = match &staff.role {
            Some(role) => role.clone(),
            None => role_from_email(&staff.email)?,
        };
        check_role(&role)?;
        if password.expose().chars().count() < 12 {
            return Err(Error::Invalid("a staff password has at least 12 characters".into()));
        }
        let client = self.client().await?;
        client
            .execute(
                "SELECT practice_add_staff($1, $2, $3, $4, $5)",
                &[&role, &staff.display_name.trim(), &staff.email.trim(), &staff.is_admin, &password.scram_verifier()],
            )
            .await
            .map_err(from_db)?;
        Ok(role)
    }

    /// Removes a staff member at once: their role loses its privileges and grants, every open
    /// session of theirs is ended, and the role is dropped. Returns how many sessions ended.
    pub async fn remove_staff(&self, role: &str) -> Result<i32> {
        let client = self.client().await?;
        let row = client.query_one("SELECT practice_remove_staff($1)", &[&role]).await.map_err(from_db)?;
        Ok(row.get(0))
    }

    /// Every staff member, by name.
    pub async fn list_staff(&self) -> Result<Vec<Staff>> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT role_name, display_name, email, is_admin, access_mode FROM staff ORDER BY lower(display_name), role_name",
                &[],
            )
            .await
            .map_err(from_db)?;
        rows.iter()
            .map(|row| {
                Ok(Staff {
                    role: row.get(0),
                    display_name: row.get(1),
                    email: row.get(2),
                    is_admin: row.get(3),
                    access: AccessMode::parse(row.get(4))?,
                })
            })
            .collect()
    }

    /// Sets a staff member's access mode.
    pub async fn set_access(&self, role: &str, mode: AccessMode) -> Result<()> {
        let client = self.client().await?;
        client.execute("SELECT practice_set_access($1, $2)", &[&role, &mode.code()]).await.map_err(from_db)?;
        Ok(())
    }

    /// Grants one client file to a staff member, until `expires_at` (practice clock) or for good.
    /// Granting it again replaces the end.
    pub async fn grant_file(&self, role: &str, file_id: i64, expires_at: Option<DateTime<Utc>>) -> Result<()> {
        let client = self.client().await?;
        client
            .execute("SELECT practice_grant_file($1, $2, $3)", &[&role, &file_id, &expires_at])
            .await
            .map_err(from_db)?;
        Ok(())
    }

    /// Takes one granted file back; `false` when it was not granted.
    pub async fn revoke_file(&self, role: &str, file_id: i64) -> Result<bool> {
        let client = self.client().await?;
        let row = client.query_one("SELECT practice_revoke_file($1, $2)", &[&role, &file_id]).await.map_err(from_db)?;
        Ok(row.get(0))
    }

    /// The grants this role may see: its own, or everyone's for an admin.
    pub async fn file_grants(&self) -> Result<Vec<FileGrant>> {
        let client = self.client().await?;
        let rows = client
            .query("SELECT staff_role, file_id, expires_at FROM file_grants ORDER BY staff_role, file_id", &[])
            .await
            .map_err(from_db)?;
        Ok(rows.iter().map(|row| FileGrant { role: row.get(0), file_id: row.get(1), expires_at: row.get(2) }).collect())
    }

    /// Whether this role is an admin (or the owner).
    pub async fn is_admin(&self) -> Result<bool> {
        let client = self.client().await?;
        Ok(client.query_one("SELECT practice_is_admin()", &[]).await.map_err(from_db)?.get(0))
    }
}

#[cfg(test)]
mod tests {
    use super::{AccessMode, role_from_email};

    #[test]
    fn role_names_come_from_the_email() {
        assert_eq!(role_from_email("Ann.O'Neil@practice.nz").unwrap(), "ann_o_neil");
        assert_eq!(role_from_email("7up@x.nz").unwrap(), "staff_7up");
        assert!(role_from_email("pg_admin@x.nz").is_err());
        assert!(role_from_email("Zoë@x.nz").is_ok_and(|r| r == "zo"));
        assert!(role_from_email("@x.nz").is_err());
    }

    #[test]
    fn access_modes_parse() {
        for mode in [AccessMode::All, AccessMode::Selected, AccessMode::MirrorXero] {
            assert_eq!(AccessMode::parse(mode.code()).unwrap(), mode);
        }
        assert_eq!(AccessMode::parse("mirror-xero").unwrap(), AccessMode::MirrorXero);
        assert!(AccessMode::parse("some").is_err());
    }
}
