//! Moving a Solo cache into a practice database: a cache of 10,000 files made through the core's
//! own API moves in whole, keeps its history with its Solo actors, stays under row-level security,
//! moves only into an empty database, and moves nothing when any row is refused.

mod support;

use std::path::{Path, PathBuf};

use support::{TestPostgres, add_staff};
use switchboard_core::Cache;
use switchboard_core::access::users::XeroUser;
use switchboard_core::model::{ClientFile, UnixMillis};
use switchboard_core::settings::console::{ConsoleRole, ConsoleSettings, ConsoleUserDraft, PackCadence};
use switchboard_practice::{Error, PracticeDb};

const FILES: usize = 10_000;

/// A Solo cache of `FILES` files (the core's fixture practice: about two thirds linked to XPM),
/// with console settings and users, Xero users and audit entries on some of them, two token sets,
/// and audit entries by three actors (one recorded before the log kept actors) and of a file
/// since deleted.
fn solo_cache(dir: &Path) -> PathBuf {
    let path = dir.join("solo.sqlite3");
    let mut cache = Cache::open(&path).unwrap();
    let (xpm, files) = switchboard_core::fixtures::practice(FILES, 7);
    cache.upsert_xpm_clients(&xpm).unwrap();
    cache.upsert_files(&files).unwrap();
    let files = cache.list_files().unwrap();
    let cadences = [PackCadence::Weekly, PackCadence::Fortnightly, PackCadence::Monthly];
    for (n, file) in files.iter().enumerate().step_by(97) {
        let settings =
            ConsoleSettings { enabled: true, key_reports: n % 2 == 0, action_items: true, cadence: cadences[n % 3] };
        cache.save_console_settings(file.id, &settings).unwrap();
        for (k, role) in [ConsoleRole::Owner, ConsoleRole::Viewer].into_iter().enumerate() {
            let user =
                ConsoleUserDraft { name: format!("Person {k}"), email: format!("p{k}.{n}@client.example"), role };
            cache.add_console_user(file.id, &user).unwrap();
        }
    }
    for (n, file) in files.iter().enumerate().step_by(13) {
        let user = |k: usize, email: String| XeroUser {
            user_id: format!("u{n}-{k}"),
            first_name: "Xero".into(),
            last_name: format!("User {k}"),
            email,
            role: "STANDARD".into(),
            is_subscriber: k == 0,
        };
        // The second is the first's address in capitals and the third has none: neither moves.
        let users = [
            user(0, format!("x{n}@client.example")),
            user(1, format!("X{n}@CLIENT.example")),
            user(2, String::new()),
            user(3, "adviser@practice.example".into()),
        ];
        cache.replace_xero_users(file.id, &users).unwrap();
    }
    for file in files.iter().step_by(500) {
        cache.rename_file(file.id, &format!("{} (renamed)", file.display_name)).unwrap();
    }
    cache.record_practice_change("export", None, Some("clients.csv")).unwrap();
    let set = cache.insert_token_set(Some("xero-user-1"), &["accounting.transactions".into()], UnixMillis(0)).unwrap();
    for file in files.iter().filter(|f| f.xero.is_some()).take(3) {
        cache.assign_token_set(file.id, Some(set)).unwrap();
    }
    let xpm_set = cache.insert_token_set(None, &["practicemanager".into()], UnixMillis(0)).unwrap();
    cache.set_setting("xpm.token_set", Some(&xpm_set.0.to_string())).unwrap();
    drop(cache);
    // Actors as other OS users of a shared computer recorded them, one entry from before the log
    // kept actors, and the history of a file deleted since.
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute_batch(
        "UPDATE audit_log SET actor = 'jane.solo' WHERE id % 3 = 0;
         UPDATE audit_log SET actor = NULL WHERE id = (SELECT min(id) FROM audit_log);
         INSERT INTO audit_log (at, file_id, file_name, action, old_value, new_value, actor)
         VALUES (1700000000123, 999999, 'Gone Ltd', 'delete_client_file', NULL, NULL, 'sam.solo');",
    )
    .unwrap();
    path
}

fn solo(path: &Path) -> Cache {
    Cache::open(path).unwrap()
}

