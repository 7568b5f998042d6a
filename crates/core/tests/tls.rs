//! TLS and proxies as practices have them, with the client Switchboard uses for Xero: the
//! simulator over HTTPS with a certificate authority made here (as a TLS-inspecting proxy or
//! antivirus has one), and an HTTP proxy on loopback. Nothing leaves this computer.
//!
//! Environment variables are process-wide, so a test that needs some (`SSL_CERT_FILE`,
//! `HTTPS_PROXY`) runs itself again in a child process of this test binary with them set.

use std::ffi::OsString;
use std::net::SocketAddr;
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use switchboard_core::ErrorKind;
use switchboard_core::credential_store::MemoryCredentialStore;
use switchboard_core::error::Result;
use switchboard_core::secret::Secret;
use switchboard_core::xero::config::CONNECT_SCOPES;
use switchboard_core::xero::context::XeroContext;
use switchboard_core::xero::http::http_client;
use switchboard_core::xero::rate_limit::Limits;
use switchboard_core::xero::sign_in::TokenGrant;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use xero_sim::config::{AutoConsent, SimConfig};
use xero_sim::{SimTls, Simulator, TestAuthority};

mod support;
use support::{consent_in, sim_context};

/// Set in the child process, to the parent's directory of files or address.
const CHILD: &str = "SWITCHBOARD_TEST_CHILD";

/// Runs the test `name` of this binary in a child process with `env` set (and none of the proxy
/// or trust-store variables the tests were started with), and fails if it did not pass there.
fn run_in_child(name: &str, env: &[(&str, OsString)]) {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command.args([name, "--exact", "--nocapture", "--test-threads=1"]);
    for var in ["HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY", "SSL_CERT_FILE", "SSL_CERT_DIR"] {
        command.env_remove(var).env_remove(var.to_ascii_lowercase());
    }
    command.envs(env.iter().map(|(k, v)| (k, v)));
    let out = command.output().unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success() && said.contains("1 passed"), "in the child process:\n{said}");
}

fn in_child() -> Option<OsString> {
    std::env::var_os(CHILD)
}

/// The simulator over HTTPS with `tls`, two organisations, consent given automatically.
async fn https_sim(tls: SimTls) -> xero_sim::SimHandle {
    Simulator::start(SimConfig::default().orgs(2).seed(5).auto_consent(AutoConsent::all()).tls(tls)).await.unwrap()
}

/// A sign-in in a browser that trusts `ca_pem` (a person's browser is not under test); the code
/// exchange is the app's, with the app's client.
async fn sign_in(ctx: &XeroContext, ca_pem: &str) -> Result<TokenGrant> {
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .add_root_certificate(reqwest::Certificate::from_pem(ca_pem.as_bytes()).unwrap())
        .no_proxy()
        .build()
        .unwrap();
    consent_in(browser, ctx, CONNECT_SCOPES).await
}

