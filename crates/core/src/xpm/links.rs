//! Links between client files and XPM clients: making them (staff only, audited), and what is
//! wrong with the ones there are: two files on one XPM client (a conflict), or a link to a client
//! XPM has since archived or deleted (flagged, never silently dropped).

use std::collections::HashMap;

use serde::Serialize;
use ts_rs::TS;

use crate::Cache;
use crate::error::{Error, Result};
use crate::model::{ClientFile, FileId};

/// A file, by id and the name staff see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FileRef {
    pub id: FileId,
    pub name: String,
}

/// Two or more files linked to the same XPM client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct XpmConflict {
    pub xpm_uuid: String,
    pub xpm_name: String,
    pub files: Vec<FileRef>,
}

/// A file linked to an XPM client that XPM now says is archived or deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FlaggedLink {
    pub file: FileRef,
    pub xpm_uuid: String,
    pub xpm_name: String,
    /// A sentence for the person: what happened in XPM and what to do.
    pub problem: String,
}

/// Links or (with `None`) unlinks a file. A client deleted in XPM cannot be newly chosen; one
/// archived can (practices link old files to archived clients on purpose).
pub fn link(cache: &mut Cache, file: FileId, xpm_uuid: Option<&str>) -> Result<ClientFile> {
    if let Some(uuid) = xpm_uuid {
        let records = cache.xpm_records()?;
        let record = records
            .iter()
            .find(|r| r.uuid == uuid)
            .ok_or_else(|| Error::NotFound { what: "That XPM client".to_owned() })?;
        if record.deleted {
            return Err(Error::InvalidInput(format!(
                "\"{}\" is deleted in XPM, so it cannot be linked. Choose another XPM client.",
                crate::xero::printable(&record.name, 120)
            )));
        }
    }
    cache.link_xpm_client(file, xpm_uuid)
}

/// Conflicts and flagged links, from what the cache holds now.
pub fn problems(cache: &Cache) -> Result<(Vec<XpmConflict>, Vec<FlaggedLink>)> {
    let records: HashMap<String, crate::xpm::XpmClientRecord> =
        cache.xpm_records()?.into_iter().map(|r| (r.uuid.clone(), r)).collect();
    let mut by_client: HashMap<&str, Vec<FileRef>> = HashMap::new();
    let rows = cache.file_link_rows()?;
    let mut flagged = Vec::new();
    for row in &rows {
        let Some(uuid) = row.xpm_client_uuid.as_deref() else { continue };
        let file = FileRef { id: row.id, name: row.display_name.clone() };
        by_client.entry(uuid).or_default().push(file.clone());
        if let Some(r) = records.get(uuid).filter(|r| r.deleted || r.archived) {
            let what = if r.deleted { "deleted" } else { "archived" };
            flagged.push(FlaggedLink {
                file,
                xpm_uuid: uuid.to_owned(),
                xpm_name: r.name.clone(),
                problem: format!("This XPM client was {what} in XPM. Link the file to the client it belongs to now, or remove the link."),
            });
        }
    }
    let mut conflicts: Vec<XpmConflict> = by_client
        .into_iter()
        .filter(|(_, files)| files.len() > 1)
        .map(|(uuid, files)| XpmConflict {
            xpm_uuid: uuid.to_owned(),
            xpm_name: records.get(uuid).map(|r| r.name.clone()).unwrap_or_default(),
            files,
        })
        .collect();
    conflicts.sort_by(|a, b| a.xpm_name.cmp(&b.xpm_name).then(a.xpm_uuid.cmp(&b.xpm_uuid)));
    Ok((conflicts, flagged))
}
