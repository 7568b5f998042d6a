//! The credential stores: memory (always) and the real OS store: Windows Credential Manager in the
//! Windows lane (always there), the Secret Service on Linux (run by `scripts/test`, which starts an
//! unlocked keyring; plain `cargo test` skips it as it may have none).

use switchboard_core::credential_store::{CredentialStore, MemoryCredentialStore, OsCredentialStore};
use switchboard_core::secret::Secret;

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
