//! Client files staff bring in themselves, against the SQLite cache on disk: added by hand (a name
//! the list has warns, it does not refuse), imported from the cached XPM clients (only current
//! clients no file links to yet; again adds only what is new), and imported from a CSV list
//! (every bad line reported with its reason; nothing written unless all is well; all or nothing).

use switchboard_core::cache::NewFile;
use switchboard_core::clients::add::{AddClientOutcome, NewClient, add_client};
use switchboard_core::clients::csv_import;
use switchboard_core::clients::xpm_import::{self, SkipReason};
use switchboard_core::model::*;
use switchboard_core::xpm::XpmClientRecord;
use switchboard_core::{Cache, ErrorKind};

fn temp_cache() -> (tempfile::TempDir, Cache) {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(&dir.path().join("cache.sqlite3")).unwrap();
    (dir, cache)
}

fn xpm(uuid: &str, name: &str, code: Option<&str>, email: Option<&str>) -> XpmClientRecord {
    XpmClientRecord {
        uuid: uuid.to_owned(),
        name: name.to_owned(),
        email: email.map(str::to_owned),
        tax_number: None,
        client_code: code.map(str::to_owned),
        prospect: false,
        archived: false,
        deleted: false,
        web_url: None,
    }
}

fn new_client(name: &str, software: AccountingSoftware) -> NewClient {
    NewClient { name: name.to_owned(), software, xpm_client_uuid: None }
}

fn added(outcome: AddClientOutcome) -> (ClientFile, Option<String>) {
    match outcome {
        AddClientOutcome::Added { file, warning } => (*file, warning),
        other => panic!("expected the file to be added, got {other:?}"),
    }
}

fn actions(cache: &Cache, id: FileId) -> Vec<(String, Option<String>)> {
    cache.audit_entries(id).unwrap().into_iter().map(|e| (e.action, e.new_value)).collect()
}

#[test]
fn a_file_added_by_hand_is_not_connected_has_its_software_and_link_and_is_audited() {
    let (_dir, mut cache) = temp_cache();
    cache.upsert_xpm_records(&[xpm("x-1", "Maple Pty Ltd", Some("C001"), None)]).unwrap();
    let new =
        NewClient { xpm_client_uuid: Some("x-1".into()), ..new_client("  Maple Pty Ltd ", AccountingSoftware::Myob) };
    let (file, warning) = added(add_client(&mut cache, &new, false).unwrap());
    assert_eq!(warning, None);
    assert_eq!(file.display_name, "Maple Pty Ltd");
    assert_eq!(file.software, AccountingSoftware::Myob);
    assert_eq!(file.connection, ConnectionState::NotConnected);
    assert_eq!(file.xero, None);
    assert_eq!(file.xpm.as_ref().map(|x| x.uuid.as_str()), Some("x-1"));
    assert_eq!(actions(&cache, file.id), [("add".to_owned(), Some("MYOB (XPM client x-1)".to_owned()))]);
    assert_eq!(
        cache.audit_entries(file.id).unwrap()[0].actor.as_deref(),
        Some(cache.actor()),
        "the entry names who added it"
    );

    let other = new_client("Paper & Co", AccountingSoftware::Other(" Reckon One ".into()));
    let (file, _) = added(add_client(&mut cache, &other, false).unwrap());
    assert_eq!(file.software, AccountingSoftware::Other("Reckon One".into()));
    assert_eq!(cache.list_files().unwrap().len(), 2);
}

#[test]
fn a_name_already_in_the_list_is_warned_about_and_added_once_confirmed() {
    let (_dir, mut cache) = temp_cache();
    added(add_client(&mut cache, &new_client("Smith Pty Ltd", AccountingSoftware::Xero), false).unwrap());
    let twin = new_client("smith PTY ltd", AccountingSoftware::None);
    let AddClientOutcome::NeedsConfirmation { warning } = add_client(&mut cache, &twin, false).unwrap() else {
        panic!("a second Smith Pty Ltd must ask first");
    };
    assert!(warning.contains("already has a client file named \"smith PTY ltd\""), "{warning}");
    assert_eq!(cache.list_files().unwrap().len(), 1, "nothing is written before the person confirms");

    let (file, warning) = added(add_client(&mut cache, &twin, true).unwrap());
    assert!(warning.is_some());
    assert_eq!(file.display_name, "smith PTY ltd");
    assert_eq!(cache.list_files().unwrap().len(), 2);
}

