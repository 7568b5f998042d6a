//! The shell's update check and download, through the real updater plugin in Tauri's mock runtime,
//! against a local update server: a good bundle verifies, and a tampered bundle, a bundle signed
//! with another key, "no update", a malformed manifest and an unreachable server each give the
//! failure a person is told about.
//!
//! The keys and signatures in tests/fixtures are made for these tests only (see its README).

#[allow(dead_code)]
#[path = "../src/updater.rs"]
mod updater;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use serde_json::json;
use switchboard_core::updates::UpdateFailure;
use tauri::test::{MockRuntime, mock_builder, mock_context, noop_assets};

const PUBKEY: &str = include_str!("fixtures/test-updater.key.pub");
const BUNDLE: &[u8] = include_bytes!("fixtures/update.bin");
const SIGNATURE: &str = include_str!("fixtures/update.bin.sig");
const OTHER_KEY_SIGNATURE: &str = include_str!("fixtures/update.bin.other-key.sig");
/// Every test reads the environment (the policy variable, and Tauri and reqwest read more); the one
/// test that sets a variable holds this for writing, so no other test runs meanwhile.
static ENV: std::sync::RwLock<()> = std::sync::RwLock::new(());

fn shared_env() -> std::sync::RwLockReadGuard<'static, ()> {
    ENV.read().unwrap_or_else(|p| p.into_inner())
}

/// The manifest's platform key; the plugin is told to look for it instead of this OS's own.
const TARGET: &str = "switchboard-test";

fn manifest(addr: SocketAddr, bundle: &str, signature: &str) -> serde_json::Value {
    json!({
        "version": "9.9.9",
        "notes": "Faster sync.\nA new Settings page.",
        "pub_date": "2026-12-01T12:00:00Z",
        "platforms": {
            TARGET: { "signature": signature.trim(), "url": format!("http://{addr}/{bundle}") }
        }
    })
}

struct Server {
    addr: SocketAddr,
    requests: Arc<AtomicUsize>,
}

/// The update server, on loopback, on its own thread and runtime.
fn server() -> Server {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    let requests = Arc::new(AtomicUsize::new(0));
    let counted = requests.clone();
    let json = move |value: serde_json::Value| ([(header::CONTENT_TYPE, "application/json")], value.to_string());
    let app = Router::new()
        .route("/latest.json", get(move || async move { json(manifest(addr, "update.bin", SIGNATURE)) }))
        .route("/tampered.json", get(move || async move { json(manifest(addr, "tampered.bin", SIGNATURE)) }))
        .route("/other-key.json", get(move || async move { json(manifest(addr, "update.bin", OTHER_KEY_SIGNATURE)) }))
        .route("/none.json", get(|| async { StatusCode::NO_CONTENT }))
        .route("/not-json.json", get(|| async { ([(header::CONTENT_TYPE, "application/json")], "{ this is not json") }))
        .route(
            "/wrong-shape.json",
            get(move || async move { json(json!({ "version": "not a version", "platforms": {} })) }),
        )
        .route("/update.bin", get(|| async { BUNDLE.to_vec() }))
        .route(
            "/tampered.bin",
            get(|| async {
                let mut bytes = BUNDLE.to_vec();
                bytes[0] ^= 0x20;
                bytes.into_response()
            }),
        )
        .layer(axum::middleware::from_fn(move |req, next: axum::middleware::Next| {
            counted.fetch_add(1, Ordering::SeqCst);
            async move { next.run(req).await }
        }));
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    Server { addr, requests }
}

/// An app whose updater reads `endpoint` with the test key (no endpoint: a build without one).
fn app(endpoint: Option<String>) -> tauri::App<MockRuntime> {
    let mut context = mock_context(noop_assets());
    context.config_mut().plugins.0.insert(
        "updater".into(),
        json!({
            "pubkey": PUBKEY.trim(),
            "endpoints": endpoint.into_iter().collect::<Vec<_>>(),
            // Plain HTTP for the loopback server; the app's own config never sets it.
            "dangerousInsecureTransportProtocol": true,
        }),
    );
    mock_builder()
        .plugin(tauri_plugin_updater::Builder::new().target(TARGET).build())
        .build(context)
        .expect("the mock app starts")
}

fn check(app: &tauri::App<MockRuntime>) -> Result<Option<tauri_plugin_updater::Update>, UpdateFailure> {
    tauri::async_runtime::block_on(updater::check(app.handle()))
}

/// The failure of a check that was meant to fail.
fn check_fails(app: &tauri::App<MockRuntime>) -> UpdateFailure {
    match check(app) {
        Ok(Some(update)) => panic!("an update was offered: {}", update.version),
        Ok(None) => panic!("no update and no failure"),
        Err(failure) => failure,
    }
}

fn found(server: &Server, manifest: &str) -> tauri_plugin_updater::Update {
    let app = app(Some(format!("http://{}/{manifest}", server.addr)));
    check(&app).expect("the check succeeds").expect("an update is offered")
}

