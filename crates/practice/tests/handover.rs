//! The token hand-over: only ciphertext reaches the database, and only until the sync host takes
//! it; a row for another sync host key is refused and kept; staff cannot read or delete each
//! other's hand-overs; a sync host killed at any moment loses no token set.
#![cfg(target_os = "linux")]

mod support;

use std::process::Command;
use std::time::Duration;

use support::{Practice, sqlstate};
use switchboard_core::credential_store::{CredentialStore, MemoryCredentialStore, OsCredentialStore};
use switchboard_core::secret::Secret;
use switchboard_practice::handover::{take_all, token_set_key};
use switchboard_practice::sync_host::SyncHostIdentity;
use switchboard_practice::{Error, PracticeDb};

/// A token set as Xero's consent gives it, with a marker to look for.
fn token_set(marker: &str) -> String {
    format!(
        r#"{{"access_token":"eyJ-access-{marker}","refresh_token":"refresh-{marker}-Zk3xQ","expires_in":1800,"token_type":"Bearer"}}"#
    )
}

/// Standard base64 of `bytes` (to check the token is not stored encoded either).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Every byte of the hand-over tables, as the owner reads them.
async fn table_bytes(owner_raw: &tokio_postgres::Client) -> Vec<u8> {
    let mut bytes = Vec::new();
    for row in owner_raw
        .query("SELECT ciphertext, recipient, offered_by, file_ids::text FROM token_handovers", &[])
        .await
        .unwrap()
    {
        bytes.extend(row.get::<_, Vec<u8>>(0));
        for i in 1..4 {
            bytes.extend(row.get::<_, String>(i).into_bytes());
        }
    }
    for row in owner_raw.query("SELECT to_jsonb(a)::text FROM audit_log a", &[]).await.unwrap() {
        bytes.extend(row.get::<_, String>(0).into_bytes());
    }
    bytes
}

async fn sync_host(p: &Practice) -> SyncHostIdentity {
    let identity = SyncHostIdentity::generate();
    p.owner.register_sync_host(&identity, "server-1").await.expect("registered");
    identity
}

#[tokio::test]
async fn only_ciphertext_reaches_the_database_and_it_is_gone_after_the_take() {
    let p = Practice::new().await;
    let identity = sync_host(&p).await;
    let ann = p.connect("ann").await;
    // Staff read the registered key (to encrypt to it).
    assert_eq!(ann.sync_host().await.unwrap().unwrap().recipient, identity.recipient());

    let token = token_set("ann-alpha");
    let id = ann.offer_token_set(&[p.alpha], &Secret::new(&token)).await.expect("offered");

    let owner_raw = support::raw(&p.pg.owner_url).await;
    let bytes = table_bytes(&owner_raw).await;
    assert!(bytes.len() > 200, "the ciphertext is there");
    for needle in ["refresh-ann-alpha-Zk3xQ", "eyJ-access-ann-alpha", token.as_str()] {
        assert!(!contains(&bytes, needle.as_bytes()), "{needle} is in the database");
        assert!(!contains(&bytes, base64(needle.as_bytes()).trim_end_matches('=').as_bytes()), "base64 of {needle}");
    }
    assert!(!contains(&bytes, base64(token.as_bytes()).as_bytes()));
    let row =
        owner_raw.query_one("SELECT recipient, offered_by FROM token_handovers WHERE id = $1", &[&id]).await.unwrap();
    assert_eq!(row.get::<_, String>(0), identity.recipient());
    assert_eq!(row.get::<_, String>(1), "ann");

    // Files ann may not see are refused, and so is a key other than the registered one.
    let error = ann.offer_token_set(&[p.alpha, p.beta], &Secret::new("x")).await.unwrap_err();
    assert!(matches!(error, Error::NotAllowed(_)), "{error:?}");
    let other = SyncHostIdentity::generate();
    let forged = age::encrypt(&other.recipient().parse::<age::x25519::Recipient>().unwrap(), b"x").unwrap();
    let error = p
        .raw("ann")
        .await
        .execute(
            "INSERT INTO token_handovers (file_ids, ciphertext, recipient) VALUES ($1, $2, $3)",
            &[&vec![p.alpha], &forged, &other.recipient()],
        )
        .await
        .unwrap_err();
    assert_eq!(sqlstate(&error), "42501");

    let store = MemoryCredentialStore::default();
    let report = take_all(&p.owner, &identity, &store).await.expect("taken");
    assert_eq!(report.taken, [id]);
    assert!(report.refused.is_empty());
    assert_eq!(store.get(&token_set_key(&p.owner, id)).unwrap().unwrap().expose(), token);
    let left: i64 = owner_raw.query_one("SELECT count(*) FROM token_handovers", &[]).await.unwrap().get(0);
    assert_eq!(left, 0);
    // Which files the token set connects stays, without the secret; the audit says who and when.
    let files: Vec<i64> =
        owner_raw.query_one("SELECT file_ids FROM sync_token_sets WHERE id = $1", &[&id]).await.unwrap().get(0);
    assert_eq!(files, [p.alpha]);
    let actions: Vec<String> = owner_raw
        .query("SELECT action FROM audit_log WHERE file_id = $1 AND action LIKE 'token%' ORDER BY id", &[&p.alpha])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(actions, ["token set handed over", "token set taken by the sync host"]);
    assert!(!contains(&table_bytes(&owner_raw).await, b"Zk3xQ"));

    // A second take finds nothing.
    assert_eq!(take_all(&p.owner, &identity, &store).await.unwrap().taken, Vec::<i64>::new());
}

