//! The Xero connection's calls on the session that read the cache: a paused "Reconnect all" and
//! what Xero sent. Connecting, syncing and reconnecting run on [`Session::xero`]'s context,
//! without the session.

use crate::error::ErrorPayload;
use crate::session::Session;
use crate::settings::xero_app::XeroStatus;
use crate::xero::egress::{EgressUsage, USAGE_MONTHS, usage};

impl Session {
    /// Forgets a paused "Reconnect all" queue (its files keep needing a reconnect).
    pub fn discard_reconnect_queue(&self) -> Result<XeroStatus, ErrorPayload> {
        crate::xero::reconnect_queue::discard(&mut *self.cache()?)?;
        self.xero_status()
    }

    /// What Xero sent this month and in recent months, by API (Xero bills egress beyond the
    /// tier's allowance). Counts not yet saved by a running sync are saved first.
    pub fn egress_usage(&self) -> Result<EgressUsage, ErrorPayload> {
        Ok(match &self.xero {
            Some(ctx) => ctx.egress_usage()?,
            None => usage(&*self.cache()?, chrono::Utc::now(), USAGE_MONTHS)?,
        })
    }
}
