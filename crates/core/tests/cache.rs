//! The SQLite cache on disk: round-trips, upserts, hostile names, renames and links.

use switchboard_core::Cache;
use switchboard_core::clients::table::{ClientRow, ClientTablePayload, PracticeSummary};
use switchboard_core::model::*;

fn temp_cache() -> (tempfile::TempDir, Cache) {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(&dir.path().join("cache.sqlite3")).unwrap();
    (dir, cache)
}

fn xpm_client(uuid: &str, name: &str) -> XpmClient {
    XpmClient { uuid: uuid.to_owned(), name: name.to_owned(), web_url: None, archived: false, deleted: false }
}

fn xero_file(name: &str, tenant: &str) -> ClientFileDraft {
    ClientFileDraft {
        software: AccountingSoftware::Xero,
        connection: ConnectionState::Connected,
        xero: Some(XeroIds {
            tenant_id: tenant.to_owned(),
            connection_id: Some(format!("conn-{tenant}")),
            short_code: Some("!abc12".to_owned()),
        }),
        ..ClientFileDraft::named(name)
    }
}

/// What the cache should give back for a draft it stored as `id`.
fn expected(id: FileId, draft: &ClientFileDraft, xpm: Option<XpmClient>) -> ClientFile {
    ClientFile {
        id,
        display_name: draft.display_name.clone(),
        remote_name: draft.remote_name.clone(),
        software: draft.software.clone(),
        connection: draft.connection.clone(),
        payroll: draft.payroll.clone(),
        fixed_assets: draft.fixed_assets.clone(),
        xero: draft.xero.clone(),
        xpm,
        sync: draft.sync.clone(),
    }
}

#[test]
fn every_state_of_every_column_round_trips() {
    let (_dir, mut cache) = temp_cache();
    let softwares = [
        AccountingSoftware::Xero,
        AccountingSoftware::QuickbooksOnline,
        AccountingSoftware::Myob,
        AccountingSoftware::None,
        AccountingSoftware::Other("Sage 50cloud".to_owned()),
    ];
    let connections = [
        ConnectionState::Connected,
        ConnectionState::NotConnected,
        ConnectionState::NeedsReconnect { reason: "refresh token expired".to_owned() },
        ConnectionState::Disconnected { reason: "tenant left /connections".to_owned() },
    ];
    let services = [
        ServiceState::NotChecked,
        ServiceState::Connected,
        ServiceState::DisconnectedByStaff,
        ServiceState::Unavailable { reason: UnavailableReason::NotSubscribed },
        ServiceState::Unavailable { reason: UnavailableReason::NotSetUp },
        ServiceState::Unavailable { reason: UnavailableReason::ScopeNotGranted },
        ServiceState::Unavailable { reason: UnavailableReason::WrongRegion },
        ServiceState::Unavailable { reason: UnavailableReason::NotReachable },
        ServiceState::Unavailable { reason: UnavailableReason::Other("Xero said 418 I'm a teapot".to_owned()) },
    ];
    let syncs = [
        SyncRecord::default(),
        SyncRecord {
            last_success_at: Some(UnixMillis(1_700_000_000_000)),
            last_attempt_at: Some(UnixMillis(1_700_000_000_000)),
            last_error: None,
        },
        SyncRecord {
            last_success_at: Some(UnixMillis(1_700_000_000_000)),
            last_attempt_at: Some(UnixMillis(1_700_000_600_000)),
            last_error: Some("503 Service Unavailable".to_owned()),
        },
    ];
    let xpm = XpmClient {
        uuid: "xpm-1".to_owned(),
        name: "Linked Ltd".to_owned(),
        web_url: Some("https://practicemanager.xero.com/Client/1/Detail".to_owned()),
        archived: true,
        deleted: false,
    };
    cache.upsert_xpm_clients(std::slice::from_ref(&xpm)).unwrap();

    let mut drafts = Vec::new();
    for (i, service) in services.iter().enumerate() {
        for (j, connection) in connections.iter().enumerate() {
            let n = i * connections.len() + j;
            drafts.push(ClientFileDraft {
                display_name: format!("File {n}"),
                remote_name: n.is_multiple_of(2).then(|| format!("Remote {n}")),
                software: softwares[n % softwares.len()].clone(),
                connection: connection.clone(),
                payroll: service.clone(),
                fixed_assets: services[(i + j) % services.len()].clone(),
                xero: (!n.is_multiple_of(3)).then(|| XeroIds {
                    tenant_id: format!("tenant-{n}"),
                    connection_id: n.is_multiple_of(2).then(|| format!("conn-{n}")),
                    short_code: (!n.is_multiple_of(4)).then(|| format!("!s{n}")),
                }),
                xpm_client_uuid: n.is_multiple_of(5).then(|| xpm.uuid.clone()),
                sync: syncs[n % syncs.len()].clone(),
            });
        }
    }
    let ids = cache.upsert_files(&drafts).unwrap();
    assert_eq!(ids.len(), drafts.len());
    for (id, draft) in ids.iter().zip(&drafts) {
        let link = draft.xpm_client_uuid.as_ref().map(|_| xpm.clone());
        assert_eq!(cache.file(*id).unwrap(), expected(*id, draft, link));
    }
    // And the same through the list the table loads, after reopening from disk.
    let path = cache.path().to_owned();
    drop(cache);
    let reopened = Cache::open(&path).unwrap();
    let listed = reopened.list_files().unwrap();
    assert_eq!(listed.len(), drafts.len());
    for file in &listed {
        let index = ids.iter().position(|id| *id == file.id).unwrap();
        let link = drafts[index].xpm_client_uuid.as_ref().map(|_| xpm.clone());
        assert_eq!(*file, expected(file.id, &drafts[index], link));
    }
    assert_payload_is(&reopened, &listed);
}