#[tokio::test]
async fn a_hand_over_for_another_sync_host_key_is_refused_and_kept() {
    let p = Practice::new().await;
    let old = sync_host(&p).await;
    let ann = p.connect("ann").await;
    let id = ann.offer_token_set(&[p.alpha], &Secret::new(token_set("old-key"))).await.unwrap();
    // The practice moves its sync host: a new key, registered by an admin (not staff).
    let new = SyncHostIdentity::generate();
    let error = ann.register_sync_host(&new, "laptop").await.unwrap_err();
    assert!(matches!(error, Error::NotAllowed(_)), "{error:?}");
    p.connect("carol").await.register_sync_host(&new, "server-2").await.expect("admin registers");
    assert_eq!(ann.sync_host().await.unwrap().unwrap().host_name, "server-2");

    let store = MemoryCredentialStore::default();
    let report = take_all(&p.owner, &new, &store).await.unwrap();
    assert!(report.taken.is_empty());
    assert_eq!(report.refused.len(), 1);
    let (refused, why) = &report.refused[0];
    assert_eq!(*refused, id);
    assert!(why.contains("encrypted to sync host key") && why.contains(&old.recipient()), "{why}");
    assert!(store.keys().is_empty(), "{:?}", store.keys());

    let owner_raw = support::raw(&p.pg.owner_url).await;
    let kept: i64 =
        owner_raw.query_one("SELECT count(*) FROM token_handovers WHERE id = $1", &[&id]).await.unwrap().get(0);
    assert_eq!(kept, 1, "the row stays");
    let audit: i64 = owner_raw
        .query_one(
            "SELECT count(*) FROM audit_log WHERE action = 'token hand-over refused' AND file_id = $1",
            &[&p.alpha],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(audit, 1);
    let registered: i64 = owner_raw
        .query_one("SELECT count(*) FROM audit_log WHERE action = 'sync host registered' AND actor = 'carol'", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(registered, 1);

    // A row whose recipient column claims this key but holds ciphertext for another is refused
    // too (the decryption fails), and kept.
    let forged = age::encrypt(&old.recipient().parse::<age::x25519::Recipient>().unwrap(), b"{}").unwrap();
    let forged_id: i64 = owner_raw
        .query_one(
            "INSERT INTO token_handovers (file_ids, ciphertext, recipient) VALUES ($1, $2, $3) RETURNING id",
            &[&vec![p.alpha], &forged, &new.recipient()],
        )
        .await
        .unwrap()
        .get(0);
    let report = take_all(&p.owner, &new, &store).await.unwrap();
    assert_eq!(report.refused.iter().map(|r| r.0).collect::<Vec<_>>(), [id, forged_id]);
    // Ann sees why hers waits; the refusal is audited once, not at every run.
    let why: Option<String> =
        p.raw("ann").await.query_one("SELECT refused FROM token_handovers WHERE id = $1", &[&id]).await.unwrap().get(0);
    assert!(why.unwrap().contains("not this sync host's"));
    let audited: i64 = owner_raw
        .query_one("SELECT count(*) FROM audit_log WHERE action = 'token hand-over refused'", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(audited, 2, "one per refused row");
    assert!(report.refused[1].1.contains("could not be decrypted"), "{}", report.refused[1].1);

    // The old sync host's key still takes its own row.
    let report = take_all(&p.owner, &old, &store).await.unwrap();
    assert_eq!(report.taken, [id]);
}

#[tokio::test]
async fn staff_cannot_read_or_delete_each_others_hand_overs() {
    let p = Practice::new().await;
    let identity = sync_host(&p).await;
    let bob = p.connect("bob").await;
    let bobs = bob.offer_token_set(&[p.alpha], &Secret::new(token_set("bob"))).await.unwrap();
    let anns = p.connect("ann").await.offer_token_set(&[p.alpha], &Secret::new(token_set("ann"))).await.unwrap();

    let ann = p.raw("ann").await;
    // Her own row, without its ciphertext; bob's not at all.
    let ids: Vec<i64> =
        ann.query("SELECT id FROM token_handovers", &[]).await.unwrap().iter().map(|r| r.get(0)).collect();
    assert_eq!(ids, [anns]);
    let error = ann.query("SELECT ciphertext FROM token_handovers", &[]).await.unwrap_err();
    assert_eq!(sqlstate(&error), "42501");
    for sql in ["DELETE FROM token_handovers", "UPDATE token_handovers SET recipient = 'x'"] {
        let error = ann.execute(sql, &[]).await.unwrap_err();
        assert_eq!(sqlstate(&error), "42501", "{sql}");
    }
    // An admin is staff too: no ciphertext for carol either.
    let carol = p.raw("carol").await;
    assert_eq!(sqlstate(&carol.query("SELECT ciphertext FROM token_handovers", &[]).await.unwrap_err()), "42501");
    let seen: i64 = carol.query_one("SELECT count(*) FROM token_handovers", &[]).await.unwrap().get(0);
    assert_eq!(seen, 0);

    let store = MemoryCredentialStore::default();
    assert_eq!(take_all(&p.owner, &identity, &store).await.unwrap().taken, [bobs, anns]);
}

// ------------------------------------------------------------------------------------------------
// kill -9

const CHILD_VAR: &str = "SWITCHBOARD_TEST_TAKE_CHILD";

fn kernel_store(service: &str) -> OsCredentialStore {
    OsCredentialStore::new(service).in_kernel_keyring().expect("kernel keyring")
}

/// The child process of the kill test: a sync host taking every hand-over, slowly enough (the
/// store is the kernel keyring, shared with the parent) to be killed mid-way.
#[tokio::test]
#[ignore = "run by a_sync_host_killed_at_random_moments_loses_no_token_set as its child process"]
async fn take_child() {
    let Ok(spec) = std::env::var(CHILD_VAR) else { return };
    let (service, url) = spec.split_once(' ').unwrap();
    let db = PracticeDb::open(url).await.unwrap();
    let store = kernel_store(service);
    let identity = SyncHostIdentity::load(&db, &store).unwrap().expect("identity in the store");
    take_all(&db, &identity, &store).await.unwrap();
}

/// A small random generator (no dependency for it); the seed is printed to repeat a run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[tokio::test]
async fn a_sync_host_killed_at_random_moments_loses_no_token_set() {
    const OFFERS: usize = 300;
    const KILLS: usize = 10;
    let p = Practice::new().await;
    let service = format!("switchboard-practice-kill-test-{}", std::process::id());
    let store = kernel_store(&service);
    let identity = SyncHostIdentity::generate();
    identity.save(&p.owner, &store).unwrap();
    p.owner.register_sync_host(&identity, "server-1").await.unwrap();

    let ann = p.connect("ann").await;
    let mut offered = Vec::new();
    for n in 0..OFFERS {
        let token = token_set(&format!("n{n}"));
        offered.push((ann.offer_token_set(&[p.alpha], &Secret::new(&token)).await.unwrap(), token));
    }

    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1;
    println!("kill test seed {seed}");
    let mut rng = Rng(seed);
    let owner_raw = support::raw(&p.pg.owner_url).await;
    let count =
        async || -> i64 { owner_raw.query_one("SELECT count(*) FROM token_handovers", &[]).await.unwrap().get(0) };
    let mut killed_mid_way = 0;
    for _ in 0..KILLS {
        let before = count().await;
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--ignored", "--exact", "take_child", "--nocapture", "--test-threads=1"])
            .env(CHILD_VAR, format!("{service} {}", p.pg.owner_url))
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        tokio::time::sleep(Duration::from_millis(20 + rng.below(400))).await;
        // Child::kill is SIGKILL on Unix: kill -9.
        let exited = child.try_wait().unwrap().is_some();
        child.kill().ok();
        child.wait().unwrap();
        let after = count().await;
        if !exited && after < before && after > 0 {
            killed_mid_way += 1;
        }
        if after == 0 {
            break;
        }
        // Nothing half-taken: every row gone from the table is in the store.
        check_taken(&owner_raw, &store, &p.owner, &offered).await;
    }
    println!("{killed_mid_way} of the kills landed while hand-overs were being taken");

    let report = take_all(&p.owner, &identity, &store).await.unwrap();
    assert!(report.refused.is_empty());
    assert_eq!(count().await, 0);
    check_taken(&owner_raw, &store, &p.owner, &offered).await;
    for (id, _) in &offered {
        store.delete(&token_set_key(&p.owner, *id)).unwrap();
    }
    store.delete(&SyncHostIdentity::key(&p.owner)).unwrap();
    assert!(killed_mid_way > 0, "no kill landed mid-way: the test proved nothing (seed {seed})");
}

/// Every offered token set is either still waiting in the table or in the store exactly as
/// offered.
async fn check_taken(
    owner_raw: &tokio_postgres::Client,
    store: &dyn CredentialStore,
    db: &PracticeDb,
    offered: &[(i64, String)],
) {
    let waiting: Vec<i64> =
        owner_raw.query("SELECT id FROM token_handovers", &[]).await.unwrap().iter().map(|r| r.get(0)).collect();
    for (id, token) in offered {
        if waiting.contains(id) {
            continue;
        }
        let stored = store.get(&token_set_key(db, *id)).unwrap();
        assert_eq!(stored.as_ref().map(|s| s.expose()), Some(token.as_str()), "hand-over {id} lost");
    }
}

#[tokio::test]
async fn two_takers_at_once_take_each_hand_over_once() {
    let p = Practice::new().await;
    let identity = sync_host(&p).await;
    let ann = p.connect("ann").await;
    let mut offered = Vec::new();
    for n in 0..40 {
        offered.push(ann.offer_token_set(&[p.alpha], &Secret::new(token_set(&format!("t{n}")))).await.unwrap());
    }
    let other = PracticeDb::open(&p.pg.owner_url).await.unwrap();
    let (one, two) = (MemoryCredentialStore::default(), MemoryCredentialStore::default());
    let (a, b) = tokio::join!(take_all(&p.owner, &identity, &one), take_all(&other, &identity, &two));
    let (a, b) = (a.unwrap().taken, b.unwrap().taken);
    assert!(a.iter().all(|id| !b.contains(id)), "a hand-over taken twice: {a:?} {b:?}");
    let mut all = [a, b].concat();
    all.sort();
    assert_eq!(all, offered);
    assert_eq!(one.keys().len() + two.keys().len(), offered.len());
}
