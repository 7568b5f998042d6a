//! The tier of the practice's Xero app. Since 2 March 2026 Xero sells app access in five tiers
//! that cap how many organisations the app may connect (counted across everyone who uses the
//! app), how many calls it may make per organisation per day, and how much data it may download
//! each month before the rest is billed. Bulk connections (several organisations in one consent)
//! and the Xero Practice Manager API come with Advanced and Enterprise only.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

const GB: u64 = 1_000_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum XeroTier {
    Starter,
    Core,
    Plus,
    Advanced,
    Enterprise,
}

impl XeroTier {
    pub const ALL: [XeroTier; 5] =
        [XeroTier::Starter, XeroTier::Core, XeroTier::Plus, XeroTier::Advanced, XeroTier::Enterprise];

    pub fn code(self) -> &'static str {
        match self {
            XeroTier::Starter => "starter",
            XeroTier::Core => "core",
            XeroTier::Plus => "plus",
            XeroTier::Advanced => "advanced",
            XeroTier::Enterprise => "enterprise",
        }
    }

    pub fn from_code(code: &str) -> Result<XeroTier> {
        let code = code.trim().to_ascii_lowercase();
        XeroTier::ALL.into_iter().find(|t| t.code() == code).ok_or_else(|| {
            Error::InvalidInput(format!(
                "\"{}\" is not a Xero app tier. Choose one of: starter, core, plus, advanced, enterprise.",
                crate::xero::printable(&code, 40)
            ))
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            XeroTier::Starter => "Starter",
            XeroTier::Core => "Core",
            XeroTier::Plus => "Plus",
            XeroTier::Advanced => "Advanced",
            XeroTier::Enterprise => "Enterprise",
        }
    }

    /// How many organisations the app may have connected at once; `None`: no cap.
    pub fn connection_cap(self) -> Option<u32> {
        match self {
            XeroTier::Starter => Some(5),
            XeroTier::Core => Some(50),
            XeroTier::Plus => Some(1_000),
            XeroTier::Advanced => Some(10_000),
            XeroTier::Enterprise => None,
        }
    }

    pub fn daily_calls_per_organisation(self) -> u32 {
        if self == XeroTier::Starter { 1_000 } else { 5_000 }
    }

    /// Data the app may download each month before Xero bills the rest; `None`: no allowance to
    /// count against (Starter is not billed for data, Enterprise agrees its own).
    pub fn monthly_egress_allowance_bytes(self) -> Option<u64> {
        match self {
            XeroTier::Starter | XeroTier::Enterprise => None,
            XeroTier::Core => Some(10 * GB),
            XeroTier::Plus => Some(50 * GB),
            XeroTier::Advanced => Some(250 * GB),
        }
    }

    /// Whether one consent may add several organisations ("bulk connections").
    pub fn connects_several_per_consent(self) -> bool {
        matches!(self, XeroTier::Advanced | XeroTier::Enterprise)
    }

    pub fn includes_practice_manager(self) -> bool {
        matches!(self, XeroTier::Advanced | XeroTier::Enterprise)
    }
}

#[cfg(test)]
mod tests {
    use super::XeroTier;

    #[test]
    fn tiers_read_back_from_their_codes_and_refuse_anything_else() {
        for tier in XeroTier::ALL {
            assert_eq!(XeroTier::from_code(tier.code()).unwrap(), tier);
            assert_eq!(XeroTier::from_code(&format!(" {} ", tier.label().to_uppercase())).unwrap(), tier);
        }
        let refused = XeroTier::from_code("gold").unwrap_err().to_string();
        assert!(refused.contains("\"gold\" is not a Xero app tier"), "{refused}");
    }

    #[test]
    fn only_advanced_and_enterprise_connect_several_organisations_or_xpm() {
        let bulk: Vec<_> = XeroTier::ALL.into_iter().filter(|t| t.connects_several_per_consent()).collect();
        assert_eq!(bulk, [XeroTier::Advanced, XeroTier::Enterprise]);
        let xpm: Vec<_> = XeroTier::ALL.into_iter().filter(|t| t.includes_practice_manager()).collect();
        assert_eq!(xpm, bulk);
        let caps: Vec<_> = XeroTier::ALL.into_iter().map(XeroTier::connection_cap).collect();
        assert_eq!(caps, [Some(5), Some(50), Some(1_000), Some(10_000), None]);
        assert_eq!(XeroTier::Starter.daily_calls_per_organisation(), 1_000);
        assert_eq!(XeroTier::Core.daily_calls_per_organisation(), 5_000);
    }
}
