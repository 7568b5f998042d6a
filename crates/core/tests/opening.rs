//! Opening the cache: fresh files, schema upgrades, newer schemas and damaged files.

use std::path::Path;

use rusqlite::Connection;
use switchboard_core::cache::{LATEST_VERSION, PAGE_SIZE};
use switchboard_core::model::{ClientFileDraft, FileId};
use switchboard_core::{Cache, ErrorKind, Session};

fn pragma(path: &Path, name: &str) -> String {
    let conn = Connection::open(path).unwrap();
    conn.pragma_query_value(None, name, |row| row.get::<_, rusqlite::types::Value>(0))
        .map(|v| match v {
            rusqlite::types::Value::Integer(i) => i.to_string(),
            rusqlite::types::Value::Text(t) => t,
            other => format!("{other:?}"),
        })
        .unwrap()
}

#[test]
fn a_missing_file_becomes_a_cache_at_the_latest_schema_with_wal_and_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/folder/cache.sqlite3");
    let cache = Cache::open(&path).unwrap();
    assert_eq!(cache.schema_version().unwrap(), LATEST_VERSION);
    assert_eq!(cache.integrity_check().unwrap(), "ok");
    drop(cache);
    assert_eq!(pragma(&path, "journal_mode"), "wal");
    assert_eq!(pragma(&path, "page_size"), PAGE_SIZE.to_string());
}

#[test]
fn an_empty_file_is_migrated_from_scratch() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite3");
    std::fs::write(&path, b"").unwrap();
    let mut cache = Cache::open(&path).unwrap();
    assert_eq!(cache.schema_version().unwrap(), LATEST_VERSION);
    cache.upsert_files(&[ClientFileDraft::named("First")]).unwrap();
    assert_eq!(cache.list_files().unwrap().len(), 1);
    drop(cache);
    assert_eq!(pragma(&path, "page_size"), PAGE_SIZE.to_string());
}

#[test]
fn foreign_keys_are_enforced() {
    let dir = tempfile::tempdir().unwrap();
    let mut cache = Cache::open(&dir.path().join("c.sqlite3")).unwrap();
    let dangling = ClientFileDraft { xpm_client_uuid: Some("missing".into()), ..ClientFileDraft::named("x") };
    let error = cache.upsert_files(&[dangling]).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Storage);
}

#[test]
fn a_cache_from_the_first_schema_version_is_upgraded_keeping_its_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite3");
    {
        // Exactly what the first released schema wrote.
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(include_str!("../migrations/001_client_files.sql")).unwrap();
        conn.execute_batch(
            "INSERT INTO client_files (display_name, remote_name, software, connection_state,
                 connection_reason, payroll_state, payroll_reason, assets_state, assets_reason,
                 xero_tenant_id, xero_short_code, last_success_at, created_at, updated_at)
             VALUES ('Kept Ltd', 'Kept Limited', 'xero', 'needs_reconnect', 'expired',
                 'unavailable', 'not_subscribed', 'connected', NULL, 'tenant-9', '!kept1',
                 1700000000000, 1, 1);
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let cache = Cache::open(&path).unwrap();
    assert_eq!(cache.schema_version().unwrap(), LATEST_VERSION);
    let files = cache.list_files().unwrap();
    assert_eq!(files.len(), 1);
    let kept = &files[0];
    assert_eq!(kept.display_name, "Kept Ltd");
    assert_eq!(kept.connection.code(), "needs_reconnect");
    assert_eq!(kept.connection.reason(), Some("expired"));
    assert_eq!(kept.payroll.reason_code(), Some("not_subscribed"));
    assert_eq!(kept.xero.as_ref().unwrap().short_code.as_deref(), Some("!kept1"));
    assert_eq!(kept.xpm, None);
    assert!(cache.audit_entries(kept.id).unwrap().is_empty());
    // Its page size is SQLite's default, and it stays so: only a new file gets the larger pages.
    drop(cache);
    assert_eq!(pragma(&path, "page_size"), "4096");
}

