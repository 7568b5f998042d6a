//! Opening the cache: fresh files, schema upgrades, newer schemas and damaged files.

use std::path::Path;

use rusqlite::Connection;
use switchboard_core::cache::{LATEST_VERSION, PAGE_SIZE};
use switchboard_core::model::ClientFileDraft;
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
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", LATEST_VERSION + 5)
        .unwrap();
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
    assert_eq!(
        std::fs::read(&fresh.kept_at).unwrap(),
        b"this is not a database, but it is somebody's file"
    );
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
    let error = session.client_details(switchboard_core::model::FileId(99)).unwrap_err();
    let json = serde_json::to_value(&error).unwrap();
    assert_eq!(json["kind"], "not_found");
    assert!(json["message"].as_str().unwrap().contains("Client file 99"));
    assert_eq!(json.as_object().unwrap().len(), 2);
}