/// Every practice audit entry the owner sees, oldest first.
async fn practice_audit(owner: &PracticeDb) -> Vec<switchboard_practice::AuditEntry> {
    let mut entries = owner.audit_log(1_000_000).await.unwrap();
    entries.reverse();
    entries
}

#[tokio::test]
async fn a_solo_cache_of_10000_files_moves_in_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = solo_cache(dir.path());
    let pg = TestPostgres::start().await;
    let owner = pg.init().await;

    let started = std::time::Instant::now();
    let report = owner.move_in(&path).await.expect("moved in");
    eprintln!("moved in {} files in {:?}", report.files, started.elapsed());

    let cache = solo(&path);
    let files: Vec<ClientFile> = cache.list_files().unwrap();
    // Counts.
    assert_eq!(report.files as usize, FILES);
    let moved = owner.list_files().await.unwrap();
    assert_eq!(moved.len(), FILES);
    let links = owner.xpm_links().await.unwrap();
    assert_eq!(links.len(), files.iter().filter(|f| f.xpm.is_some()).count());
    assert_eq!(report.xpm_links as usize, links.len());
    assert!(links.len() > FILES / 2, "the fixture links about two thirds");
    let consoles = files.len().div_ceil(97);
    assert_eq!(report.console_settings as usize, consoles);
    assert_eq!(owner.console_users().await.unwrap().len(), 2 * consoles);
    let xero_files = files.len().div_ceil(13);
    assert_eq!(owner.xero_users().await.unwrap().len(), 2 * xero_files);
    assert_eq!(report.xero_users_skipped as usize, 2 * xero_files);
    let solo_audit = {
        let mut entries = cache.all_audit_entries().unwrap();
        entries.reverse();
        entries
    };
    assert_eq!(report.audit_entries as usize, solo_audit.len());

    // Files field by field: the practice's ids follow the cache's order.
    let mut moved = moved;
    moved.sort_by_key(|f| f.id);
    let id_of = |solo_index: usize| moved[solo_index].id;
    for (i, file) in files.iter().enumerate().step_by(241) {
        let practice = &moved[i];
        assert_eq!(practice.display_name, file.display_name, "file {i}");
        assert_eq!(practice.software, file.software.code(), "file {i}");
        assert_eq!(practice.xero_tenant_id.as_deref(), file.xero.as_ref().map(|x| x.tenant_id.as_str()), "file {i}");
        let link = links.iter().find(|l| l.file_id == practice.id);
        assert_eq!(
            link.map(|l| (l.xpm_client_uuid.as_str(), l.xpm_client_name.as_str())),
            file.xpm.as_ref().map(|x| (x.uuid.as_str(), x.name.as_str())),
            "file {i}"
        );
    }
    // Console settings and users, Xero users of a file that has them.
    for i in [0, 97, 194, 291] {
        let solo_settings = cache.console_settings(files[i].id).unwrap();
        let settings = owner.console_settings(id_of(i)).await.unwrap().expect("console settings moved");
        assert_eq!(settings.enabled, solo_settings.enabled);
        assert_eq!(settings.key_reports, solo_settings.key_reports);
        assert_eq!(settings.action_items, solo_settings.action_items);
        assert_eq!(settings.cadence, solo_settings.cadence.code());
        let mut users: Vec<(String, String, String)> = owner
            .console_users()
            .await
            .unwrap()
            .into_iter()
            .filter(|u| u.file_id == id_of(i))
            .map(|u| (u.name, u.email, u.role))
            .collect();
        users.sort();
        let mut expected: Vec<(String, String, String)> = cache
            .console_users(files[i].id)
            .unwrap()
            .into_iter()
            .map(|u| (u.name, u.email, u.role.code().to_owned()))
            .collect();
        expected.sort();
        assert_eq!(users, expected);
    }
    assert!(owner.console_settings(id_of(1)).await.unwrap().is_none(), "Solo's defaults are not written");
    let xero: Vec<String> =
        owner.xero_users().await.unwrap().into_iter().filter(|u| u.0 == id_of(13)).map(|u| u.1).collect();
    assert_eq!(xero, ["adviser@practice.example", "x13@client.example"]);

    // The history, entry by entry, with its Solo time and actor; then one entry of the move.
    let audit = practice_audit(&owner).await;
    assert_eq!(audit.len(), solo_audit.len() + 1);
    let index_of: std::collections::HashMap<_, _> = files.iter().enumerate().map(|(i, f)| (f.id, i)).collect();
    for (practice, solo) in audit.iter().zip(&solo_audit) {
        assert_eq!(practice.at.timestamp_millis(), solo.at.0);
        match &solo.actor {
            Some(actor) => assert_eq!(&practice.actor, actor),
            None => assert!(practice.actor.starts_with("unknown"), "{practice:?}"),
        }
        assert_eq!(practice.action, solo.action);
        assert_eq!((&practice.old_value, &practice.new_value), (&solo.old_value, &solo.new_value));
        assert_eq!(practice.file_id, solo.file_id.and_then(|f| index_of.get(&f)).map(|&i| id_of(i)));
        assert_eq!(practice.file_name.as_deref().unwrap_or(""), solo.file_name);
    }
    let actors: std::collections::BTreeSet<&str> = audit.iter().map(|e| e.actor.as_str()).collect();
    assert!(actors.contains("jane.solo") && actors.contains("sam.solo"), "{actors:?}");
    assert!(actors.contains(switchboard_core::cache::os_user().as_str()), "{actors:?}");
    assert!(actors.iter().any(|a| a.starts_with("unknown")), "{actors:?}");
    let gone = audit.iter().find(|e| e.actor == "sam.solo").unwrap();
    assert_eq!((gone.file_id, gone.file_name.as_deref()), (None, Some("Gone Ltd")));
    let last = audit.last().unwrap();
    assert_eq!((last.actor.as_str(), last.action.as_str()), ("postgres", "moved in from a Solo cache"));
    assert!(last.new_value.as_deref().unwrap().starts_with("by postgres: 10000 client files"), "{last:?}");

    // The token sets are listed, not moved.
    assert_eq!(report.token_sets_left.len(), 2);
    assert_eq!(report.token_sets_left[0].files.len(), 3);
    assert_eq!(report.token_sets_left[0].xero_user_id.as_deref(), Some("xero-user-1"));
    assert!(report.token_sets_left[1].xpm && report.token_sets_left[1].files.is_empty());

    // Row-level security applies to the moved rows: a staff member with three selected files
    // sees those, their links and their history only.
    let password = add_staff(&owner, "ann", false).await;
    let chosen = [id_of(0), id_of(500), id_of(9_999)];
    for file in chosen {
        owner.grant_file("ann", file, None).await.unwrap();
    }
    let ann = PracticeDb::connect(&pg.url(), "ann", &password).await.unwrap();
    let mut seen: Vec<i64> = ann.list_files().await.unwrap().iter().map(|f| f.id).collect();
    seen.sort();
    assert_eq!(seen, chosen);
    assert!(ann.xpm_links().await.unwrap().iter().all(|l| chosen.contains(&l.file_id)));
    let ann_audit = ann.audit_log(1_000_000).await.unwrap();
    assert!(ann_audit.iter().all(|e| e.file_id.is_some_and(|f| chosen.contains(&f))), "{ann_audit:#?}");
    assert!(ann_audit.iter().any(|e| e.action == "rename" && e.file_id == Some(id_of(500))));
    assert!(ann.move_in(&path).await.is_err());

    // A second move-in is refused and changes nothing.
    let before = practice_audit(&owner).await.len();
    let error = owner.move_in(&path).await.unwrap_err();
    assert!(matches!(&error, Error::Invalid(m) if m.contains("already has 10000 client files")), "{error:?}");
    assert_eq!(owner.list_files().await.unwrap().len(), FILES);
    assert_eq!(owner.xpm_links().await.unwrap().len(), links.len());
    assert_eq!(practice_audit(&owner).await.len(), before);
    // The audit triggers are on again: a new change is stamped with its role.
    let file = owner.rename_file(moved[1].id, moved[1].version, "Renamed after the move").await.unwrap();
    let newest = owner.audit_log(1).await.unwrap().remove(0);
    assert_eq!(
        (newest.actor.as_str(), newest.action.as_str(), newest.file_id),
        ("postgres", "client_files update", Some(file.id))
    );
}