#[test]
fn a_cache_one_schema_version_behind_is_upgraded_keeping_its_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite3");
    {
        let mut conn = Connection::open(&path).unwrap();
        let previous = (LATEST_VERSION - 1) as usize;
        switchboard_core::cache::migrations::migrations().to_version(&mut conn, previous).unwrap();
        conn.execute_batch(
            "INSERT INTO client_files (display_name, software, connection_state, payroll_state,
                 assets_state, xero_tenant_id, created_at, updated_at)
             VALUES ('Previous Ltd', 'xero', 'connected', 'connected', 'not_checked', 't-prev', 1, 1);",
        )
        .unwrap();
    }
    let cache = Cache::open(&path).unwrap();
    assert_eq!(cache.schema_version().unwrap(), LATEST_VERSION);
    let files = cache.list_files().unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].display_name, "Previous Ltd");
    assert_eq!(files[0].connection.code(), "connected");
}

#[test]
fn a_cache_from_a_newer_switchboard_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite3");
    drop(Cache::open(&path).unwrap());
    Connection::open(&path).unwrap().pragma_update(None, "user_version", LATEST_VERSION + 5).unwrap();
    let before = std::fs::read(&path).unwrap();

    let error = Cache::open(&path).err().expect("a newer schema must be refused");
    assert_eq!(error.kind(), ErrorKind::CacheTooNew);
    let message = error.to_string();
    assert!(message.contains("newer Switchboard"), "{message}");
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(pragma(&path, "user_version"), (LATEST_VERSION + 5).to_string());
}

#[test]
fn a_file_that_is_not_sqlite_is_reported_with_its_path_and_never_changed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite3");
    let garbage: Vec<u8> = (0..50_000u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&path, &garbage).unwrap();

    let error = Cache::open(&path).err().expect("garbage must be refused");
    assert_eq!(error.kind(), ErrorKind::CacheCorrupt);
    assert!(error.to_string().contains(&path.display().to_string()));
    assert_eq!(std::fs::read(&path).unwrap(), garbage, "the damaged file was modified");
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 1, "nothing may be created beside it: {names:?}");
}

#[test]
fn a_damaged_sqlite_file_is_detected_and_left_intact() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite3");
    {
        let mut cache = Cache::open(&path).unwrap();
        let (xpm, files) = switchboard_core::fixtures::practice(2_000, 3);
        cache.upsert_xpm_clients(&xpm).unwrap();
        cache.upsert_files(&files).unwrap();
        // Fold the WAL into the main file so the damage below hits real pages.
        Connection::open(&path).unwrap().pragma_update(None, "wal_checkpoint", "TRUNCATE").unwrap();
    }
    let mut bytes = std::fs::read(&path).unwrap();
    let page_size = 4096;
    for page in 2..(bytes.len() / page_size).min(12) {
        let start = page * page_size;
        bytes[start..start + 200].fill(0xA5);
    }
    std::fs::write(&path, &bytes).unwrap();

    let error = Cache::open(&path).err().expect("a damaged cache must be refused");
    assert_eq!(error.kind(), ErrorKind::CacheCorrupt, "{error}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "the damaged file was modified");
}

#[test]
fn starting_fresh_keeps_the_damaged_file_beside_the_new_cache() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite3");
    std::fs::write(&path, b"this is not a database, but it is somebody's file").unwrap();

    let mut session = Session::open(&path);
    let status = serde_json::to_value(session.status()).unwrap();
    assert_eq!(status["state"], "unusable");
    assert_eq!(status["error"]["kind"], "cache_corrupt");
    assert_eq!(session.client_table_json().unwrap_err().kind, ErrorKind::CacheCorrupt);

    let fresh = session.start_fresh().unwrap();
    assert_eq!(std::fs::read(&fresh.kept_at).unwrap(), b"this is not a database, but it is somebody's file");
    assert!(fresh.kept_at.starts_with(&dir.path().display().to_string()));
    assert_eq!(serde_json::to_value(session.status()).unwrap()["state"], "ready");
    let table: serde_json::Value = serde_json::from_str(&session.client_table_json().unwrap()).unwrap();
    assert_eq!(table["rows"], serde_json::json!([]));
    assert!(session.start_fresh().is_err(), "a working cache is not replaced");
}

