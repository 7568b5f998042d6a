//! The one HTTP client for Xero (identity, the APIs, XPM; oauth2 uses it too), set up for the
//! networks practices have: certificates checked by the operating system, the system's proxy,
//! and loopback always direct. Also: a certificate failure as one sentence for a person.

use std::error::Error as StdError;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use base64::Engine;
use hyper_util::client::proxy::matcher::{Intercept, Matcher};
use rustls::CertificateError;
use rustls_platform_verifier::BuilderVerifierExt;
use url::{Host, Url};

/// rustls, no redirects followed (a token endpoint that redirects is not to be trusted with a
/// code or a refresh token), the operating system's trust store, the system's proxy settings.
pub fn http_client() -> reqwest::Client {
    let builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(60))
        .user_agent(concat!("Switchboard/", env!("CARGO_PKG_VERSION")))
        .proxy(system_proxy(Matcher::from_system()));
    let builder = match tls_config() {
        Some(config) => builder.use_preconfigured_tls(config.clone()),
        None => builder,
    };
    builder.build().expect("the HTTP client's fixed settings are valid")
}

/// Another client (the app's updater) with the same trust store and proxy settings, so that
/// updates reach the network the way Xero calls do. Redirects are left to the caller: release
/// downloads are redirected to their storage host.
pub fn with_system_tls_and_proxy(builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    let builder = builder.proxy(system_proxy(Matcher::from_system()));
    match tls_config() {
        Some(config) => builder.use_preconfigured_tls(config.clone()),
        None => builder,
    }
}

/// TLS whose certificates the operating system checks: CryptoAPI on Windows, the Security
/// framework on macOS, the system's CA bundle on Linux (`SSL_CERT_FILE`/`SSL_CERT_DIR` when set).
/// A practice whose proxy or antivirus inspects TLS installs its own root there, and the
/// browsers trust it; the Mozilla roots built into reqwest would not, and every call would fail.
///
/// This is rustls-platform-verifier rather than reqwest's `rustls-tls-native-roots`: that one
/// copies the store's root certificates once and checks chains itself, so it misses what only
/// the OS's own verifier does: Windows fetches many roots on demand (its store on disk is not
/// complete), and the OS applies its own distrust and revocation checks. The platform verifier
/// asks the OS about each certificate, as the browsers do.
///
/// Built once per process (on Linux, reading the bundle). `None` when no trust store can be read
/// (a Linux system without CA certificates): reqwest's built-in Mozilla roots are used then.
fn tls_config() -> Option<&'static rustls::ClientConfig> {
    static CONFIG: OnceLock<Option<rustls::ClientConfig>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            // ring, named here rather than left to a process-wide default: it is the provider
            // reqwest's rustls is built with, and the only one in the build (aws-lc-rs needs
            // cmake and is hard to cross-compile for Windows).
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            let config = rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .and_then(|builder| builder.with_platform_verifier());
            match config {
                Ok(builder) => Some(builder.with_no_client_auth()),
                Err(error) => {
                    tracing::warn!(%error, "the system's trust store could not be used; using the built-in roots");
                    None
                }
            }
        })
        .as_ref()
}

/// The system's proxy settings, with loopback kept direct (see [`proxy_for`]).
fn system_proxy(system: Matcher) -> reqwest::Proxy {
    reqwest::Proxy::custom(move |url| proxy_for(&system, url))
}

/// The proxy for a URL as reqwest would pick it (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and
/// `NO_PROXY`, else Windows' Internet Settings in the registry or macOS's network settings),
/// except that loopback is always direct: the simulator, or anything else on this computer, must
/// not be sent to a proxy, and neither an unset `NO_PROXY`, Windows' `<local>` nor macOS's
/// exceptions list (which is not read) say so. PAC scripts and auto-detection are not supported.
fn proxy_for(system: &Matcher, url: &Url) -> Option<Url> {
    if is_loopback(url) {
        return None;
    }
    let intercept = system.intercept(&url.as_str().parse::<http::Uri>().ok()?)?;
    Some(proxy_url(&intercept))
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        Some(Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
        None => false,
    }
}

