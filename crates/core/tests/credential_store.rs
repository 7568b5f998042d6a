//! The credential stores: memory (always) and the real OS store: Windows Credential Manager in the
//! Windows lane (always there), the Secret Service on Linux (run by `scripts/test`, which starts an
//! unlocked keyring; plain `cargo test` skips it as it may have none).

use std::sync::{Arc, Mutex};

use switchboard_core::Cache;
use switchboard_core::credential_store::{CredentialStore, MemoryCredentialStore, OsCredentialStore};
use switchboard_core::model::UnixMillis;
use switchboard_core::reports::model::REPORT_SCOPES;
use switchboard_core::secret::Secret;
use switchboard_core::xero::app_settings::{XeroAppSettings, client_secret_key};
use switchboard_core::xero::config::CONNECT_SCOPES;
use switchboard_core::xero::sign_in::TokenGrant;
use switchboard_core::xero::token_entries::TokenEntries;
use switchboard_core::xero::token_vault::TokenVault;
use switchboard_core::xpm::XPM_SCOPES;

fn round_trip(store: &dyn CredentialStore, key: &str) {
    assert_eq!(store.get(key).unwrap(), None);
    store.set(key, &Secret::new("first-refresh-token")).unwrap();
    assert_eq!(store.get(key).unwrap(), Some(Secret::new("first-refresh-token")));
    store.set(key, &Secret::new("rotated-refresh-token")).unwrap();
    assert_eq!(store.get(key).unwrap(), Some(Secret::new("rotated-refresh-token")));
    store.delete(key).unwrap();
    assert_eq!(store.get(key).unwrap(), None);
    store.delete(key).unwrap();
}

#[test]
fn the_memory_store_keeps_replaces_and_forgets_secrets() {
    round_trip(&MemoryCredentialStore::default(), "token-set/1/refresh");
}

#[test]
#[cfg_attr(target_os = "linux", ignore = "needs an unlocked OS keyring; scripts/test runs it with --include-ignored")]
fn the_os_credential_store_keeps_replaces_and_forgets_secrets() {
    let service = format!("app.switchboard.test.{}", std::process::id());
    let store = OsCredentialStore::new(service.clone());
    round_trip(&store, "token-set/1/refresh");
    // A second handle (as another process would have) sees what the first stored.
    store.set("token-set/2/refresh", &Secret::new("shared")).unwrap();
    let other = OsCredentialStore::new(service);
    assert_eq!(other.get("token-set/2/refresh").unwrap(), Some(Secret::new("shared")));
    other.delete("token-set/2/refresh").unwrap();
}

#[test]
#[cfg_attr(not(target_os = "linux"), ignore = "the kernel keyring exists only on Linux")]
fn the_linux_kernel_keyring_keeps_replaces_and_forgets_secrets() {
    let service = format!("app.switchboard.test.kernel.{}", std::process::id());
    let store = OsCredentialStore::new(service).in_kernel_keyring().unwrap();
    round_trip(&store, "token-set/1/refresh");
}

// --- The largest token set the app can get, through the vault -------------------------------

/// Windows Credential Manager's limit per entry: 2,560 bytes, which `keyring` fills with UTF-16.
const WINDOWS_ENTRY_UNITS: usize = 1_280;

/// What the layout guards against: Credential Manager (through `keyring`) refuses a password of
/// more than 1,280 UTF-16 units, such as the single entry a set was before, with a 2,500-byte
/// access token in it.
#[cfg(windows)]
#[test]
fn credential_manager_refuses_an_entry_over_1280_utf16_units() {
    let store = OsCredentialStore::new(format!("app.switchboard.test.limit.{}", std::process::id()));
    assert!(store.set("too-long", &Secret::new("x".repeat(WINDOWS_ENTRY_UNITS + 1))).is_err());
    store.set("just-fits", &Secret::new("x".repeat(WINDOWS_ENTRY_UNITS))).unwrap();
    assert_eq!(store.get("just-fits").unwrap().unwrap().expose().len(), WINDOWS_ENTRY_UNITS);
    store.delete("just-fits").unwrap();
}

/// A store that notes the size of every entry written through it.
struct Recording {
    inner: Arc<dyn CredentialStore>,
    /// (key, UTF-16 units, UTF-8 bytes) of each write.
    writes: Mutex<Vec<(String, usize, usize)>>,
}

impl CredentialStore for Recording {
    fn get(&self, key: &str) -> switchboard_core::error::Result<Option<Secret>> {
        self.inner.get(key)
    }

    fn set(&self, key: &str, secret: &Secret) -> switchboard_core::error::Result<()> {
        let (units, bytes) = (secret.expose().encode_utf16().count(), secret.expose().len());
        self.writes.lock().unwrap().push((key.to_owned(), units, bytes));
        self.inner.set(key, secret)
    }

    fn delete(&self, key: &str) -> switchboard_core::error::Result<()> {
        self.inner.delete(key)
    }
}

/// Every scope Switchboard ever asks for: connecting files, "Allow reports", XPM.
fn every_scope() -> Vec<String> {
    let all = CONNECT_SCOPES.iter().chain(REPORT_SCOPES).chain(XPM_SCOPES);
    let mut scopes: Vec<String> = all.map(|s| s.to_string()).collect();
    scopes.sort();
    scopes.dedup();
    scopes
}

