//! The audit log names who made each change, and records the changes to the practice as a whole:
//! the Xero app's settings (never its secret), a fresh cache, and entries kept from before the log
//! named its actor. Exports, XPM and "Allow reports" are checked where those features are tested.

use rusqlite::Connection;
use switchboard_core::Cache;
use switchboard_core::cache::{AuditEntry, os_user};
use switchboard_core::credential_store::MemoryCredentialStore;
use switchboard_core::model::ClientFileDraft;
use switchboard_core::secret::Secret;
use switchboard_core::settings::practice_history::{HISTORY_CSV_HEADER, export_history};
use switchboard_core::xero::app_settings::XeroAppSettings;
use switchboard_core::xero::tier::XeroTier;

fn practice(cache: &Cache) -> Vec<AuditEntry> {
    cache.practice_audit_entries(100).unwrap()
}

#[test]
fn the_actor_is_the_os_user_as_the_environment_names_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut cache = Cache::open(&dir.path().join("cache.sqlite3")).unwrap();
    let id = cache.upsert_files(&[ClientFileDraft::named("Maple Ltd")]).unwrap()[0];
    cache.rename_file(id, "Maple Limited").unwrap();
    let entry = &cache.audit_entries(id).unwrap()[0];
    assert_eq!(entry.action, "rename");
    assert_eq!(entry.actor.as_deref(), Some(os_user().as_str()));
    assert!(!os_user().trim().is_empty());
    // The shell's own idea of the user, read independently of the OS call behind `os_user`
    // (the Windows lane runs as "Zoë Ñandú-O'Brien").
    let variable = if cfg!(windows) { "USERNAME" } else { "USER" };
    if let Ok(shell_user) = std::env::var(variable) {
        assert_eq!(os_user(), shell_user);
    }
}

#[test]
fn xero_app_settings_changes_are_recorded_without_the_secret() {
    let dir = tempfile::tempdir().unwrap();
    let mut cache = Cache::open(&dir.path().join("cache.sqlite3")).unwrap();
    let store = MemoryCredentialStore::default();
    let secret = "s3cr3t-Client-Secret-Value";
    let mut settings = XeroAppSettings::load(&cache).unwrap();
    settings.client_id = Some("ABCDEF0123456789".to_owned());
    settings.has_client_secret = true;
    settings.tier = Some(XeroTier::Core);
    settings.save(&mut cache, &store, Some(&Secret::new(secret))).unwrap();

    let entries = practice(&cache);
    assert_eq!(entries.len(), 1);
    let entry = &entries[0];
    assert_eq!((entry.action.as_str(), entry.file_id), ("xero_app_settings", None));
    assert!(entry.old_value.as_deref().unwrap().starts_with("client id none;"), "{entry:?}");
    let new = entry.new_value.as_deref().unwrap();
    assert!(
        new.contains("client id ABCDEF0123456789") && new.contains("web app") && new.contains("client secret replaced"),
        "{new}"
    );
    assert_eq!(entry.actor.as_deref(), Some(os_user().as_str()));

    // Saving the same settings again (the secret kept) changes nothing, so records nothing.
    settings.save(&mut cache, &store, None).unwrap();
    assert_eq!(practice(&cache).len(), 1);

    settings.has_client_secret = false;
    settings.save(&mut cache, &store, None).unwrap();
    let entries = practice(&cache);
    assert_eq!(entries.len(), 2);
    assert!(entries[0].new_value.as_deref().unwrap().ends_with("client secret removed"), "{:?}", entries[0]);

    let logged = serde_json::to_string(&entries).unwrap();
    assert!(!logged.contains(secret), "the secret never reaches the audit log");
}

#[test]
fn a_fresh_cache_records_where_the_unusable_one_was_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite3");
    std::fs::write(&path, b"not a database at all, just some bytes that are long enough").unwrap();
    assert!(Cache::open(&path).is_err());
    let (cache, kept) = Cache::start_fresh(&path).unwrap();
    let entries = practice(&cache);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].action, "start_fresh");
    assert_eq!(
        entries[0].new_value.as_deref(),
        Some(format!("the unusable cache was kept at {}", kept.display()).as_str())
    );
}

#[test]
fn entries_from_before_the_actor_was_kept_have_none() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite3");
    {
        // A cache as the version before this one left it, with one entry in its log.
        let mut conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "foreign_keys", false).unwrap();
        let migrations = switchboard_core::cache::migrations::migrations();
        migrations.to_version(&mut conn, 10).unwrap();
        conn.execute(
            "INSERT INTO audit_log (at, file_id, file_name, action, old_value, new_value)
             VALUES (1, 7, 'Old Ltd', 'rename', 'Old', 'Old Ltd')",
            [],
        )
        .unwrap();
    }
    let cache = Cache::open(&path).unwrap();
    let old = cache.audit_entries(switchboard_core::model::FileId(7)).unwrap();
    assert_eq!(old.len(), 1);
    assert_eq!(old[0].actor, None, "an old entry's actor is unknown, not guessed");
}

#[test]
fn the_whole_history_exports_to_csv_guarded_and_the_export_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let mut cache = Cache::open(&dir.path().join("cache.sqlite3")).unwrap();
    let id = cache.upsert_files(&[ClientFileDraft::named("=HYPERLINK(\"http://evil.example\")")]).unwrap()[0];
    cache.rename_file(id, "Maple Ltd").unwrap();
    cache.record_practice_change("export_csv", None, Some("1 client file(s) to x.csv")).unwrap();

    let path = dir.path().join("history.csv");
    let export = export_history(&mut cache, &path).unwrap();
    assert_eq!(export.rows, 2);

    let bytes = std::fs::read(&path).unwrap();
    let text = std::str::from_utf8(bytes.strip_prefix("\u{feff}".as_bytes()).expect("a byte-order mark")).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(reader.headers().unwrap(), &csv::StringRecord::from(HISTORY_CSV_HEADER.to_vec()));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    // Newest first: the export of the list, then the rename of a file whose old name is a
    // formula a spreadsheet must not run.
    let formula = "'=HYPERLINK(\"http://evil.example\")";
    assert_eq!((&rows[0][1], &rows[0][2]), ("", "export_csv"));
    assert_eq!((&rows[1][1], &rows[1][2], &rows[1][3], &rows[1][4]), (formula, "rename", formula, "Maple Ltd"));
    assert_eq!(&rows[1][5], os_user().as_str());

    // The export itself is in the practice's history, with where it went.
    let recorded = &practice(&cache)[0];
    assert_eq!(recorded.action, "export_history");
    assert_eq!(recorded.new_value.as_deref(), Some(format!("2 change(s) to {}", path.display()).as_str()));
}
