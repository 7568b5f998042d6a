//! Token sets: refresh only when needed, once for many callers, store before use, and
//! `invalid_grant` turns every file of the set to "needs reconnect" keeping its data.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use switchboard_core::Cache;
use switchboard_core::ErrorKind;
use switchboard_core::credential_store::{CredentialStore, MemoryCredentialStore};
use switchboard_core::model::*;
use switchboard_core::secret::Secret;
use switchboard_core::xero::sign_in::TokenGrant;
use switchboard_core::xero::token_entries::token_set_prefix;
use switchboard_core::xero::token_vault::{SharedCache, TokenVault};

struct Fixture {
    _dir: tempfile::TempDir,
    cache: SharedCache,
    store: Arc<MemoryCredentialStore>,
    vault: TokenVault,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let cache = Arc::new(Mutex::new(Cache::open(&dir.path().join("cache.sqlite3")).unwrap()));
    let store = Arc::new(MemoryCredentialStore::default());
    let vault = TokenVault::new(store.clone(), dir.path().join("locks"));
    Fixture { _dir: dir, cache, store, vault }
}

fn grant(access: &str, refresh: &str, expires_in_ms: i64) -> TokenGrant {
    TokenGrant {
        access_token: Secret::new(access),
        refresh_token: Secret::new(refresh),
        access_expires_at: UnixMillis(UnixMillis::now().0 + expires_in_ms),
        scopes: vec!["offline_access".into(), "accounting.settings.read".into()],
        xero_user_id: Some("user-1".into()),
        auth_event_id: Some("event-1".into()),
    }
}

/// The pair as the credential store holds it: the refresh entry, and the access token's parts.
fn stored(f: &Fixture, id: i64) -> serde_json::Value {
    let prefix = token_set_prefix(f.cache.lock().unwrap().id(), id);
    let entry: serde_json::Value =
        serde_json::from_str(f.store.get(&format!("{prefix}/refresh")).unwrap().unwrap().expose()).unwrap();
    let parts = entry["access_parts"].as_u64().unwrap();
    let access: String = (0..parts)
        .map(|n| f.store.get(&format!("{prefix}/access/{n}")).unwrap().unwrap().expose().to_owned())
        .collect();
    serde_json::json!({"refresh_token": entry["refresh_token"], "access_token": access})
}

#[tokio::test]
async fn a_fresh_access_token_is_used_without_refreshing() {
    let f = fixture();
    let id = f.vault.save_new(&f.cache, &grant("access-1", "refresh-1", 20 * 60_000)).unwrap();
    let calls = AtomicUsize::new(0);
    let token = f
        .vault
        .access_token(&f.cache, id, None, |_| async {
            calls.fetch_add(1, Ordering::SeqCst);
            Ok(grant("never", "never", 0))
        })
        .await
        .unwrap();
    assert_eq!(token.expose(), "access-1");
    assert_eq!(calls.load(Ordering::SeqCst), 0);
    let info = f.cache.lock().unwrap().token_set(id).unwrap();
    assert_eq!(info.xero_user_id.as_deref(), Some("user-1"));
    assert!(info.lapses_at.0 > UnixMillis::now().0 + 59 * 24 * 3600 * 1000);
}

