//! Whether this process is a normal Switchboard or one started against the Xero simulator.
//!
//! The endpoint variables (`SWITCHBOARD_XERO_*`) and the browser stand-in (`SWITCHBOARD_BROWSER`)
//! redirect sign-in codes, refresh tokens, the client secret and every opened link. A normal start
//! ignores them, so one stray variable cannot quietly send a practice's credentials elsewhere.
//!
//! Trade-off: the switch is an explicit variable rather than "debug builds only". The demo
//! (`scripts/start --release`) and the release-build benchmarks run a release binary against the
//! simulator, so a build flag alone would break them; and a debug build that honours the variables
//! without being asked would keep the silent redirect for anyone who runs one. Whoever can set the
//! mode can also set the endpoints, so the mode is no lock: it makes the redirect deliberate, and
//! the "Not Xero" badge (see [`crate::xero::config::XeroEndpoints::not_xero_hosts`]) makes it seen.

/// `simulator` (tests) or `demo` (`scripts/start`): honour the endpoint and browser variables.
pub const MODE_VAR: &str = "SWITCHBOARD_MODE";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunMode {
    /// Xero's real endpoints and the system browser, whatever the environment says.
    Normal,
    /// Tests against the simulator.
    Simulator,
    /// `scripts/start` against the simulator.
    Demo,
}

impl RunMode {
    /// The mode named by `value` (the variable's content); an unknown name is the normal mode.
    pub fn parse(value: Option<&str>) -> RunMode {
        match value.map(str::trim) {
            Some("simulator") => RunMode::Simulator,
            Some("demo") => RunMode::Demo,
            // A typo must not widen what the process honours, and failing the whole app over it
            // would leave staff with no Switchboard; so anything else is simply the normal mode.
            _ => RunMode::Normal,
        }
    }

    pub fn from_env() -> RunMode {
        RunMode::parse(std::env::var(MODE_VAR).ok().as_deref())
    }

    /// The `SWITCHBOARD_XERO_*` and `SWITCHBOARD_BROWSER` variables are honoured.
    pub fn honours_overrides(self) -> bool {
        self != RunMode::Normal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_two_named_modes_honour_overrides() {
        assert_eq!(RunMode::parse(Some("simulator")), RunMode::Simulator);
        assert_eq!(RunMode::parse(Some("demo")), RunMode::Demo);
        for normal in [None, Some(""), Some("Simulator"), Some("1"), Some("release")] {
            assert!(!RunMode::parse(normal).honours_overrides(), "{normal:?}");
        }
    }
}
