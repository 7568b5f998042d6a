//! The simulator's token-signing key: RS256 JWTs (access tokens and id_tokens, as Xero signs
//! them) and the JWKS that verifies them (`/identity/.well-known/openid-configuration/jwks`).
//!
//! The key is a fixed 2048-bit RSA key embedded in the crate (`sim-signing-key.pem`, with a
//! self-signed certificate for it, which Xero's JWKS also publishes as `x5c`). It is the
//! simulator's own and **public by design**: it signs nothing but simulated tokens, and anyone
//! may verify — or forge — them. It is embedded rather than generated because `ring` (already
//! the workspace's crypto, and cross-compiles with MinGW) cannot generate RSA keys, and RustCrypto's
//! `rsa` took 5.7–8.1 s per 2048-bit key in a debug build (0.2–0.7 s with its bignum crates
//! optimised): even once per process (a `OnceLock`) that is seconds added to each of the
//! workspace's many test binaries that start a simulator. Parsing the embedded key is cheap.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ring::digest::{SHA1_FOR_LEGACY_USE_ONLY, digest};
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair, RsaPublicKeyComponents};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

const KEY_PEM: &str = include_str!("sim-signing-key.pem");

struct SigningKey {
    pair: RsaKeyPair,
    /// The certificate (DER) and its SHA-1 thumbprint, `x5t` in headers as Xero's tokens have it.
    cert: Vec<u8>,
    x5t: String,
    /// `kid` in token headers and the JWKS: like Xero's, 32 upper-case hex digits (here the
    /// first half of the modulus's SHA-256, so it changes if the key ever does).
    kid: String,
    n: Vec<u8>,
    e: Vec<u8>,
}

fn key() -> &'static SigningKey {
    static KEY: OnceLock<SigningKey> = OnceLock::new();
    KEY.get_or_init(|| {
        let pair = RsaKeyPair::from_pkcs8(&pem_block("PRIVATE KEY")).expect("the embedded key is a PKCS#8 RSA key");
        let cert = pem_block("CERTIFICATE");
        let x5t = URL_SAFE_NO_PAD.encode(digest(&SHA1_FOR_LEGACY_USE_ONLY, &cert));
        let public = RsaPublicKeyComponents::<Vec<u8>>::from(pair.public());
        let kid = Sha256::digest(&public.n)[..16].iter().map(|b| format!("{b:02X}")).collect();
        SigningKey { pair, cert, x5t, kid, n: public.n, e: public.e }
    })
}

/// The DER inside the embedded PEM's `-----BEGIN {label}-----` block.
fn pem_block(label: &str) -> Vec<u8> {
    let begin = format!("-----BEGIN {label}-----");
    let body: String =
        KEY_PEM.lines().skip_while(|l| *l != begin).skip(1).take_while(|l| !l.starts_with("-----END")).collect();
    STANDARD.decode(body).expect("the embedded PEM block is base64")
}

/// `claims` as a compact JWS signed with RS256 (RSASSA-PKCS1-v1_5 with SHA-256): a 342-character
/// signature, as Xero's 2048-bit keys give.
pub(crate) fn sign_jwt(claims: &serde_json::Value) -> String {
    let key = key();
    let header = serde_json::json!({"alg": "RS256", "kid": key.kid, "typ": "JWT", "x5t": key.x5t});
    let signing_input =
        format!("{}.{}", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(claims.to_string()));
    let mut signature = vec![0; key.pair.public().modulus_len()];
    key.pair
        .sign(&RSA_PKCS1_SHA256, &ring::rand::SystemRandom::new(), signing_input.as_bytes(), &mut signature)
        .expect("RS256 signing with a valid key and buffer");
    format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

/// The JSON Web Key Set naming the signing key (RFC 7517), as Xero's identity server publishes it.
pub(crate) fn jwks() -> serde_json::Value {
    let key = key();
    serde_json::json!({
        "keys": [{
            "kty": "RSA",
            "use": "sig",
            "alg": "RS256",
            "kid": key.kid,
            "x5t": key.x5t,
            "x5c": [STANDARD.encode(&key.cert)],
            "e": URL_SAFE_NO_PAD.encode(&key.e),
            "n": URL_SAFE_NO_PAD.encode(&key.n),
        }]
    })
}