#[tokio::test]
async fn many_callers_of_an_expired_set_cause_exactly_one_refresh() {
    let f = Arc::new(fixture());
    let id = f.vault.save_new(&f.cache, &grant("old-access", "old-refresh", 0)).unwrap();
    let calls = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..10 {
        let (f, calls) = (f.clone(), calls.clone());
        tasks.push(tokio::spawn(async move {
            f.vault
                .access_token(&f.cache, id, None, |old| {
                    let calls = calls.clone();
                    async move {
                        assert_eq!(old.expose(), "old-refresh");
                        calls.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(std::time::Duration::from_millis(30)).await;
                        Ok(grant("new-access", "new-refresh", 30 * 60_000))
                    }
                })
                .await
                .unwrap()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap().expose(), "new-access");
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    let pair = stored(&f, id.0);
    assert_eq!(pair["refresh_token"], "new-refresh");
    assert_eq!(pair["access_token"], "new-access");
}

#[tokio::test]
async fn a_lost_refresh_response_is_retried_with_the_old_token() {
    let f = fixture();
    let id = f.vault.save_new(&f.cache, &grant("a", "the-old-refresh", 0)).unwrap();
    let seen = Mutex::new(Vec::new());
    let token = f
        .vault
        .access_token(&f.cache, id, None, |old| {
            let first = seen.lock().unwrap().is_empty();
            seen.lock().unwrap().push(old.expose().to_owned());
            async move {
                if first {
                    Err(switchboard_core::Error::XeroUnreachable("connection reset".into()))
                } else {
                    Ok(grant("b", "rotated", 30 * 60_000))
                }
            }
        })
        .await
        .unwrap();
    assert_eq!(token.expose(), "b");
    assert_eq!(*seen.lock().unwrap(), ["the-old-refresh", "the-old-refresh"]);
    assert_eq!(stored(&f, id.0)["refresh_token"], "rotated");
}

#[tokio::test]
async fn invalid_grant_marks_every_file_of_the_set_needs_reconnect_and_keeps_their_data() {
    let f = fixture();
    let id = f.vault.save_new(&f.cache, &grant("a", "revoked", 0)).unwrap();
    let synced = SyncRecord {
        last_success_at: Some(UnixMillis(1_000)),
        last_attempt_at: Some(UnixMillis(1_000)),
        last_error: None,
    };
    let file_id = {
        let mut cache = f.cache.lock().unwrap();
        let file = cache
            .upsert_files(&[ClientFileDraft {
                software: AccountingSoftware::Xero,
                connection: ConnectionState::Connected,
                payroll: ServiceState::Connected,
                xero: Some(XeroIds { tenant_id: "t".into(), connection_id: None, short_code: Some("!abc".into()) }),
                sync: synced.clone(),
                ..ClientFileDraft::named("Kept")
            }])
            .unwrap()[0];
        cache.assign_token_set(file, Some(id)).unwrap();
        file
    };
    let calls = AtomicUsize::new(0);
    let refresh = |_| async {
        calls.fetch_add(1, Ordering::SeqCst);
        Err(switchboard_core::Error::NeedsReconnect("invalid_grant".into()))
    };
    let error = f.vault.access_token(&f.cache, id, None, refresh).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NeedsReconnect);
    let file = f.cache.lock().unwrap().file(file_id).unwrap();
    assert_eq!(file.connection.code(), "needs_reconnect");
    assert_eq!(file.payroll, ServiceState::Connected);
    assert_eq!(file.sync, synced);
    assert_eq!(file.xero.unwrap().short_code.as_deref(), Some("!abc"));
    // Never retried: the next call fails at once without asking Xero.
    assert!(f.vault.access_token(&f.cache, id, None, refresh).await.is_err());
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_rejected_token_is_refreshed_once_even_if_not_yet_expired() {
    let f = fixture();
    let id = f.vault.save_new(&f.cache, &grant("rejected", "r1", 20 * 60_000)).unwrap();
    let calls = AtomicUsize::new(0);
    let refresh = |_| async {
        calls.fetch_add(1, Ordering::SeqCst);
        Ok(grant("replacement", "r2", 30 * 60_000))
    };
    let rejected = Secret::new("rejected");
    let first = f.vault.access_token(&f.cache, id, Some(&rejected), refresh).await.unwrap();
    let second = f.vault.access_token(&f.cache, id, Some(&rejected), refresh).await.unwrap();
    assert_eq!((first.expose(), second.expose()), ("replacement", "replacement"));
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_refresh_torn_while_writing_the_access_token_keeps_the_refresh_token_and_refreshes() {
    let f = fixture();
    let id = f.vault.save_new(&f.cache, &grant(&"a".repeat(2_500), "refresh-1", 20 * 60_000)).unwrap();
    // A later write of a new access token got as far as its first part, then the process died.
    let prefix = token_set_prefix(f.cache.lock().unwrap().id(), id.0);
    f.store.set(&format!("{prefix}/access/0"), &Secret::new("b".repeat(1_000))).unwrap();
    let seen = Mutex::new(Vec::new());
    let token = f
        .vault
        .access_token(&f.cache, id, None, |old| {
            seen.lock().unwrap().push(old.expose().to_owned());
            async { Ok(grant("new-access", "refresh-2", 30 * 60_000)) }
        })
        .await
        .unwrap();
    assert_eq!(token.expose(), "new-access");
    assert_eq!(*seen.lock().unwrap(), ["refresh-1"], "the torn access token was never handed out");
    assert_eq!(stored(&f, id.0), serde_json::json!({"refresh_token": "refresh-2", "access_token": "new-access"}));
}

/// A cache at schema 7 holding token set 1 of `user`, its tokens in the single legacy entry.
fn legacy_fixture(user: &str, entry_user: &str) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite3");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        switchboard_core::cache::migrations::migrations().to_version(&mut conn, 7).unwrap();
        conn.execute(
            "INSERT INTO token_sets (id, xero_user_id, scopes, access_expires_at, refreshed_at, created_at)
             VALUES (1, ?1, 'offline_access', ?2, 1, 1)",
            rusqlite::params![user, UnixMillis::now().0 + 20 * 60_000],
        )
        .unwrap();
    }
    let store = Arc::new(MemoryCredentialStore::default());
    let f = Fixture {
        cache: Arc::new(Mutex::new(Cache::open(&path).unwrap())),
        vault: TokenVault::new(store.clone(), dir.path().join("locks")),
        store,
        _dir: dir,
    };
    let legacy = serde_json::json!({"access_token": jwt(entry_user), "refresh_token": "legacy-refresh"});
    f.store.set("token-set/1", &Secret::new(legacy.to_string())).unwrap();
    f
}

fn jwt(xero_user: &str) -> String {
    use base64::Engine;
    let claims = serde_json::json!({"xero_userid": xero_user});
    format!("h.{}.s", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(claims.to_string()))
}

#[tokio::test]
async fn a_set_in_the_legacy_single_entry_is_moved_to_the_current_layout_on_first_use() {
    let f = legacy_fixture("user-1", "user-1");
    let id = switchboard_core::cache::TokenSetId(1);
    let never = |_| async { Err::<TokenGrant, _>(switchboard_core::Error::XeroUnreachable("not called".into())) };
    let token = f.vault.access_token(&f.cache, id, None, never).await.unwrap();
    assert_eq!(token.expose(), jwt("user-1"));
    assert_eq!(stored(&f, 1), serde_json::json!({"refresh_token": "legacy-refresh", "access_token": jwt("user-1")}));
    assert!(f.store.get("token-set/1").unwrap().is_none(), "the legacy entry is gone");
    assert!(!f.cache.lock().unwrap().token_set_in_legacy_entry(id).unwrap());
    // Used again: read from the current layout.
    assert_eq!(f.vault.access_token(&f.cache, id, None, never).await.unwrap().expose(), jwt("user-1"));
}

#[tokio::test]
async fn a_legacy_entry_holding_another_xero_user_s_tokens_is_left_to_its_own_cache() {
    let f = legacy_fixture("user-1", "user-2");
    let id = switchboard_core::cache::TokenSetId(1);
    let never = |_| async { Err::<TokenGrant, _>(switchboard_core::Error::XeroUnreachable("not called".into())) };
    let error = f.vault.access_token(&f.cache, id, None, never).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NeedsReconnect);
    assert!(f.store.get("token-set/1").unwrap().is_some(), "another cache's entry is not taken");
    assert_eq!(f.store.keys(), ["token-set/1"]);
}
