//! Adding one client file by hand: a name, its software, optionally the XPM client it belongs to.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{duplicate_warning, name_counts, name_key, software};
use crate::cache::{Cache, NewFile, validate_name};
use crate::error::{Error, Result};
use crate::model::{AccountingSoftware, ClientFile};

/// What the Add client dialog (or `switchboard add`) sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NewClient {
    pub name: String,
    pub software: AccountingSoftware,
    /// The uuid of a cached XPM client to link the new file to.
    pub xpm_client_uuid: Option<String>,
}

/// A name the list already has is not refused (two clients may share a name); the person is
/// told, and the file is added once they confirm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum AddClientOutcome {
    Added {
        file: Box<ClientFile>,
        /// Set when the name was already in the list and the person confirmed.
        warning: Option<String>,
    },
    /// Nothing was written: the name is already in the list. Ask, then add with `confirmed`.
    NeedsConfirmation { warning: String },
}

/// Adds a not-connected file (audited as `add`). Without `confirmed`, a name already in the list
/// returns [`AddClientOutcome::NeedsConfirmation`] and writes nothing.
pub fn add_client(cache: &mut Cache, new: &NewClient, confirmed: bool) -> Result<AddClientOutcome> {
    let name = validate_name(&new.name)?;
    let software = software::checked(new.software.clone())?;
    let xpm_client_uuid = match new.xpm_client_uuid.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        Some(uuid) => {
            if !cache.xpm_uuids()?.contains(uuid) {
                return Err(Error::NotFound { what: format!("XPM client {uuid}") });
            }
            Some(uuid.to_owned())
        }
        None => None,
    };
    let same = name_counts(cache.file_names()?).get(&name_key(&name)).copied().unwrap_or(0);
    let warning = (same > 0).then(|| duplicate_warning(&name, same));
    if let (Some(warning), false) = (&warning, confirmed) {
        return Ok(AddClientOutcome::NeedsConfirmation { warning: warning.clone() });
    }
    let ids = cache.insert_new_files(&[NewFile { name, software, xpm_client_uuid }], "add")?;
    Ok(AddClientOutcome::Added { file: Box::new(cache.file(ids[0])?), warning })
}