#[test]
fn a_bad_name_software_or_xpm_client_is_refused_and_nothing_is_written() {
    let (_dir, mut cache) = temp_cache();
    for (new, kind, says) in [
        (new_client("   ", AccountingSoftware::Xero), ErrorKind::InvalidInput, "cannot be empty"),
        (new_client("Line\nbreak", AccountingSoftware::Xero), ErrorKind::InvalidInput, "control characters"),
        (new_client(&"x".repeat(201), AccountingSoftware::Xero), ErrorKind::InvalidInput, "at most 200"),
        (new_client("Ok", AccountingSoftware::Other(" ".into())), ErrorKind::InvalidInput, "name of the other"),
        (
            NewClient { xpm_client_uuid: Some("nope".into()), ..new_client("Ok", AccountingSoftware::None) },
            ErrorKind::NotFound,
            "XPM client nope",
        ),
    ] {
        let e = add_client(&mut cache, &new, true).unwrap_err();
        assert_eq!(e.kind(), kind, "{e}");
        assert!(e.to_string().contains(says), "{e}");
    }
    assert!(cache.list_files().unwrap().is_empty());
}

fn practice_xpm() -> Vec<XpmClientRecord> {
    let mut archived = xpm("x-arch", "Old Client", None, None);
    archived.archived = true;
    let mut deleted = xpm("x-del", "Gone Client", None, None);
    deleted.deleted = true;
    let mut prospect = xpm("x-pro", "Maybe Client", None, None);
    prospect.prospect = true;
    vec![
        xpm("x-1", "Alpha Ltd", Some("A1"), None),
        xpm("x-2", "Beta\r\nTrading", Some("B2"), None),
        xpm("x-3", "Linked Already", None, None),
        xpm("x-4", "\u{7}", None, None),
        archived,
        deleted,
        prospect,
    ]
}

#[test]
fn the_xpm_import_adds_current_unlinked_clients_says_why_others_are_skipped_and_adds_only_new_ones_again() {
    let (_dir, mut cache) = temp_cache();
    cache.upsert_xpm_records(&practice_xpm()).unwrap();
    let linked = cache
        .insert_new_files(
            &[NewFile {
                name: "Linked".into(),
                software: AccountingSoftware::Xero,
                xpm_client_uuid: Some("x-3".into()),
            }],
            "add",
        )
        .unwrap()[0];

    let preview = xpm_import::plan(&cache).unwrap().preview;
    assert_eq!(preview.cached, 7);
    assert_eq!(preview.to_add, 2);
    assert_eq!(
        (preview.already_linked, preview.archived, preview.deleted, preview.prospects, preview.unusable_names),
        (1, 1, 1, 1, 1)
    );
    let names: Vec<_> = preview.first_rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["Alpha Ltd", "Beta Trading"], "an XPM name's line break becomes a space");
    let skipped: Vec<_> = preview.first_skipped.iter().map(|s| (s.name.as_str(), s.reason)).collect();
    for expected in [
        ("Linked Already", SkipReason::AlreadyLinked),
        ("Old Client", SkipReason::Archived),
        ("Gone Client", SkipReason::Deleted),
        ("Maybe Client", SkipReason::Prospect),
        ("\u{7}", SkipReason::UnusableName),
    ] {
        assert!(skipped.contains(&expected), "{expected:?} in {skipped:?}");
    }
    assert_eq!(cache.list_files().unwrap().len(), 1, "a preview writes nothing");

    assert_eq!(xpm_import::import(&mut cache).unwrap().added, 2);
    let files = cache.list_files().unwrap();
    assert_eq!(files.len(), 3);
    for f in files.iter().filter(|f| f.id != linked) {
        assert_eq!(f.connection, ConnectionState::NotConnected);
        assert_eq!(f.software, AccountingSoftware::None);
        assert!(f.xpm.is_some());
        assert_eq!(actions(&cache, f.id)[0].0, "import_xpm");
    }

    // Again: nothing new, everything imported now reads "already linked".
    let again = xpm_import::plan(&cache).unwrap().preview;
    assert_eq!((again.to_add, again.already_linked), (0, 3));
    assert_eq!(xpm_import::import(&mut cache).unwrap().added, 0);
    assert_eq!(cache.list_files().unwrap().len(), 3);

    // A client added in XPM since: only it is imported.
    cache.upsert_xpm_records(&[xpm("x-5", "Gamma", None, None)]).unwrap();
    assert_eq!(xpm_import::import(&mut cache).unwrap().added, 1);
    assert_eq!(cache.list_files().unwrap().len(), 4);
}