/// The proxy as a URL for reqwest, with the user and password from `HTTPS_PROXY=http://user:pw@…`
/// put back (the matcher hands them over as a ready `Proxy-Authorization` value).
fn proxy_url(intercept: &Intercept) -> Url {
    let mut url = Url::parse(&intercept.uri().to_string()).expect("the matcher's proxy is a valid URL");
    let credentials = intercept
        .basic_auth()
        .and_then(|value| value.to_str().ok()?.strip_prefix("Basic ").map(str::to_owned))
        .and_then(|encoded| base64::engine::general_purpose::STANDARD.decode(encoded).ok())
        .and_then(|decoded| String::from_utf8(decoded).ok());
    if let Some((user, password)) = credentials.as_deref().and_then(|c| c.split_once(':')) {
        let _ = url.set_username(user);
        let _ = url.set_password(Some(password).filter(|p| !p.is_empty()));
    }
    url
}

/// When a request failed because the server's certificate was refused, the sentence a person
/// reads, naming the host: "The certificate of api.xero.com is not trusted by this computer: …".
/// `None` for every other failure.
pub(crate) fn certificate_problem(error: &reqwest::Error) -> Option<String> {
    let rustls::Error::InvalidCertificate(problem) = tls_error(error)? else { return None };
    let host = error.url().and_then(Url::host_str).unwrap_or("Xero's server");
    Some(format!("The certificate of {host} is not trusted by this computer: {}.", why_refused(problem)))
}

pub(crate) fn why_refused(problem: &CertificateError) -> String {
    match problem {
        CertificateError::UnknownIssuer => "it was issued by an authority this computer does not trust. If the \
            practice's network or antivirus inspects secure connections, its root certificate must be installed \
            in the system's trust store"
            .to_owned(),
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
            "it has expired (or this computer's clock is wrong)".to_owned()
        }
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            "it is not valid yet (or this computer's clock is wrong)".to_owned()
        }
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            "it was issued for another name".to_owned()
        }
        CertificateError::Revoked => "it has been revoked".to_owned(),
        // What Windows or macOS said, in its words (e.g. that revocation could not be checked).
        CertificateError::Other(said) => format!("the system refused it ({said})"),
        other => format!("the system refused it ({other:?})"),
    }
}

/// The rustls error under a transport error, if any. It sits in an `io::Error` (in another one),
/// whose `source()` skips its payload (it shows it in `Display` instead): go into payloads.
pub(crate) fn tls_error<'a>(error: &'a (dyn StdError + 'static)) -> Option<&'a rustls::Error> {
    let mut next = Some(error);
    while let Some(error) = next {
        if let Some(tls) = error.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        next = match error.downcast_ref::<std::io::Error>().and_then(std::io::Error::get_ref) {
            Some(payload) => Some(payload),
            None => error.source(),
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts_are_recognised() {
        for url in [
            "http://127.0.0.1:8080/",
            "https://127.9.0.1/",
            "http://[::1]:5/",
            "http://localhost/",
            "http://LOCALHOST./",
            "http://a.localhost/",
        ] {
            assert!(is_loopback(&url.parse().unwrap()), "{url}");
        }
        for url in ["https://api.xero.com/", "http://10.0.0.1/", "http://localhost.example.com/", "http://[::2]/"] {
            assert!(!is_loopback(&url.parse().unwrap()), "{url}");
        }
    }

    #[test]
    fn what_the_system_said_is_kept_in_its_words() {
        let said = std::io::Error::other("The revocation function was unable to check revocation");
        let problem = CertificateError::Other(rustls::OtherError(Arc::new(said)));
        assert_eq!(
            why_refused(&problem),
            "the system refused it (The revocation function was unable to check revocation)"
        );
        assert_eq!(why_refused(&CertificateError::BadEncoding), "the system refused it (BadEncoding)");
    }

    #[test]
    fn a_proxy_for_everything_is_not_used_for_loopback() {
        let everything = Matcher::builder().all("http://user:p%40ss@proxy.example:3128").build();
        let proxy = |url: &str| proxy_for(&everything, &url.parse().unwrap()).map(String::from);
        assert_eq!(
            proxy("https://api.xero.com/connections").as_deref(),
            Some("http://user:p%40ss@proxy.example:3128/")
        );
        assert_eq!(proxy("http://127.0.0.1:4000/api"), None);
        assert_eq!(proxy("http://localhost:4000/api"), None);
    }
}