/// The payload is read in two halves by id (`Cache::table_rows_in_halves`): it is whole and in
/// order when a half is empty and when deletions leave the halves uneven.
#[test]
fn the_table_payload_is_whole_however_the_files_split_into_halves() {
    let (_dir, mut cache) = temp_cache();
    assert_payload_is(&cache, &[]);
    let ids = cache.upsert_files(&[ClientFileDraft::named("Only")]).unwrap();
    assert_payload_is(&cache, &cache.list_files().unwrap());

    let drafts: Vec<_> = (0..40).map(|i| xero_file(&format!("File {i}"), &format!("t-{i}"))).collect();
    let more = cache.upsert_files(&drafts).unwrap();
    for id in &more[..30] {
        let name = cache.file(*id).unwrap().display_name;
        let target = cache.deletion_target(*id, &name).unwrap();
        cache.delete_client_file(&target, "test").unwrap();
    }
    let listed = cache.list_files().unwrap();
    assert_eq!(listed.len(), 11);
    assert_eq!(listed[0].id, ids[0]);
    assert_payload_is(&cache, &listed);
}

#[test]
fn the_first_rows_are_the_files_the_screen_shows_first_with_the_summary_of_all_files() {
    let (_dir, mut cache) = temp_cache();
    let now = UnixMillis::now();
    let head = |cache: &Cache, limit| -> serde_json::Value {
        serde_json::from_str(&cache.client_table_head_json(limit, now).unwrap()).unwrap()
    };
    let full =
        |cache: &Cache| -> serde_json::Value { serde_json::from_str(&cache.client_table_json(now).unwrap()).unwrap() };
    assert_eq!(head(&cache, 3), full(&cache), "an empty cache");

    let names = ["delta", "Émile", "alpha", "Charlie", "emile", "Bravo", "alpha", "Zulu"];
    let mut drafts: Vec<_> = names.iter().enumerate().map(|(i, n)| xero_file(n, &format!("t-{i}"))).collect();
    drafts[7].sync = SyncRecord {
        last_success_at: Some(UnixMillis(1_000)),
        last_attempt_at: Some(now),
        last_error: Some("503".into()),
    };
    drafts[0].sync =
        SyncRecord { last_success_at: Some(UnixMillis(now.0 - 5_000)), last_attempt_at: None, last_error: None };
    let ids = cache.upsert_files(&drafts).unwrap();
    let full = full(&cache);
    let row_of = |name_index: usize| {
        full["rows"].as_array().unwrap().iter().find(|r| r[0] == ids[name_index].0).unwrap().clone()
    };

    // By name, ignoring case and accents; the two "alpha"s and the two "emile"s by id.
    let in_order = [2, 6, 5, 3, 0, 1, 4, 7];
    for limit in [1, 4, 8, 100] {
        let head = head(&cache, limit);
        let expected: Vec<_> = in_order.iter().take(limit).map(|&i| row_of(i)).collect();
        assert_eq!(head["rows"], serde_json::Value::Array(expected), "limit {limit}");
        assert_eq!(head["summary"], full["summary"], "limit {limit}: the summary is of all the files");
    }
    assert_eq!(full["summary"]["failed_count"], 1);
}