#[test]
fn a_signed_update_is_found_and_its_bundle_verifies() {
    let _env = shared_env();
    let server = server();
    let update = found(&server, "latest.json");
    let info = updater::info(&update);
    assert_eq!(info.version, "9.9.9");
    assert_eq!(info.notes.as_deref(), Some("Faster sync.\nA new Settings page."));
    assert_eq!(info.date.as_deref(), Some("2026-12-01T12:00:00Z"));
    let bytes = tauri::async_runtime::block_on(updater::download(&update)).expect("the signature matches");
    assert_eq!(bytes, BUNDLE);
}

#[test]
fn a_tampered_bundle_is_refused() {
    let _env = shared_env();
    let server = server();
    let update = found(&server, "tampered.json");
    let failure = tauri::async_runtime::block_on(updater::download(&update)).unwrap_err();
    assert_eq!(failure, UpdateFailure::BadSignature);
    let message = switchboard_core::Error::from(failure).to_string();
    assert!(message.contains("refused") && message.contains("nothing was installed"), "{message}");
}

#[test]
fn a_bundle_signed_with_another_key_is_refused() {
    let _env = shared_env();
    let server = server();
    let update = found(&server, "other-key.json");
    let failure = tauri::async_runtime::block_on(updater::download(&update)).unwrap_err();
    assert_eq!(failure, UpdateFailure::BadSignature);
}

#[test]
fn no_content_means_no_update() {
    let _env = shared_env();
    let server = server();
    let app = app(Some(format!("http://{}/none.json", server.addr)));
    assert!(check(&app).expect("204 is not an error").is_none());
}

#[test]
fn a_manifest_that_is_not_json_or_not_a_manifest_is_malformed() {
    let _env = shared_env();
    let server = server();
    for manifest in ["not-json.json", "wrong-shape.json"] {
        let app = app(Some(format!("http://{}/{manifest}", server.addr)));
        let failure = check_fails(&app);
        assert!(matches!(failure, UpdateFailure::Malformed(_)), "{manifest}: {failure:?}");
        let message = switchboard_core::Error::from(failure).to_string();
        assert!(message.contains("not a valid update manifest"), "{message}");
    }
}

#[test]
fn a_missing_manifest_and_an_unreachable_server_say_so() {
    let _env = shared_env();
    let server = server();
    let app_404 = app(Some(format!("http://{}/nothing-here.json", server.addr)));
    assert_eq!(check_fails(&app_404), UpdateFailure::NoManifest);

    // A port nothing listens on: bound, then closed.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let app = app(Some(format!("http://{closed}/latest.json")));
    let failure = check_fails(&app);
    let UpdateFailure::Unreachable(detail) = &failure else { panic!("{failure:?}") };
    assert!(detail.to_lowercase().contains("connect"), "{detail}");
    let message = switchboard_core::Error::from(failure).to_string();
    assert!(message.contains("could not reach its update server"), "{message}");
}

#[test]
fn a_build_without_an_update_server_never_checks() {
    let _env = shared_env();
    let server = server();
    let app = app(None);
    assert!(!updater::built_in(app.handle()));
    assert_eq!(check_fails(&app), UpdateFailure::NotBuiltIn);
    assert_eq!(server.requests.load(Ordering::SeqCst), 0);
}

#[test]
fn checks_turned_off_by_policy_send_no_request() {
    let _env = ENV.write().unwrap_or_else(|p| p.into_inner());
    let server = server();
    let app = app(Some(format!("http://{}/latest.json", server.addr)));
    let failure = {
        // SAFETY: no other test of this binary runs while the write lock is held.
        unsafe { std::env::set_var(switchboard_core::updates::POLICY_VAR, "off") };
        let result = tauri::async_runtime::block_on(updater::check(app.handle()));
        unsafe { std::env::remove_var(switchboard_core::updates::POLICY_VAR) };
        result.err()
    };
    assert_eq!(failure, Some(UpdateFailure::OffByPolicy { how: "SWITCHBOARD_UPDATES=off".into() }));
    assert_eq!(server.requests.load(Ordering::SeqCst), 0);
    let message = switchboard_core::Error::from(failure.unwrap()).to_string();
    assert!(message.contains("turned off on this computer"), "{message}");
}

/// On Linux the .deb is installed through pkexec or sudo; a computer with neither is told so
/// instead of "No such file or directory".
#[test]
#[cfg(target_os = "linux")]
fn no_package_installer_is_said_in_words() {
    let missing = tauri_plugin_updater::Error::Io(std::io::Error::from(std::io::ErrorKind::NotFound));
    let said = switchboard_core::Error::from(updater::failure(missing)).to_string();
    assert!(said.contains("neither pkexec nor sudo was found"), "{said}");
    assert!(said.contains("Switchboard keeps running as it is"), "{said}");
}
