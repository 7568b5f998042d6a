//! Settings → Clean up: caches set aside as unusable and the XPM clients of a disconnected XPM
//! are listed with their sizes and removed on request; nothing else, never the cache in use.

use std::path::Path;

use switchboard_core::Cache;
use switchboard_core::model::ClientFileDraft;
use switchboard_core::settings::cleanup::{LeftoverKind, XPM_CLIENTS_ID, leftovers, remove_leftovers};
use switchboard_core::xpm::XpmClientRecord;

fn write(path: &Path, bytes: usize) {
    std::fs::write(path, vec![b'x'; bytes]).unwrap();
}

fn record(uuid: &str) -> XpmClientRecord {
    XpmClientRecord {
        uuid: uuid.to_owned(),
        name: format!("Client {uuid}"),
        email: None,
        tax_number: None,
        client_code: None,
        prospect: false,
        archived: false,
        deleted: false,
        web_url: None,
    }
}

#[test]
fn set_aside_caches_are_listed_with_their_sizes_and_only_they_can_be_removed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite3");
    // One set aside the real way, one (older) as an earlier run left it, with its side files.
    write(&path, 300);
    let (cache, kept) = Cache::start_fresh(&path).unwrap();
    drop(cache);
    let older = dir.path().join("cache.unusable-20250101T000000Z.sqlite3");
    write(&older, 1_000);
    write(&dir.path().join("cache.unusable-20250101T000000Z.sqlite3-wal"), 200);
    // Look-alikes that are not Switchboard's to remove.
    write(&dir.path().join("other.unusable-20250101T000000Z.sqlite3"), 10);
    write(&dir.path().join("cache.unusable-notes.txt"), 10);
    let mut cache = Cache::open(&path).unwrap();

    let listed = leftovers(&cache).unwrap();
    let ids: Vec<&str> = listed.iter().map(|l| l.id.as_str()).collect();
    let kept_name = kept.file_name().unwrap().to_str().unwrap();
    assert_eq!(ids, ["cache.unusable-20250101T000000Z.sqlite3", kept_name], "oldest first, nothing else");
    assert_eq!(listed[0].bytes, 1_200, "with its side files");
    assert_eq!(listed[1].bytes, 300);
    assert_eq!(listed[0].what, LeftoverKind::SetAsideCache { path: older.display().to_string() });

    for not_listed in
        ["cache.sqlite3", "other.unusable-20250101T000000Z.sqlite3", "../cache.sqlite3", &path.display().to_string()]
    {
        let refused = remove_leftovers(&mut cache, &[kept_name.to_owned(), not_listed.to_owned()]).unwrap_err();
        assert!(refused.to_string().contains("nothing was removed"), "{refused}");
    }
    assert!(kept.exists(), "a refused request removes nothing, the listed part included");

    let left = remove_leftovers(&mut cache, &["cache.unusable-20250101T000000Z.sqlite3".to_owned()]).unwrap();
    assert_eq!(left.len(), 1);
    assert!(!older.exists() && !dir.path().join("cache.unusable-20250101T000000Z.sqlite3-wal").exists());
    assert!(kept.exists() && dir.path().join("other.unusable-20250101T000000Z.sqlite3").exists());
    assert_eq!(remove_leftovers(&mut cache, &[kept_name.to_owned()]).unwrap(), vec![]);
    let removals =
        cache.practice_audit_entries(10).unwrap().into_iter().filter(|e| e.action == "remove_leftover").count();
    assert_eq!(removals, 2, "each removal is in the practice's history; the refused requests are not");
    // The cache in use is untouched and still works.
    cache.upsert_files(&[ClientFileDraft::named("Still Works Ltd")]).unwrap();
    assert_eq!(cache.integrity_check().unwrap(), "ok");
}

#[test]
fn xpm_clients_are_offered_only_once_xpm_is_disconnected() {
    let dir = tempfile::tempdir().unwrap();
    let mut cache = Cache::open(&dir.path().join("cache.sqlite3")).unwrap();
    let id = cache.upsert_files(&[ClientFileDraft::named("Linked Ltd")]).unwrap()[0];
    cache.upsert_xpm_records(&[record("a"), record("b"), record("c")]).unwrap();
    cache.link_xpm_client(id, Some("b")).unwrap();

    cache.set_setting("xpm.token_set", Some("1")).unwrap();
    cache.set_setting("xpm.tenant_id", Some("practice")).unwrap();
    cache.set_setting("xpm.last_refresh_at", Some("1764000000000")).unwrap();
    assert_eq!(leftovers(&cache).unwrap(), vec![], "XPM is connected: its clients are in use");
    assert!(remove_leftovers(&mut cache, &[XPM_CLIENTS_ID.to_owned()]).is_err());
    assert_eq!(cache.xpm_uuids().unwrap().len(), 3);

    // Disconnected: no XPM sign-in any more.
    cache.set_setting("xpm.token_set", None).unwrap();
    let listed = leftovers(&cache).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, XPM_CLIENTS_ID);
    assert_eq!(listed[0].what, LeftoverKind::XpmClients { clients: 3, linked_files: 1 });
    assert!(listed[0].bytes > 3 * "Client a".len() as u64);

    assert_eq!(remove_leftovers(&mut cache, &[XPM_CLIENTS_ID.to_owned()]).unwrap(), vec![]);
    assert!(cache.xpm_uuids().unwrap().is_empty());
    assert!(cache.file(id).unwrap().xpm.is_none(), "the link went with the client");
    assert_eq!(cache.setting("xpm.last_refresh_at").unwrap(), None, "connecting again loads everything");
    let history = cache.practice_audit_entries(5).unwrap();
    assert_eq!(history[0].action, "remove_leftover");
    assert_eq!(history[0].new_value.as_deref(), Some("3 cached XPM client(s), unlinking 1 file(s)"));
}