/// The JSON the screen loads holds exactly these files, as rows, and their summary.
fn assert_payload_is(cache: &Cache, files: &[ClientFile]) {
    let now = UnixMillis::now();
    let payload: serde_json::Value = serde_json::from_str(&cache.client_table_json(now).unwrap()).unwrap();
    let expected = ClientTablePayload {
        summary: PracticeSummary::of(files, now),
        rows: files.iter().map(ClientRow::from).collect(),
    };
    assert_eq!(payload, serde_json::to_value(&expected).unwrap());
    // The positions the UI reads (`ui/src/lib/client-table.ts`), checked against the files
    // themselves rather than through `ClientRow::from`.
    for (row, file) in payload["rows"].as_array().unwrap().iter().zip(files) {
        assert_eq!(row[0], file.id.0);
        assert_eq!(row[1], file.display_name.as_str());
        assert_eq!(row[4], serde_json::to_value(&file.connection).unwrap());
        assert_eq!(row[6], serde_json::to_value(&file.fixed_assets).unwrap());
        assert_eq!(row[7][0].as_str(), file.xero.as_ref().map(|x| x.tenant_id.as_str()));
        assert_eq!(row[8][1].as_str(), file.xpm.as_ref().map(|x| x.name.as_str()));
        assert_eq!(row[9][2].as_str(), file.sync.last_error.as_deref());
    }
}

#[test]
fn a_file_is_matched_by_tenant_id_and_never_duplicated() {
    let (_dir, mut cache) = temp_cache();
    let first = cache.upsert_files(&[xero_file("Maple Florist", "t-1")]).unwrap();
    let mut again = xero_file("Maple Florist Ltd", "t-1");
    again.connection = ConnectionState::NeedsReconnect { reason: "revoked".to_owned() };
    let second = cache.upsert_files(&[again, xero_file("Other", "t-2")]).unwrap();
    assert_eq!(second[0], first[0]);
    let files = cache.list_files().unwrap();
    assert_eq!(files.len(), 2);
    let maple = cache.file(first[0]).unwrap();
    assert_eq!(maple.display_name, "Maple Florist Ltd");
    assert_eq!(maple.connection, ConnectionState::NeedsReconnect { reason: "revoked".to_owned() });
}

#[test]
fn an_update_keeps_a_local_rename_and_the_xpm_link_and_returns_each_files_id_in_order() {
    let (_dir, mut cache) = temp_cache();
    cache.upsert_xpm_clients(&[xpm_client("xpm-1", "Maple XPM")]).unwrap();
    let linked = ClientFileDraft { xpm_client_uuid: Some("xpm-1".to_owned()), ..xero_file("Maple", "t-1") };
    let first = cache.upsert_files(&[linked, xero_file("Birch", "t-2")]).unwrap();
    cache.rename_file(first[0], "Maple (Auckland)").unwrap();

    // Updates before and after inserts, and a draft that would drop the link.
    let batch = [
        xero_file("Birch Ltd", "t-2"),
        ClientFileDraft::named("Paper only"),
        ClientFileDraft { remote_name: Some("Maple Ltd".to_owned()), ..xero_file("Maple Ltd", "t-1") },
        xero_file("Cedar", "t-3"),
        xero_file("Birch Limited", "t-2"),
    ];
    let ids = cache.upsert_files(&batch).unwrap();
    let listed = cache.list_files().unwrap();
    assert_eq!(listed.len(), 4);
    let new: Vec<_> = listed.iter().map(|f| f.id).filter(|id| !first.contains(id)).collect();
    assert_eq!(ids, [first[1], new[0], first[0], new[1], first[1]]);

    let maple = cache.file(first[0]).unwrap();
    assert_eq!(maple.display_name, "Maple (Auckland)");
    assert_eq!(maple.remote_name.as_deref(), Some("Maple Ltd"));
    assert_eq!(maple.xpm.map(|x| x.uuid).as_deref(), Some("xpm-1"));
    assert_eq!(cache.file(first[1]).unwrap().display_name, "Birch Limited");
}