#[test]
fn errors_cross_ipc_as_kind_and_message() {
    let dir = tempfile::tempdir().unwrap();
    let session = Session::open(&dir.path().join("cache.sqlite3"));
    let error = session.client_details(FileId(99)).unwrap_err();
    let json = serde_json::to_value(&error).unwrap();
    assert_eq!(json["kind"], "not_found");
    assert!(json["message"].as_str().unwrap().contains("Client file 99"));
    assert_eq!(json.as_object().unwrap().len(), 2);
}

/// A cache as the version before 008 left it: three files (linked to an XPM client and a token
/// set, with console settings and users, Xero users, a report and audit entries), and the audit
/// entries of a file with a higher id that was deleted before the upgrade.
fn cache_at_version_7(path: &Path) {
    let mut conn = Connection::open(path).unwrap();
    switchboard_core::cache::migrations::migrations().to_version(&mut conn, 7).unwrap();
    conn.execute_batch(
        "PRAGMA foreign_keys = ON;
         INSERT INTO xpm_clients (uuid, name) VALUES ('xpm-1', 'Alpha (XPM)');
         INSERT INTO token_sets (id, xero_user_id, scopes, access_expires_at, refreshed_at, created_at)
             VALUES (4, 'user-a', 'offline_access', 1, 1, 1);
         INSERT INTO client_files (id, display_name, software, connection_state, payroll_state, assets_state,
                 xero_tenant_id, xpm_client_uuid, token_set_id, created_at, updated_at)
             VALUES (1, 'Alpha', 'xero', 'connected', 'connected', 'connected', 't-1', 'xpm-1', 4, 1, 1),
                    (2, 'Beta', 'xero', 'connected', 'connected', 'connected', 't-2', NULL, 4, 1, 1),
                    (3, 'Gamma', 'other', 'not_connected', 'not_checked', 'not_checked', NULL, NULL, NULL, 1, 1);
         INSERT INTO console_settings (file_id, enabled, show_reports, show_documents, show_tasks, reminder_cadence, updated_at)
             VALUES (1, 1, 1, 0, 0, 'monthly', 1);
         INSERT INTO console_users (id, file_id, name, email, email_key, role, created_at, updated_at)
             VALUES (1, 1, 'Ann', 'Ann@x.example', 'ann@x.example', 'owner', 1, 1),
                    (2, 3, 'Bob', 'bob@x.example', 'bob@x.example', 'viewer', 1, 1);
         INSERT INTO xero_users (file_id, user_id, first_name, last_name, email, email_key, role, is_subscriber)
             VALUES (2, 'u-1', 'Cy', 'Dee', 'cy@x.example', 'cy@x.example', 'ADMIN', 1);
         INSERT INTO xero_users_fetched (file_id, fetched_at) VALUES (2, 5);
         INSERT INTO client_reports (file_id, kind, fetched_at) VALUES (1, 'balance_sheet', 7);
         INSERT INTO audit_log (at, file_id, file_name, action, old_value, new_value)
             VALUES (1, 1, 'Alpha', 'rename', 'A', 'Alpha'),
                    (2, 3, 'Gamma', 'console_user_add', NULL, 'Bob'),
                    (3, 9, 'Gone Ltd', 'delete', 'Gone Ltd', 'Deleted');",
    )
    .unwrap();
}

fn count(path: &Path, sql: &str) -> i64 {
    Connection::open(path).unwrap().query_row(sql, [], |row| row.get(0)).unwrap()
}