fn csv_cache() -> (tempfile::TempDir, Cache) {
    let (dir, mut cache) = temp_cache();
    cache
        .upsert_xpm_records(&[
            xpm("x-1", "Alpha Ltd", Some("A1"), Some("books@alpha.example")),
            xpm("x-2", "Beta Trading", Some("B2"), None),
        ])
        .unwrap();
    (dir, cache)
}

fn errors(preview: &csv_import::CsvImportPreview) -> Vec<(u64, String)> {
    preview.problems.iter().map(|l| (l.line, l.error.clone().unwrap())).collect()
}

#[test]
fn every_kind_of_bad_line_is_reported_with_its_line_and_nothing_is_imported() {
    let (_dir, mut cache) = csv_cache();
    let mut file = b"Name,Software,XPM Client Code,Notes\n".to_vec();
    file.extend_from_slice(b"Good One,Xero,A1,fine\n"); // 2
    file.extend_from_slice(b"Bad \xff\xfe Bytes,Xero,,\n"); // 3
    file.extend_from_slice(b",MYOB,,no name\n"); // 4
    file.extend_from_slice(b"Sage Client,Sage 50,,\n"); // 5
    file.extend_from_slice(b"Unknown Code,Xero,ZZ9,\n"); // 6
    file.extend_from_slice(b"Good One,xero,a1,same again\n"); // 7
    file.extend_from_slice(b"Other Name,Xero,A1,same XPM client\n"); // 8
    let plan = csv_import::plan(&cache, &file).unwrap();
    let p = &plan.preview;
    assert_eq!((p.lines, p.ready, p.with_errors), (7, 1, 6));
    assert_eq!(p.ignored_columns, ["Notes"]);
    let errors = errors(p);
    let expect = [
        (3, "not UTF-8 text (bad encoding)"),
        (4, "Missing name"),
        (5, "Unknown accounting software \"Sage 50\""),
        (6, "Unknown XPM client code \"ZZ9\""),
        (7, "Duplicate of line 2"),
        (8, "Line 2 already links to this XPM client"),
    ];
    assert_eq!(errors.len(), expect.len(), "{errors:?}");
    for ((line, error), (want_line, want)) in errors.iter().zip(expect) {
        assert_eq!(*line, want_line);
        assert!(error.contains(want), "line {line}: {error}");
    }
    assert_eq!(p.first_rows[0].xpm_client.as_deref(), Some("Alpha Ltd"));

    let e = csv_import::import(&mut cache, &file).unwrap_err();
    assert!(e.to_string().contains("6 of the file's 7 lines have errors, so nothing was imported"), "{e}");
    assert!(cache.list_files().unwrap().is_empty());
}

#[test]
fn formula_like_cells_are_kept_exactly_as_text() {
    let (_dir, mut cache) = csv_cache();
    let file = "name,software\n=SUM(A1:A2),none\n+61 400 000,none\n-5 Ltd,none\n@handle,none\n\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",none\n";
    assert_eq!(csv_import::import(&mut cache, file.as_bytes()).unwrap().added, 5);
    let names: Vec<_> = cache.list_files().unwrap().into_iter().map(|f| f.display_name).collect();
    assert_eq!(names, ["=SUM(A1:A2)", "+61 400 000", "-5 Ltd", "@handle", "=HYPERLINK(\"http://x\",\"y\")"]);
}