#[test]
fn files_without_a_tenant_are_separate_files_even_with_the_same_name() {
    let (_dir, mut cache) = temp_cache();
    cache.upsert_files(&[ClientFileDraft::named("Twin"), ClientFileDraft::named("Twin")]).unwrap();
    assert_eq!(cache.list_files().unwrap().len(), 2);
}

#[test]
fn ten_thousand_files_are_written_in_one_go_and_listed_back() {
    let (_dir, mut cache) = temp_cache();
    let (xpm, drafts) = switchboard_core::fixtures::practice(10_000, 42);
    cache.upsert_xpm_clients(&xpm).unwrap();
    let ids = cache.upsert_files(&drafts).unwrap();
    assert_eq!(ids.len(), 10_000);
    let listed = cache.list_files().unwrap();
    assert_eq!(listed.len(), 10_000);
    let mut names: Vec<_> = listed.iter().map(|f| f.display_name.clone()).collect();
    let mut expected_names: Vec<_> = drafts.iter().map(|d| d.display_name.clone()).collect();
    names.sort();
    expected_names.sort();
    assert_eq!(names, expected_names);
    // A second upsert of the same practice updates, it does not add.
    cache.upsert_files(&drafts).unwrap();
    let tenants = drafts.iter().filter(|d| d.xero.is_some()).count();
    assert_eq!(cache.list_files().unwrap().len(), 10_000 + (10_000 - tenants));
}

#[test]
fn hostile_names_are_stored_and_listed_exactly() {
    let (_dir, mut cache) = temp_cache();
    let hostile = [
        "Robert'); DROP TABLE client_files;--".to_owned(),
        "\" OR 1=1 --".to_owned(),
        "<script>alert('x')</script>".to_owned(),
        "<img src=x onerror=alert(1)>".to_owned(),
        "x".repeat(10_000),
        "tab\there\nnew line\r\u{0}nul\u{7}bell\u{1b}[31mred".to_owned(),
        "\u{202e}txt.exe \u{5e9}\u{5dc}\u{5d5}\u{5dd} مرحبا".to_owned(),
        "👩‍👩‍👧‍👦 Family Trust 🦘 Ōtautahi".to_owned(),
        "=HYPERLINK(\"http://evil.example\")".to_owned(),
        "%s %n {0} ${jndi:x}".to_owned(),
    ];
    let drafts: Vec<_> = hostile
        .iter()
        .map(|name| ClientFileDraft { remote_name: Some(name.clone()), ..ClientFileDraft::named(name.clone()) })
        .collect();
    let ids = cache.upsert_files(&drafts).unwrap();
    for (id, name) in ids.iter().zip(&hostile) {
        let file = cache.file(*id).unwrap();
        assert_eq!(&file.display_name, name);
        assert_eq!(file.remote_name.as_ref(), Some(name));
    }
    let mut listed: Vec<_> = cache.list_files().unwrap().into_iter().map(|f| f.display_name).collect();
    let mut expected = hostile.to_vec();
    listed.sort();
    expected.sort();
    assert_eq!(listed, expected);
    assert_payload_is(&cache, &cache.list_files().unwrap());
}

#[test]
fn a_failed_batch_writes_nothing() {
    let (_dir, mut cache) = temp_cache();
    let good = ClientFileDraft::named("Fine");
    let bad = ClientFileDraft {
        xpm_client_uuid: Some("no-such-xpm-client".to_owned()),
        ..ClientFileDraft::named("Bad link")
    };
    assert!(cache.upsert_files(&[good, bad]).is_err());
    assert!(cache.list_files().unwrap().is_empty());
}

