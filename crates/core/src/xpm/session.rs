//! What the shell calls for XPM: its status, the cached clients, links and the "Link XPM clients"
//! review screen. Connecting XPM and refreshing its clients run on [`Session::xero`]'s context
//! ([`super::refresh`]).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::XpmClientRecord;
use super::links::{FlaggedLink, XpmConflict, link, problems};
use super::refresh::XpmStatus;
use super::suggest::{XpmSuggestion, facts_of, first_per_file, suggest};
use crate::error::ErrorPayload;
use crate::model::{ClientFile, FileId};
use crate::session::Session;

/// The "Link XPM clients" review screen: the best suggestion of every file with no link, links
/// to clients XPM archived or deleted, and XPM clients linked from more than one file.
#[derive(Debug, Clone, Serialize, TS)]
pub struct XpmReview {
    pub suggestions: Vec<XpmSuggestion>,
    pub flagged: Vec<FlaggedLink>,
    pub conflicts: Vec<XpmConflict>,
}

/// One link a person confirmed on the review screen.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct XpmLinkChoice {
    pub file_id: FileId,
    pub xpm_uuid: String,
}

impl Session {
    pub fn xpm_status(&self) -> Result<XpmStatus, ErrorPayload> {
        Ok(super::refresh::status(&*self.cache()?)?)
    }

    /// Every cached XPM client (the pop-up searches them itself, so a keystroke needs no call).
    pub fn xpm_clients(&self) -> Result<Vec<XpmClientRecord>, ErrorPayload> {
        Ok(self.cache()?.xpm_records()?)
    }

    /// Links a file to an XPM client, changes its link, or (with `None`) removes it; audited.
    pub fn link_xpm(&self, file: FileId, xpm_uuid: Option<&str>) -> Result<ClientFile, ErrorPayload> {
        Ok(link(&mut *self.cache()?, file, xpm_uuid)?)
    }

    /// Suggested XPM clients for one file (best first), also when it is linked already.
    pub fn xpm_suggestions(&self, file: FileId) -> Result<Vec<XpmSuggestion>, ErrorPayload> {
        let cache = self.cache()?;
        let facts = facts_of(&cache.file_link_rows()?);
        let clients = cache.xpm_records()?;
        let all = suggest(&facts, &clients, true);
        Ok(all.into_iter().filter(|s| s.file_id == file).collect())
    }

    /// Everything the review screen shows; re-run at any time, nothing is applied.
    pub fn xpm_review(&self) -> Result<XpmReview, ErrorPayload> {
        let cache = self.cache()?;
        let facts = facts_of(&cache.file_link_rows()?);
        let suggestions = first_per_file(suggest(&facts, &cache.xpm_records()?, false));
        let (conflicts, flagged) = problems(&cache)?;
        Ok(XpmReview { suggestions, flagged, conflicts })
    }

    /// Applies the links a person confirmed, each audited; returns how many were made.
    pub fn confirm_xpm_links(&self, choices: &[XpmLinkChoice]) -> Result<u32, ErrorPayload> {
        let mut cache = self.cache()?;
        for choice in choices {
            link(&mut cache, choice.file_id, Some(&choice.xpm_uuid))?;
        }
        Ok(choices.len() as u32)
    }
}
