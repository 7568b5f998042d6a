//! Reaching the practice database: the URL, TLS, the connection pool, and signing in as a role.
//!
//! TLS: a server beyond this computer must speak TLS and show a certificate the operating system
//! trusts (the same platform verifier as the Xero client); `sslmode=disable` is refused for it.
//! A server on loopback (127.0.0.1, ::1, localhost or a unix socket) is this computer: its
//! certificate, usually self-signed, is not checked, and plain TCP is allowed.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, PoolError, RecyclingMethod};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use rustls_platform_verifier::BuilderVerifierExt;
use tokio_postgres::config::{Host, SslMode};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::error::{Error, Result, from_db};
use crate::password::Password;
use crate::schema;

/// Where the practice database is, for messages and credential-store keys: host, port and
/// database, never the user or password.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Server {
    host: String,
    port: u16,
    database: String,
    loopback: bool,
}

impl Server {
    /// The server a URL names (checked as a connection would, connecting nothing).
    pub fn from_url(url: &str) -> Result<Server> {
        server_of(&parse(url)?)
    }

    pub fn host_port(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    pub fn database(&self) -> &str {
        &self.database
    }

    /// On this computer: TLS optional, certificate not checked.
    pub fn is_loopback(&self) -> bool {
        self.loopback
    }
}

impl std::fmt::Display for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.host_port(), self.database)
    }
}

/// A connection pool to the practice database, signed in as one role (a staff member, or the
/// owner who ran `init`). Row-level security applies per role, so one pool never serves two.
pub struct PracticeDb {
    pool: Pool,
    // For a connection outside the pool, whose notifications (LISTEN) reach us: the pool's
    // connections drop them.
    config: tokio_postgres::Config,
    tls: MakeRustlsConnect,
    server: Server,
    role: String,
}

impl PracticeDb {
    /// Connects with the user and password the URL names (the owner, or a staff member), and
    /// checks the schema is the one this build knows.
    pub async fn open(url: &str) -> Result<Self> {
        let config = parse(url)?;
        Self::start(config).await
    }

    /// Connects as staff member `role` with their password; the URL gives the server and
    /// database (a user or password in it is ignored).
    pub async fn connect(url: &str, role: &str, password: &Password) -> Result<Self> {
        let mut config = parse(url)?;
        config.user(role).password(password.expose());
        Self::start(config).await
    }

    async fn start(config: tokio_postgres::Config) -> Result<Self> {
        let db = Self::unchecked(config)?;
        let client = db.client().await?;
        schema::check_version(&client, &db.server).await?;
        drop(client);
        Ok(db)
    }

    /// A pool without the schema check, for `init` before there is a schema.
    pub(crate) fn unchecked(mut config: tokio_postgres::Config) -> Result<Self> {
        let server = server_of(&config)?;
        let role = config.get_user().map(str::to_owned).ok_or_else(|| Error::BadUrl("it names no user".into()))?;
        let tls = if server.loopback {
            loopback_tls()
        } else {
            if config.get_ssl_mode() == SslMode::Disable {
                return Err(Error::TlsRequired { server: server.to_string() });
            }
            config.ssl_mode(SslMode::Require);
            verified_tls()?
        };
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        config.application_name("switchboard");
        let manager = Manager::from_config(
            config.clone(),
            tls.clone(),
            ManagerConfig { recycling_method: RecyclingMethod::Verified },
        );
        let pool = Pool::builder(manager)
            .max_size(4)
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .create_timeout(Some(Duration::from_secs(15)))
            .wait_timeout(Some(Duration::from_secs(30)))
            .build()
            .map_err(|e| Error::Database(e.to_string()))?;
        Ok(PracticeDb { pool, config, tls, server, role })
    }

    /// A connection from the pool, signed in.
    pub(crate) async fn client(&self) -> Result<deadpool_postgres::Object> {
        self.pool.get().await.map_err(|e| self.pool_error(e))
    }

    fn pool_error(&self, error: PoolError) -> Error {
        match error {
            PoolError::Backend(e) => self.connect_error(e),
            PoolError::Timeout(_) => {
                Error::Unreachable { server: self.server.to_string(), detail: "no answer in time".into() }
            }
            other => Error::Database(other.to_string()),
        }
    }

    fn connect_error(&self, error: tokio_postgres::Error) -> Error {
        let server = self.server.to_string();
        match error.as_db_error().map(|db| db.code().code()) {
            // invalid_password, invalid_authorization_specification (no such role, or NOLOGIN)
            Some("28P01" | "28000") => Error::WrongPassword { server, role: self.role.clone() },
            Some("3D000") => Error::NoDatabase { server, database: self.server.database.clone() },
            Some(_) => from_db(error),
            // Refused, timed out, TLS failed: tokio-postgres says which, and its message holds no
            // password.
            None => Error::Unreachable { server, detail: error_chain(&error) },
        }
    }

