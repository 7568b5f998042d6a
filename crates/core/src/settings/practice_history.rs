//! Settings → History: the latest changes to the practice as a whole.

use crate::cache::AuditEntry;
use crate::error::ErrorPayload;
use crate::session::Session;

/// How many entries Settings shows.
const SHOWN: u32 = 50;

impl Session {
    /// The latest changes to the practice as a whole (Xero app settings, XPM, exports, a fresh
    /// cache), newest first, for Settings.
    pub fn practice_history(&self) -> Result<Vec<AuditEntry>, ErrorPayload> {
        Ok(self.cache()?.practice_audit_entries(SHOWN)?)
    }
}