#[tokio::test]
async fn a_move_in_refused_halfway_leaves_the_database_empty() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("solo.sqlite3");
    let mut cache = Cache::open(&path).unwrap();
    let (xpm, files) = switchboard_core::fixtures::practice(2_000, 3);
    cache.upsert_xpm_clients(&xpm).unwrap();
    cache.upsert_files(&files).unwrap();
    let last = cache.list_files().unwrap().last().unwrap().id;
    let user = ConsoleUserDraft { name: "Pat".into(), email: "pat@client.example".into(), role: ConsoleRole::Owner };
    cache.add_console_user(last, &user).unwrap();
    drop(cache);
    // A twin of that user, differing only in case, written behind the core's back (as an older
    // build that compared emails exactly could have): the practice keys console users by
    // lower-case email and refuses it, after the files and links were already sent.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "INSERT INTO console_users (file_id, name, email, email_key, role, created_at, updated_at)
             VALUES (?1, 'Pat Twin', 'PAT@client.example', 'twin', 'viewer', 0, 0)",
            [last.0],
        )
        .unwrap();

    let pg = TestPostgres::start().await;
    let owner = pg.init().await;
    let error = owner.move_in(&path).await.unwrap_err();
    let message = error.to_string();
    assert!(message.contains("refused a row of the Solo cache, so nothing was moved"), "{message}");
    assert!(message.contains("console_users_email"), "{message}");
    assert!(owner.list_files().await.unwrap().is_empty());
    assert!(owner.xpm_links().await.unwrap().is_empty());
    assert!(owner.console_users().await.unwrap().is_empty());
    assert!(owner.audit_log(10).await.unwrap().is_empty());
    // The triggers turned off for the move are on again.
    owner.add_file("New Co", "none", None).await.unwrap();
    let entries = owner.audit_log(10).await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!((entries[0].actor.as_str(), entries[0].action.as_str()), ("postgres", "client_files insert"));
}

