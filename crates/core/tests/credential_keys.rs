//! Each cache keeps its own secrets: two caches on one computer (`--cache`), and a cache started
//! fresh beside an unusable one, never read or overwrite each other's token sets or client secret,
//! although their token sets have the same ids.

use std::path::Path;
use std::sync::{Arc, Mutex};

use switchboard_core::Cache;
use switchboard_core::credential_store::MemoryCredentialStore;
use switchboard_core::model::UnixMillis;
use switchboard_core::secret::Secret;
use switchboard_core::xero::app_settings::XeroAppSettings;
use switchboard_core::xero::sign_in::TokenGrant;
use switchboard_core::xero::token_entries::TokenEntries;
use switchboard_core::xero::token_vault::TokenVault;

/// Stores a token set and a client secret named after `who` in the cache at `path`.
fn keep_secrets(store: &Arc<MemoryCredentialStore>, path: &Path, cache: Cache, who: &str) -> i64 {
    let cache = Arc::new(Mutex::new(cache));
    let vault = TokenVault::new(store.clone(), path.parent().unwrap().join("locks"));
    let grant = TokenGrant {
        access_token: Secret::new(format!("access-{who}")),
        refresh_token: Secret::new(format!("refresh-{who}")),
        access_expires_at: UnixMillis(UnixMillis::now().0 + 20 * 60_000),
        scopes: vec!["offline_access".into()],
        xero_user_id: Some(format!("user-{who}")),
        auth_event_id: None,
    };
    let id = vault.save_new(&cache, &grant).unwrap();
    let settings = XeroAppSettings {
        client_id: Some("ABC".into()),
        redirect_ports: vec![50001],
        has_client_secret: true,
        tier: None,
    };
    settings.save(&mut cache.lock().unwrap(), store.as_ref(), Some(&Secret::new(format!("secret-{who}")))).unwrap();
    id.0
}

/// The token set and client secret the cache at `path` reads back.
fn secrets_of(store: &MemoryCredentialStore, path: &Path, id: i64) -> (String, String, String) {
    let cache = Cache::open(path).unwrap();
    let pair = TokenEntries::new(store, cache.id(), id).read().unwrap().unwrap();
    let secret = XeroAppSettings::load(&cache).unwrap().client_secret(&cache, store).unwrap().unwrap();
    (pair.access_token.unwrap().expose().to_owned(), pair.refresh_token.expose().to_owned(), secret.expose().to_owned())
}

fn own(who: &str) -> (String, String, String) {
    (format!("access-{who}"), format!("refresh-{who}"), format!("secret-{who}"))
}

#[test]
fn two_caches_and_a_fresh_cache_never_share_or_overwrite_each_other_s_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryCredentialStore::default());
    let (a, b) = (dir.path().join("a.sqlite3"), dir.path().join("b.sqlite3"));
    let a_id = keep_secrets(&store, &a, Cache::open(&a).unwrap(), "a");
    let b_id = keep_secrets(&store, &b, Cache::open(&b).unwrap(), "b");
    assert_eq!((a_id, b_id), (1, 1), "the same token-set id in both caches");

    // Cache a, as a newer Switchboard left it, is started fresh: the old file is kept aside with
    // its secrets, the new one has its own.
    let version =
        |path: &Path, v: i64| rusqlite::Connection::open(path).unwrap().pragma_update(None, "user_version", v).unwrap();
    version(&a, switchboard_core::cache::LATEST_VERSION + 1);
    let (fresh, kept) = Cache::start_fresh(&a).unwrap();
    version(&kept, switchboard_core::cache::LATEST_VERSION);
    let fresh_id = keep_secrets(&store, &a, fresh, "fresh");
    assert_eq!(fresh_id, 1);

    assert_eq!(secrets_of(&store, &kept, a_id), own("a"));
    assert_eq!(secrets_of(&store, &b, b_id), own("b"));
    assert_eq!(secrets_of(&store, &a, fresh_id), own("fresh"));
    // Three caches, each with a token set (refresh entry + one access part) and a client secret.
    assert_eq!(store.keys().len(), 9, "{:?}", store.keys());
}