#[tokio::test]
async fn a_certificate_this_computer_does_not_trust_is_one_sentence_naming_the_host() {
    // No trust store here has an authority made a moment ago.
    let authority = TestAuthority::new(&["127.0.0.1", "localhost"]);
    let sim = https_sim(authority.server.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let ctx = sim_context(&sim, dir.path(), Arc::new(MemoryCredentialStore::default()), Limits::default());

    let error = sign_in(&ctx, &authority.ca_pem).await.unwrap_err();
    let sentence = error.to_string();
    assert_eq!(error.kind(), ErrorKind::XeroUnreachable, "{sentence}");
    assert!(sentence.starts_with("The certificate of 127.0.0.1 is not trusted by this computer: "), "{sentence}");
    if cfg!(target_os = "linux") {
        assert!(sentence.contains("issued by an authority this computer does not trust"), "{sentence}");
    }
    assert!(!sentence.contains("error sending request"), "{sentence}");
    assert_eq!(sim.stats().token_requests, 0, "the code went nowhere");

    // An API call fails the same way.
    let call = ctx.api.connections(&Secret::new("any"), None).await.unwrap_err();
    assert_eq!(call.reason(), sentence);
}

#[tokio::test]
#[cfg_attr(
    windows,
    ignore = "Windows (and Wine) checks certificates with CryptoAPI, which ignores SSL_CERT_FILE: \
              trusting the test's authority would mean installing it in the user's root store"
)]
#[cfg_attr(
    target_os = "macos",
    ignore = "macOS checks certificates with the Security framework, which ignores SSL_CERT_FILE: \
              trusting the test's authority would mean adding it to the login keychain"
)]
async fn with_the_authority_in_the_trust_store_sign_in_and_sync_work_and_skip_the_proxy() {
    let Some(dir) = in_child() else {
        let authority = TestAuthority::new(&["127.0.0.1", "localhost"]);
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ca.pem"), &authority.ca_pem).unwrap();
        std::fs::write(dir.path().join("cert.pem"), &authority.server.cert_chain_pem).unwrap();
        std::fs::write(dir.path().join("key.pem"), &authority.server.key_pem).unwrap();
        // A proxy that refuses every connection: the simulator, on loopback, must not need it.
        let nowhere = OsString::from("http://127.0.0.1:1");
        run_in_child(
            "with_the_authority_in_the_trust_store_sign_in_and_sync_work_and_skip_the_proxy",
            &[
                (CHILD, dir.path().into()),
                ("SSL_CERT_FILE", dir.path().join("ca.pem").into()),
                ("HTTPS_PROXY", nowhere.clone()),
                ("HTTP_PROXY", nowhere),
            ],
        );
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
    let sim = https_sim(SimTls { cert_chain_pem: read("cert.pem"), key_pem: read("key.pem") }).await;
    assert!(sim.base_url().starts_with("https://127.0.0.1:"));
    let cache_dir = tempfile::tempdir().unwrap();
    let ctx = sim_context(&sim, cache_dir.path(), Arc::new(MemoryCredentialStore::default()), Limits::default());

    let grant = sign_in(&ctx, &read("ca.pem")).await.unwrap();
    let (ids, report) = ctx.connect_from_grant(grant, |_| {}).await.unwrap();
    assert_eq!((ids.len(), report.synced), (2, 2), "{report:?}");
    let report = ctx.sync(None, &AtomicBool::new(false), |_| {}).await.unwrap();
    assert_eq!((report.synced, report.failed), (2, 0), "{report:?}");
}

/// An HTTP proxy on loopback that writes down the first line of every request: it passes plain
/// requests, whatever host they name, to `upstream` (so nothing leaves this computer) and
/// refuses tunnels (`CONNECT`).
async fn logging_proxy(upstream: SocketAddr) -> (SocketAddr, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let log = log.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                while !head.ends_with(b"\r\n") {
                    match client.read_u8().await {
                        Ok(byte) => head.push(byte),
                        Err(_) => return,
                    }
                }
                let line = String::from_utf8_lossy(&head).trim_end().to_owned();
                let tunnel = line.starts_with("CONNECT ");
                log.lock().unwrap().push(line);
                if tunnel {
                    let _ = client.write_all(b"HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n").await;
                    return;
                }
                let mut server = TcpStream::connect(upstream).await.unwrap();
                server.write_all(&head).await.unwrap();
                let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
            });
        }
    });
    (addr, seen)
}

#[tokio::test]
async fn the_proxy_from_the_environment_carries_other_hosts_and_never_loopback() {
    let Some(sim) = in_child() else {
        let sim = Simulator::start(SimConfig::default().orgs(1)).await.unwrap();
        let (proxy, seen) = logging_proxy(sim.addr()).await;
        let proxy = OsString::from(format!("http://{proxy}"));
        let env =
            [(CHILD, OsString::from(sim.addr().to_string())), ("HTTPS_PROXY", proxy.clone()), ("HTTP_PROXY", proxy)];
        tokio::task::spawn_blocking(move || {
            run_in_child("the_proxy_from_the_environment_carries_other_hosts_and_never_loopback", &env)
        })
        .await
        .unwrap();
        // xero.test is reserved: it resolves nowhere, only the proxy can take a request for it.
        assert_eq!(*seen.lock().unwrap(), ["GET http://xero.test/ HTTP/1.1", "CONNECT xero.test:443 HTTP/1.1"]);
        return;
    };
    let http = http_client();
    let index = |response: reqwest::Response| async move {
        assert!(response.status().is_success());
        response.text().await.unwrap()
    };
    // HTTP_PROXY: the request goes to the proxy, which passes it to the simulator.
    let through_proxy = index(http.get("http://xero.test/").send().await.unwrap()).await;
    assert!(through_proxy.starts_with("xero-sim"), "{through_proxy}");
    // HTTPS_PROXY: a tunnel is asked of the proxy (this one refuses it).
    assert!(http.get("https://xero.test/").send().await.is_err());
    // Loopback: straight to the simulator, though NO_PROXY is not set.
    let direct = index(http.get(format!("http://{}/", sim.to_str().unwrap())).send().await.unwrap()).await;
    assert_eq!(direct, through_proxy);
}