#[test]
fn a_rename_is_audited_validated_and_survives_the_next_sync() {
    let (_dir, mut cache) = temp_cache();
    let id = cache.upsert_files(&[xero_file("Maple Florist", "t-1")]).unwrap()[0];
    let renamed = cache.rename_file(id, "  Maple (Auckland)  ").unwrap();
    assert_eq!(renamed.display_name, "Maple (Auckland)");

    for bad in ["", "   ", "line\nbreak", &"y".repeat(201)] {
        let error = cache.rename_file(id, bad).unwrap_err();
        assert_eq!(error.kind(), switchboard_core::ErrorKind::InvalidInput, "{bad:?}");
    }
    assert_eq!(cache.file(id).unwrap().display_name, "Maple (Auckland)");

    cache.upsert_files(&[xero_file("Maple Florist Limited", "t-1")]).unwrap();
    let file = cache.file(id).unwrap();
    assert_eq!(file.display_name, "Maple (Auckland)");

    let history = cache.audit_entries(id).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].action, "rename");
    assert_eq!(history[0].old_value.as_deref(), Some("Maple Florist"));
    assert_eq!(history[0].new_value.as_deref(), Some("Maple (Auckland)"));
}

#[test]
fn linking_and_unlinking_an_xpm_client_is_audited() {
    let (_dir, mut cache) = temp_cache();
    let xpm = xpm_client("u-1", "Maple");
    cache.upsert_xpm_clients(std::slice::from_ref(&xpm)).unwrap();
    let id = cache.upsert_files(&[ClientFileDraft::named("Maple")]).unwrap()[0];
    assert_eq!(cache.link_xpm_client(id, Some("u-1")).unwrap().xpm, Some(xpm));
    assert_eq!(cache.link_xpm_client(id, None).unwrap().xpm, None);
    assert!(cache.link_xpm_client(id, Some("unknown")).is_err());
    let actions: Vec<_> =
        cache.audit_entries(id).unwrap().into_iter().map(|e| (e.action, e.old_value, e.new_value)).collect();
    assert_eq!(
        actions,
        vec![
            ("unlink_xpm".to_owned(), Some("u-1".to_owned()), None),
            ("link_xpm".to_owned(), None, Some("u-1".to_owned())),
        ]
    );
}

#[test]
fn the_practice_summary_reports_last_sync_failures_and_staleness() {
    let (_dir, mut cache) = temp_cache();
    let now = UnixMillis::now().0;
    let recent = SyncRecord {
        last_success_at: Some(UnixMillis(now - 1000)),
        last_attempt_at: Some(UnixMillis(now - 500)),
        last_error: Some("timeout".to_owned()),
    };
    assert!(cache.client_table().unwrap().summary.stale, "an empty cache is stale");
    cache
        .upsert_files(&[ClientFileDraft { sync: recent, ..ClientFileDraft::named("A") }, ClientFileDraft::named("B")])
        .unwrap();
    let summary = cache.client_table().unwrap().summary;
    assert_eq!(summary.total, 2);
    assert_eq!(summary.failed_count, 1);
    assert_eq!(summary.last_synced_at, Some(UnixMillis(now - 1000)));
    assert_eq!(summary.last_attempt_at, Some(UnixMillis(now - 500)));
    assert!(!summary.stale);
}

/// A bulk write is copied from the write-ahead log into the database file by the background
/// checkpoint, while the cache stays open (not only when it closes).
#[test]
fn a_bulk_write_is_checkpointed_into_the_database_file_in_the_background() {
    let (dir, mut cache) = temp_cache();
    let path = dir.path().join("cache.sqlite3");
    let size = || std::fs::metadata(&path).unwrap().len();
    let before = size();
    let (xpm, drafts) = switchboard_core::fixtures::practice(10_000, 3);
    cache.upsert_xpm_clients(&xpm).unwrap();
    cache.upsert_files(&drafts).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while size() < before + 1_000_000 {
        assert!(
            std::time::Instant::now() < deadline,
            "the database file is still {} bytes: the write never left the log",
            size()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(cache.list_files().unwrap().len(), 10_000);
}
