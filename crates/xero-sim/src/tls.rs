//! The simulator's optional HTTPS ([`SimConfig::tls`](crate::SimConfig::tls),
//! `switchboard-sim --tls-cert --tls-key`), and a throwaway certificate authority to serve it
//! with: what a TLS-inspecting proxy or antivirus does to a practice's connections, in small.

use std::sync::Arc;

use chrono::{Datelike, Days, Utc};
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose, date_time_ymd,
};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

use crate::server::SimError;

/// Serve HTTPS with this certificate chain (the server's first, PEM) and its private key (PEM).
#[derive(Clone, Debug)]
pub struct SimTls {
    pub cert_chain_pem: String,
    pub key_pem: String,
}

/// A certificate authority made for one test run, and a certificate it issued for the names
/// given (IP addresses or host names).
pub struct TestAuthority {
    /// The authority's own certificate, PEM: what a trust store would need to trust `server`.
    pub ca_pem: String,
    pub server: SimTls,
}

impl TestAuthority {
    pub fn new(names: &[&str]) -> TestAuthority {
        let ca_key = KeyPair::generate().expect("ring makes P-256 keys");
        let mut ca = CertificateParams::new(Vec::<String>::new()).expect("no names to check");
        ca.distinguished_name.push(DnType::CommonName, "xero-sim test authority");
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        with_short_validity(&mut ca);
        let ca = ca.self_signed(&ca_key).expect("the authority's fields are valid");

        let key = KeyPair::generate().expect("ring makes P-256 keys");
        let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
        let mut server = CertificateParams::new(names).expect("valid names");
        server.distinguished_name.push(DnType::CommonName, "xero-sim");
        server.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        with_short_validity(&mut server);
        let server = server.signed_by(&key, &ca, &ca_key).expect("the certificate's fields are valid");
        TestAuthority {
            ca_pem: ca.pem(),
            server: SimTls { cert_chain_pem: server.pem(), key_pem: key.serialize_pem() },
        }
    }
}

/// From yesterday for 30 days: macOS refuses server certificates valid for longer than 825 days
/// even from a root a person installed, and rcgen's default is thousands of years.
fn with_short_validity(params: &mut CertificateParams) {
    let ymd = |d: chrono::NaiveDate| date_time_ymd(d.year(), d.month() as u8, d.day() as u8);
    let today = Utc::now().date_naive();
    params.not_before = ymd(today - Days::new(1));
    params.not_after = ymd(today + Days::new(30));
}

pub(crate) fn acceptor(tls: &SimTls) -> Result<TlsAcceptor, SimError> {
    let invalid = |what: &str, e: &dyn std::fmt::Display| SimError::Tls(format!("{what}: {e}"));
    let chain = CertificateDer::pem_slice_iter(tls.cert_chain_pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| invalid("the certificate PEM", &e))?;
    let key = PrivateKeyDer::from_pem_slice(tls.key_pem.as_bytes()).map_err(|e| invalid("the key PEM", &e))?;
    // ring, like the app's client; aws-lc-rs is not built.
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| invalid("TLS", &e))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| invalid("the certificate and key", &e))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}