#[test]
fn excel_files_with_bom_crlf_semicolons_and_quoted_separators_quotes_and_newlines_import() {
    let with_bom_semicolons = "\u{feff}NAME;SOFTWARE;Email\r\n\"Dupont; Fils\";QuickBooks Online;BOOKS@alpha.example\r\n\"Say \"\"Hi\"\"\r\nLtd\";Other: Reckon;\r\n;;\r\n";
    let plain_commas = "name,software\n\"Dupont, Fils\",qbo\n\"Say \"\"Hi\"\"\nLtd\",\"other: Reckon\"\n";
    for (file, separator) in [(with_bom_semicolons, ";"), (plain_commas, ",")] {
        let (_dir, mut cache) = csv_cache();
        let plan = csv_import::plan(&cache, file.as_bytes()).unwrap();
        assert_eq!(plan.preview.separator, separator);
        assert_eq!((plan.preview.lines, plan.preview.with_errors), (2, 0), "{:?}", plan.preview.problems);
        let lines: Vec<_> = plan.preview.first_rows.iter().map(|l| l.line).collect();
        assert_eq!(lines, [2, 3], "lines are counted in CRLF files too");
        assert_eq!(csv_import::import(&mut cache, file.as_bytes()).unwrap().added, 2);
        let files = cache.list_files().unwrap();
        assert!(files[0].display_name.starts_with("Dupont") && files[0].display_name.ends_with(" Fils"));
        assert_eq!(files[0].software, AccountingSoftware::QuickbooksOnline);
        assert_eq!(files[1].display_name, "Say \"Hi\" Ltd", "a line break inside a quoted name becomes a space");
        assert_eq!(files[1].software, AccountingSoftware::Other("Reckon".into()));
        assert_eq!(files[0].xpm.as_ref().map(|x| x.uuid.as_str()), if separator == ";" { Some("x-1") } else { None });
        assert_eq!(actions(&cache, files[0].id)[0].0, "import_csv");
    }
}

#[test]
fn names_already_in_the_list_or_repeated_only_warn() {
    let (_dir, mut cache) = csv_cache();
    added(add_client(&mut cache, &new_client("Smith Pty Ltd", AccountingSoftware::Xero), false).unwrap());
    let file = "name,software\nSmith Pty Ltd,MYOB\nJones,Xero\nJones,MYOB\n";
    let p = csv_import::plan(&cache, file.as_bytes()).unwrap().preview;
    assert_eq!((p.ready, p.with_errors, p.with_warnings), (3, 0, 2));
    assert!(p.first_rows[0].warning.as_deref().unwrap().contains("already has a client file named"));
    assert!(p.first_rows[2].warning.as_deref().unwrap().contains("Line 3 has the same name"));
}

#[test]
fn a_whole_file_problem_is_one_clear_error() {
    let (_dir, cache) = csv_cache();
    let too_big = vec![b'a'; csv_import::MAX_BYTES + 1];
    let too_many = format!("name,software\n{}", "x,none\n".repeat(csv_import::MAX_ROWS + 1));
    for (file, says) in [
        (too_big, "up to 20 MB"),
        (too_many.into_bytes(), "more than 50000 client lines"),
        (b"client,notes\nA,b\n".to_vec(), "at least \"name\" and \"software\""),
        (b"\xff\xfen\x00a\x00".to_vec(), "UTF-16"),
        (b"".to_vec(), "The file is empty"),
        (b"name,software\n\n".to_vec(), "no client lines"),
    ] {
        let e = csv_import::plan(&cache, &file).err().expect(says);
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(e.to_string().contains(says), "{e}");
    }
}

/// A real failure in the middle of the write: the XPM client a line links to leaves the cache
/// between the preview and the import, so the foreign key refuses that row. The rows before it
/// were already inserted in the transaction; none may remain.
#[test]
fn a_failure_halfway_through_the_write_leaves_nothing() {
    let (dir, mut cache) = csv_cache();
    let file = "name,software,xpm client code\nFirst,Xero,\nSecond,MYOB,A1\nThird,Xero,B2\nFourth,none,\n";
    let plan = csv_import::plan(&cache, file.as_bytes()).unwrap();
    assert_eq!(plan.preview.with_errors, 0);
    let raw = rusqlite::Connection::open(dir.path().join("cache.sqlite3")).unwrap();
    raw.execute("DELETE FROM xpm_clients WHERE uuid = 'x-2'", []).unwrap();
    drop(raw);

    let e = cache.insert_new_files(&plan.files, "import_csv").unwrap_err();
    assert!(e.to_string().contains("Client 3 of the batch (\"Third\")"), "{e}");
    assert!(e.to_string().contains("Nothing was imported"), "{e}");
    assert!(cache.list_files().unwrap().is_empty(), "the first two rows were rolled back");
    let raw = rusqlite::Connection::open(dir.path().join("cache.sqlite3")).unwrap();
    let audited: i64 = raw.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0)).unwrap();
    assert_eq!(audited, 0, "no audit entry survives the rollback");
}
