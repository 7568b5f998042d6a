//! Importing the practice's XPM clients as client files: every cached XPM client that is a
//! current client (not archived, not deleted, not a prospect) and that no file links to yet
//! becomes a not-connected file linked to it. Run again, it adds only what is new.

use std::collections::HashSet;

use serde::Serialize;
use ts_rs::TS;

use super::{clean_remote_name, name_counts, name_key};
use crate::cache::{Cache, NewFile};
use crate::error::Result;
use crate::model::AccountingSoftware;
use crate::xpm::XpmClientRecord;

/// How many rows of each list a preview carries (the counts cover them all).
pub const PREVIEW_ROWS: usize = 20;

/// Why an XPM client is not imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// A file already links to it.
    AlreadyLinked,
    Deleted,
    Archived,
    Prospect,
    /// Its name is empty (or too long) once control characters are removed.
    UnusableName,
}

impl SkipReason {
    pub fn label(self) -> &'static str {
        match self {
            Self::AlreadyLinked => "already linked to a client file",
            Self::Deleted => "deleted in XPM",
            Self::Archived => "archived in XPM",
            Self::Prospect => "a prospect, not a client yet",
            Self::UnusableName => "its name cannot be used",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct XpmImportRow {
    pub xpm_client_uuid: String,
    /// The name the new file will have.
    pub name: String,
    pub client_code: Option<String>,
    /// The list already has a file with this name (it is still imported).
    pub name_in_list: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct XpmSkippedRow {
    pub name: String,
    pub reason: SkipReason,
}

/// What an import would do, before anything is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct XpmImportPreview {
    /// XPM clients in the cache.
    pub cached: u32,
    pub to_add: u32,
    /// The first [`PREVIEW_ROWS`] of the files to add.
    pub first_rows: Vec<XpmImportRow>,
    /// Of `to_add`, how many take a name the list already has.
    pub names_in_list: u32,
    pub already_linked: u32,
    pub archived: u32,
    pub deleted: u32,
    pub prospects: u32,
    pub unusable_names: u32,
    /// The first [`PREVIEW_ROWS`] skipped clients, with why.
    pub first_skipped: Vec<XpmSkippedRow>,
}

/// The files an import would add, and the preview that describes them.
pub struct XpmImportPlan {
    pub files: Vec<NewFile>,
    pub preview: XpmImportPreview,
}

/// Works out the import from the cache alone (no call to XPM: refresh it first for fresh data).
pub fn plan(cache: &Cache) -> Result<XpmImportPlan> {
    let records = cache.xpm_records()?;
    let links = cache.file_link_rows()?;
    let linked: HashSet<&str> = links.iter().filter_map(|f| f.xpm_client_uuid.as_deref()).collect();
    let names = name_counts(links.iter().map(|f| f.display_name.clone()));
    let mut preview = XpmImportPreview {
        cached: records.len() as u32,
        to_add: 0,
        first_rows: Vec::new(),
        names_in_list: 0,
        already_linked: 0,
        archived: 0,
        deleted: 0,
        prospects: 0,
        unusable_names: 0,
        first_skipped: Vec::new(),
    };
    let mut files = Vec::new();
    for r in &records {
        match decide(r, &linked) {
            Ok(name) => {
                let name_in_list = names.contains_key(&name_key(&name));
                preview.names_in_list += u32::from(name_in_list);
                if preview.first_rows.len() < PREVIEW_ROWS {
                    preview.first_rows.push(XpmImportRow {
                        xpm_client_uuid: r.uuid.clone(),
                        name: name.clone(),
                        client_code: r.client_code.clone(),
                        name_in_list,
                    });
                }
                files.push(NewFile { name, software: AccountingSoftware::None, xpm_client_uuid: Some(r.uuid.clone()) });
            }
            Err(reason) => {
                *match reason {
                    SkipReason::AlreadyLinked => &mut preview.already_linked,
                    SkipReason::Deleted => &mut preview.deleted,
                    SkipReason::Archived => &mut preview.archived,
                    SkipReason::Prospect => &mut preview.prospects,
                    SkipReason::UnusableName => &mut preview.unusable_names,
                } += 1;
                if preview.first_skipped.len() < PREVIEW_ROWS {
                    preview.first_skipped.push(XpmSkippedRow { name: r.name.clone(), reason });
                }
            }
        }
    }
    preview.to_add = files.len() as u32;
    Ok(XpmImportPlan { files, preview })
}

/// The name of the file an XPM client becomes, or why it is skipped. A client that is already
/// linked says so first: that is the reason a person re-running the import expects to read.
fn decide(r: &XpmClientRecord, linked: &HashSet<&str>) -> std::result::Result<String, SkipReason> {
    if linked.contains(r.uuid.as_str()) {
        return Err(SkipReason::AlreadyLinked);
    }
    if r.deleted {
        return Err(SkipReason::Deleted);
    }
    if r.archived {
        return Err(SkipReason::Archived);
    }
    if r.prospect {
        return Err(SkipReason::Prospect);
    }
    clean_remote_name(&r.name).map_err(|_| SkipReason::UnusableName)
}

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ImportOutcome {
    pub added: u32,
}

/// Imports every XPM client the preview would add, in one transaction (all or none). The plan is
/// made again here, so what is imported is what the cache holds now.
pub fn import(cache: &mut Cache) -> Result<ImportOutcome> {
    let plan = plan(cache)?;
    let ids = cache.insert_new_files(&plan.files, "import_xpm")?;
    Ok(ImportOutcome { added: ids.len() as u32 })
}