/// A JWT shaped as Xero issues them (RS256, Xero's claims, every scope in `scope`), of exactly
/// `bytes`: the signature part takes up what the claims leave, at least a 2048-bit RSA signature.
fn access_token(scopes: &[String], bytes: usize, generation: u32) -> String {
    use base64::Engine;
    let b64 = |text: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text);
    let header = b64(
        r#"{"alg":"RS256","kid":"1CAF8A24ECF9EA6A3C7A6E3FB3E28C7D","typ":"JWT","x5t":"HK-KJOz56mo8fnsyxOLXwI2ec3E"}"#,
    );
    let claims = serde_json::json!({
        "nbf": 1_765_000_000, "exp": 1_765_001_800, "auth_time": 1_765_000_000,
        "iss": "https://identity.xero.com", "aud": "https://identity.xero.com/resources",
        "client_id": "5W1TCHB0ARD51M0000000000000DE5K7", "sub": "2f3c9a1e0d6b4e619c1a7b8d5e4f3a21",
        "xero_userid": "2f3c9a1e-0d6b-4e61-9c1a-7b8d5e4f3a21",
        "global_session_id": "e2b7f1a4c9d84e3fa6b5c0d1e2f3a4b5", "sid": "e2b7f1a4c9d84e3fa6b5c0d1e2f3a4b5",
        "jti": "9F8E7D6C5B4A39281706F5E4D3C2B1A0", "authentication_event_id": "0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f",
        "scope": scopes,
    });
    let unsigned = format!("{header}.{}.", b64(&claims.to_string()));
    let signature = bytes.checked_sub(unsigned.len()).filter(|n| *n >= 342).expect("room for an RS256 signature");
    format!("{unsigned}{}", format!("{generation}").repeat(signature))
}

/// Writes the largest token set (and client secret) through the vault and settings into `store`,
/// reads everything back, refreshes once (the refresh writes a pair as large again), and returns
/// every write. Leaves nothing in the store.
async fn write_the_largest_set(store: Arc<dyn CredentialStore>) -> Vec<(String, usize, usize)> {
    let dir = tempfile::tempdir().unwrap();
    let recording = Arc::new(Recording { inner: store.clone(), writes: Mutex::new(Vec::new()) });
    let cache = Arc::new(Mutex::new(Cache::open(&dir.path().join("cache.sqlite3")).unwrap()));
    let vault = TokenVault::new(recording.clone(), dir.path().join("locks"));
    let scopes = every_scope();
    // Xero's refresh tokens and client secrets are 40-64 characters; these are generous.
    let refresh_token = |n: u32| Secret::new(format!("{n}").repeat(96));
    let client_secret = Secret::new("s".repeat(64));
    let grant = |n: u32| TokenGrant {
        access_token: Secret::new(access_token(&scopes, 2_500, n)),
        refresh_token: refresh_token(n),
        access_expires_at: UnixMillis(UnixMillis::now().0 + 20 * 60_000),
        scopes: scopes.clone(),
        xero_user_id: Some("2f3c9a1e-0d6b-4e61-9c1a-7b8d5e4f3a21".into()),
        auth_event_id: None,
    };
    assert_eq!(grant(1).access_token.expose().len(), 2_500);

    let id = vault.save_new(&cache, &grant(1)).unwrap();
    let settings = XeroAppSettings {
        client_id: Some("ABC".into()),
        redirect_ports: vec![50001],
        has_client_secret: true,
        tier: None,
    };
    settings.save(&mut cache.lock().unwrap(), recording.as_ref(), Some(&client_secret)).unwrap();

    let no_refresh = |_| async { Err::<TokenGrant, _>(switchboard_core::Error::XeroUnreachable("not called".into())) };
    let access = vault.access_token(&cache, id, None, no_refresh).await.unwrap();
    assert_eq!(access, grant(1).access_token);
    // Rejected by Xero: refreshed with the stored refresh token, and the new pair stored.
    let refreshed = vault
        .access_token(&cache, id, Some(&access), |old| {
            assert_eq!(old, refresh_token(1));
            async { Ok(grant(2)) }
        })
        .await
        .unwrap();
    assert_eq!(refreshed, grant(2).access_token);
    assert_eq!(vault.access_token(&cache, id, None, no_refresh).await.unwrap(), grant(2).access_token);
    let secret = XeroAppSettings::load(&cache.lock().unwrap()).unwrap();
    assert_eq!(secret.client_secret(&cache.lock().unwrap(), recording.as_ref()).unwrap(), Some(client_secret));

    let cache_id = cache.lock().unwrap().id().to_owned();
    TokenEntries::new(store.as_ref(), &cache_id, id.0).delete().unwrap();
    store.delete(&client_secret_key(&cache.lock().unwrap())).unwrap();
    let writes = recording.writes.lock().unwrap().clone();
    for (key, units, bytes) in &writes {
        eprintln!("{key}: {units} UTF-16 units, {bytes} bytes");
        assert!(*units <= WINDOWS_ENTRY_UNITS, "{key} holds {units} UTF-16 units");
    }
    writes
}

#[tokio::test]
async fn the_largest_token_set_fits_windows_entries_in_memory() {
    let store = Arc::new(MemoryCredentialStore::default());
    let writes = write_the_largest_set(store.clone()).await;
    // Twice (consent, refresh): three access-token parts, the refresh entry; and the secret.
    assert_eq!(writes.len(), 9, "{writes:?}");
    assert!(store.keys().is_empty());
}

#[tokio::test]
#[cfg_attr(target_os = "linux", ignore = "needs an unlocked OS keyring; scripts/test runs it with --include-ignored")]
async fn the_largest_token_set_fits_the_os_credential_store() {
    let service = format!("app.switchboard.test.largest.{}", std::process::id());
    let writes = write_the_largest_set(Arc::new(OsCredentialStore::new(service))).await;
    assert_eq!(writes.len(), 9);
}