#[test]
fn upgrading_to_autoincrement_ids_keeps_every_row_and_link() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite3");
    cache_at_version_7(&path);
    let cache = Cache::open(&path).unwrap();
    assert_eq!(cache.schema_version().unwrap(), LATEST_VERSION);
    assert_eq!(cache.id().len(), 32);
    let files = cache.list_files().unwrap();
    assert_eq!(files.iter().map(|f| f.display_name.as_str()).collect::<Vec<_>>(), ["Alpha", "Beta", "Gamma"]);
    let alpha = files.iter().find(|f| f.display_name == "Alpha").unwrap();
    assert_eq!(alpha.xpm.as_ref().unwrap().uuid, "xpm-1");
    for file in [FileId(1), FileId(2)] {
        assert_eq!(cache.token_set_of(file).unwrap().unwrap().xero_user_id.as_deref(), Some("user-a"));
    }
    assert_eq!(cache.console_users(FileId(1)).unwrap()[0].name, "Ann");
    assert_eq!(cache.console_users(FileId(3)).unwrap()[0].name, "Bob");
    assert!(cache.console_settings(FileId(1)).unwrap().enabled);
    assert_eq!(cache.user_access(FileId(2)).unwrap().users.len(), 1);
    assert_eq!(cache.audit_entries(FileId(3)).unwrap().len(), 1);
    drop(cache);
    assert_eq!(count(&path, "SELECT count(*) FROM client_reports WHERE file_id = 1"), 1);
    assert_eq!(count(&path, "SELECT count(*) FROM xero_users_fetched WHERE file_id = 2"), 1);
    assert_eq!(count(&path, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    // The indexes the rebuilt tables had are back.
    for index in ["client_files_token_set", "client_files_xpm_client"] {
        assert_eq!(
            count(&path, &format!("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = '{index}'")),
            1
        );
    }

    // Foreign keys are on again: deleting a file takes its console users with it.
    let mut cache = Cache::open(&path).unwrap();
    let dangling = ClientFileDraft { xpm_client_uuid: Some("missing".into()), ..ClientFileDraft::named("x") };
    assert_eq!(cache.upsert_files(&[dangling]).unwrap_err().kind(), ErrorKind::Storage);
    let target = cache.deletion_target(FileId(3), "Gamma").unwrap();
    cache.delete_client_file(&target, "Deleted").unwrap();
    drop(cache);
    assert_eq!(count(&path, "SELECT count(*) FROM console_users WHERE file_id = 3"), 0);
}

#[test]
fn a_deleted_file_s_id_and_audit_history_never_pass_to_a_new_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite3");
    cache_at_version_7(&path);
    let mut cache = Cache::open(&path).unwrap();
    // Gamma (3) is the highest id left; the audit log also names 9, deleted before the upgrade.
    let target = cache.deletion_target(FileId(3), "Gamma").unwrap();
    cache.delete_client_file(&target, "Deleted").unwrap();
    let new = cache.upsert_files(&[ClientFileDraft::named("Delta")]).unwrap()[0];
    assert!(new.0 > 9, "{new:?}");
    assert!(cache.audit_entries(new).unwrap().iter().all(|e| e.file_name == "Delta"));
    // And after a delete of the newest file, again.
    let target = cache.deletion_target(new, "Delta").unwrap();
    cache.delete_client_file(&target, "Deleted").unwrap();
    let newer = cache.upsert_files(&[ClientFileDraft::named("Epsilon")]).unwrap()[0];
    assert!(newer.0 > new.0);
    assert!(cache.audit_entries(newer).unwrap().is_empty());
    // Token sets too.
    let retired = cache.insert_token_set(None, &[], switchboard_core::model::UnixMillis(1)).unwrap();
    cache.retire_token_set_if_unused(retired).unwrap().unwrap();
    assert!(cache.insert_token_set(None, &[], switchboard_core::model::UnixMillis(1)).unwrap().0 > retired.0);
}

