//! Secrets (refresh and access tokens, authorization codes, client secrets) travel in [`Secret`].
//!
//! `Secret` prints as `Secret(<redacted>)` and has no `Serialize`: a struct holding one cannot be
//! derived `Serialize`, so no secret can reach SQLite rows built from serde, logs via `Debug`, or an
//! IPC payload by accident. The value is read only through [`Secret::expose`].
//!
//! ```compile_fail
//! // Refused at compile time: a secret cannot be serialised.
//! let json = serde_json::to_string(&switchboard_core::secret::Secret::new("refresh-token"));
//! ```

use std::fmt;

#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself, for the one place that must send or store it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::Secret;

    #[test]
    fn debug_output_never_shows_the_value() {
        let secret = Secret::new("rt-1234567890");
        assert_eq!(format!("{secret:?}"), "Secret(<redacted>)");
        assert_eq!(format!("{:?}", Some(&secret)), "Some(Secret(<redacted>))");
        assert_eq!(secret.expose(), "rt-1234567890");
    }
}