    /// A connection of its own, outside the pool, with the task that drives it forwarding every
    /// notification of the channels it will `LISTEN` on to `notify`.
    pub(crate) async fn listener(&self, notify: Arc<tokio::sync::Notify>) -> Result<tokio_postgres::Client> {
        let (client, mut connection) =
            self.config.connect(self.tls.clone()).await.map_err(|e| self.connect_error(e))?;
        tokio::spawn(async move {
            while let Some(Ok(message)) = std::future::poll_fn(|cx| connection.poll_message(cx)).await {
                if matches!(message, tokio_postgres::AsyncMessage::Notification(_)) {
                    notify.notify_one();
                }
            }
            // The connection ended: wake the waiter, which finds the database gone.
            notify.notify_one();
        });
        Ok(client)
    }

    /// The server, for messages and credential-store keys.
    pub fn server(&self) -> &Server {
        &self.server
    }

    /// The practice clock (the database's, which decides when temporary grants end).
    pub async fn now(&self) -> Result<chrono::DateTime<chrono::Utc>> {
        let client = self.client().await?;
        Ok(client.query_one("SELECT practice_now()", &[]).await.map_err(from_db)?.get(0))
    }

    /// The role this pool is signed in as.
    pub fn role(&self) -> &str {
        &self.role
    }
}

/// An error and its causes ("error connecting to server: Connection refused (os error 111)").
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// Parses a `postgresql://` URL (or a `key=value` string), saying what is wrong without echoing
/// it: it may hold a password.
pub(crate) fn parse(url: &str) -> Result<tokio_postgres::Config> {
    if url.trim().is_empty() {
        return Err(Error::BadUrl("it is empty".into()));
    }
    url.parse::<tokio_postgres::Config>().map_err(|e| Error::BadUrl(e.to_string()))
}

fn server_of(config: &tokio_postgres::Config) -> Result<Server> {
    let hosts = config.get_hosts();
    if hosts.len() != 1 || config.get_hostaddrs().len() > 1 {
        return Err(Error::BadUrl("give exactly one host".into()));
    }
    let (host, loopback) = match &hosts[0] {
        Host::Tcp(name) => {
            let addr = config.get_hostaddrs().first().copied();
            let loopback = match addr {
                Some(ip) => ip.is_loopback(),
                None => name == "localhost" || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback()),
            };
            (name.clone(), loopback)
        }
        #[cfg(unix)]
        Host::Unix(path) => (path.display().to_string(), true),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let database = config.get_dbname().or(config.get_user()).unwrap_or("postgres").to_owned();
    Ok(Server { host, port, database, loopback })
}

fn provider() -> Arc<CryptoProvider> {
    // ring, named here rather than left to a process-wide default: the workspace builds no other
    // provider (aws-lc-rs needs cmake and does not cross-compile to x86_64-pc-windows-gnu).
    Arc::new(rustls::crypto::ring::default_provider())
}

/// TLS checked by the operating system's verifier, as for Xero.
fn verified_tls() -> Result<MakeRustlsConnect> {
    let config = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .and_then(|builder| builder.with_platform_verifier())
        .map_err(|e| Error::Database(format!("the system's trust store cannot be used: {e}")))?
        .with_no_client_auth();
    Ok(MakeRustlsConnect::new(config))
}

/// TLS to this computer: encrypted if the server offers it, certificate not checked.
fn loopback_tls() -> MakeRustlsConnect {
    let provider = provider();
    let config = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .expect("ring supports the default TLS versions")
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(LoopbackVerifier(provider)))
        .with_no_client_auth();
    MakeRustlsConnect::new(config)
}

/// Accepts any certificate (a server on loopback is this computer), still checking that the
/// handshake is signed by the certificate's key.
#[derive(Debug)]
struct LoopbackVerifier(Arc<CryptoProvider>);

impl ServerCertVerifier for LoopbackVerifier {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::{Error, parse, server_of};

    #[test]
    fn loopback_is_told_from_remote_hosts() {
        let cases = [
            ("postgresql://a:b@127.0.0.1:5433/practice", true),
            ("postgresql://a@localhost/practice", true),
            ("postgresql://a@[::1]:5432/practice", true),
            ("postgresql://a@db.example.com/practice", false),
            ("postgresql://a@10.0.0.5/practice", false),
            ("host=db.example.com hostaddr=127.0.0.1 user=a", true),
            ("host=localhost hostaddr=10.1.1.1 user=a", false),
        ];
        for (url, loopback) in cases {
            let server = server_of(&parse(url).unwrap()).unwrap();
            assert_eq!(server.is_loopback(), loopback, "{url}");
        }
    }

    #[test]
    fn bad_urls_are_refused_without_echoing_them() {
        for url in ["", "postgresql://u:s3cret@host:notaport/db", "postgresql://u:s3cret@h/db?sslmode=sometimes"] {
            let error = parse(url).unwrap_err();
            assert!(matches!(error, Error::BadUrl(_)), "{url}: {error:?}");
            assert!(!error.to_string().contains("s3cret"), "{error}");
        }
    }

    #[test]
    fn a_remote_server_without_tls_is_refused() {
        let config = parse("postgresql://a:pw@db.example.com/practice?sslmode=disable").unwrap();
        let error = super::PracticeDb::unchecked(config).err().expect("refused");
        assert!(matches!(error, Error::TlsRequired { .. }), "{error:?}");
    }
}
