//! A staff member's password, which prints as `Password(<redacted>)`.

use std::fmt;

/// A staff member's database password. Never stored by this crate, never in an error or a log:
/// the server receives it only inside SCRAM authentication, or as its SCRAM verifier (computed
/// here) when a role is created.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn new(value: impl Into<String>) -> Self {
        Password(value.into())
    }

    /// 24 random letters and digits (about 143 bits), for a new staff member.
    pub fn generate() -> Self {
        const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        let mut bytes = [0u8; 24];
        // ring is already in the build (rustls's provider) and asks the OS for the bytes.
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes)
            .expect("the operating system's random generator failed");
        Password(bytes.iter().map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])).collect())
    }

    /// The password itself, for the one place that must send or store it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The SCRAM-SHA-256 verifier PostgreSQL keeps for this password (as `\password` in psql makes
    /// it): salted and iterated, so the password never travels to the server in the clear.
    pub(crate) fn scram_verifier(&self) -> String {
        postgres_protocol::password::scram_sha_256(self.0.as_bytes())
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::Password;

    #[test]
    fn debug_hides_the_value_and_generated_ones_differ() {
        let a = Password::generate();
        assert_eq!(format!("{a:?}"), "Password(<redacted>)");
        assert_eq!(a.expose().len(), 24);
        assert_ne!(a, Password::generate());
        let verifier = a.scram_verifier();
        assert!(verifier.starts_with("SCRAM-SHA-256$4096:"), "{verifier}");
        assert!(!verifier.contains(a.expose()));
    }
}