#[test]
fn every_cache_gets_its_own_id_a_fresh_one_included() {
    let dir = tempfile::tempdir().unwrap();
    let a = Cache::open(&dir.path().join("a.sqlite3")).unwrap();
    let b = Cache::open(&dir.path().join("b.sqlite3")).unwrap();
    assert_ne!(a.id(), b.id());
    let a_id = a.id().to_owned();
    drop(a);
    assert_eq!(Cache::open(&dir.path().join("a.sqlite3")).unwrap().id(), a_id, "kept across opens");
    // As a newer Switchboard would leave it: only a damaged or newer cache is set aside.
    Connection::open(dir.path().join("a.sqlite3"))
        .unwrap()
        .pragma_update(None, "user_version", LATEST_VERSION + 1)
        .unwrap();
    let (fresh, _kept) = Cache::start_fresh(&dir.path().join("a.sqlite3")).unwrap();
    assert_ne!(fresh.id(), a_id);
}

/// Several connections (as two copies of Switchboard, or the app and `switchboard sync`) opening
/// the same fresh cache at the same moment: each one succeeds, and the schema is made once.
#[test]
fn connections_migrating_a_fresh_cache_at_once_all_succeed() {
    const AT_ONCE: usize = 4;
    for round in 0..8 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.sqlite3");
        let start = std::sync::Barrier::new(AT_ONCE);
        let ids: Vec<String> = std::thread::scope(|scope| {
            let opening: Vec<_> = (0..AT_ONCE)
                .map(|_| {
                    scope.spawn(|| {
                        start.wait();
                        let cache = Cache::open(&path).unwrap_or_else(|e| panic!("round {round}: {e}"));
                        assert_eq!(cache.schema_version().unwrap(), LATEST_VERSION);
                        cache.id().to_owned()
                    })
                })
                .collect();
            opening.into_iter().map(|t| t.join().unwrap()).collect()
        });
        assert!(ids.windows(2).all(|w| w[0] == w[1]), "round {round}: one cache, one id: {ids:?}");
        assert_eq!(pragma(&path, "integrity_check"), "ok");
    }
}

/// Takes away access to `path` (for root, who reads any file whatever its mode, also marks it
/// immutable, so it cannot be opened for writing); the returned guard gives it back.
#[cfg(unix)]
struct NoAccess<'p> {
    path: &'p Path,
    immutable: bool,
}

#[cfg(unix)]
impl<'p> NoAccess<'p> {
    fn to(path: &'p Path) -> NoAccess<'p> {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o000)).unwrap();
        let privileged = std::fs::OpenOptions::new().write(true).open(path).is_ok();
        let immutable =
            privileged && std::process::Command::new("chattr").arg("+i").arg(path).status().is_ok_and(|s| s.success());
        assert!(!privileged || immutable, "cannot take access to a file away from this user");
        NoAccess { path, immutable }
    }

    fn give_back(self) {}
}

#[cfg(unix)]
impl Drop for NoAccess<'_> {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        if self.immutable {
            std::process::Command::new("chattr").arg("-i").arg(self.path).status().unwrap();
        }
        std::fs::set_permissions(self.path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<_> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

/// A cache that cannot be opened for a reason that may pass is never set aside: the core refuses
/// to start fresh, nothing on disk changes, and "Try again" opens it once the reason is gone.
#[cfg(unix)]
#[test]
fn a_cache_denied_to_this_user_is_never_set_aside_and_opens_on_try_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite3");
    Cache::open(&path).unwrap().upsert_files(&[ClientFileDraft::named("Kept Ltd")]).unwrap();
    let before = files_in(dir.path());
    let bytes = std::fs::read(&path).unwrap();

    let denied = NoAccess::to(&path);
    let mut session = Session::open(&path);
    let status = serde_json::to_value(session.status()).unwrap();
    assert_eq!(status["state"], "unusable");
    assert_eq!(status["error"]["kind"], "cache_unavailable", "{status}");
    assert!(status["error"]["message"].as_str().unwrap().contains("try again"), "{status}");

    let refused = session.start_fresh().unwrap_err();
    assert_eq!(refused.kind, ErrorKind::InvalidInput);
    assert!(refused.message.contains("was not set aside"), "{}", refused.message);
    let refused = Cache::start_fresh(&path).err().expect("the core itself refuses");
    assert!(refused.to_string().contains("was not set aside"), "{refused}");
    assert_eq!(serde_json::to_value(session.reopen_cache()).unwrap()["state"], "unusable");
    denied.give_back();

    assert_eq!(files_in(dir.path()), before, "no file was moved, added or removed");
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "the cache file is unchanged");
    assert_eq!(serde_json::to_value(session.reopen_cache()).unwrap()["state"], "ready");
    let table: serde_json::Value = serde_json::from_str(&session.client_table_json().unwrap()).unwrap();
    assert_eq!(table["rows"].as_array().unwrap().len(), 1);
}

