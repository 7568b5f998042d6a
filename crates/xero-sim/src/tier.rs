//! Xero's 2026 app tiers (in force from 2 March 2026) and what each allows an app: connections,
//! calls per organisation per day, several organisations in one consent ("bulk connections"),
//! and the Xero Practice Manager API.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The tier of every app registered with a simulator ([`crate::SimConfig::tier`]), in order:
/// each allows at least what the one before it does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    Starter,
    Core,
    Plus,
    /// The simulator's default: the tier whose features Switchboard's demo and tests rely on
    /// (hundreds of organisations in one consent, the XPM API).
    #[default]
    Advanced,
    Enterprise,
}

impl Tier {
    pub const ALL: [Tier; 5] = [Tier::Starter, Tier::Core, Tier::Plus, Tier::Advanced, Tier::Enterprise];

    /// Connections (tenants connected to the app, counted across everyone who uses it) the app
    /// may have; `None` = no cap.
    pub fn connection_limit(self) -> Option<usize> {
        match self {
            Tier::Starter => Some(5),
            Tier::Core => Some(50),
            Tier::Plus => Some(1_000),
            Tier::Advanced => Some(10_000),
            Tier::Enterprise => None,
        }
    }

    /// API calls per organisation per (rolling) day.
    pub fn calls_per_day(self) -> u32 {
        match self {
            Tier::Starter => 1_000,
            _ => 5_000,
        }
    }

    /// Whether one consent may connect several organisations ("bulk connections"); below
    /// Advanced each consent connects one.
    pub fn bulk_connections(self) -> bool {
        self >= Tier::Advanced
    }

    /// Whether the app may ask for the `practicemanager` (XPM API) scopes.
    pub fn practice_manager(self) -> bool {
        self >= Tier::Advanced
    }

    /// The tier's name as Xero writes it ("Starter").
    pub fn name(self) -> &'static str {
        match self {
            Tier::Starter => "Starter",
            Tier::Core => "Core",
            Tier::Plus => "Plus",
            Tier::Advanced => "Advanced",
            Tier::Enterprise => "Enterprise",
        }
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Tier {
    type Err = String;

    /// `starter`, `core`, `plus`, `advanced` or `enterprise`, in any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Tier::ALL
            .into_iter()
            .find(|t| t.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown tier {s:?}: use starter, core, plus, advanced or enterprise"))
    }
}
