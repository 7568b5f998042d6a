//! What the practice uses of its Xero app's tier, and the checks made before the browser opens:
//! a consent that could add an organisation at the connection cap, or XPM on a tier without it,
//! would only end in Xero's refusal after the person signed in.

use serde::Serialize;
use ts_rs::TS;

use super::app_settings::XeroAppSettings;
use super::tier::XeroTier;
use crate::Cache;
use crate::error::{Error, Result};

/// The Settings page's view of the tier: connections in use against the cap, and the limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TierUsage {
    pub tier: Option<XeroTier>,
    /// Organisations connected to the app through this practice, XPM's included.
    pub connections_in_use: u32,
    pub connection_cap: Option<u32>,
    pub daily_calls_per_organisation: Option<u32>,
    #[ts(type = "number | null")]
    pub monthly_egress_allowance_bytes: Option<u64>,
    /// Below Advanced each consent reaches one organisation, so adding and reconnecting are
    /// consent after consent. `false` with no tier recorded: one consent, reaching what Xero lets it.
    pub one_organisation_per_consent: bool,
}

pub fn tier_usage(cache: &Cache) -> Result<TierUsage> {
    let tier = XeroAppSettings::load(cache)?.tier;
    Ok(TierUsage {
        tier,
        connections_in_use: connections_in_use(cache)?,
        connection_cap: tier.and_then(XeroTier::connection_cap),
        daily_calls_per_organisation: tier.map(XeroTier::daily_calls_per_organisation),
        monthly_egress_allowance_bytes: tier.and_then(XeroTier::monthly_egress_allowance_bytes),
        one_organisation_per_consent: tier.is_some_and(|t| !t.connects_several_per_consent()),
    })
}

/// Xero counts a connection per organisation connected to the app; this practice's share of
/// them is its files that reach an organisation, and its XPM. (Another practice or person using
/// the same Xero app counts too, but only Xero sees those.)
fn connections_in_use(cache: &Cache) -> Result<u32> {
    let xpm = u32::from(crate::xpm::refresh::status(cache)?.connected);
    Ok(cache.connected_organisation_count()? + xpm)
}

/// Before a consent: at the tier's cap a consent can only reconnect an organisation already
/// connected, so when no file needs that, Xero would refuse whatever the person picks after they
/// signed in. Say so now instead.
pub fn check_room_for_a_connection(cache: &Cache) -> Result<()> {
    let usage = tier_usage(cache)?;
    match (usage.tier, usage.connection_cap) {
        (Some(tier), Some(cap)) if usage.connections_in_use >= cap && cache.files_needing_reconnect()?.is_empty() => {
            Err(Error::InvalidInput(format!(
                "The practice's Xero app is on the {} tier, which allows {cap} connected organisations, and {} are connected. \
             Disconnect a client file that is no longer needed, or move the app to a higher tier at developer.xero.com \
             (then record the tier in Settings).",
                tier.label(),
                usage.connections_in_use
            )))
        }
        _ => Ok(()),
    }
}

/// Before connecting XPM: its API comes with the Advanced tier and above.
pub fn check_tier_includes_practice_manager(cache: &Cache) -> Result<()> {
    match XeroAppSettings::load(cache)?.tier {
        Some(tier) if !tier.includes_practice_manager() => Err(Error::Xpm(format!(
            "Xero Practice Manager's API comes with the Advanced and Enterprise tiers of a Xero app, and the practice's app \
             is on {}. Move the app to Advanced at developer.xero.com (or register the practice's own app there), record \
             the tier in Settings, then connect XPM.",
            tier.label()
        ))),
        _ => Ok(()),
    }
}