#[tokio::test]
async fn unreadable_caches_and_staff_are_refused_with_clear_messages() {
    let dir = tempfile::tempdir().unwrap();
    let pg = TestPostgres::start().await;
    let owner = pg.init().await;

    let missing = dir.path().join("no-such.sqlite3");
    let error = owner.move_in(&missing).await.unwrap_err();
    assert!(error.to_string().contains("there is no Solo cache at"), "{error}");
    assert!(!missing.exists(), "a missing cache is not created");

    // A cache written by a newer Switchboard: the core's own message.
    let newer = dir.path().join("newer.sqlite3");
    drop(Cache::open(&newer).unwrap());
    let raw = rusqlite::Connection::open(&newer).unwrap();
    raw.pragma_update(None, "user_version", switchboard_core::cache::LATEST_VERSION + 1).unwrap();
    drop(raw);
    let expected = Cache::open(&newer).err().unwrap().to_string();
    let error = owner.move_in(&newer).await.unwrap_err();
    assert!(matches!(error, Error::SoloCache(_)), "{error:?}");
    assert_eq!(error.to_string(), expected);

    // A file that is not a cache at all.
    let junk = dir.path().join("junk.sqlite3");
    std::fs::write(&junk, b"not a database").unwrap();
    let error = owner.move_in(&junk).await.unwrap_err();
    assert!(matches!(error, Error::SoloCache(_)), "{error:?}");

    // An admin who is not the owner may not (the moved history would lose its actors).
    let cache_path = dir.path().join("small.sqlite3");
    let mut cache = Cache::open(&cache_path).unwrap();
    let (xpm, files) = switchboard_core::fixtures::practice(10, 1);
    cache.upsert_xpm_clients(&xpm).unwrap();
    cache.upsert_files(&files).unwrap();
    drop(cache);
    let password = add_staff(&owner, "carol", true).await;
    let carol = PracticeDb::connect(&pg.url(), "carol", &password).await.unwrap();
    let error = carol.move_in(&cache_path).await.unwrap_err();
    assert!(matches!(&error, Error::NotAllowed(m) if m.contains("owner")), "{error:?}");
    assert!(owner.list_files().await.unwrap().is_empty());
    assert_eq!(owner.move_in(&cache_path).await.unwrap().files, 10);
}
