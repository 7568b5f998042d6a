//! The tier's cap on an app's connections: counting them, and refusing a consent that would
//! pass it.
//!
//! Xero counts "a connection" as a tenant connected to the app, across everyone who uses the
//! app. So a tenant is counted **once** however many staff users connected it: a second user
//! connecting it, or anyone reconnecting it, adds nothing and is always allowed. The
//! organisation's deletion (which takes it out of every `/connections`) frees its connection.
//!
//! Xero documents no answer at the cap. Developers report that organisations beyond the limit
//! appear disabled in the consent screen's organisation chooser, which says the app "needs to
//! complete certification before they can connect to more Xero organisations". The simulator does
//! the nearest thing: the consent page disables organisations that would add a connection past
//! the cap and names the limit, and a consent that would still pass it (a forged form, "allow
//! all", automatic consent) is refused like a person's refusal: the redirect carries
//! `error=access_denied` (RFC 6749 §4.1.2.1) with an `error_description` naming the limit.

use crate::state::{PendingAuth, World, is_xpm_scope, needs_tenant};
use crate::tier::Tier;
use std::collections::HashSet;
use uuid::Uuid;

/// A consent that would take the app past its tier's connection cap.
#[derive(Debug)]
pub(crate) struct CapReached {
    pub tier: Tier,
    pub limit: usize,
}

impl CapReached {
    /// The redirect's `error_description` (RFC 6749 allows printable ASCII only).
    pub fn description(&self) -> String {
        let (tier, limit) = (self.tier, self.limit);
        format!(
            "The app has reached its connection limit ({tier} tier: {limit} connections) \
             and cannot connect to more Xero organisations"
        )
    }
}

impl World {
    /// The distinct tenants connected to the app by anyone (deleted organisations excluded).
    pub(crate) fn connected_tenants(&self, client_id: &str) -> HashSet<Uuid> {
        self.connections
            .iter()
            .filter(|c| c.client_id == client_id && !self.deleted.contains(&c.tenant_id))
            .map(|c| c.tenant_id)
            .collect()
    }

    /// Connections the app uses, as its tier's cap counts them.
    pub(crate) fn connections_in_use(&self, client_id: &str) -> usize {
        self.connected_tenants(client_id).len()
    }

    /// The tenants a consent for `req` with `chosen` organisations connects: the organisations
    /// when a scope reaches them, and the practice's XPM tenant for `practicemanager` scopes.
    pub(crate) fn tenants_to_connect(&self, req: &PendingAuth, chosen: &[Uuid]) -> Vec<Uuid> {
        let wants_orgs = req.scopes.iter().any(|s| needs_tenant(s));
        let xpm = req.scopes.iter().any(|s| is_xpm_scope(s)).then_some(self.xpm.tenant_id);
        let orgs = if wants_orgs { chosen } else { &[] };
        orgs.iter().copied().chain(xpm).collect()
    }

    /// Whether connecting `tenants` keeps the app within `tier`'s cap.
    pub(crate) fn check_cap(&self, tier: Tier, client_id: &str, tenants: &[Uuid]) -> Result<(), CapReached> {
        let Some(limit) = tier.connection_limit() else { return Ok(()) };
        let connected = self.connected_tenants(client_id);
        let new: HashSet<&Uuid> = tenants.iter().filter(|t| !connected.contains(t)).collect();
        if new.is_empty() || connected.len() + new.len() <= limit { Ok(()) } else { Err(CapReached { tier, limit }) }
    }

    /// `Some` when the app already has every connection its tier allows: the consent page then
    /// disables the organisations it is not connected to.
    pub(crate) fn cap_reached(&self, tier: Tier, client_id: &str) -> Option<CapReached> {
        let limit = tier.connection_limit()?;
        (self.connections_in_use(client_id) >= limit).then_some(CapReached { tier, limit })
    }
}