#[test]
fn a_working_cache_is_never_set_aside() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite3");
    Cache::open(&path).unwrap().upsert_files(&[ClientFileDraft::named("Kept Ltd")]).unwrap();
    let before = files_in(dir.path());
    let refused = Cache::start_fresh(&path).err().expect("refused");
    assert!(refused.to_string().contains("opens normally"), "{refused}");
    assert_eq!(files_in(dir.path()), before);
    assert_eq!(Cache::open(&path).unwrap().list_files().unwrap().len(), 1);
}

#[test]
fn a_cache_from_a_newer_switchboard_may_be_set_aside() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite3");
    drop(Cache::open(&path).unwrap());
    Connection::open(&path).unwrap().pragma_update(None, "user_version", LATEST_VERSION + 1).unwrap();
    let (cache, kept) = Cache::start_fresh(&path).unwrap();
    assert_eq!(cache.schema_version().unwrap(), LATEST_VERSION);
    assert_eq!(pragma(&kept, "user_version"), (LATEST_VERSION + 1).to_string());
}

/// 012 names the console settings after what the client pack holds and drops "documents": every
/// choice made before is kept, and a console that showed documents alone stays on with what the
/// client can act on (it would otherwise hold nothing).
#[test]
fn upgrading_to_client_packs_keeps_each_console_choice() {
    use switchboard_core::settings::console::{ConsoleSettings, PackCadence};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite3");
    let mut conn = Connection::open(&path).unwrap();
    switchboard_core::cache::migrations::migrations().to_version(&mut conn, 11).unwrap();
    conn.execute_batch(
        "INSERT INTO client_files (id, display_name, software, connection_state, payroll_state, assets_state, created_at, updated_at)
             VALUES (1, 'Reports', 'other', 'not_connected', 'not_checked', 'not_checked', 1, 1),
                    (2, 'Documents', 'other', 'not_connected', 'not_checked', 'not_checked', 1, 1),
                    (3, 'Tasks', 'other', 'not_connected', 'not_checked', 'not_checked', 1, 1),
                    (4, 'Off', 'other', 'not_connected', 'not_checked', 'not_checked', 1, 1);
         INSERT INTO console_settings (file_id, enabled, show_reports, show_documents, show_tasks, reminder_cadence, updated_at)
             VALUES (1, 1, 1, 1, 0, 'monthly', 1),
                    (2, 1, 0, 1, 0, 'weekly', 1),
                    (3, 1, 0, 0, 1, 'fortnightly', 1),
                    (4, 0, 0, 1, 0, 'never', 1);",
    )
    .unwrap();
    drop(conn);
    let cache = Cache::open(&path).unwrap();
    let settings = |id| cache.console_settings(FileId(id)).unwrap();
    let expect =
        |enabled, key_reports, action_items, cadence| ConsoleSettings { enabled, key_reports, action_items, cadence };
    assert_eq!(settings(1), expect(true, true, false, PackCadence::Monthly), "reports kept; documents dropped");
    assert_eq!(settings(2), expect(true, false, true, PackCadence::Weekly), "documents alone: what to act on");
    assert_eq!(settings(3), expect(true, false, true, PackCadence::Fortnightly), "tasks: what to act on");
    assert_eq!(settings(4), expect(false, false, false, PackCadence::Never), "an off console stays off and empty");
    for id in 1..=4 {
        settings(id).validate().unwrap();
    }
}
