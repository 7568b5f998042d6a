//! What the shell calls for client reports: the page reads the cache only; refreshing and
//! "Allow reports" run on [`Session::xero`]'s context like a sync ([`super::fetch`]).

use super::model::{ClientReports, ReportInsight};
use crate::error::ErrorPayload;
use crate::model::FileId;
use crate::session::Session;

impl Session {
    pub fn client_reports(&self, id: FileId) -> Result<ClientReports, ErrorPayload> {
        Ok(super::client_reports(&*self.cache()?, id)?)
    }

    pub fn report_insights(&self) -> Result<Vec<ReportInsight>, ErrorPayload> {
        Ok(super::insights(&*self.cache()?)?)
    }

    /// Opens the client's reports in Xero (system browser, allowlisted Xero hosts only).
    pub fn open_reports_in_xero(&self, id: FileId) -> Result<(), ErrorPayload> {
        super::open::open_in_xero(&*self.cache()?, id)?;
        Ok(())
    }
}
