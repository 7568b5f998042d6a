//! Settings → Xero: the practice's Xero app as registered at developer.xero.com (stored by
//! [`crate::xero::app_settings`]), the hosts used in Xero's place, what the app's tier allows
//! and a paused "Reconnect all".

use serde::Serialize;
use ts_rs::TS;

use crate::credential_store::os_store_from_env;
use crate::error::ErrorPayload;
use crate::secret::Secret;
use crate::session::Session;
use crate::xero::app_settings::XeroAppSettings;
use crate::xero::config::XeroEndpoints;
use crate::xero::reconnect_queue::ReconnectQueue;
use crate::xero::tier_usage::TierUsage;

/// The Xero part of Settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct XeroStatus {
    pub settings: XeroAppSettings,
    /// The hosts Switchboard talks to in Xero's place (the simulator in tests and the demo), each
    /// with its port; empty when every endpoint is Xero's own.
    pub not_xero_hosts: Vec<String>,
    /// What the practice uses of its app's tier.
    pub usage: TierUsage,
    /// A "Reconnect all" queue paused by Cancel or by closing the app.
    pub reconnect_queue: Option<ReconnectQueue>,
}

impl Session {
    pub fn xero_status(&self) -> Result<XeroStatus, ErrorPayload> {
        let cache = self.cache()?;
        Ok(XeroStatus {
            settings: XeroAppSettings::load(&cache)?,
            not_xero_hosts: XeroEndpoints::from_env()?.not_xero_hosts(),
            usage: crate::xero::tier_usage::tier_usage(&cache)?,
            reconnect_queue: crate::xero::reconnect_queue::paused(&cache)?,
        })
    }

    /// Saves the Xero app settings (`client_secret`: a new secret for a "Web app" type app).
    pub fn save_xero_settings(
        &mut self,
        settings: &XeroAppSettings,
        client_secret: Option<String>,
    ) -> Result<XeroStatus, ErrorPayload> {
        let store = os_store_from_env()?;
        settings.save(&mut *self.cache()?, &store, client_secret.map(Secret::new).as_ref())?;
        self.xero = None;
        self.xero_status()
    }
}
